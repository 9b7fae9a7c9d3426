import ChainIndex
import Testing
@testable import Tracer

// Unit tests of the CoinJoin detector: real-shaped positives per rule and the near misses the
// vetoes exist for. Expected kinds, confidences and reason fragments are written out by hand.
// Shapes that model a specific mainnet transaction cite its txid; the counts and pool values of
// those come from Copexit/am-i-exposed `docs/testing-reference.md`, the other values are modelled.

/// Builds coins with fresh address ids (every call a new address unless `address` is given).
private struct Coins {
    private var next: Int64 = 1000

    mutating func fresh(_ value: Int64, _ type: ScriptType = .witnessV0KeyHash) -> TxShape.Coin {
        next += 1
        return TxShape.Coin(value: value, address: next, type: type)
    }

    mutating func fresh(_ values: [Int64], _ type: ScriptType = .witnessV0KeyHash) -> [TxShape.Coin] {
        values.map { fresh($0, type) }
    }

    func at(_ address: Int64, _ value: Int64, _ type: ScriptType = .witnessV0KeyHash) -> TxShape.Coin {
        TxShape.Coin(value: value, address: address, type: type)
    }

    static func opReturn() -> TxShape.Coin { TxShape.Coin(value: 0, address: nil, type: .nulldata) }
}

private func shape(_ inputs: [TxShape.Coin], _ outputs: [TxShape.Coin], version: Int32 = 1, locktime: UInt32 = 0,
                   sequence: UInt32 = 0xFFFF_FFFF) -> TxShape {
    TxShape(id: 1, version: version, locktime: locktime, inputs: inputs,
            sequences: Array(repeating: sequence, count: inputs.count), outputs: outputs)
}

struct CoinJoinDetectorTests {
    let detector = CoinJoinDetector()

    // MARK: Whirlpool mix

    /// 323df21f0b0756f98336437aa3d2fb87e02b59f1946b714a7b09df04d429dec2: 5 inputs, 5 outputs of
    /// exactly 5,000,000 sat (0.05 BTC pool), all P2WPKH. Two new entrants carry their fee allowance.
    @Test func whirlpoolMixOfThe005Pool() {
        var c = Coins()
        let inputs = c.fresh([5_000_000, 5_003_180, 5_000_000, 5_002_950, 5_000_000])
        let tx = shape(inputs, c.fresh(Array(repeating: 5_000_000, count: 5)))
        let d = detector.detect(tx)
        #expect(d?.kind == .whirlpool)
        #expect(d?.multiParty == true)
        #expect(d?.confidence == 0.99)
        #expect(d?.reason.hasPrefix("5 inputs, 5 outputs of 5000000 sat (Whirlpool 0.05 BTC pool)") == true)
        #expect(d?.reason.contains("2 premix input(s) above the denomination, 3 remix input(s)") == true)
    }

    /// Since 2023 "surge cycles" mix up to 8 participants (still two new entrants).
    @Test func whirlpoolSurgeCycleOfEight() {
        var c = Coins()
        let inputs = c.fresh([1_000_000, 1_000_000, 1_004_200, 1_000_000, 1_000_000, 1_004_410, 1_000_000, 1_000_000])
        let d = detector.detect(shape(inputs, c.fresh(Array(repeating: 1_000_000, count: 8))))
        #expect(d?.kind == .whirlpool)
        #expect(d?.reason.hasPrefix("8 inputs, 8 outputs of 1000000 sat (Whirlpool 0.01 BTC pool)") == true)
    }

    @Test func nineEqualOutputsAreNotAWhirlpoolMix() {
        var c = Coins()
        let inputs = c.fresh(Array(repeating: 1_000_000, count: 9))
        #expect(detector.detect(shape(inputs, c.fresh(Array(repeating: 1_000_000, count: 9))))?.kind != .whirlpool)
    }

    /// Five equal pool-sized outputs to one address: a payment split, not a mix.
    @Test func equalOutputsToOneAddressAreNotMixing() {
        var c = Coins()
        let inputs = c.fresh([5_001_000, 5_001_000, 5_001_000, 5_001_000, 5_001_000])
        let outputs = (0..<5).map { _ in c.at(77, 5_000_000) }
        #expect(detector.detect(shape(inputs, outputs)) == nil)
    }

    /// The right counts and a pool value, but legacy P2PKH outputs: Whirlpool only uses P2WPKH.
    @Test func whirlpoolShapeWithLegacyOutputsIsRejected() {
        var c = Coins()
        let inputs = c.fresh(Array(repeating: 1_000_500, count: 5), .pubkeyhash)
        #expect(detector.detect(shape(inputs, c.fresh(Array(repeating: 1_000_000, count: 5), .pubkeyhash))) == nil)
    }

    // MARK: Whirlpool Tx0

    /// A Tx0 into the 0.01 BTC pool: OP_RETURN fee payload, 50,000 sat coordinator fee, five premix
    /// outputs of denomination + 302 sat, toxic change. One owner: the co-spend stays valid.
    @Test func tx0IntoThe001Pool() {
        var c = Coins()
        var outputs = [Coins.opReturn(), c.fresh(50_000)]
        outputs += c.fresh(Array(repeating: 1_000_302, count: 5))
        outputs.append(c.fresh(3_441_210))
        let d = detector.detect(shape(c.fresh([8_500_000]), outputs))
        #expect(d?.kind == .whirlpoolTx0)
        #expect(d?.multiParty == false)
        #expect(d?.confidence == 0.95)
        #expect(d?.reason == "Whirlpool Tx0: 1 OP_RETURN output, 5 premix outputs of 1000302 sat (0.01 BTC pool + 302 sat "
                + "miner-fee allowance), coordinator fee output of 50000 sat, 1 other output(s)")
    }

    /// An SCODE-discounted Tx0 (no output equals the pool fee) is still a Tx0, with lower confidence.
    @Test func discountedTx0HasLowerConfidence() {
        var c = Coins()
        var outputs = [Coins.opReturn(), c.fresh(12_500)]
        outputs += c.fresh(Array(repeating: 100_270, count: 12))
        outputs.append(c.fresh(81_004))
        let d = detector.detect(shape(c.fresh([1_300_000, 200_000]), outputs))
        #expect(d?.kind == .whirlpoolTx0)
        #expect(d?.confidence == 0.85)
        #expect(d?.reason.contains("no output equal to the pool fee (5000 sat)") == true)
    }

    /// The same split without the OP_RETURN is an ordinary self-split: not flagged at all.
    @Test func premixShapeWithoutOpReturnIsNotATx0() {
        var c = Coins()
        var outputs = [c.fresh(50_000)]
        outputs += c.fresh(Array(repeating: 1_000_302, count: 5))
        outputs.append(c.fresh(3_441_210))
        #expect(detector.detect(shape(c.fresh([8_500_000]), outputs)) == nil)
    }

    /// OP_RETURN plus equal outputs far above any pool (a token-style distribution): not a Tx0.
    @Test func opReturnWithNonPremixValuesIsNotATx0() {
        var c = Coins()
        var outputs = [Coins.opReturn()]
        outputs += c.fresh(Array(repeating: 1_500_000, count: 4))
        outputs.append(c.fresh(900_000))
        #expect(detector.detect(shape(c.fresh([7_000_000]), outputs)) == nil)
    }

    // MARK: Wasabi 1

    /// A ZeroLink round as Wasabi 1.1 built them: 12 participants at a 0.0987 BTC denomination,
    /// two at the second mixing level (2×), a change each, one coordinator fee output.
    @Test func wasabi1Round() {
        var c = Coins()
        let d0: Int64 = 9_871_412
        let inputs = c.fresh((0..<16).map { 12_000_000 + Int64($0) * 731_117 })
        var outputs = c.fresh(Array(repeating: d0, count: 12))
        outputs += c.fresh([2 * d0, 2 * d0])
        outputs += c.fresh((0..<10).map { 1_200_000 + Int64($0) * 517_331 })
        outputs.append(c.fresh(35_537))
        let d = detector.detect(shape(inputs, outputs))
        #expect(d?.kind == .wasabi1)
        #expect(d?.confidence == 0.95)
        #expect(d?.reason == "16 inputs from 16 addresses, 12 outputs of 9871412 sat (Wasabi 1 denomination, within 0.02 BTC "
                + "of 0.1 BTC), 2 mixing-level output(s), 11 other output(s)")
    }

    /// A small round (6 participants) needs the round's shape: a change each plus the coordinator.
    @Test func smallWasabi1Round() {
        var c = Coins()
        let inputs = c.fresh([11_000_000, 25_000_000, 10_400_000, 13_900_000, 10_800_000, 19_000_000, 600_000])
        var outputs = c.fresh(Array(repeating: 10_150_220, count: 6))
        outputs += c.fresh([850_000, 14_800_000, 250_000, 3_700_000, 640_000, 8_800_000, 18_274])
        let d = detector.detect(shape(inputs, outputs))
        #expect(d?.kind == .wasabi1)
        #expect(d?.confidence == 0.8)
    }

    /// Exchange batch: six 0.1 BTC withdrawals among 20 payouts, funded from one hot address
    /// used three times, change back to it.
    @Test func exchangeBatchWithTenthBitcoinWithdrawalsIsNotWasabi1() {
        var c = Coins()
        let inputs = [c.at(9, 90_000_000), c.at(9, 70_000_000), c.at(9, 41_000_000)]
        var outputs = c.fresh(Array(repeating: 10_000_000, count: 6))
        outputs += c.fresh((0..<14).map { 300_000 + Int64($0) * 611_003 })
        outputs.append(c.at(9, 74_000_000))
        #expect(detector.detect(shape(inputs, outputs, version: 2)) == nil)
    }

    /// The same batch funded from six distinct addresses: still too many other outputs for a round.
    @Test func exchangeBatchFromManyAddressesIsNotWasabi1() {
        var c = Coins()
        let inputs = c.fresh([30_000_000, 30_000_000, 25_000_000, 20_000_000, 20_000_000, 18_000_000])
        var outputs = c.fresh(Array(repeating: 10_000_000, count: 6))
        outputs += c.fresh((0..<14).map { 300_000 + Int64($0) * 611_003 })
        outputs.append(c.fresh(9_100_000))
        #expect(detector.detect(shape(inputs, outputs, version: 2)) == nil)
    }

    // MARK: Wasabi 2 (WabiSabi)

    /// The denominations and counts of a large WabiSabi round, outputs largest first.
    private func wabiSabiOutputs(_ c: inout Coins) -> [TxShape.Coin] {
        let denominations: [(Int64, Int)] = [
            (68_719_476_736 / 64, 6), (536_870_912 / 2, 9), (200_000_000 / 2, 12), (50_000_000, 15), (43_046_721, 11),
            (33_554_432, 14), (20_000_000, 18), (5_000_000, 21), (4_782_969, 19), (4_194_304, 20), (2_097_152, 22),
            (2_000_000, 24), (1_062_882, 17), (1_000_000, 25), (531_441, 12), (262_144, 10), (100_000, 8),
        ]
        var values: [Int64] = []
        for (d, n) in denominations { values += Array(repeating: d, count: n) }
        values += (0..<16).map { 75_000_123 - Int64($0) * 3_999_777 }     // change: not standard
        return c.fresh(values.sorted(by: >), .witnessV1Taproot)
    }

    /// fb596c9f675471019c60e984b569f9020dac3b2822b16396042b50c890b45e5e: 327 inputs, 279 outputs,
    /// standard denominations with many equal tiers, outputs ordered by value descending.
    @Test func wabiSabiRound() {
        var c = Coins()
        let outputs = wabiSabiOutputs(&c)
        #expect(outputs.count == 279)
        let inputs = c.fresh((0..<327).map { 300_000_000 - Int64($0) * 900_001 }, .witnessV0KeyHash)
        let d = detector.detect(shape(inputs, outputs, version: 1))
        #expect(d?.kind == .wasabi2)
        #expect(d?.confidence == 0.95)
        #expect(d?.reason == "327 inputs from 327 addresses, 279 outputs in descending value order, 263 (94%) of them "
                + "standard WabiSabi denominations; largest equal group 25 outputs of 1000000 sat")
    }

    /// The same outputs in another order: WalletWasabi's own test requires descending order.
    @Test func wabiSabiDenominationsOutOfOrderAreNotWasabi2() {
        var c = Coins()
        var outputs = wabiSabiOutputs(&c)
        outputs.swapAt(3, 200)
        let inputs = c.fresh((0..<327).map { 300_000_000 - Int64($0) * 900_001 })
        #expect(detector.detect(shape(inputs, outputs))?.kind != .wasabi2)
    }

    /// A consolidating payment with round (standard) amounts in descending order: too few outputs.
    @Test func smallPaymentWithRoundAmountsIsNotWasabi2() {
        var c = Coins()
        let inputs = c.fresh([120_000, 90_000, 80_000, 70_000, 30_000, 25_000])
        let outputs = c.fresh([200_000, 100_000, 100_000, 5_000])
        #expect(detector.detect(shape(inputs, outputs)) == nil)
    }

    // MARK: JoinMarket

    /// A sweep by a taker with four makers: five outputs of 0.12345678 BTC, four maker changes,
    /// P2WPKH throughout, lock time at the tip and sequence 0xfffffffe (JoinMarket's defaults).
    @Test func joinMarketSweep() {
        var c = Coins()
        let amount: Int64 = 12_345_678
        let inputs = c.fresh([12_400_000, 20_000_000, 13_000_000, 9_000_000, 6_000_000, 31_000_000, 14_100_000])
        var outputs = c.fresh(Array(repeating: amount, count: 5))
        outputs += c.fresh([8_654_901, 7_657_010, 18_655_003, 1_754_700])
        let d = detector.detect(shape(inputs, outputs, version: 2, locktime: 851_234, sequence: 0xFFFF_FFFE))
        #expect(d?.kind == .joinmarket)
        #expect(d?.multiParty == true)
        #expect(d?.confidence == 0.85)
        #expect(d?.reason == "7 inputs from 7 addresses, 5 equal outputs of 12345678 sat and 4 change outputs, all "
                + "witness_v0_keyhash (inputs too), lock time set with sequence 0xfffffffe (JoinMarket: 5 participants)")
    }

    /// A JoinMarket amount near 0.1 BTC fits the Wasabi 1 rule too: JoinMarket's fingerprint decides.
    @Test func joinMarketNearTheWasabiDenomination() {
        var c = Coins()
        let inputs = c.fresh([10_000_000, 14_000_000, 11_500_000, 12_000_000, 9_900_000, 10_800_000])
        var outputs = c.fresh(Array(repeating: 9_500_000, count: 5))
        outputs += c.fresh([4_501_000, 2_001_000, 2_501_000, 1_301_000, 1_280_000])
        let fingerprinted = detector.detect(shape(inputs, outputs, version: 2, locktime: 851_234, sequence: 0xFFFF_FFFE))
        #expect(fingerprinted?.kind == .joinmarket)
        let plain = detector.detect(shape(inputs, outputs))
        #expect(plain?.kind == .wasabi1)
        #expect(plain?.multiParty == true)
    }

    /// Stonewall (one wallet) and StonewallX2 / a two-party JoinMarket such as
    /// 4f112abd2eefe3484a7bbf7c1731f784cba19de677468835145e9c448fb18b7d (2 inputs, 2 equal outputs,
    /// 2 changes): the unit decided this shape is never flagged.
    @Test func stonewallShapesAreNotFlagged() {
        var c = Coins()
        let stonewall = shape(c.fresh([3_000_000, 1_200_000, 900_000]), c.fresh([1_000_000, 1_000_000, 2_150_000, 940_000]))
        #expect(detector.detect(stonewall) == nil)
        let x2 = shape(c.fresh([2_600_000, 1_800_000]), c.fresh([1_500_000, 1_500_000, 1_099_000, 299_000]),
                       version: 2, locktime: 850_000, sequence: 0xFFFF_FFFE)
        #expect(detector.detect(x2) == nil)
    }

    /// An exchange batch with three equal withdrawals, two other payees and change back to the
    /// hot address that funds it: JoinMarket-sized, but an output pays an input's address.
    @Test func exchangeBatchWithChangeToItsInputAddressIsNotJoinMarket() {
        var c = Coins()
        let inputs = [c.at(5, 4_000_000), c.fresh(3_000_000), c.fresh(2_500_000)]
        let outputs = c.fresh([1_000_000, 1_000_000, 1_000_000, 450_000, 2_200_000]) + [c.at(5, 3_840_000)]
        #expect(detector.detect(shape(inputs, outputs, version: 2, sequence: 0xFFFF_FFFE)) == nil)
    }

    /// The same batch spending three coins of one hot address: fewer input owners than outputs.
    @Test func exchangeBatchFromOneAddressIsNotJoinMarket() {
        var c = Coins()
        let inputs = [c.at(5, 4_000_000), c.at(5, 3_000_000), c.at(5, 2_500_000)]
        let outputs = c.fresh([1_000_000, 1_000_000, 1_000_000, 450_000, 2_200_000, 3_840_000])
        #expect(detector.detect(shape(inputs, outputs, version: 2)) == nil)
    }

    /// Equal outputs in mixed script types: not JoinMarket (participants share the taker's type).
    @Test func mixedScriptTypesAreNotJoinMarket() {
        var c = Coins()
        let inputs = c.fresh([2_000_000, 1_700_000, 1_400_000])
        let outputs = [c.fresh(1_000_000), c.fresh(1_000_000, .pubkeyhash), c.fresh(1_000_000, .scripthash),
                       c.fresh(990_000), c.fresh(690_000)]
        #expect(detector.detect(shape(inputs, outputs))?.kind != .joinmarket)
    }

    /// One input large enough to fund several participants: not a CoinJoin.
    @Test func oneDominantInputIsNotJoinMarket() {
        var c = Coins()
        let inputs = c.fresh([90_000_000, 10_000, 10_000])
        let outputs = c.fresh([1_000_000, 1_000_000, 1_000_000, 20_000, 86_900_000])
        #expect(detector.detect(shape(inputs, outputs, version: 2, locktime: 851_234, sequence: 0xFFFF_FFFE)) == nil)
    }

    // MARK: Generic equal-output

    @Test func genericEqualOutputCoinJoin() {
        var c = Coins()
        let inputs = c.fresh([4_000_000, 3_500_000, 3_200_000, 5_000_000, 3_100_000, 6_000_000])
        var outputs = [c.fresh(3_000_000), c.fresh(3_000_000, .witnessV1Taproot), c.fresh(3_000_000, .pubkeyhash),
                       c.fresh(3_000_000), c.fresh(3_000_000, .witnessV1Taproot), c.fresh(3_000_000)]
        outputs += c.fresh([990_000, 490_000, 190_000, 1_990_000, 90_000, 2_990_000])
        let d = detector.detect(shape(inputs, outputs))
        #expect(d?.kind == .genericEqualOutput)
        #expect(d?.confidence == 0.6)
        #expect(d?.reason.hasPrefix("6 inputs from 6 addresses, 6 equal outputs of 3000000 sat at distinct addresses") == true)
    }

    /// Two groups of equal outputs in mixed types: left to the named rules (Dumplings' rule too).
    @Test func twoEqualGroupsAreNotGeneric() {
        var c = Coins()
        let inputs = c.fresh([4_000_000, 3_500_000, 3_200_000, 5_000_000, 3_100_000, 6_000_000])
        var outputs = [c.fresh(3_000_000), c.fresh(3_000_000, .witnessV1Taproot), c.fresh(3_000_000, .pubkeyhash),
                       c.fresh(3_000_000), c.fresh(3_000_000, .witnessV1Taproot), c.fresh(3_000_000)]
        outputs += c.fresh([990_000, 990_000, 190_000, 1_990_000, 90_000, 2_990_000])
        #expect(detector.detect(shape(inputs, outputs)) == nil)
    }

    // MARK: Ordinary transactions and the fast path

    @Test func ordinaryTransactionsAreNotFlagged() {
        var c = Coins()
        let payment = shape(c.fresh([250_000]), c.fresh([120_000, 129_000]))
        let consolidation = shape(c.fresh((0..<40).map { 10_000 + Int64($0) * 1_000 }), c.fresh([1_170_000]))
        // BIP78 PayJoin: the receiver adds a coin and takes it back in its output.
        let payjoin = shape(c.fresh([700_000, 310_000]), c.fresh([510_000, 499_000]), version: 2, locktime: 850_000,
                            sequence: 0xFFFF_FFFD)
        let coinbase = TxShape(id: 1, isCoinbase: true, inputs: [], outputs: c.fresh([312_500_000, 312_500_000]))
        for tx in [payment, consolidation, payjoin, coinbase] {
            #expect(detector.detect(tx) == nil)
        }
    }

    @Test func repeatedValuePrecheck() {
        var c = Coins()
        #expect(!CoinJoinDetector.hasRepeatedOutputValue(c.fresh([1, 2, 3, 4])))
        #expect(!CoinJoinDetector.hasRepeatedOutputValue(c.fresh([7])))
        #expect(CoinJoinDetector.hasRepeatedOutputValue(c.fresh([5, 1, 2, 3, 5])))
        // Two zero-value OP_RETURN outputs are not a repeated payment.
        #expect(!CoinJoinDetector.hasRepeatedOutputValue([Coins.opReturn(), Coins.opReturn(), c.fresh(10)]))
        // Above the scan limit the full analysis decides.
        #expect(CoinJoinDetector.hasRepeatedOutputValue(c.fresh((0..<40).map { Int64($0) })))
    }

    // MARK: Parameters and denominations

    @Test func defaultParametersRenderStably() {
        let expected = "whirlpool.pools=100000:5000,1000000:50000,5000000:175000/250000,50000000:1750000/2500000; "
            + "whirlpool.mix_sizes=5-8; whirlpool.max_premix_excess_sat=100000; whirlpool.tx0_max_other_outputs=4; "
            + "wasabi1.base_denomination_sat=10000000; wasabi1.tolerance_sat=2000000; wasabi1.min_equal_outputs=5; "
            + "wasabi1.strong_equal_outputs=10; wasabi2.min_inputs=5; wasabi2.strong_inputs=50; wasabi2.min_outputs=10; "
            + "wasabi2.min_standard_share=0.8; wasabi2.min_distinct_input_addresses=5; joinmarket.min_participants=3; "
            + "joinmarket.fee_slack_sat=100000; joinmarket.fee_slack_fraction=0.01; generic.min_participants=5"
        #expect(CoinJoinDetector.Parameters.default.description == expected)
        #expect(CoinJoinDetector.Parameters.default.dictionary.count == 17)
        #expect(CoinJoinDetector.Parameters.default.dictionary["wasabi2.min_standard_share"] == "0.8")
        var p = CoinJoinDetector.Parameters.default
        p.joinMarketMinParticipants = 4
        #expect(p.dictionary["joinmarket.min_participants"] == "4")
        #expect(CoinJoinDetector(parameters: p).parameters != CoinJoinDetector().parameters)
    }

    /// A stricter parameter changes the verdict: three JoinMarket participants are enough by default, not with 4.
    @Test func parametersAreHonoured() {
        var c = Coins()
        let inputs = c.fresh([2_000_000, 1_700_000, 1_400_000])
        let outputs = c.fresh([1_000_000, 1_000_000, 1_000_000, 990_000, 690_000])
        let tx = shape(inputs, outputs, version: 2, locktime: 850_000, sequence: 0xFFFF_FFFE)
        #expect(detector.detect(tx)?.kind == .joinmarket)
        var p = CoinJoinDetector.Parameters.default
        p.joinMarketMinParticipants = 4
        #expect(CoinJoinDetector(parameters: p).detect(tx) == nil)
    }

    /// WalletWasabi `BlockchainAnalyzer.StdDenoms`, copied value by value.
    @Test func standardDenominationsMatchWalletWasabi() {
        let published: [Int64] = [
            5000, 6561, 8192, 10000, 13122, 16384, 19683, 20000, 32768, 39366, 50000, 59049, 65536, 100000, 118098, 131072,
            177147, 200000, 262144, 354294, 500000, 524288, 531441, 1000000, 1048576, 1062882, 1594323, 2000000, 2097152,
            3188646, 4194304, 4782969, 5000000, 8388608, 9565938, 10000000, 14348907, 16777216, 20000000, 28697814, 33554432,
            43046721, 50000000, 67108864, 86093442, 100000000, 129140163, 134217728, 200000000, 258280326, 268435456,
            387420489, 500000000, 536870912, 774840978, 1000000000, 1073741824, 1162261467, 2000000000, 2147483648,
            2324522934, 3486784401, 4294967296, 5000000000, 6973568802, 8589934592, 10000000000, 10460353203, 17179869184,
            20000000000, 20920706406, 31381059609, 34359738368, 50000000000, 62762119218, 68719476736, 94143178827,
            100000000000, 137438953472,
        ]
        #expect(StandardDenominations.values == published)
        #expect(StandardDenominations.contains(13122))
        #expect(!StandardDenominations.contains(4096))
        #expect(!StandardDenominations.contains(274_877_906_944))
        #expect(!StandardDenominations.contains(3_000_000))
    }

    @Test func bitcoinFormatting() {
        #expect(Satoshis.btc(1_000_000) == "0.01")
        #expect(Satoshis.btc(50_000_000) == "0.5")
        #expect(Satoshis.btc(100_000_000) == "1")
        #expect(Satoshis.btc(123_456_789) == "1.23456789")
    }
}
