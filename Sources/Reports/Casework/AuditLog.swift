import Foundation
import GRDB

/// Appends to the hash-chained audit log inside the caller's write transaction, so an entry is
/// committed exactly when the change it records is.
struct AuditLog {
    /// The sidecar file holding the head outside the database.
    let sidecarPath: String

    /// Appends one entry, updates the head record and rewrites the sidecar.
    ///
    /// Before appending it checks that the last entry, the `audit_head` row and the sidecar agree;
    /// if they do not (entries removed from the end, a replaced sidecar), nothing is appended: a new
    /// entry chained onto a truncated log would hide the truncation.
    /// - Throws: ``CaseworkError/auditLogInconsistent(_:)``, ``CaseworkError/missingActor``, a
    ///   database or file error (the transaction then rolls back).
    @discardableResult
    func append(_ db: Database, time: Date, actor: String, action: String, entity: String, details: [String: String]) throws -> AuditEntry {
        let actor = try Actor.validated(actor)
        let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1")
        let tail = AuditHead(count: last?[0] ?? 0, lastHash: last?[1] ?? AuditHash.genesis)
        let head = try AuditHead.stored(db) ?? .empty
        guard head == tail else {
            throw CaseworkError.auditLogInconsistent("head record: \(head); log: \(tail)")
        }
        switch AuditSidecar.read(sidecarPath) {
        case .missing where head.count > 0:
            throw CaseworkError.auditLogInconsistent("the sidecar \(sidecarPath) is missing; the log has \(head)")
        case .unreadable(let reason):
            throw CaseworkError.auditLogInconsistent("the sidecar \(sidecarPath) is unreadable: \(reason)")
        case .head(let side) where side != head:
            throw CaseworkError.auditLogInconsistent("sidecar: \(side); database: \(head)")
        default:
            break
        }
        let sequence = head.count + 1
        let timeText = CaseworkTime.format(time)
        let detailText = try AuditHash.canonicalJSON(details)
        let hash = AuditHash.hash(
            sequence: sequence, time: timeText, actor: actor, action: action, entity: entity, details: detailText,
            previousHash: head.lastHash)
        try db.execute(
            sql: """
                INSERT INTO audit_log(sequence, time, actor, action, entity, details, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [sequence, timeText, actor, action, entity, detailText, head.lastHash, hash])
        let next = AuditHead(count: sequence, lastHash: hash)
        try AuditHead.store(next, db)
        // Written while this transaction holds the write lock, so concurrent processes cannot
        // interleave their sidecar writes; if the commit then fails the sidecar is one entry ahead,
        // which verify reports (docs/casework.md).
        if OwnerOnlyFile.mode(sidecarPath) != nil { try OwnerOnlyFile.check(sidecarPath) }
        try AuditSidecar.write(next, to: sidecarPath)
        return AuditEntry(
            sequence: sequence, time: CaseworkTime.truncated(time), actor: actor, action: action, entity: entity,
            details: detailText, previousHash: head.lastHash, hash: hash)
    }

    /// Entries in sequence order, from `after` (exclusive), at most `limit`.
    static func entries(_ db: Database, after: Int64 = 0, limit: Int? = nil) throws -> [AuditEntry] {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT sequence, time, actor, action, entity, details, previous_hash, hash FROM audit_log WHERE sequence > ? "
                + "ORDER BY sequence LIMIT ?", arguments: [after, limit ?? -1])
        return try rows.map { row in
            let sequence: Int64 = row[0]
            let time: String = row[1]
            guard let date = CaseworkTime.parse(time) else {
                throw CaseworkError.corruptRow(table: "audit_log", id: sequence, reason: "time '\(time)' is not ISO 8601 UTC")
            }
            return AuditEntry(
                sequence: sequence, time: date, actor: row[2], action: row[3], entity: row[4], details: row[5],
                previousHash: row[6], hash: row[7])
        }
    }
}
