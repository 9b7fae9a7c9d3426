import ChainIndex
import Foundation
import GRDB

/// Errors of the tag store (file problems are ``TagFileError``).
public enum TagStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The index holds no chain yet, so addresses cannot be checked against a network.
    case noNetwork(path: String)
    /// A stored row that does not read back (an edited database).
    case corruptRow(id: Int64, reason: String)

    public var description: String {
        switch self {
        case .noNetwork(let path): return "the index at \(path) holds no chain yet (run `spoor import` first): tags need its network"
        case .corruptRow(let id, let reason): return "tag row \(id) is unreadable: \(reason)"
        }
    }
}

/// What importing one file did.
public struct TagImportResult: Codable, Hashable, Sendable {
    public var file: String
    public var format: TagFileFormat
    /// SHA-256 of the file's bytes, as recorded in `tag_import`.
    public var sha256: String
    /// The `tag_import` row (the tags' `import_batch`).
    public var batch: Int64
    /// Tags in the file.
    public var rows: Int
    public var imported: Int
    /// Tags already stored (or repeated in the file) with the same target, label, category and source.
    public var skippedDuplicates: Int

    enum CodingKeys: String, CodingKey {
        case file, format, sha256, batch, rows, imported
        case skippedDuplicates = "skipped_duplicates"
    }
}

/// Attribution tags kept in the index file (`tag`, `tag_import`; see ``TracerSchema``).
///
/// Imports are all-or-nothing: every file is read and checked first, and all of them are written
/// in one transaction, so a bad row anywhere leaves the tables exactly as they were.
public struct TagStore: Sendable {
    public let index: IndexStore
    /// The index's network: tag addresses are parsed and rendered on it.
    public let network: Network

    /// Opens the tags of `index`, creating the tables on first use.
    /// - Parameter network: the network to check addresses against; nil takes the index's.
    /// - Throws: ``TagStoreError/noNetwork(path:)`` when neither is known, or a database error.
    public init(index: IndexStore, network: Network? = nil) throws {
        guard let net = try network ?? index.network() else { throw TagStoreError.noNetwork(path: index.path) }
        self.index = index
        self.network = net
        try index.write { db in try TracerSchema.ensure(db) }
    }

    /// Read options for this store's network.
    public func readOptions(author: String? = nil, markPrivate: Bool = false, now: Date = Date()) -> TagReadOptions {
        TagReadOptions(network: network, author: author, markPrivate: markPrivate, now: now)
    }

    /// Reads `paths` and imports them in one transaction.
    /// - Parameters:
    ///   - format: the format of every file, or nil to take each from its extension.
    ///   - author: author of tags that name none, also recorded on the import.
    ///   - markPrivate: marks every imported tag private.
    /// - Throws: ``TagFileError`` listing every problem of every file (nothing is imported), or a
    ///   database error (nothing is imported).
    @discardableResult
    public func importFiles(
        _ paths: [String], format: TagFileFormat? = nil, author: String? = nil, markPrivate: Bool = false,
        now: Date = Date()
    ) throws -> [TagImportResult] {
        let options = readOptions(author: author, markPrivate: markPrivate, now: now)
        let files = try TagFile.readAll(paths: paths, format: format, options: options)
        return try importFiles(files, author: author, now: now)
    }

    /// Imports files already read, in one transaction; duplicates are skipped and counted.
    @discardableResult
    public func importFiles(_ files: [TagFile], author: String? = nil, now: Date = Date()) throws -> [TagImportResult] {
        let created = TagTime.format(now)
        return try index.write { db in
            var results = [TagImportResult]()
            var seen = Set<TagIdentity>()
            for file in files {
                try db.execute(
                    sql: """
                        INSERT INTO tag_import(created, file, sha256, format, rows, skipped_duplicates, author)
                        VALUES (?, ?, ?, ?, ?, 0, ?)
                        """, arguments: [created, file.path, file.sha256, file.format.rawValue, file.tags.count, author])
                let batch = db.lastInsertedRowID
                var imported = 0, skipped = 0
                for located in file.tags {
                    let tag = located.tag
                    guard seen.insert(tag.identity).inserted, try !Self.isStored(tag, db) else {
                        skipped += 1
                        continue
                    }
                    try Self.insert(tag, batch: batch, db)
                    imported += 1
                }
                try db.execute(sql: "UPDATE tag_import SET skipped_duplicates = ? WHERE id = ?", arguments: [skipped, batch])
                results.append(
                    TagImportResult(
                        file: file.path, format: file.format, sha256: file.sha256, batch: batch,
                        rows: file.tags.count, imported: imported, skippedDuplicates: skipped))
            }
            return results
        }
    }

    /// Every tag, in the order stored.
    public func all() throws -> [StoredTag] {
        try index.read { db in try Self.fetch(db, sql: "SELECT * FROM tag ORDER BY id", arguments: []) }
    }

    /// The tags on any of these addresses, in the order stored.
    public func tags(addressKeys: [AddressKey]) throws -> [StoredTag] {
        let keys = Array(Set(addressKeys.map(\.storageBytes)))
        return try inChunks(keys) { chunk, db in
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            return try Self.fetch(
                db, sql: "SELECT * FROM tag WHERE address_key IN (\(marks))",
                arguments: StatementArguments(chunk.map { Data($0) }))
        }
    }

    /// The tags with these ids, in the order stored.
    public func tags(ids: [Int64]) throws -> [StoredTag] {
        try inChunks(Array(Set(ids))) { chunk, db in
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            return try Self.fetch(db, sql: "SELECT * FROM tag WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
        }
    }

    /// The tags on any of these clusters, in the order stored.
    public func tags(clusters: [Int64]) throws -> [StoredTag] {
        try inChunks(Array(Set(clusters))) { chunk, db in
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            return try Self.fetch(db, sql: "SELECT * FROM tag WHERE cluster IN (\(marks))", arguments: StatementArguments(chunk))
        }
    }

    /// The tags on one address given as text.
    /// - Throws: `AddressError` when it is not an address of this network.
    public func tags(address: String) throws -> [StoredTag] {
        try tags(addressKeys: [AddressKey.parse(address, network: network)])
    }

    /// The conflicts among the tags of one cluster (see ``TagConflictRules``).
    public func conflicts(_ tags: [StoredTag], cluster: Int64? = nil) -> [TagConflict] {
        TagConflictRules.conflicts(tags, cluster: cluster)
    }

    // MARK: - Rows

    /// Runs `query` over chunks of at most 500 values (SQLite's parameter limit is far above) and
    /// returns the rows sorted by id.
    private func inChunks<T>(_ values: [T], _ query: ([T], Database) throws -> [StoredTag]) throws -> [StoredTag] {
        guard !values.isEmpty else { return [] }
        return try index.read { db in
            var out = [StoredTag]()
            var start = 0
            while start < values.count {
                let end = min(start + 500, values.count)
                out += try query(Array(values[start..<end]), db)
                start = end
            }
            return out.sorted { $0.id < $1.id }
        }
    }

    private static func isStored(_ tag: Tag, _ db: Database) throws -> Bool {
        let sql: String, target: DatabaseValueConvertible
        switch tag.target {
        case .address(_, let key): (sql, target) = ("address_key = ?", Data(key.storageBytes))
        case .cluster(let id): (sql, target) = ("cluster = ?", id)
        }
        return try Bool.fetchOne(
            db, sql: "SELECT EXISTS(SELECT 1 FROM tag WHERE \(sql) AND label = ? AND category = ? AND source = ?)",
            arguments: [target, tag.label, tag.category.rawValue, tag.source]) ?? false
    }

    private static func insert(_ tag: Tag, batch: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO tag(address, address_key, cluster, label, category, source, confidence, context_url, case_ref, author,
                                created, private, import_batch)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                tag.target.address, tag.target.addressKey.map { Data($0.storageBytes) }, tag.target.cluster,
                tag.label, tag.category.rawValue, tag.source, tag.confidence.value, tag.context, tag.caseRef,
                tag.author, TagTime.format(tag.created), tag.isPrivate ? 1 : 0, batch,
            ])
    }

    private static func fetch(_ db: Database, sql: String, arguments: StatementArguments) throws -> [StoredTag] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map(storedTag)
    }

    private static func storedTag(_ row: Row) throws -> StoredTag {
        let id: Int64 = row["id"]
        func corrupt(_ reason: String) -> TagStoreError { .corruptRow(id: id, reason: reason) }
        let target: TagTarget
        if let blob = row["address_key"] as Data? {
            guard let key = AddressKey(storageBytes: [UInt8](blob)) else { throw corrupt("bad address_key") }
            guard let text = row["address"] as String? else { throw corrupt("address_key without address") }
            target = .address(text, key)
        } else if let cluster = row["cluster"] as Int64? {
            target = .cluster(cluster)
        } else {
            throw corrupt("no target")
        }
        let categoryText: String = row["category"]
        guard let category = TagCategory(rawValue: categoryText) else { throw corrupt("unknown category '\(categoryText)'") }
        guard let confidence = TagConfidence(row["confidence"] as Int) else { throw corrupt("confidence out of range") }
        let createdText: String = row["created"]
        guard let created = TagTime.parse(createdText) else { throw corrupt("bad created '\(createdText)'") }
        let tag = Tag(
            target: target, label: row["label"], category: category, source: row["source"], confidence: confidence,
            context: row["context_url"], caseRef: row["case_ref"], author: row["author"], created: created,
            isPrivate: (row["private"] as Int) != 0)
        return StoredTag(id: id, tag: tag, importBatch: row["import_batch"])
    }
}
