import Foundation

/// Why a report could not be built, rendered or written.
public enum EvidenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A finding's stored result is not the JSON its kind promises.
    case undecodableResult(finding: Int64, kind: String, reason: String)
    /// A template is missing or does not parse.
    case template(name: String, reason: String)
    /// A file could not be written or read.
    case io(path: String, reason: String)
    /// Nothing to report (e.g. a case without responses).
    case empty(String)

    public var description: String {
        switch self {
        case .undecodableResult(let f, let k, let r): return "finding \(f): stored result is not a \(k) result: \(r)"
        case .template(let n, let r): return "template \(n): \(r)"
        case .io(let p, let r): return "\(p): \(r)"
        case .empty(let what): return what
        }
    }
}
