import ChainIndex
import Foundation
import GRDB
import Testing
@testable import Tracer

// Forward traces from buyers on a synthetic chain with ground truth: `truth/payments.ndjson` lists
// every buyer→seller payment with its path (the transaction that gave the buyer the coins first,
// the payment last). A trace from the buyer's coin must reach the payment output within the
// path's number of hops (`TruthPayment`: SellerPaymentsTests.swift).

@Suite(.serialized)
struct TraceSynthTests {
    @Test func forwardTracesFromBuyersReachTheSeller() throws {
        let chain = try ClusteredSynthChain.get()
        let (store, dir) = try chain.index(chain.allFiles)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ClusterEngine(store: store, rules: StandardRules.make()).run()
        _ = try TagStore(index: store).importFiles([chain.blocks.deletingLastPathComponent().appendingPathComponent("watchlist.csv").path],
                                                   format: nil, author: nil, markPrivate: false)
        let text = try String(contentsOf: chain.truth.appendingPathComponent("payments.ndjson"), encoding: .utf8)
        let payments = try text.split(separator: "\n").map { try JSONDecoder().decode(TruthPayment.self, from: Data($0.utf8)) }
        let network = try #require(try store.network())
        var eligible = [0, 0, 0, 0], reached = [0, 0, 0, 0], attributed = 0
        for p in payments where p.path.count >= 2 {
            // The buyer's coin: the output of path[0] that path[1] spends.
            let next = try store.transaction(p.path[1])
            guard let coin = next.inputs.compactMap(\.prevout).first(where: { $0.hasPrefix(p.path[0] + ":") }) else { continue }
            let hops = p.path.count - 1
            let target = "\(p.txid):\(p.vout)"
            for k in 1...3 where hops <= k {
                eligible[k] += 1
                let result = try store.read { db in
                    let graph = try IndexFlowGraph(db: db, network: network, layer: .strict)
                    return try TraceEngine(graph: graph, parameters: TraceParameters(maxHops: k, maxNodes: 50_000))
                        .run(try graph.start(for: coin), tipHeight: nil, tipHash: nil)
                }
                if result.nodes.first(where: { $0.outpoint == target }) == nil, k == 3 {
                    let stops = Set(result.nodes.compactMap { $0.stop?.rawValue })
                    let mixed = try p.path.contains { try ClusterQueries(store: store).coinJoin(txid: $0)?.multiParty == true }
                    // The trace stops at CoinJoins ("entered mixer"): that is the only accepted miss.
                    #expect(mixed && stops.contains("coinjoin"), "missed \(target) (\(hops) hops) without a CoinJoin on its path")
                }
                if let node = result.nodes.first(where: { $0.outpoint == target }) {
                    reached[k] += 1
                    #expect(node.hop <= hops)
                    if k == 3, node.stop == .attributed {
                        attributed += 1
                        #expect(node.endpoint?.categories.contains("abuse_seller") == true)
                        #expect(result.paths.contains { $0.steps.last?.outpoint == target })
                    }
                }
            }
        }
        for k in 1...3 {
            print("recall within \(k) hop(s): \(reached[k]) of \(eligible[k]) payments (\(eligible[k] == 0 ? 0 : 100 * reached[k] / eligible[k]) %)")
        }
        print("reached payments whose seller cluster is tagged: \(attributed)")
        #expect(eligible[1] > 10 && eligible[3] > eligible[1])
        for k in 1...3 { #expect(Double(reached[k]) >= 0.9 * Double(eligible[k])) }
        #expect(attributed > 0)
    }
}
