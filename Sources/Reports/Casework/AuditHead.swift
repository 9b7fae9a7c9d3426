import Foundation
import GRDB

/// Where the audit log ends: how many entries it holds and the hash of the last one. Kept twice,
/// in the `audit_head` table (same transaction as every append) and in the sidecar file
/// `casework.audit-head` beside the database, so removing entries from the end of the log shows.
public struct AuditHead: Codable, Sendable, Equatable, CustomStringConvertible {
    public var count: Int64
    public var lastHash: String

    public init(count: Int64, lastHash: String) {
        self.count = count
        self.lastHash = lastHash
    }

    /// The head of an empty log.
    public static let empty = AuditHead(count: 0, lastHash: AuditHash.genesis)

    public var description: String { "\(count) entries, last hash \(lastHash.prefix(16))…" }

    enum CodingKeys: String, CodingKey {
        case count
        case lastHash = "last_hash"
    }

    /// The `audit_head` row.
    static func stored(_ db: Database) throws -> AuditHead? {
        guard let row = try Row.fetchOne(db, sql: "SELECT count, last_hash FROM audit_head WHERE id = 1") else { return nil }
        return AuditHead(count: row[0], lastHash: row[1])
    }

    static func store(_ head: AuditHead, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO audit_head(id, count, last_hash) VALUES (1, ?, ?)", arguments: [head.count, head.lastHash])
    }
}

/// The sidecar file holding the audit head outside the database (JSON, owner-only).
enum AuditSidecar {
    enum Reading: Equatable {
        case missing
        case unreadable(String)
        case head(AuditHead)
    }

    static func read(_ path: String) -> Reading {
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable("cannot read the file") }
        do { return .head(try JSONDecoder().decode(AuditHead.self, from: data)) } catch {
            return .unreadable("not an audit head: \(error)")
        }
    }

    static func write(_ head: AuditHead, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(head)
        data.append(0x0A)
        try OwnerOnlyFile.replace(path, with: data)
    }
}
