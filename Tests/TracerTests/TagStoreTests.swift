import ChainIndex
import Foundation
import GRDB
import Testing

@testable import Tracer

/// A regtest index of the samples chain (`samples/chain/blocks`), imported once and copied for
/// each test so tests can write to it independently.
enum SampleIndex {
    static let template: Result<String, any Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-tags-template-\(UUID().uuidString)").path
        let blocks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/chain/blocks").path
        let store = try IndexStore(dataDirectory: dir, create: true)
        _ = try Importer.run(ImportOptions(paths: [blocks]), store: store)
        try store.checkpoint()
        return dir
    }

    /// A fresh copy of the sample index in a new directory (removed by `Scratch`).
    static func copy() throws -> Scratch {
        let scratch = try Scratch()
        let source = IndexStore.databasePath(dataDirectory: try template.get())
        try FileManager.default.copyItem(atPath: source, toPath: IndexStore.databasePath(dataDirectory: scratch.path))
        return scratch
    }
}

/// A temporary directory removed when released.
final class Scratch {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-tags-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` here and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }
}

struct TagStoreTests {
    let watchlist = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples/chain/watchlist.csv").path

    /// Every row of the tag tables as text.
    static func dump(_ store: TagStore) throws -> [String] {
        try store.index.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT 'tag|' || quote(id) || '|' || quote(address) || '|' || quote(address_key) || '|' || quote(cluster) || '|' ||
                           label || '|' || category || '|' || source || '|' || confidence || '|' || quote(context_url) || '|' ||
                           quote(case_ref) || '|' || quote(author) || '|' || created || '|' || private || '|' || quote(import_batch)
                    FROM tag
                    UNION ALL
                    SELECT 'import|' || id || '|' || created || '|' || file || '|' || sha256 || '|' || format || '|' || rows || '|' ||
                           skipped_duplicates || '|' || quote(author) FROM tag_import
                    ORDER BY 1
                    """)
        }
    }

    @Test func importsTheWatchlistAndJoinsTheChainsAddresses() throws {
        let scratch = try SampleIndex.copy()
        let store = try TagStore(index: IndexStore(dataDirectory: scratch.path, create: false))
        #expect(store.network == .regtest)
        let results = try store.importFiles([watchlist], author: "tester", now: TagFixture.now)
        #expect(results.count == 1)
        #expect(results[0].rows == 21 && results[0].imported == 21 && results[0].skippedDuplicates == 0)
        #expect(results[0].format == .csv)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: watchlist)))
        #expect(results[0].sha256 == Hex.encode(Hashing.sha256(bytes)))

        // Tags join to the chain's address table on the key bytes.
        let joined = try store.index.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tag JOIN address ON address.key = tag.address_key") ?? 0
        }
        #expect(joined == 21)
        let recorded = try store.index.read { db in
            try Row.fetchOne(db, sql: "SELECT file, sha256, format, rows, skipped_duplicates, author FROM tag_import")
        }
        #expect(recorded?["sha256"] == results[0].sha256)
        #expect(recorded?["author"] == "tester")
        #expect(recorded?["rows"] == 21)

        let all = try store.all()
        #expect(all.count == 21)
        #expect(all.allSatisfy { $0.importBatch == results[0].batch && $0.tag.author == "tester" })
        #expect(all[0].tag.confidence.value == 90)
        #expect(all[0].tag.created == TagFixture.now)
    }

    @Test func aFileWithOneBadRowChangesNothing() throws {
        let scratch = try SampleIndex.copy()
        let store = try TagStore(index: IndexStore(dataDirectory: scratch.path, create: false))
        try store.importFiles([TagFixture.path("good.csv")], now: TagFixture.now)
        let before = try Self.dump(store)
        #expect(before.count == 5)

        // Good rows, then one bad one at line 4.
        let bad = try scratch.write(
            "bad-last.csv",
            """
            address,label,category,source,confidence
            bcrt1q5gsz75pk64w335lsyj538rcyf5fg8z7tynwexz,s2,abuse_seller,src,90
            bcrt1qd6lem9xudxr845qlmgcvq5wl7sy6nqmhwlyt8e,s2,abuse_seller,src,90
            bcrt1qd6lem9xudxr845qlmgcvq5wl7sy6nqmhwlyt8f,s2,abuse_seller,src,90

            """)
        do {
            try store.importFiles([bad], now: TagFixture.now)
            Issue.record("the bad file was imported")
        } catch let error as TagFileError {
            #expect(error.issues.count == 1)
            #expect(
                error.issues.first?.description.hasPrefix("\(bad):4: invalid address 'bcrt1qd6lem9xudxr845qlmgcvq5wl7sy6nqmhwlyt8f'")
                    == true)
        }
        #expect(try Self.dump(store) == before)

        // A good file next to a bad one: neither is imported.
        do {
            try store.importFiles([TagFixture.path("good.ndjson"), TagFixture.path("bad.yaml")], now: TagFixture.now)
            Issue.record("the bad file was imported")
        } catch let error as TagFileError {
            #expect(error.issues.allSatisfy { $0.path == TagFixture.path("bad.yaml") })
        }
        #expect(try Self.dump(store) == before)
    }

    @Test func duplicatesAreSkippedAndCounted() throws {
        let scratch = try SampleIndex.copy()
        let store = try TagStore(index: IndexStore(dataDirectory: scratch.path, create: false))
        let first = try store.importFiles([TagFixture.path("good.csv")], now: TagFixture.now)
        #expect(first[0].imported == 4 && first[0].skippedDuplicates == 0)
        let again = try store.importFiles([TagFixture.path("good.csv")], now: TagFixture.now)
        #expect(again[0].imported == 0 && again[0].skippedDuplicates == 4)
        #expect(again[0].batch != first[0].batch)
        #expect(try store.all().count == 4)

        // Same target, label, category and source, other confidence: a duplicate. Another source: not.
        let file = try scratch.write(
            "dups.json",
            """
            [{"address": "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3", "label": "synthetic-seller-1", "category": "abuse_seller",
              "source": "synthetic-hotline-case", "confidence": 10},
             {"address": "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3", "label": "synthetic-seller-1", "category": "abuse_seller",
              "source": "second source", "confidence": 10},
             {"address": "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3", "label": "synthetic-seller-1", "category": "abuse_seller",
              "source": "second source", "confidence": 20}]
            """)
        let third = try store.importFiles([file], now: TagFixture.now)
        #expect(third[0].rows == 3 && third[0].imported == 1 && third[0].skippedDuplicates == 2)
        let skipped = try store.index.read { db in
            try Int.fetchAll(db, sql: "SELECT skipped_duplicates FROM tag_import ORDER BY id")
        }
        #expect(skipped == [0, 4, 2])
    }

    @Test func lookupsByAddressKeyAndCluster() throws {
        let scratch = try SampleIndex.copy()
        let store = try TagStore(index: IndexStore(dataDirectory: scratch.path, create: false))
        let results = try store.importFiles([TagFixture.path("good.csv"), TagFixture.path("good.yaml")], now: TagFixture.now)
        // The TagPack's first tag repeats the CSV's first (same address, label, category, source).
        #expect(results.map(\.imported) == [4, 2] && results.map(\.skippedDuplicates) == [0, 1])
        let seller = try TagFixture.key("bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3")
        let mixer = try TagFixture.key("2N1H5vYEMaziAKk8yoV41kfJY72hms73Hc1")
        let byKey = try store.tags(addressKeys: [seller, mixer, seller])
        #expect(byKey.map(\.tag.label) == ["synthetic-seller-1", "synthetic-mixer"])
        #expect(byKey.map(\.id) == byKey.map(\.id).sorted())
        #expect(try store.tags(address: "BCRT1QNMFFTY2MKX5P4JM63ZQ5JKY8SUU9S8PZJEQXA3").count == 1)
        #expect(throws: AddressError.self) { try store.tags(address: "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa4") }
        let byCluster = try store.tags(clusters: [42, 43])
        #expect(byCluster.count == 1 && byCluster[0].tag.category == .marketplace)
        #expect(try store.tags(clusters: []).isEmpty && store.tags(addressKeys: []).isEmpty)

        // What was stored reads back as it was read from the file.
        let fromFile = try TagFixture.read("good.csv").map(\.tag) + TagFixture.read("good.yaml").dropFirst().map(\.tag)
        #expect(try store.all().map(\.tag) == fromFile)

        // Export and re-import into another index: nothing new.
        let exported = try scratch.write("export.json", TagWriter.json(try store.all().map(\.tag)))
        #expect(try store.importFiles([exported]).first?.imported == 0)
    }

    @Test func conflictsOfAClusterAreReported() throws {
        let scratch = try SampleIndex.copy()
        let store = try TagStore(index: IndexStore(dataDirectory: scratch.path, create: false))
        let file = try scratch.write(
            "cluster.csv",
            """
            cluster,address,label,category,source,confidence
            5,,Synthetic Exchange,exchange,feed,70
            ,bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3,synthetic-seller-1,abuse_seller,case,90

            """)
        try store.importFiles([file], now: TagFixture.now)
        // Cluster 5 holds the seller's address (membership comes from clustering; given here).
        let members = [try TagFixture.key("bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3")]
        let tags = try store.tags(clusters: [5]) + store.tags(addressKeys: members)
        let conflicts = store.conflicts(tags, cluster: 5)
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.rule == .actorAndService)
        #expect(conflicts.first?.first == .abuseSeller && conflicts.first?.second == .exchange)
        #expect(try store.all().count == 2)  // both kept: shown, not resolved
    }

    @Test func anEmptyIndexHasNoNetwork() throws {
        let scratch = try Scratch()
        let index = try IndexStore(dataDirectory: scratch.path, create: true)
        #expect(throws: TagStoreError.noNetwork(path: index.path)) { try TagStore(index: index) }
        let explicit = try TagStore(index: index, network: .regtest)
        #expect(try explicit.all().isEmpty)
    }
}
