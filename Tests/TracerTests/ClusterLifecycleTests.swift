import ChainIndex
import Foundation
import GRDB
import Testing
@testable import Tracer

// Clustering across the index's life: a reorg below the clustered tip forces a full run; a slice
// whose funding transactions arrive later is clustered when they do.

/// The records (`magic size block`) of a block file, in file order.
private func records(_ path: String) throws -> [[UInt8]] {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var out: [[UInt8]] = []
    var at = 0
    while at + 8 <= bytes.count {
        let size = Int(bytes[at + 4]) | Int(bytes[at + 5]) << 8 | Int(bytes[at + 6]) << 16 | Int(bytes[at + 7]) << 24
        guard size > 0, at + 8 + size <= bytes.count else { break }
        out.append(Array(bytes[at..<(at + 8 + size)]))
        at += 8 + size
    }
    return out
}

private func scratch() -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-cluster-life-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

@Suite(.serialized)
struct ClusterLifecycleTests {
    @Test func reorgBelowTheClusteredTipForcesAFullRun() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ChainIndexTests/Fixtures/real/synthetic-btcd-fork_0-4_plus_3A-5A.dat").path
        let all = try records(fixture)
        #expect(all.count == 8)   // 0–4, then the fork 3A–5A
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let main = dir.appendingPathComponent("main.dat").path, side = dir.appendingPathComponent("side.dat").path
        try Data(all[0...4].flatMap { $0 }).write(to: URL(fileURLWithPath: main))
        try Data(all[5...7].flatMap { $0 }).write(to: URL(fileURLWithPath: side))
        let store = try IndexStore(dataDirectory: dir.appendingPathComponent("index").path, create: true)
        _ = try Importer.run(ImportOptions(paths: [main]), store: store)
        let rules = StandardRules.make()
        #expect(try ClusterEngine(store: store, rules: rules).run().mode == "full")
        #expect(try ClusterEngine(store: store, rules: rules).run().mode == "incremental")
        let reorg = try Importer.run(ImportOptions(paths: [side]), store: store)
        #expect(reorg.rolledBack == 2)
        let after = try ClusterEngine(store: store, rules: rules).run()
        #expect(after.mode == "full")
        #expect(after.reason?.contains("blocks were removed") == true)
        // Parameters that change links force a full run too; the review threshold does not.
        #expect(try ClusterEngine(store: store, rules: StandardRules.make(suspiciousSize: 7)).run().mode == "incremental")
        let noChange = try ClusterEngine(store: store, rules: StandardRules.make(change: false)).run()
        #expect(noChange.mode == "full" && noChange.reason == "the parameters changed")
    }

    @Test func anIndexClusteredBeforeBlocksRemovedWasCountedKeepsItsClusters() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ChainIndexTests/Fixtures/real/synthetic-btcd-fork_0-4_plus_3A-5A.dat").path
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try IndexStore(dataDirectory: dir.appendingPathComponent("index").path, create: true)
        _ = try Importer.run(ImportOptions(paths: [fixture]), store: store)
        let rules = StandardRules.make()
        #expect(try ClusterEngine(store: store, rules: rules).run().mode == "full")
        // The progress table as an older version wrote it, without `blocks_removed`.
        try store.write { db in try db.execute(sql: "ALTER TABLE cluster_progress DROP COLUMN blocks_removed") }
        let again = try ClusterEngine(store: store, rules: rules).run()
        #expect(again.mode == "incremental", "the column is added with 0, which is what the index has removed since")
        let columns = try store.read { db in try Row.fetchAll(db, sql: "PRAGMA table_info(cluster_progress)").map { $0["name"] as String } }
        #expect(columns.contains("blocks_removed"))
    }

    @Test func sliceTransactionsWaitForTheirFundingTransactions() throws {
        let chain = try ClusteredSynthChain.get()
        let late = Array(chain.allFiles.suffix(2)), early = Array(chain.allFiles.dropLast(2))
        let dir = scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try IndexStore(dataDirectory: dir.path, create: true)
        var slice = ImportOptions(paths: late)
        slice.slice = true
        _ = try Importer.run(slice, store: store)
        let rules = StandardRules.make()
        let first = try ClusterEngine(store: store, rules: rules).run()
        #expect(first.pending > 0)
        let waiting = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cluster_pending") ?? 0 }
        #expect(waiting == first.pending)

        _ = try Importer.run(ImportOptions(paths: early + late), store: store)
        #expect(try store.status().unresolvedInputs == 0)
        let second = try ClusterEngine(store: store, rules: rules).run()
        #expect(second.mode == "incremental" && second.pending == 0)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cluster_pending") ?? -1 } == 0)
        let incremental = (try exportedClusters(store, .strict), try exportedClusters(store, .extended))

        // The same index clustered in one full run gives the same clusters and ids.
        _ = try ClusterEngine(store: store, rules: rules).run(rebuild: true)
        #expect(try exportedClusters(store, .strict) == incremental.0)
        #expect(try exportedClusters(store, .extended) == incremental.1)
        // And the same partition as an index imported in chain order (ids may differ: address ids
        // follow import order).
        let (ordered, orderedDir) = try chain.index(chain.allFiles)
        defer { try? FileManager.default.removeItem(at: orderedDir) }
        _ = try ClusterEngine(store: ordered, rules: rules).run()
        #expect(partition(try exportedClusters(ordered, .strict)) == partition(incremental.0))
    }
}

/// A clustering as a set of address sets (ids ignored).
func partition(_ clusters: [String: Int64]) -> Set<Set<String>> {
    var groups: [Int64: Set<String>] = [:]
    for (a, c) in clusters { groups[c, default: []].insert(a) }
    return Set(groups.values)
}
