import Foundation

/// Errors of the casework store and its workflow. Every case names what it is about, so the
/// message can be shown to an analyst as it is.
public enum CaseworkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No acting person was given (`--as NAME` or `SPOOR_AS`); casework never uses a default identity.
    case missingActor
    /// The data directory holds no casework yet (read-only commands do not create it).
    case noCasework(path: String)
    /// A case with this reference does not exist.
    case caseNotFound(reference: String)
    /// A case with this id does not exist.
    case caseIDNotFound(Int64)
    case requestNotFound(Int64)
    case responseNotFound(Int64)
    case findingNotFound(Int64)
    /// A case with this reference exists already.
    case duplicateReference(String)
    /// The case is closed: it accepts no new requests, responses or findings.
    case caseClosed(reference: String)
    /// A response cannot go from `from` to `to` (e.g. sent before approval).
    case invalidTransition(responseID: Int64, from: ResponseState, to: ResponseState)
    /// The person approving wrote or contributed to the response.
    case selfApproval(person: String, responseID: Int64, role: String)
    /// The response is not a draft, so its findings and conclusion are frozen.
    case notEditable(responseID: Int64, state: ResponseState)
    /// Submitting needs at least one finding and a conclusion.
    case incomplete(responseID: Int64, missing: String)
    /// A required text is empty (a title, a question, a rejection reason, …).
    case emptyField(String)
    /// A finding must answer one of its request's subjects.
    case subjectNotInRequest(subject: String, requestID: Int64)
    /// A finding parameter is missing or malformed.
    case invalidParameter(name: String, value: String, expected: String)
    /// The casework file is readable or writable by group or others.
    case insecurePermissions(path: String, mode: String)
    /// A file could not be created, read or written.
    case file(path: String, operation: String, reason: String)
    /// The audit log, its head record and the sidecar disagree; nothing is appended until a person
    /// has looked (`spoor audit verify`).
    case auditLogInconsistent(String)
    /// The chain index changed while a finding was being computed.
    case indexChanged(before: String, after: String)
    /// A stored row could not be decoded.
    case corruptRow(table: String, id: Int64, reason: String)

    public var description: String {
        switch self {
        case .missingActor:
            return "no acting person: pass --as NAME, set SPOOR_AS or put \"as = NAME\" in the configuration file (casework never assumes an identity)"
        case .noCasework(let path): return "no casework at \(path) (create a case first: `spoor case create`)"
        case .caseNotFound(let reference): return "no case with reference '\(reference)'"
        case .caseIDNotFound(let id): return "no case with id \(id)"
        case .requestNotFound(let id): return "no partner request with id \(id)"
        case .responseNotFound(let id): return "no response with id \(id)"
        case .findingNotFound(let id): return "no finding with id \(id)"
        case .duplicateReference(let reference): return "a case with reference '\(reference)' exists already"
        case .caseClosed(let reference): return "case \(reference) is closed: it accepts no new requests, responses or findings"
        case .invalidTransition(let id, let from, let to):
            let hint = to == .sent ? " (a response is sent only after approval)" : ""
            return "response \(id) cannot go from \(from.rawValue) to \(to.rawValue)\(hint)"
        case .selfApproval(let person, let id, let role):
            return "\(person) cannot approve response \(id): they are its \(role); another person must review it"
        case .notEditable(let id, let state):
            return "response \(id) is \(state.rawValue): findings and conclusion change only in draft (reject it back to draft first)"
        case .incomplete(let id, let missing): return "response \(id) cannot be submitted: \(missing)"
        case .emptyField(let name): return "\(name) must not be empty"
        case .subjectNotInRequest(let subject, let id):
            return "'\(subject)' is not a subject of request \(id) (its findings answer its subjects)"
        case .invalidParameter(let name, let value, let expected): return "parameter \(name) = '\(value)': expected \(expected)"
        case .insecurePermissions(let path, let mode):
            return "\(path) has mode \(mode): group or others can access it; run `chmod 600 \(path)` (casework is owner-only)"
        case .file(let path, let operation, let reason): return "cannot \(operation) \(path): \(reason)"
        case .auditLogInconsistent(let detail):
            return "the audit log is inconsistent (\(detail)); nothing was written. Run `spoor audit verify` and investigate"
        case .indexChanged(let before, let after):
            return "the chain index changed during the computation (tip \(before) → \(after)); run it again"
        case .corruptRow(let table, let id, let reason): return "stored \(table) row \(id) is unreadable: \(reason)"
        }
    }
}
