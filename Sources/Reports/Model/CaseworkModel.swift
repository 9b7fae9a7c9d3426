import Foundation

// The casework data model shared by the casework store (Casework/), the evidence reports
// (Evidence/) and the CLI. Times are UTC; amounts integer satoshis; ids are the store's row ids.

/// A hotline case.
public struct HotlineCase: Codable, Sendable, Equatable {
    public var id: Int64
    /// The unit's reference, e.g. `HL-2026-0042`; unique.
    public var reference: String
    public var title: String
    /// `open` or `closed`.
    public var status: String
    /// The analyst responsible.
    public var analyst: String
    public var opened: Date
    public var closed: Date?
    public var notes: String
    /// Sites or domains where the case's wallets were seen.
    public var sites: [String]

    public init(id: Int64, reference: String, title: String, status: String, analyst: String, opened: Date, closed: Date?,
                notes: String, sites: [String]) {
        self.id = id
        self.reference = reference
        self.title = title
        self.status = status
        self.analyst = analyst
        self.opened = opened
        self.closed = closed
        self.notes = notes
        self.sites = sites
    }
}

/// A request from a partner (an exchange, the police, another hotline) within a case.
public struct PartnerRequest: Codable, Sendable, Equatable {
    public var id: Int64
    public var caseID: Int64
    /// The requesting organisation.
    public var organisation: String
    /// The partner's own reference, if any.
    public var partnerReference: String?
    public var received: Date
    public var due: Date?
    public var question: String
    /// Addresses, `txid:vout`, txids or cluster ids, as given.
    public var subjects: [String]

    public init(id: Int64, caseID: Int64, organisation: String, partnerReference: String?, received: Date, due: Date?, question: String,
                subjects: [String]) {
        self.id = id
        self.caseID = caseID
        self.organisation = organisation
        self.partnerReference = partnerReference
        self.received = received
        self.due = due
        self.question = question
        self.subjects = subjects
    }
}

/// What a finding ran.
public enum FindingKind: String, Codable, Sendable, CaseIterable {
    case trace, exposure, payments
}

/// One computed result kept exactly as computed, with everything needed to recompute it.
public struct Finding: Codable, Sendable, Equatable {
    public var id: Int64
    public var responseID: Int64
    public var kind: FindingKind
    /// The request subject it answers.
    public var subject: String
    /// What was asked, in words (e.g. "did this address pay a known seller?").
    public var question: String
    /// The equivalent command line, e.g. `spoor trace --hops 6 --model haircut bcrt1q…`.
    public var command: String
    /// The parameters as name → value (stable keys; what `--recompute` re-runs with).
    public var parameters: [String: String]
    /// The result as the Tracer encoded it (`TraceResult`, `[TraceResult]` for `--model all`,
    /// `ExposureReport` or `SellerPaymentsReport`), canonical JSON (sorted keys).
    public var result: Data
    /// The index tip and clustering layer it was computed on.
    public var tipHeight: Int?
    public var tipHash: String?
    public var layer: String
    /// The clustering parameters in force (`cluster_progress.parameters`).
    public var clusterParameters: String
    public var createdBy: String
    public var created: Date

    public init(id: Int64, responseID: Int64, kind: FindingKind, subject: String, question: String, command: String,
                parameters: [String: String], result: Data, tipHeight: Int?, tipHash: String?, layer: String, clusterParameters: String,
                createdBy: String, created: Date) {
        self.id = id
        self.responseID = responseID
        self.kind = kind
        self.subject = subject
        self.question = question
        self.command = command
        self.parameters = parameters
        self.result = result
        self.tipHeight = tipHeight
        self.tipHash = tipHash
        self.layer = layer
        self.clusterParameters = clusterParameters
        self.createdBy = createdBy
        self.created = created
    }
}

/// Where a response is in its review.
public enum ResponseState: String, Codable, Sendable, CaseIterable {
    case draft
    case inReview = "in_review"
    case approved
    case sent
}

/// The unit's answer to a request: findings plus the analyst's conclusion.
public struct Response: Codable, Sendable, Equatable {
    public var id: Int64
    public var requestID: Int64
    public var state: ResponseState
    public var conclusion: String
    /// Who wrote it (the first analyst); only someone else may approve it.
    public var author: String
    public var reviewer: String?
    public var created: Date
    public var submitted: Date?
    public var approved: Date?
    public var sent: Date?

    public init(id: Int64, requestID: Int64, state: ResponseState, conclusion: String, author: String, reviewer: String?, created: Date,
                submitted: Date?, approved: Date?, sent: Date?) {
        self.id = id
        self.requestID = requestID
        self.state = state
        self.conclusion = conclusion
        self.author = author
        self.reviewer = reviewer
        self.created = created
        self.submitted = submitted
        self.approved = approved
        self.sent = sent
    }
}

/// One audit-log entry. Each carries the hash of the previous one, so editing or removing an
/// entry breaks the chain (`spoor audit verify`).
public struct AuditEntry: Codable, Sendable, Equatable {
    public var sequence: Int64
    public var time: Date
    public var actor: String
    /// e.g. `case.create`, `response.approve`, `report.export`.
    public var action: String
    /// e.g. `response:7`.
    public var entity: String
    /// Canonical JSON of what changed.
    public var details: String
    /// Hex SHA-256 of the previous entry (64 zeros for the first).
    public var previousHash: String
    /// Hex SHA-256 over this entry's fields and `previousHash`.
    public var hash: String

    public init(sequence: Int64, time: Date, actor: String, action: String, entity: String, details: String, previousHash: String,
                hash: String) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.entity = entity
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// Read access to the casework the evidence reports need (implemented by the casework store).
public protocol CaseworkReading {
    func hotlineCase(id: Int64) throws -> HotlineCase
    func request(id: Int64) throws -> PartnerRequest
    func response(id: Int64) throws -> Response
    func findings(responseID: Int64) throws -> [Finding]
    /// Appends an audit entry (reports record every export).
    func audit(actor: String, action: String, entity: String, details: [String: String]) throws
}
