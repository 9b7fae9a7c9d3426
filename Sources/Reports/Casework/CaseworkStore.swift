import Foundation
import GRDB

/// The unit's casework: cases, partner requests, responses, findings and the audit log, in their
/// own SQLite file (`<data dir>/casework.sqlite`, owner-only) next to the rebuildable chain index.
///
/// Every change is one transaction that also appends its audit entry (``AuditLog``), so the log
/// and the data cannot disagree. One store (one `DatabasePool`) per file for the life of the process.
public final class CaseworkStore: CaseworkReading, Sendable {
    /// The database file.
    public let path: String
    /// The audit head sidecar (`casework.audit-head`).
    public let sidecarPath: String
    let pool: DatabasePool
    let auditLog: AuditLog
    let now: @Sendable () -> Date

    /// The database path in a data directory.
    public static func databasePath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("casework.sqlite")
    }

    /// The audit head sidecar path in a data directory.
    public static func sidecarPath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("casework.audit-head")
    }

    /// Opens (creating when missing) the casework store in `dataDirectory`.
    ///
    /// A new file is created with mode 0600 before SQLite opens it (SQLite gives its `-wal` and
    /// `-shm` files the same mode); an existing file that group or others can access is refused.
    /// - Parameters:
    ///   - dataDirectory: the data directory (created, mode 0700, when missing).
    ///   - create: false to refuse to create a missing store (``CaseworkError/noCasework(path:)``).
    ///   - now: the clock (tests pass a fixed one); times are kept to the second.
    /// - Throws: ``CaseworkError/insecurePermissions(path:mode:)``, ``CaseworkError/file(path:operation:reason:)``,
    ///   ``CaseworkError/noCasework(path:)``, or a database error.
    public init(dataDirectory: String, create: Bool = true, now: @escaping @Sendable () -> Date = { Date() }) throws {
        path = CaseworkStore.databasePath(dataDirectory: dataDirectory)
        sidecarPath = CaseworkStore.sidecarPath(dataDirectory: dataDirectory)
        if !create && OwnerOnlyFile.mode(path) == nil { throw CaseworkError.noCasework(path: path) }
        do {
            try FileManager.default.createDirectory(
                atPath: dataDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw CaseworkError.file(path: dataDirectory, operation: "create the directory", reason: "\(error)")
        }
        try OwnerOnlyFile.ensure(path)
        if OwnerOnlyFile.mode(sidecarPath) != nil { try OwnerOnlyFile.check(sidecarPath) }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Casework is precious: a commit is on disk when it returns.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: config)
        try CaseworkSchema.migrator.migrate(pool)
        auditLog = AuditLog(sidecarPath: sidecarPath)
        self.now = now
    }

    /// Runs `body` in one write transaction with the current time (whole seconds).
    func write<T>(_ body: (Database, Date) throws -> T) throws -> T {
        let time = CaseworkTime.truncated(now())
        return try pool.write { db in try body(db, time) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    // MARK: - CaseworkReading

    /// The case with row id `id`.
    /// - Throws: ``CaseworkError/caseIDNotFound(_:)``.
    public func hotlineCase(id: Int64) throws -> HotlineCase {
        try read { db in try Self.hotlineCase(db, id: id) }
    }

    /// The partner request `id`.
    /// - Throws: ``CaseworkError/requestNotFound(_:)``.
    public func request(id: Int64) throws -> PartnerRequest {
        try read { db in try Self.request(db, id: id) }
    }

    /// The response `id`.
    /// - Throws: ``CaseworkError/responseNotFound(_:)``.
    public func response(id: Int64) throws -> Response {
        try read { db in try Self.response(db, id: id) }
    }

    /// The findings of response `responseID`, oldest first (empty for a response without any).
    /// - Throws: ``CaseworkError/responseNotFound(_:)``.
    public func findings(responseID: Int64) throws -> [Finding] {
        try read { db in
            _ = try Self.response(db, id: responseID)
            return try Self.findings(db, responseID: responseID)
        }
    }

    /// Appends an audit entry on its own (e.g. `report.export` by the evidence reports).
    /// - Throws: ``CaseworkError/missingActor``, ``CaseworkError/emptyField(_:)`` for an empty
    ///   action or entity, ``CaseworkError/auditLogInconsistent(_:)``.
    public func audit(actor: String, action: String, entity: String, details: [String: String]) throws {
        guard !action.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseworkError.emptyField("the audit action") }
        guard !entity.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseworkError.emptyField("the audit entity") }
        _ = try write { db, time in
            try auditLog.append(db, time: time, actor: actor, action: action, entity: entity, details: details)
        }
    }

    // MARK: - Audit log

    /// Audit entries in order, after sequence `after`, at most `limit`.
    public func auditEntries(after: Int64 = 0, limit: Int? = nil) throws -> [AuditEntry] {
        try read { db in try AuditLog.entries(db, after: after, limit: limit) }
    }

    /// Checks the whole audit log (``AuditVerification``): hashes, chain, sequence, head record,
    /// sidecar, triggers and file modes.
    /// - Complexity: O(n) in the entries.
    public func verifyAudit() throws -> AuditVerification {
        try read { db in try AuditVerifier.verify(db, sidecarPath: sidecarPath, databasePath: path) }
    }

    // MARK: - Row lookups inside a transaction

    static func hotlineCase(_ db: Database, id: Int64) throws -> HotlineCase {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(CaseworkRows.caseColumns) FROM hotline_case WHERE id = ?", arguments: [id])
        else {
            throw CaseworkError.caseIDNotFound(id)
        }
        return try CaseworkRows.hotlineCase(row)
    }

    static func hotlineCase(_ db: Database, reference: String) throws -> HotlineCase {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(CaseworkRows.caseColumns) FROM hotline_case WHERE reference = ?",
                arguments: [reference])
        else { throw CaseworkError.caseNotFound(reference: reference) }
        return try CaseworkRows.hotlineCase(row)
    }

    static func request(_ db: Database, id: Int64) throws -> PartnerRequest {
        guard
            let row = try Row.fetchOne(db, sql: "SELECT \(CaseworkRows.requestColumns) FROM partner_request WHERE id = ?", arguments: [id])
        else { throw CaseworkError.requestNotFound(id) }
        return try CaseworkRows.request(row)
    }

    static func response(_ db: Database, id: Int64) throws -> Response {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(CaseworkRows.responseColumns) FROM response WHERE id = ?", arguments: [id])
        else {
            throw CaseworkError.responseNotFound(id)
        }
        return try CaseworkRows.response(row)
    }

    static func findings(_ db: Database, responseID: Int64) throws -> [Finding] {
        try Row.fetchAll(
            db, sql: "SELECT \(CaseworkRows.findingColumns) FROM finding WHERE response_id = ? ORDER BY id", arguments: [responseID]
        )
        .map(CaseworkRows.finding)
    }
}
