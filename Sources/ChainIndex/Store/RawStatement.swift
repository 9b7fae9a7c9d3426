import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API for bulk writes: binding integers and
/// blobs directly avoids building GRDB argument arrays for millions of rows.
public final class RawStatement {
    private let statement: Statement
    private let handle: SQLiteStatement
    private let db: Database

    /// Prepares `sql` on `db`; the statement must not outlive the database access it was made in.
    public init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    @inline(__always) public func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(handle, i, v) }
    @inline(__always) public func bind(_ i: Int32, _ v: Int) { sqlite3_bind_int64(handle, i, Int64(v)) }
    @inline(__always) public func bindDouble(_ i: Int32, _ v: Double) { sqlite3_bind_double(handle, i, v) }
    @inline(__always) public func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
    @inline(__always) public func bind(_ i: Int32, _ v: Int64?) {
        if let v { sqlite3_bind_int64(handle, i, v) } else { sqlite3_bind_null(handle, i) }
    }
    @inline(__always) public func bind(_ i: Int32, _ v: String) {
        sqlite3_bind_text(handle, i, v, -1, SQLITE_TRANSIENT_HANDLE)
    }
    @inline(__always) public func bind(_ i: Int32, _ h: Hash256) {
        var copy = h
        _ = withUnsafeBytes(of: &copy) { sqlite3_bind_blob(handle, i, $0.baseAddress, 32, SQLITE_TRANSIENT_HANDLE) }
    }
    @inline(__always) public func bind(_ i: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, i, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), SQLITE_TRANSIENT_HANDLE) }
    }

    /// Runs the statement to completion and resets it for the next row.
    public func execute() throws {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        if rc != SQLITE_DONE && rc != SQLITE_ROW {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage)
        }
    }

    /// Runs the statement; returns false when it violated a constraint (nothing was written).
    public func executeUnlessConstraint() throws -> Bool {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        if rc == SQLITE_DONE || rc == SQLITE_ROW { return true }
        if rc & 0xff == SQLITE_CONSTRAINT { return false }
        throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage)
    }

    /// Runs a single-row query; returns the first column as bytes, or nil when there is no row.
    public func queryBytes() throws -> [UInt8]? {
        let rc = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        if rc == SQLITE_ROW {
            let n = Int(sqlite3_column_bytes(handle, 0))
            guard n > 0, let p = sqlite3_column_blob(handle, 0) else { return [] }
            return Array(UnsafeRawBufferPointer(start: p, count: n))
        }
        if rc == SQLITE_DONE { return nil }
        throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage)
    }

    /// Runs a single-row query; returns the first column as an integer, or nil when there is no row.
    public func queryInt() throws -> Int64? {
        let rc = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        if rc == SQLITE_ROW { return sqlite3_column_int64(handle, 0) }
        if rc == SQLITE_DONE { return nil }
        throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage)
    }
}

extension RawStatement {
    /// Steps a query: true when a row is ready (read it with the `column…` accessors), false at
    /// the end (the statement is then reset).
    @inline(__always) public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        if rc == SQLITE_DONE { return false }
        throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage)
    }

    /// Resets a query that was not stepped to its end.
    public func reset() { sqlite3_reset(handle) }

    /// Column `i` of the current row as an integer (0 when NULL).
    @inline(__always) public func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }

    /// True when column `i` of the current row is NULL.
    @inline(__always) public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }

    /// Column `i` of the current row as bytes (empty when NULL).
    public func bytes(_ i: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, i))
        guard n > 0, let p = sqlite3_column_blob(handle, i) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}

/// SQLITE_TRANSIENT (a macro in C): tells SQLite to copy bound bytes.
let SQLITE_TRANSIENT_HANDLE = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
