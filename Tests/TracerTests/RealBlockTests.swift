import ChainIndex
import Foundation
import Testing
@testable import Tracer

// Real mainnet data: every transaction of block 866342 (October 2024; 4,864 transactions) with
// the outputs its inputs spend. Built by a python-bitcoinlib script (not our parser) from the block
// in ../shared/data/real/blk/mainnet_sparse_singles.dat and Floresta's spent-output list; see
// Fixtures/SOURCES.md. The block holds no CoinJoin (Whirlpool stopped in April 2024, and it has no
// transaction of Wasabi 2 or JoinMarket shape); it is full of near misses: exchange batch payouts
// (up to 153 outputs, some of equal value), rune and inscription mints paying many equal dust
// outputs, Lightning commitment transactions, consolidations of up to 25 inputs.

/// One transaction as stored in the fixture (format: scripts/fixtures/make_block_shapes.py).
private struct FixtureTx: Decodable {
    var txid: String
    var v: Int32
    var lt: UInt32
    var cb: Int?
    /// One sequence for every input, or each input's.
    var seq: [UInt32]
    /// `[value, ScriptType raw value, address number (0 = none)]`.
    var `in`: [[Int64]]
    var out: [[Int64]]

    enum CodingKeys: String, CodingKey { case txid, v, lt, cb, seq, `in`, out }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        txid = try c.decode(String.self, forKey: .txid)
        v = try c.decode(Int32.self, forKey: .v)
        lt = try c.decode(UInt32.self, forKey: .lt)
        cb = try c.decodeIfPresent(Int.self, forKey: .cb)
        self.in = try c.decode([[Int64]].self, forKey: .in)
        out = try c.decode([[Int64]].self, forKey: .out)
        if let one = try? c.decode(UInt32.self, forKey: .seq) {
            seq = Array(repeating: one, count: self.in.count)
        } else {
            seq = try c.decode([UInt32].self, forKey: .seq)
        }
    }

    var shape: TxShape {
        func coin(_ c: [Int64]) -> TxShape.Coin {
            TxShape.Coin(value: c[0], address: c[2] == 0 ? nil : c[2], type: ScriptType(rawValue: UInt8(c[1])) ?? .nonstandard)
        }
        return TxShape(id: 0, version: v, locktime: lt, isCoinbase: cb == 1, inputs: self.in.map(coin), sequences: seq, outputs: out.map(coin))
    }
}

private let block866342: [FixtureTx] = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/real/mainnet_block_866342_shapes.ndjson")
    guard let text = try? String(contentsOf: path, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(FixtureTx.self, from: Data($0.utf8)) }
}()

struct RealBlockTests {
    @Test func fixtureIsComplete() {
        #expect(block866342.count == 4864)
        #expect(block866342.reduce(0) { $0 + $1.in.count } == 7972)   // the block's non-coinbase inputs
        #expect(block866342.first?.cb == 1)
    }

    @Test func noCoinJoinIsFlaggedInARealBlockWithout() {
        let detector = CoinJoinDetector()
        var flagged: [String] = []
        for tx in block866342 {
            if let d = detector.detect(tx.shape) { flagged.append("\(tx.txid) \(d.kind.rawValue): \(d.reason)") }
        }
        #expect(flagged.isEmpty, "\(flagged.joined(separator: "\n"))")
    }

    @Test func changeDecisionsOnRealTransactions() {
        // No ground truth here: the decision rate, and decisions only on two-output shapes.
        let detector = ChangeDetector()
        var decided = 0, applicable = 0
        for tx in block866342 {
            let shape = tx.shape
            if detector.isApplicable(shape) { applicable += 1 }
            if let d = detector.decide(shape) {
                decided += 1
                #expect(d.votesFor.count >= 2 && d.votesAgainst.count == 0)
                #expect(shape.outputs.filter { $0.type != .nulldata }.count == 2)
                #expect(shape.sequences.count == shape.inputs.count)
            }
        }
        print("block 866342: \(applicable) applicable transactions, \(decided) change decisions")
        #expect(applicable > 400 && decided > 0 && decided < applicable)
    }
}
