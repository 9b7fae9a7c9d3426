import Foundation
import GRDB

/// Errors of the index store.
public enum IndexStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The index holds another network's chain.
    case networkMismatch(index: String, input: String)
    /// The data directory has no index yet.
    case noIndex(path: String)
    case database(String)

    public var description: String {
        switch self {
        case .networkMismatch(let index, let input):
            return "the index holds the '\(index)' chain; the input is '\(input)' (use another --data directory)"
        case .noIndex(let path):
            return "no index at \(path) (run `spoor import` first)"
        case .database(let message):
            return "index database error: \(message)"
        }
    }
}

/// The chain index: one SQLite file (`index.sqlite`) in the data directory.
public final class IndexStore: @unchecked Sendable {
    public let path: String
    let queue: DatabaseQueue

    public static func databasePath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("index.sqlite")
    }

    /// Opens the index in `dataDirectory`, creating the directory and the schema when `create` is true.
    public init(dataDirectory: String, create: Bool) throws {
        path = IndexStore.databasePath(dataDirectory: dataDirectory)
        if !FileManager.default.fileExists(atPath: path) {
            guard create else { throw IndexStoreError.noIndex(path: path) }
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // Reads through a memory map instead of a read() system call per page (queries and
            // traces probe the B-trees at random); address space only, pages stay in the OS cache.
            try db.execute(sql: "PRAGMA mmap_size = 4294967296")
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        try Schema.migrator.migrate(queue)
    }

    /// The network this index holds, or nil while it is empty.
    public func network() throws -> Network? {
        try queue.read { db in
            guard let name = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'network'") else { return nil }
            return Network.named(name)
        }
    }

    /// Blocks stored without their header from explorer JSON: hash → block id. The planner does
    /// not see them (their previous hash is unknown); a block file of one replaces it.
    func explorerBlocks() throws -> [Hash256: Int64] {
        try queue.read { db in
            var out = [Hash256: Int64]()
            let rows = try Row.fetchCursor(db, sql: "SELECT id, hash FROM block WHERE height_source = 'explorer'")
            while let row = try rows.next() {
                if let h = Hash256(internalBytes: row.bytes(1)) { out[h] = row[0] }
            }
            return out
        }
    }

    /// Blocks held with their header, for the import planner.
    func storedBlocks() throws -> [StoredBlock] {
        try queue.read { db in
            var out = [StoredBlock]()
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, hash, prev, height, chainwork, in_chain, bits FROM block WHERE height_source != 'explorer' ORDER BY id
                """)
            while let row = try rows.next() {
                let hash = row.bytes(1), prev = row.bytes(2)
                let work = row.optBytes(4)
                out.append(StoredBlock(id: row[0], hash: Hash256(internalBytes: hash) ?? .zero,
                                       previousHash: Hash256(internalBytes: prev) ?? .zero, height: row[3],
                                       chainWork: work.flatMap { UInt256(bigEndianBytes: $0) }, inChain: (row[5] as Int) != 0,
                                       bits: UInt32(truncatingIfNeeded: row[6] as Int64)))
            }
            return out
        }
    }

    /// Runs `body` in one write transaction (for modules that keep derived tables in the index,
    /// such as the Tracer's clusters and tags).
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.write(body)
    }

    /// Runs `body` in one read transaction.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }

    /// Checkpoints the write-ahead log into the main file (after an import).
    public func checkpoint() throws {
        _ = try queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }
}

extension Row {
    /// A blob column as bytes (empty when NULL).
    func bytes(_ i: Int) -> [UInt8] { (self[i] as Data?).map { [UInt8]($0) } ?? [] }
    func bytes(_ name: String) -> [UInt8] { (self[name] as Data?).map { [UInt8]($0) } ?? [] }
    /// A blob column as bytes, nil when NULL.
    public func optBytes(_ i: Int) -> [UInt8]? { (self[i] as Data?).map { [UInt8]($0) } }
    func optBytes(_ name: String) -> [UInt8]? { (self[name] as Data?).map { [UInt8]($0) } }
}
