import ChainIndex
import ChainSynth
import Foundation
import GRDB
import Testing
@testable import Tracer

// Clustering against a synthetic chain whose owners are known (`truth/addresses.csv`): pairwise
// precision and recall of both layers, CoinJoin participants kept apart, incremental runs equal to
// a full run with the same cluster ids, and `cluster explain` checked link by link against the
// transactions themselves.

/// A synthetic chain imported in two parts (the first files, then the rest), generated once.
struct ClusteredSynthChain: Sendable {
    let blocks: URL
    let truth: URL
    let firstFiles: [String]
    let allFiles: [String]

    static let config: SynthConfig = {
        var c = SynthConfig()
        c.blocks = 360
        c.txPerBlock = 40
        c.seed = 11
        c.maxFileSize = 1 << 20   // several files, in chain order (no shuffle, no stale blocks)
        return c
    }()

    static let shared: Result<ClusteredSynthChain, SynthError> = {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-cluster-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: base)
        do throws(SynthError) {
            _ = try ChainSynthesizer.generate(config, to: base)
        } catch {
            return .failure(error)
        }
        let blocks = base.appendingPathComponent("blocks")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: blocks.path)) ?? [])
            .filter { $0.hasPrefix("blk") }.sorted().map { blocks.appendingPathComponent($0).path }
        return .success(ClusteredSynthChain(blocks: blocks, truth: base.appendingPathComponent("truth"),
                                            firstFiles: Array(files.prefix(max(1, files.count - 2))), allFiles: files))
    }()

    static func get() throws -> ClusteredSynthChain { try shared.get() }

    /// A fresh index holding `files`.
    func index(_ files: [String]) throws -> (IndexStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-cluster-index-\(UUID().uuidString)")
        let store = try IndexStore(dataDirectory: dir.path, create: true)
        _ = try Importer.run(ImportOptions(paths: files), store: store)
        return (store, dir)
    }

    /// address → entity id, from the truth.
    func owners() throws -> [String: Int] {
        var out: [String: Int] = [:]
        let text = try String(contentsOf: truth.appendingPathComponent("addresses.csv"), encoding: .utf8)
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            guard f.count >= 2, let e = Int(f[1]) else { continue }
            out[String(f[0])] = e
        }
        return out
    }

    /// txid → CoinJoin kind, from the truth.
    func coinJoins() throws -> [String: String] {
        var out: [String: String] = [:]
        let text = try String(contentsOf: truth.appendingPathComponent("coinjoins.csv"), encoding: .utf8)
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            if f.count == 2 { out[String(f[0])] = String(f[1]) }
        }
        return out
    }
}

/// address → cluster, from `cluster export`.
func exportedClusters(_ store: IndexStore, _ layer: ClusterLayer) throws -> [String: Int64] {
    var text = ""
    _ = try ClusterQueries(store: store).export(layer: layer, ndjson: false) { text += $0 }
    var out: [String: Int64] = [:]
    for line in text.split(separator: "\n").dropFirst() {
        let f = line.split(separator: ",")
        if f.count == 2, let c = Int64(f[1]) { out[String(f[0])] = c }
    }
    return out
}

/// Pairwise precision and recall of a clustering against the owners, over addresses in both.
func pairwiseScores(_ clusters: [String: Int64], _ owners: [String: Int]) -> (precision: Double, recall: Double, predicted: Int, truePairs: Int) {
    var byCluster: [Int64: [Int: Int]] = [:]
    var byOwner: [Int: Int] = [:]
    for (address, c) in clusters {
        guard let e = owners[address] else { continue }
        byCluster[c, default: [:]][e, default: 0] += 1
        byOwner[e, default: 0] += 1
    }
    func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
    var predicted = 0, correct = 0
    for owners in byCluster.values {
        predicted += pairs(owners.values.reduce(0, +))
        correct += owners.values.map(pairs).reduce(0, +)
    }
    let truth = byOwner.values.map(pairs).reduce(0, +)
    return (predicted == 0 ? 1 : Double(correct) / Double(predicted), truth == 0 ? 1 : Double(correct) / Double(truth), predicted, truth)
}

@Suite(.serialized)
struct ClusterSynthTests {
    @Test func strictLayerIsPreciseAndCoinJoinsStayApart() throws {
        let chain = try ClusteredSynthChain.get()
        let (store, dir) = try chain.index(chain.allFiles)
        defer { try? FileManager.default.removeItem(at: dir) }
        let summary = try ClusterEngine(store: store, rules: StandardRules.make()).run()
        #expect(summary.mode == "full")
        let owners = try chain.owners()
        let strict = try exportedClusters(store, .strict)
        let extended = try exportedClusters(store, .extended)
        let s = pairwiseScores(strict, owners), e = pairwiseScores(extended, owners)
        print("strict: precision \(s.precision) recall \(s.recall) (\(s.predicted) predicted pairs, \(s.truePairs) true pairs)")
        print("extended: precision \(e.precision) recall \(e.recall) (\(e.predicted) predicted pairs)")
        #expect(s.precision >= 0.999)
        #expect(s.recall > 0.05)
        #expect(e.recall >= s.recall)
        #expect(e.predicted >= s.predicted)

        // Every truth CoinJoin was flagged, and no two inputs of different owners share a cluster.
        let truthCoinJoins = try chain.coinJoins()
        #expect(truthCoinJoins.count > 5)
        let queries = try ClusterQueries(store: store)
        for (txid, kind) in truthCoinJoins where kind != "tx0" && kind != "whirlpool_tx0" {
            let flag = try queries.coinJoin(txid: txid)
            #expect(flag?.multiParty == true, "truth CoinJoin \(txid) (\(kind)) not flagged as multi-party")
            let tx = try store.transaction(txid)
            var clusterOwner: [Int64: Int] = [:]
            for input in tx.inputs {
                guard let a = input.address, let owner = owners[a], let c = strict[a] else { continue }
                if let other = clusterOwner[c] {
                    #expect(other == owner, "CoinJoin \(txid): inputs of owners \(other) and \(owner) share cluster \(c)")
                }
                clusterOwner[c] = owner
            }
        }
    }

    @Test func incrementalRunMatchesFullRunWithStableIds() throws {
        let chain = try ClusteredSynthChain.get()
        #expect(chain.firstFiles.count < chain.allFiles.count)
        let (store, dir) = try chain.index(chain.firstFiles)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = StandardRules.make(suspiciousSize: 20)
        let first = try ClusterEngine(store: store, rules: rules).run()
        let before = try exportedClusters(store, .strict)
        _ = try Importer.run(ImportOptions(paths: chain.allFiles), store: store)
        let second = try ClusterEngine(store: store, rules: rules).run()
        #expect(second.mode == "incremental")
        #expect(second.transactions > 0 && second.transactions < first.transactions)
        let incremental = (try exportedClusters(store, .strict), try exportedClusters(store, .extended))

        let (fullStore, fullDir) = try chain.index(chain.allFiles)
        defer { try? FileManager.default.removeItem(at: fullDir) }
        _ = try ClusterEngine(store: fullStore, rules: rules).run()
        let full = (try exportedClusters(fullStore, .strict), try exportedClusters(fullStore, .extended))
        #expect(incremental.0 == full.0)
        #expect(incremental.1 == full.1)
        // An address clustered before keeps its cluster id unless its cluster merged with an older one.
        var moved = 0
        for (a, c) in before where incremental.0[a] != c {
            #expect((incremental.0[a] ?? .max) < c, "\(a) moved from \(c) to a newer cluster \(incremental.0[a] ?? -1)")
            moved += 1
        }
        print("addresses whose cluster merged into an older one: \(moved) of \(before.count)")
        // Merges of stored clusters are recorded, and `show cluster` lists what merged into it.
        let merges = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM cluster_merge WHERE run = ?", arguments: [second.run]) ?? 0 }
        #expect((moved > 0) == (merges > 0))
        // A third run with nothing new changes nothing.
        let third = try ClusterEngine(store: store, rules: rules).run()
        #expect(third.transactions == 0 && third.strictLinks == 0)
        #expect(try exportedClusters(store, .strict) == incremental.0)
    }

    @Test func explainGivesAVerifiableChainOfTransactions() throws {
        let chain = try ClusteredSynthChain.get()
        let (store, dir) = try chain.index(chain.allFiles)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ClusterEngine(store: store, rules: StandardRules.make()).run()
        let queries = try ClusterQueries(store: store)
        let strict = try exportedClusters(store, .strict)
        var members: [Int64: [String]] = [:]
        for (a, c) in strict { members[c, default: []].append(a) }
        // The biggest cluster: explain its first address against every other until a multi-hop chain appears.
        let biggest = try #require(members.max { $0.value.count < $1.value.count })
        #expect(biggest.value.count >= 3)
        let sorted = biggest.value.sorted()
        var longest = 0
        for other in sorted.dropFirst().prefix(40) {
            let e = try queries.explain(sorted[0], other, layer: .strict)
            #expect(e.linked)
            #expect(e.steps.first?.from == sorted[0] && e.steps.last?.to == other)
            for (s, t) in zip(e.steps, e.steps.dropFirst()) { #expect(s.to == t.from) }
            for step in e.steps {
                // Each step checked against the transaction as the chain index shows it.
                switch step.rule {
                case LinkRule.coSpend.rawValue:
                    let tx = try store.transaction(try #require(step.txid))
                    let inputs = Set(tx.inputs.compactMap(\.address))
                    #expect(inputs.contains(step.from) && inputs.contains(step.to), "co-spend step not backed by tx \(step.txid ?? "")")
                    #expect(try queries.coinJoin(txid: tx.txid)?.multiParty != true)
                default:
                    #expect(step.rule.hasPrefix("same_key"), "unexpected strict rule \(step.rule)")
                }
            }
            longest = max(longest, e.steps.count)
        }
        #expect(longest >= 2, "no multi-hop explanation found")

        // The extended layer: a change link is explained with its transaction and heuristics; the
        // change address is an output and the other an input of that transaction.
        let changeLinks = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT a, b FROM cluster_link WHERE layer = 1 AND rule = 'change' ORDER BY id LIMIT 20")
        }
        #expect(!changeLinks.isEmpty)
        let network = try #require(try store.network())
        var strictApart = 0
        for link in changeLinks {
            let a = try #require(try store.read { db in try store.renderAddress(db, link[0], network) })
            let b = try #require(try store.read { db in try store.renderAddress(db, link[1], network) })
            let e = try queries.explain(a, b, layer: .extended)
            #expect(e.linked)
            let change = try #require(e.steps.first { $0.rule == LinkRule.change.rawValue })
            #expect(change.detail?.isEmpty == false)
            let tx = try store.transaction(try #require(change.txid))
            let ins = Set(tx.inputs.compactMap(\.address)), outs = Set(tx.outputs.compactMap(\.address))
            #expect((ins.contains(change.from) && outs.contains(change.to)) || (ins.contains(change.to) && outs.contains(change.from)))
            if try !queries.explain(a, b, layer: .strict).linked { strictApart += 1 }
        }
        #expect(strictApart > 0, "change links should join addresses the strict layer keeps apart")
        // Two addresses of different clusters are not linked.
        let otherCluster = try #require(members.first { $0.key != biggest.key })
        let apart = try queries.explain(sorted[0], otherCluster.value[0], layer: .strict)
        #expect(!apart.linked && apart.steps.isEmpty && apart.clusterA != apart.clusterB)
    }

    @Test func largeMergesAreListedForReview() throws {
        let chain = try ClusteredSynthChain.get()
        let (store, dir) = try chain.index(chain.allFiles)
        defer { try? FileManager.default.removeItem(at: dir) }
        let none = try ClusterEngine(store: store, rules: StandardRules.make(suspiciousSize: 1_000_000)).run()
        #expect(none.suspiciousMerges == 0)
        #expect(try ClusterQueries(store: store).suspicious().isEmpty)
        let some = try ClusterEngine(store: store, rules: StandardRules.make(suspiciousSize: 4)).run()
        #expect(some.mode == "incremental")  // the review threshold does not change the clusters
        let rebuilt = try ClusterEngine(store: store, rules: StandardRules.make(suspiciousSize: 4)).run(rebuild: true)
        #expect(rebuilt.suspiciousMerges > 0)
        let listed = try ClusterQueries(store: store).suspicious()
        #expect(listed.count == rebuilt.suspiciousMerges)
        for m in listed {
            #expect(m.keptSize >= 4 && m.absorbedSize >= 4)
            #expect(m.kept < m.absorbed)  // the older id is kept
        }
    }
}
