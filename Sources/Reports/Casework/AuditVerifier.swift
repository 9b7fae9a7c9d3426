import Foundation
import GRDB

/// One thing wrong with the audit log.
public struct AuditProblem: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable {
        /// An entry's stored hash is not the hash of its fields: it was edited.
        case hashMismatch = "hash_mismatch"
        /// Sequence numbers are not 1, 2, 3, …: an entry was removed or reordered.
        case sequenceGap = "sequence_gap"
        /// An entry's previous hash is not the hash of the entry before it.
        case previousHashMismatch = "previous_hash_mismatch"
        /// The `audit_head` row disagrees with the log (entries removed from the end?).
        case headMismatch = "head_mismatch"
        /// The sidecar file disagrees with the log or the head row.
        case sidecarMismatch = "sidecar_mismatch"
        case sidecarMissing = "sidecar_missing"
        case sidecarUnreadable = "sidecar_unreadable"
        /// A trigger that keeps the log append-only was dropped.
        case triggerMissing = "trigger_missing"
        /// The database or the sidecar can be read by group or others.
        case insecurePermissions = "insecure_permissions"
    }

    public var kind: Kind
    /// The entry concerned, when there is one.
    public var sequence: Int64?
    public var detail: String

    public init(kind: Kind, sequence: Int64?, detail: String) {
        self.kind = kind
        self.sequence = sequence
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue)\(sequence.map { " at entry \($0)" } ?? ""): \(detail)" }
}

/// The outcome of ``CaseworkStore/verifyAudit()``.
public struct AuditVerification: Codable, Sendable, Equatable {
    /// Entries in the log.
    public var entries: Int64
    /// The log's last hash as stored (64 zeros when empty): record it elsewhere to anchor the log.
    public var lastHash: String
    public var head: AuditHead?
    public var sidecar: AuditHead?
    public var problems: [AuditProblem]

    /// True when nothing is wrong.
    public var intact: Bool { problems.isEmpty }

    enum CodingKeys: String, CodingKey {
        case entries, head, sidecar, problems, intact
        case lastHash = "last_hash"
    }

    public init(entries: Int64, lastHash: String, head: AuditHead?, sidecar: AuditHead?, problems: [AuditProblem]) {
        self.entries = entries
        self.lastHash = lastHash
        self.head = head
        self.sidecar = sidecar
        self.problems = problems
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        entries = try c.decode(Int64.self, forKey: .entries)
        lastHash = try c.decode(String.self, forKey: .lastHash)
        head = try c.decodeIfPresent(AuditHead.self, forKey: .head)
        sidecar = try c.decodeIfPresent(AuditHead.self, forKey: .sidecar)
        problems = try c.decode([AuditProblem].self, forKey: .problems)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entries, forKey: .entries)
        try c.encode(lastHash, forKey: .lastHash)
        try c.encode(head, forKey: .head)
        try c.encode(sidecar, forKey: .sidecar)
        try c.encode(problems, forKey: .problems)
        try c.encode(intact, forKey: .intact)
    }
}

/// Checks the whole audit log: every hash, the chain of previous hashes, the sequence, the head
/// row, the sidecar file, the append-only triggers and the file modes.
enum AuditVerifier {
    /// - Complexity: O(n) in the entries: one read of the table and one SHA-256 per entry.
    static func verify(_ db: Database, sidecarPath: String, databasePath: String) throws -> AuditVerification {
        var problems: [AuditProblem] = []
        var expected: Int64 = 1
        var previous = AuditHash.genesis
        var count: Int64 = 0
        var lastSequence: Int64 = 0
        let rows = try Row.fetchCursor(
            db, sql: "SELECT sequence, time, actor, action, entity, details, previous_hash, hash FROM audit_log ORDER BY sequence")
        while let row = try rows.next() {
            let sequence: Int64 = row[0]
            let storedPrevious: String = row[6], stored: String = row[7]
            if sequence != expected {
                let what = sequence > expected ? "entries \(expected)…\(sequence - 1) are missing" : "entry \(sequence) is out of order"
                problems.append(AuditProblem(kind: .sequenceGap, sequence: sequence, detail: "expected entry \(expected): \(what)"))
            }
            let computed = AuditHash.hash(
                sequence: sequence, time: row[1], actor: row[2], action: row[3], entity: row[4], details: row[5],
                previousHash: storedPrevious)
            if computed != stored {
                problems.append(
                    AuditProblem(
                        kind: .hashMismatch, sequence: sequence,
                        detail: "stored hash \(stored.prefix(16))…, fields hash to \(computed.prefix(16))…: the entry was edited"))
            }
            if storedPrevious != previous {
                problems.append(
                    AuditProblem(
                        kind: .previousHashMismatch, sequence: sequence,
                        detail: "previous hash \(storedPrevious.prefix(16))… but the entry before has \(previous.prefix(16))…"))
            }
            previous = stored
            lastSequence = sequence
            expected = sequence + 1
            count += 1
        }
        // The head records the last sequence number, which equals the count in an intact log; a gap
        // in the middle is reported above, so compare against where the log ends.
        let end = AuditHead(count: lastSequence, lastHash: previous)
        let head = try AuditHead.stored(db)
        if let head {
            if head != end {
                problems.append(AuditProblem(kind: .headMismatch, sequence: nil, detail: headDetail(head, end, name: "head record")))
            }
        } else {
            problems.append(AuditProblem(kind: .headMismatch, sequence: nil, detail: "the audit_head row is missing"))
        }
        var sidecar: AuditHead?
        switch AuditSidecar.read(sidecarPath) {
        case .missing:
            if lastSequence > 0 || (head?.count ?? 0) > 0 {
                problems.append(AuditProblem(kind: .sidecarMissing, sequence: nil, detail: "\(sidecarPath) is missing"))
            }
        case .unreadable(let reason):
            problems.append(AuditProblem(kind: .sidecarUnreadable, sequence: nil, detail: "\(sidecarPath): \(reason)"))
        case .head(let side):
            sidecar = side
            if side != end {
                problems.append(AuditProblem(kind: .sidecarMismatch, sequence: nil, detail: headDetail(side, end, name: "sidecar")))
            } else if let head, side != head {
                problems.append(AuditProblem(kind: .sidecarMismatch, sequence: nil, detail: "sidecar: \(side); head record: \(head)"))
            }
        }
        let triggers = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"))
        for name in CaseworkSchema.auditTriggers where !triggers.contains(name) {
            problems.append(
                AuditProblem(
                    kind: .triggerMissing, sequence: nil,
                    detail: "trigger \(name) was dropped: the log is no longer append-only in the schema"))
        }
        for path in [databasePath, sidecarPath] {
            if let mode = OwnerOnlyFile.mode(path), mode & OwnerOnlyFile.groupOtherBits != 0 {
                problems.append(
                    AuditProblem(kind: .insecurePermissions, sequence: nil, detail: "\(path) has mode \(String(mode, radix: 8))"))
            }
        }
        return AuditVerification(entries: count, lastHash: previous, head: head, sidecar: sidecar, problems: problems)
    }

    /// Explains a head that disagrees with the log: fewer entries in the log means the tail was removed.
    private static func headDetail(_ recorded: AuditHead, _ log: AuditHead, name: String) -> String {
        if recorded.count > log.count {
            return "the \(name) records \(recorded) but the log has \(log): entries were removed from the end"
        }
        if recorded.count < log.count {
            return "the \(name) records \(recorded) but the log has \(log): the \(name) is behind (replaced by an older copy?)"
        }
        return "the \(name) records \(recorded) but the log has \(log)"
    }
}
