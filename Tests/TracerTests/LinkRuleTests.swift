import ChainIndex
import Testing
@testable import Tracer

// The per-transaction link rules and the union-find, on hand-built transactions with stub
// detectors (the detectors themselves are tested in CoinJoinDetectorTests / ChangeHeuristicTests).

private func coin(_ value: Int64, _ address: Int64?) -> TxShape.Coin {
    TxShape.Coin(value: value, address: address, type: .witnessV0KeyHash)
}

/// Rules whose CoinJoin verdict and change choice are fixed per transaction id.
private func stubRules(coinJoins: [Int64: (String, Bool)] = [:], change: [Int64: Int] = [:]) -> ClusterRules {
    ClusterRules(
        coinJoin: { tx in
            guard let (kind, multiParty) = coinJoins[tx.id], let k = CoinJoinDetector.Kind(rawValue: kind) else { return nil }
            return CoinJoinDetection(kind: k, confidence: 0.9, multiParty: multiParty, reason: "stub")
        },
        change: { tx in
            change[tx.id].map { ChangeDecision(output: $0, votesFor: [.freshAddress, .scriptType], votesAgainst: [], confidence: 0.9) }
        },
        suspiciousSize: 10, parameters: [("stub", "1")])
}

private func links(_ found: ExtractedLinks) -> [[Int64]] {
    (0..<found.links.count).map { [found.links.a[$0], found.links.b[$0], found.links.tx[$0]] }
}

struct LinkRuleTests {
    @Test func coSpendLinksEveryInputAddressToTheFirst() {
        var found = ExtractedLinks()
        let tx = TxShape(id: 7, inputs: [coin(5, 10), coin(6, 11), coin(7, 10), coin(8, nil), coin(9, 12)], outputs: [coin(20, 30)])
        LinkExtractor(rules: stubRules()).extract(tx, into: &found)
        #expect(links(found) == [[10, 11, 7], [10, 12, 7]])   // the repeated address and the script without one add nothing
        #expect(found.links.rule.allSatisfy { $0 == .coSpend })
        #expect(found.inputs == 5 && found.transactions == 1)
    }

    @Test func multiPartyCoinJoinsGetNoLinksButTx0Does() {
        var found = ExtractedLinks()
        let rules = stubRules(coinJoins: [1: ("wasabi2", true), 2: ("whirlpool_tx0", false)], change: [1: 0, 2: 0, 3: 1])
        let extractor = LinkExtractor(rules: rules)
        extractor.extract(TxShape(id: 1, inputs: [coin(5, 1), coin(5, 2)], outputs: [coin(4, 3), coin(4, 4)]), into: &found)
        extractor.extract(TxShape(id: 2, inputs: [coin(5, 5), coin(5, 6)], outputs: [coin(4, 7), coin(4, 8)]), into: &found)
        extractor.extract(TxShape(id: 3, inputs: [coin(5, 9)], outputs: [coin(1, 13), coin(3, 14)]), into: &found)
        // tx 1: nothing; tx 2 (single-owner Tx0): co-spend, no change link; tx 3: a change link to output 1.
        #expect(links(found) == [[5, 6, 2], [9, 14, 3]])
        #expect(found.links.rule == [.coSpend, .change])
        #expect(found.links.detail[1] == "fresh_address,script_type")
        #expect(found.coinJoins.map(\.tx) == [1, 2])
        #expect(found.changeLinks == 1)
    }

    @Test func unresolvedAndCoinbaseTransactions() {
        var found = ExtractedLinks()
        var slice = TxShape(id: 4, inputs: [coin(0, nil), coin(5, 2)], outputs: [coin(4, 3)])
        slice.unresolvedInputs = 1
        var coinbase = TxShape(id: 5, isCoinbase: true, inputs: [coin(0, nil)], outputs: [coin(50, 9)])
        coinbase.outputs[0].type = .pubkey
        let extractor = LinkExtractor(rules: stubRules(change: [4: 0]))
        extractor.extract(slice, into: &found)
        extractor.extract(coinbase, into: &found)
        #expect(found.links.count == 0)
        #expect(found.pending == [4])
        #expect(found.payToPubkey.map(\.address) == [9])
    }

    @Test func unionFindKeepsTheOldestIdAsRootWhateverTheOrder() {
        // Property: against a naive partition (merge by relabelling), for random link orders.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let n = 200
            var uf = UnionFind(count: n)
            var label = Array(0..<n)
            for _ in 0..<150 {
                let a = Int.random(in: 0..<n, using: &rng), b = Int.random(in: 0..<n, using: &rng)
                let before = (label[a], label[b])
                let joined = uf.union(Int32(a), Int32(b))
                #expect((joined != nil) == (before.0 != before.1))
                if let j = joined {
                    #expect(Int(j.kept) == min(before.0, before.1) && Int(j.absorbed) == max(before.0, before.1))
                }
                let (keep, drop) = (min(before.0, before.1), max(before.0, before.1))
                for i in 0..<n where label[i] == drop { label[i] = keep }
            }
            for i in 0..<n {
                #expect(Int(uf.find(Int32(i))) == label[i])
                #expect(Int(uf.size(ofRoot: uf.find(Int32(i)))) == label.filter { $0 == label[i] }.count)
            }
        }
    }
}
