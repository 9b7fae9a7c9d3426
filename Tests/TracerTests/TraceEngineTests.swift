import Testing
@testable import Tracer

// The trace engine on a hand-built graph where every model's answer is worked out by hand.
//
//   T0: Z(500, exchange 8)                      → X 400 (D, cluster 4), Z2 90 (cluster 8); fee 10
//   T1: coinbase                                → S 1000 (A, cluster 1: the subject)
//   T2: S                                       → P1 600 (B, cluster 2), P2 350 (C, cluster 3); fee 50   (split, fee)
//   T3: P1 + X                                  → Q1 700 (E, cluster 5: seller), Q2 250 (F, cluster 6); fee 50 (merge)
//   T4: P2                                      → R1 300 (G, cluster 7: exchange), R2 40 (C2, cluster 3); fee 10 (exchange)
//   T5: Q2 + M                                  → CoinJoin (wasabi2)
//   T6: R2                                      → L 35 (A, cluster 1: back to the subject; a loop); fee 5
//   T7: coinbase                                → Z 500 (cluster 8), M 250 (cluster 9)
// Output ids: S=1 P1=2 P2=3 Q1=4 Q2=5 R1=6 R2=7 L=8 X=9 Z2=10 Z=11 M=12 J1=13 J2=14.

/// A transaction graph held in memory.
struct MemoryGraph: FlowGraph {
    var txs: [Int64: FlowTx] = [:]
    var clusters: [Int64: Int64] = [:]      // address → cluster
    var endpoints: [Int64: FlowEndpoint] = [:]

    func transaction(_ id: Int64) throws -> FlowTx {
        guard let t = txs[id] else { throw TraceError.subjectNotFound("tx \(id)") }
        return t
    }
    func creator(ofOutput output: Int64) throws -> Int64 {
        guard let t = txs.values.first(where: { $0.outputs.contains { $0.output == output } }) else { throw TraceError.outputNotFound(output) }
        return t.id
    }
    func spender(ofOutput output: Int64) throws -> Int64? {
        txs.values.first { $0.inputs.contains { $0?.output == output } }?.id
    }
    func cluster(ofAddress address: Int64) throws -> Int64 { clusters[address] ?? address }
    func endpoint(ofCluster cluster: Int64) throws -> FlowEndpoint? { endpoints[cluster] }
    func addressText(_ address: Int64) throws -> String { "addr\(address)" }
}

/// Address ids equal cluster ids here except C2 (address 30, cluster 3).
private func coin(_ output: Int64, _ value: Int64, _ address: Int64) -> FlowCoin { FlowCoin(output: output, value: value, address: address) }

let handGraph: MemoryGraph = {
    var g = MemoryGraph()
    func tx(_ id: Int64, time: Int64, coinJoin: String? = nil, coinbase: Bool = false, _ inputs: [FlowCoin], _ outputs: [FlowCoin]) {
        g.txs[id] = FlowTx(id: id, txid: String(repeating: String(id), count: 64).prefix(64).description, height: Int(id), time: time,
                           isCoinbase: coinbase, coinJoin: coinJoin, inputs: inputs, outputs: outputs)
    }
    let S = coin(1, 1000, 1), P1 = coin(2, 600, 2), P2 = coin(3, 350, 3), Q1 = coin(4, 700, 5), Q2 = coin(5, 250, 6)
    let R1 = coin(6, 300, 7), R2 = coin(7, 40, 30), L = coin(8, 35, 1), X = coin(9, 400, 4), Z2 = coin(10, 90, 8)
    let Z = coin(11, 500, 8), M = coin(12, 250, 9)
    tx(7, time: 700, coinbase: true, [], [Z, M])
    tx(10, time: 1000, [Z], [X, Z2])                      // T0
    tx(1, time: 1100, coinbase: true, [], [S])            // T1
    tx(2, time: 1200, [S], [P1, P2])                      // T2
    tx(3, time: 1300, [P1, X], [Q1, Q2])                  // T3
    tx(4, time: 1400, [P2], [R1, R2])                     // T4
    tx(5, time: 1500, coinJoin: "wasabi2", [Q2, M], [coin(13, 245, 40), coin(14, 245, 41)])  // T5
    tx(6, time: 1600, [R2], [L])                          // T6
    g.clusters[30] = 3
    g.endpoints[5] = FlowEndpoint(categories: ["abuse_seller"], labels: ["seller-e"])
    g.endpoints[7] = FlowEndpoint(categories: ["exchange"], labels: ["exchange-g"])
    g.endpoints[8] = FlowEndpoint(categories: ["exchange"], labels: ["exchange-z"])
    return g
}()

private func trace(_ output: Int64, _ direction: TraceDirection, _ model: TaintModel, maxHops: Int = 6, minValue: Int64 = 0,
                   notAfter: Int64? = nil) throws -> TraceResult {
    let p = TraceParameters(direction: direction, model: model, maxHops: maxHops, minValue: minValue, notAfter: notAfter)
    return try TraceEngine(graph: handGraph, parameters: p).run(TraceStart(description: "test", outputs: [output], ownClusters: [1]),
                                                                  tipHeight: 10, tipHash: nil)
}

private func node(_ r: TraceResult, tx: Int, vout: Int) -> TraceNode? {
    r.nodes.first { $0.outpoint.hasPrefix(String(repeating: String(tx), count: 64).prefix(64)) && $0.outpoint.hasSuffix(":\(vout)") }
}

struct TraceEngineTests {
    @Test func haircutForward() throws {
        let r = try trace(1, .forward, .haircut)
        // T2: 600 and 350, fee 50. T3: share 600/1000 → Q1 420 (seller), Q2 150, fee 30.
        // T4: 300 (exchange), 40, fee 10. T5 CoinJoin: Q2's 150 entered the mixer. T6: L 35, fee 5.
        #expect(node(r, tx: 2, vout: 0)?.amount == 600 && node(r, tx: 2, vout: 1)?.amount == 350)
        #expect(node(r, tx: 3, vout: 0)?.amount == 420 && node(r, tx: 3, vout: 0)?.stop == .attributed)
        #expect(node(r, tx: 3, vout: 1)?.amount == 150 && node(r, tx: 3, vout: 1)?.stop == .coinJoin)
        #expect(node(r, tx: 3, vout: 1)?.coinJoin == "wasabi2")
        #expect(node(r, tx: 4, vout: 0)?.amount == 300 && node(r, tx: 4, vout: 0)?.stop == .attributed)
        #expect(node(r, tx: 6, vout: 0)?.amount == 35 && node(r, tx: 6, vout: 0)?.stop == .unspent)
        #expect(r.reachedByCategory == ["abuse_seller": 420, "exchange": 300])
        #expect(r.fees == 95)
        // Conservation: 420 + 300 + 150 (mixer) + 35 (unspent) + 95 (fees) = 1000.
        #expect(r.startAmount == 1000)
        // The path to the seller: S → P1 → Q1.
        let seller = try #require(r.paths.first { $0.categories == ["abuse_seller"] })
        #expect(seller.hops == 2 && seller.amount == 420)
        #expect(seller.steps.map(\.amount) == [1000, 600, 420])
        #expect(seller.steps.first?.outpoint.hasSuffix(":0") == true)
        // Wallet view: cluster 1 → 2 → 5 carries 600 then 420; internal 3 → 3 is left out.
        #expect(r.walletEdges.contains { $0.from == 2 && $0.to == 5 && $0.amount == 420 && $0.txids.count == 1 })
        #expect(r.walletEdges.contains { $0.from == 3 && $0.to == 1 && $0.amount == 35 })
        #expect(!r.walletEdges.contains { $0.from == $0.to })
        // The exchange on the path (T4) ended the trace there: nothing spent from R1 was followed.
        #expect(!r.edges.contains { $0.from == node(r, tx: 4, vout: 0)?.outpoint })
    }

    @Test func poisonForward() throws {
        let r = try trace(1, .forward, .poison)
        #expect(r.reachedByCategory == ["abuse_seller": 700, "exchange": 300])
        #expect(node(r, tx: 3, vout: 1)?.amount == 250)
        #expect(node(r, tx: 6, vout: 0)?.amount == 35)
    }

    @Test func fifoForward() throws {
        let r = try trace(1, .forward, .fifo)
        // T3: P1 is the first input: [0,600) of Q1 [0,700) → 600; Q2 clean (never reached, so no
        // CoinJoin). T4: R1 300, R2 40, fee 10. T6: L 35, fee 5. Fees: 50 + 10 + 5.
        #expect(r.reachedByCategory == ["abuse_seller": 600, "exchange": 300])
        #expect(node(r, tx: 3, vout: 1) == nil)
        #expect(r.fees == 65)
    }

    @Test func backwardModels() throws {
        // Where did the seller's Q1 (700) come from?
        let h = try trace(4, .backward, .haircut)
        // T3: P1 700×0.6 = 420, X 700×0.4 = 280. P1 ← S 420 ← coinbase. X ← Z (exchange) 280.
        #expect(node(h, tx: 2, vout: 0)?.amount == 420)
        #expect(node(h, tx: 1, vout: 0)?.amount == 420 && node(h, tx: 1, vout: 0)?.stop == .coinbase)
        #expect(node(h, tx: 7, vout: 0)?.amount == 280 && node(h, tx: 7, vout: 0)?.stop == .attributed)
        #expect(h.reachedByCategory == ["exchange": 280])
        let path = try #require(h.paths.first)
        #expect(path.steps.map(\.amount) == [280, 280, 700])   // source first: Z → X → Q1
        let p = try trace(4, .backward, .poison)
        #expect(p.reachedByCategory == ["exchange": 500])
        let f = try trace(4, .backward, .fifo)
        // FIFO: Q1 [0,700) ← P1 [0,600) and X [0,100); X [0,100) ← Z [0,100).
        #expect(f.reachedByCategory == ["exchange": 100])
        #expect(node(f, tx: 2, vout: 0)?.amount == 600)
        // From the mixer's output: came from a CoinJoin.
        let j = try trace(13, .backward, .haircut)
        #expect(node(j, tx: 5, vout: 0)?.stop == .coinJoin)
    }

    @Test func limits() throws {
        let one = try trace(1, .forward, .haircut, maxHops: 1)
        #expect(one.nodes.count == 3 && one.reachedByCategory.isEmpty)
        #expect(node(one, tx: 2, vout: 0)?.stop == .hopLimit)
        // Flows under 200 sat are not followed: Q2 (150) and R2 (40) never appear.
        let big = try trace(1, .forward, .haircut, minValue: 200)
        #expect(node(big, tx: 3, vout: 1) == nil && node(big, tx: 4, vout: 1) == nil)
        #expect(big.reachedByCategory == ["abuse_seller": 420, "exchange": 300])
        // Time window: T3 (time 1300) is outside → P1 stops there.
        let early = try trace(1, .forward, .haircut, notAfter: 1250)
        #expect(node(early, tx: 2, vout: 0)?.stop == .timeWindow)
        #expect(early.reachedByCategory["abuse_seller"] == nil)
    }
}

// A peel chain: the subject's coin pays out a little at each step and keeps the change, and a
// clean coin K joins at the second step.
//
//   P0: coinbase → C0 10000 (subject, cluster 101)
//   P1: C0       → pay1 1000 (seller, cluster 201), C1 8990 (change, 101); fee 10
//   P2: C1 + K   → pay2 2000 (exchange, cluster 202), C2 7990 (101); fee 10      K = 1010 (clean, cluster 301)
//   P3: C2       → pay3 500 (untagged, cluster 203), C3 7480 (101); fee 10
let peelGraph: MemoryGraph = {
    var g = MemoryGraph()
    func tx(_ id: Int64, coinbase: Bool = false, _ inputs: [FlowCoin], _ outputs: [FlowCoin]) {
        g.txs[id] = FlowTx(id: id, txid: String(repeating: String(id % 10), count: 63) + "f", height: Int(id), time: 2000 + id,
                           isCoinbase: coinbase, inputs: inputs, outputs: outputs)
    }
    let c0 = FlowCoin(output: 100, value: 10000, address: 101), k = FlowCoin(output: 110, value: 1010, address: 301)
    let pay1 = FlowCoin(output: 101, value: 1000, address: 201), c1 = FlowCoin(output: 102, value: 8990, address: 1011)
    let pay2 = FlowCoin(output: 103, value: 2000, address: 202), c2 = FlowCoin(output: 104, value: 7990, address: 1012)
    let pay3 = FlowCoin(output: 105, value: 500, address: 203), c3 = FlowCoin(output: 106, value: 7480, address: 1013)
    tx(10, coinbase: true, [], [c0])
    tx(9, coinbase: true, [], [k])
    tx(11, [c0], [pay1, c1])
    tx(12, [c1, k], [pay2, c2])
    tx(13, [c2], [pay3, c3])
    for change in [1011, 1012, 1013] as [Int64] { g.clusters[change] = 101 }
    g.endpoints[201] = FlowEndpoint(categories: ["abuse_seller"], labels: ["seller"])
    g.endpoints[202] = FlowEndpoint(categories: ["exchange"], labels: ["exchange"])
    return g
}()

struct PeelChainTests {
    func run(_ model: TaintModel, maxHops: Int = 6) throws -> [Int64: Int64] {
        let r = try TraceEngine(graph: peelGraph, parameters: TraceParameters(model: model, maxHops: maxHops))
            .run(TraceStart(description: "C0", outputs: [100], ownClusters: [101]), tipHeight: nil, tipHash: nil)
        var out: [Int64: Int64] = [:]
        for n in r.nodes { if let c = n.cluster { out[c * 10 + Int64(n.hop), default: 0] += n.amount } }
        return out
    }

    @Test func everyModelAlongThePeelChain() throws {
        // cluster*10 + hop → amount. Hop 1: pay1 and C1; hop 2: pay2 and C2; hop 3: pay3 and C3.
        // Poison: every output in full.
        #expect(try run(.poison) == [1010: 10000, 2011: 1000, 1011: 8990, 2022: 2000, 1012: 7990, 2033: 500, 1013: 7480])
        // Haircut: P2's tainted share 8990/10000 = 0.899: pay2 1798, C2 7183.01; P3: pay3 449.5 → 449,
        // C3 6724.52 → 6724.
        #expect(try run(.haircut) == [1010: 10000, 2011: 1000, 1011: 8990, 2022: 1798, 1012: 7183, 2033: 449, 1013: 6724])
        // FIFO: P2 lays C1 [0,8990) before K: pay2 [0,2000) all tainted; C2 [2000,9990) tainted up to
        // 8990 = 6990; the fee is K's. P3: pay3 [0,500) tainted; C3 [500,7980) tainted up to 6990 = 6490.
        #expect(try run(.fifo) == [1010: 10000, 2011: 1000, 1011: 8990, 2022: 2000, 1012: 6990, 2033: 500, 1013: 6490])
        // Two hops: P3 is never crossed.
        #expect(try run(.haircut, maxHops: 2)[2033] == nil)
    }
}

/// A slice transaction with an input whose funding output is not in the index. With the value
/// an explorer's prevout gives, the forward haircut divides by the whole input value; without it,
/// the unknown input counts as 0 and the tainted input would seem to fund every output in full.
struct ExternalInputValueTests {
    static func graph(external: Int64?) -> MemoryGraph {
        var g = MemoryGraph()
        let s = FlowCoin(output: 1, value: 1000, address: 1)
        g.txs[1] = FlowTx(id: 1, txid: String(repeating: "1", count: 64), height: 1, time: 100, isCoinbase: true, inputs: [], outputs: [s])
        g.txs[2] = FlowTx(id: 2, txid: String(repeating: "2", count: 64), height: 2, time: 200, inputs: [s, nil],
                          outputs: [FlowCoin(output: 2, value: 2000, address: 2), FlowCoin(output: 3, value: 1900, address: 3)],
                          externalValues: [nil, external])
        return g
    }

    func amounts(external: Int64?, _ model: TaintModel) throws -> [Int64] {
        let r = try TraceEngine(graph: Self.graph(external: external), parameters: TraceParameters(model: model, maxHops: 2))
            .run(TraceStart(description: "S", outputs: [1], ownClusters: [1]), tipHeight: nil, tipHash: nil)
        return r.nodes.filter { $0.hop == 1 }.sorted { $0.outpoint < $1.outpoint }.map(\.amount)
    }

    @Test func haircutUsesTheExplorerValueOfAnInputOutsideTheIndex() throws {
        // 1000 of 4000 input, fee 100: each output carries a quarter of its value.
        #expect(try amounts(external: 3000, .haircut) == [500, 475])
        // Without the value the share is 1000/1000: overstated, which is why the prevout matters.
        #expect(try amounts(external: nil, .haircut) == [2000, 1900])
        // Poison does not divide.
        #expect(try amounts(external: 3000, .poison) == [2000, 1900])
    }
}
