import ChainIndex
import Testing
@testable import Tracer

// Hand-built transactions whose change output is known by construction: each rule on its own,
// ties, conflicts between rules, and shapes the detector must not decide on.

private let wpkh = ScriptType.witnessV0KeyHash
private let pkh = ScriptType.pubkeyhash

private func coin(_ value: Int64, _ address: Int64?, _ type: ScriptType = wpkh, fresh: Bool = false) -> TxShape.Coin {
    TxShape.Coin(value: value, address: address, type: type, fresh: fresh)
}

private func opReturn() -> TxShape.Coin { TxShape.Coin(value: 0, address: nil, type: .nulldata) }

private func shape(_ inputs: [TxShape.Coin], _ outputs: [TxShape.Coin], version: Int32 = 2, locktime: UInt32 = 0,
                   sequence: UInt32 = 0xFFFF_FFFF, coinbase: Bool = false) -> TxShape {
    TxShape(id: 1, version: version, locktime: locktime, isCoinbase: coinbase, inputs: inputs,
            sequences: Array(repeating: sequence, count: inputs.count), outputs: outputs)
}

/// Only `heuristic` enabled, deciding on one vote: the detector's view of a single rule.
private func only(_ heuristic: ChangeHeuristic, exponent: Int = 4) -> ChangeDetector {
    ChangeDetector(.init(enabled: ChangeHeuristicSet(heuristic), minimumVotes: 1, roundAmountExponent: exponent))
}

struct ChangeHeuristicTests {
    // MARK: address_reuse

    @Test func addressReuseFindsTheOutputPayingAnInputAddress() {
        let tx = shape([coin(100_000, 10), coin(50_000, 11)], [coin(120_000, 20, fresh: true), coin(28_000, 11)])
        #expect(ChangeRules.addressReuse(tx) == 1)
        #expect(only(.addressReuse).decide(tx)?.output == 1)
    }

    @Test func addressReuseTieAndAbsenceGiveNoVote() {
        // Both outputs go back to input addresses (a self-transfer): no single change output.
        let both = shape([coin(100_000, 10), coin(50_000, 11)], [coin(120_000, 10), coin(28_000, 11)])
        #expect(ChangeRules.addressReuse(both) == nil)
        let none = shape([coin(100_000, 10)], [coin(60_000, 20), coin(38_000, 21)])
        #expect(ChangeRules.addressReuse(none) == nil)
    }

    // MARK: fresh_address

    @Test func freshAddressPicksTheOnlyNeverSeenAddress() {
        let tx = shape([coin(100_000, 10)], [coin(60_000, 20, fresh: false), coin(38_000, 21, fresh: true)])
        #expect(ChangeRules.freshAddress(tx) == 1)
    }

    @Test func freshAddressAbstainsOnTiesAndOnSelfChange() {
        let bothFresh = shape([coin(100_000, 10)], [coin(60_000, 20, fresh: true), coin(38_000, 21, fresh: true)])
        #expect(ChangeRules.freshAddress(bothFresh) == nil)
        let noneFresh = shape([coin(100_000, 10)], [coin(60_000, 20), coin(38_000, 21)])
        #expect(ChangeRules.freshAddress(noneFresh) == nil)
        // Change back to the input address: the fresh output is the payment, so the rule abstains.
        let selfChange = shape([coin(100_000, 10)], [coin(60_000, 20, fresh: true), coin(38_000, 10)])
        #expect(ChangeRules.freshAddress(selfChange) == nil)
        #expect(ChangeRules.addressReuse(selfChange) == 1)
    }

    // MARK: script_type

    @Test func scriptTypePicksTheOutputMatchingTheInputs() {
        let tx = shape([coin(100_000, 10, pkh), coin(30_000, 11, pkh)], [coin(90_000, 20, wpkh), coin(38_000, 21, pkh)])
        #expect(ChangeRules.scriptType(tx) == 1)
    }

    @Test func scriptTypeAbstainsOnMixedInputsAndOnTies() {
        let mixed = shape([coin(100_000, 10, pkh), coin(30_000, 11, wpkh)], [coin(90_000, 20, wpkh), coin(38_000, 21, pkh)])
        #expect(ChangeRules.scriptType(mixed) == nil)
        let same = shape([coin(100_000, 10)], [coin(60_000, 20), coin(38_000, 21)])
        #expect(ChangeRules.scriptType(same) == nil)
        let neither = shape([coin(100_000, 10, pkh)], [coin(60_000, 20, .witnessV1Taproot), coin(38_000, 21, .scripthash)])
        #expect(ChangeRules.scriptType(neither) == nil)
    }

    // MARK: optimal_change

    @Test func optimalChangePicksTheOnlyOutputBelowTheSmallestInput() {
        // Inputs 50k and 60k pay 85k: a 23k change is below both inputs, the payment is not.
        let tx = shape([coin(50_000, 10), coin(60_000, 11)], [coin(85_000, 20), coin(23_000, 21)])
        #expect(ChangeRules.optimalChange(tx) == 1)
    }

    @Test func optimalChangeAbstainsWithOneInputOrTwoSmallOutputs() {
        // One input: both outputs are smaller than it.
        let single = shape([coin(100_000, 10)], [coin(60_000, 20), coin(38_000, 21)])
        #expect(ChangeRules.optimalChange(single) == nil)
        // Neither output below the smallest input (an unnecessary input was added).
        let none = shape([coin(10_000, 10), coin(200_000, 11)], [coin(150_000, 20), coin(58_000, 21)])
        #expect(ChangeRules.optimalChange(none) == nil)
    }

    // MARK: round_amount

    @Test func roundAmountPicksTheNonRoundOutput() {
        let tx = shape([coin(2_000_000, 10)], [coin(1_000_000, 20), coin(987_654, 21)])
        #expect(ChangeRules.roundAmount(tx) == 1)
        #expect(ChangeRules.roundAmount(tx, exponent: 6) == 1)
        #expect(ChangeRules.roundAmount(tx, exponent: 7) == nil)     // 1,000,000 is not a multiple of 10^7
    }

    @Test func roundAmountMinimumExponentIsRespected() {
        // 1,230,000 is a multiple of 10^4 but not of 10^5.
        let tx = shape([coin(2_000_000, 10)], [coin(1_230_000, 20), coin(757_811, 21)])
        #expect(ChangeRules.roundAmount(tx, exponent: 4) == 1)
        #expect(ChangeRules.roundAmount(tx, exponent: 5) == nil)
        #expect(TxShape.isRound(1_230_000, exponent: 4) && !TxShape.isRound(1_230_000, exponent: 5))
        #expect(!TxShape.isRound(0, exponent: 1) && !TxShape.isRound(-100, exponent: 2))
    }

    @Test func roundAmountAbstainsWhenBothOrNeitherAreRound() {
        let both = shape([coin(2_000_000, 10)], [coin(1_000_000, 20), coin(900_000, 21)])
        #expect(ChangeRules.roundAmount(both) == nil)
        let neither = shape([coin(2_000_000, 10)], [coin(1_012_345, 20), coin(987_111, 21)])
        #expect(ChangeRules.roundAmount(neither) == nil)
    }

    // MARK: fingerprint

    @Test func fingerprintPicksTheOutputSpentInTheSameStyle() {
        let core = TxFingerprint(version: 2, hasLocktime: true, sequence: .replaceable)
        let legacy = TxFingerprint(version: 1, hasLocktime: false, sequence: .final)
        let tx = shape([coin(100_000, 10)], [coin(60_000, 20), coin(38_000, 21)], version: 2, locktime: 800_000,
                       sequence: 0xFFFF_FFFD)
        #expect(TxFingerprint(tx) == core)
        #expect(ChangeRules.fingerprint(tx, spenders: [legacy, core]) == 1)
        #expect(ChangeRules.fingerprint(tx, spenders: [core, core]) == nil)          // tie
        #expect(ChangeRules.fingerprint(tx, spenders: [nil, core]) == nil)           // payment unspent: undecidable
        #expect(ChangeRules.fingerprint(tx, spenders: [core]) == nil)                // misaligned
        #expect(ChangeRules.vote(.fingerprint, tx) == nil)                           // no spender data: no vote
        let detector = ChangeDetector(.init(enabled: .fingerprint, minimumVotes: 1))
        #expect(detector.decide(tx) == nil)
        #expect(detector.decide(tx, spenders: [legacy, core])?.output == 1)
    }

    @Test func fingerprintSequenceClasses() {
        #expect(TxFingerprint.classify([UInt32]()) == .final)
        #expect(TxFingerprint.classify([0xFFFF_FFFF, 0xFFFF_FFFF]) == .final)
        #expect(TxFingerprint.classify([0xFFFF_FFFE]) == .nonFinal)
        #expect(TxFingerprint.classify([0xFFFF_FFFD, 0]) == .replaceable)
        #expect(TxFingerprint.classify([0xFFFF_FFFD, 0xFFFF_FFFF]) == .mixed)
        #expect(TxFingerprint(version: 2, hasLocktime: true, sequence: .replaceable).description == "v2/locktime/rbf")
    }

    // MARK: the detector

    @Test func agreeingHeuristicsDecide() throws {
        // Output 1: fresh (other seen before), P2PKH like the inputs, not round, below both inputs.
        let tx = shape([coin(50_000, 10, pkh), coin(60_000, 11, pkh)],
                       [coin(80_000, 20, wpkh), coin(28_123, 21, pkh, fresh: true)])
        let d = try #require(ChangeDetector().decide(tx))
        #expect(d.output == 1)
        #expect(d.votesFor == [.freshAddress, .scriptType, .optimalChange, .roundAmount])
        #expect(d.votesAgainst.isEmpty)
        #expect(d.confidence == ChangeHeuristic.roundAmount.statedPrecision())     // the strongest supporter
        #expect(d.detail == "for=fresh_address,script_type,optimal_change,round_amount against=none")
    }

    @Test func oneConflictingVoteVetoes() {
        // fresh_address says 1, script_type says 0.
        let tx = shape([coin(100_000, 10, pkh)], [coin(60_000, 20, pkh), coin(38_123, 21, wpkh, fresh: true)])
        #expect(ChangeRules.freshAddress(tx) == 1 && ChangeRules.scriptType(tx) == 0)
        #expect(ChangeDetector().decide(tx) == nil)
        // Even three against one is vetoed by default...
        let three = shape([coin(50_000, 10, pkh), coin(60_000, 11, pkh)],
                          [coin(80_000, 20, wpkh, fresh: true), coin(28_123, 21, pkh)])
        #expect(ChangeRules.freshAddress(three) == 0 && ChangeRules.optimalChange(three) == 1)
        #expect(ChangeDetector().decide(three) == nil)
        // ...but decided when one dissent is tolerated, with the dissent reported.
        var p = ChangeDetector.Parameters.default
        p.maximumOpposingVotes = 1
        let d = ChangeDetector(p).decide(three)
        #expect(d?.output == 1)
        #expect(d?.votesFor == [.scriptType, .optimalChange, .roundAmount])
        #expect(d?.votesAgainst == [.freshAddress])
        #expect((d?.confidence ?? 1) < ChangeHeuristic.roundAmount.statedPrecision())
    }

    @Test func tiedVotesNeverDecide() {
        let tx = shape([coin(100_000, 10, pkh)], [coin(60_000, 20, pkh), coin(38_123, 21, wpkh, fresh: true)])
        var p = ChangeDetector.Parameters(enabled: [.freshAddress, .scriptType], minimumVotes: 1, maximumOpposingVotes: 1)
        #expect(ChangeDetector(p).decide(tx) == nil)
        p.enabled = .freshAddress
        #expect(ChangeDetector(p).decide(tx)?.output == 1)
    }

    @Test func aSingleVoteIsNotEnoughByDefault() {
        // Only fresh_address has an opinion (same types, round-free values, one input).
        let tx = shape([coin(100_000, 10)], [coin(60_123, 20), coin(38_456, 21, fresh: true)])
        #expect(ChangeRules.freshAddress(tx) == 1)
        #expect(ChangeDetector().decide(tx) == nil)
        #expect(only(.freshAddress).decide(tx)?.output == 1)
    }

    @Test func opReturnOutputsAreIgnored() throws {
        let tx = shape([coin(50_000, 10, pkh), coin(60_000, 11, pkh)],
                       [coin(80_000, 20, wpkh), opReturn(), coin(28_123, 21, pkh, fresh: true)])
        #expect(tx.changeCandidateCount == 2)
        #expect(ChangeDetector().isApplicable(tx))
        let d = try #require(ChangeDetector().decide(tx))
        #expect(d.output == 2)
        // OP_RETURN's value 0 is not "the only output below the inputs", nor a non-round output.
        #expect(ChangeRules.optimalChange(tx) == 2 && ChangeRules.roundAmount(tx) == 2)
    }

    @Test func inapplicableShapesAreSkipped() {
        let detector = ChangeDetector(.init(enabled: .all, minimumVotes: 1))
        // Coinbase.
        let coinbase = shape([], [coin(50_000, 20), coin(38_123, 21, fresh: true)], coinbase: true)
        #expect(!detector.isApplicable(coinbase) && detector.decide(coinbase) == nil)
        // One output (a sweep), and one output plus OP_RETURN.
        let sweep = shape([coin(100_000, 10)], [coin(98_123, 20, fresh: true)])
        #expect(detector.decide(sweep) == nil)
        let sweepWithData = shape([coin(100_000, 10)], [coin(98_123, 20, fresh: true), opReturn()])
        #expect(detector.decide(sweepWithData) == nil)
        for h in ChangeHeuristic.allCases { #expect(ChangeRules.vote(h, sweepWithData) == nil) }
        // An unresolved input (its funding output is not in the index).
        var unresolved = shape([coin(0, nil), coin(60_000, 11)], [coin(10_000_000, 10), coin(28_123, 21, fresh: true)])
        unresolved.unresolvedInputs = 1
        #expect(!detector.isApplicable(unresolved) && detector.decide(unresolved) == nil)
        #expect(ChangeRules.freshAddress(unresolved) == nil)
        // A candidate output without an address (bare multisig).
        let bare = shape([coin(100_000, 10)], [coin(60_000, nil, .multisig), coin(38_123, 21, fresh: true)])
        #expect(!detector.isApplicable(bare) && detector.decide(bare) == nil)
        // Three outputs are outside the default shape but inside a wider one.
        let three = shape([coin(50_000, 10, pkh), coin(60_000, 11, pkh)],
                          [coin(40_000, 20, wpkh), coin(40_000, 22, wpkh), coin(28_123, 21, pkh, fresh: true)])
        #expect(ChangeDetector().decide(three) == nil)
        var wide = ChangeDetector.Parameters.default
        wide.outputCount = 2...3
        #expect(ChangeDetector(wide).decide(three)?.output == 2)
    }

    @Test func parametersRenderStably() {
        #expect(ChangeDetector.Parameters.default.rendering
                == "change/v1 enabled=address_reuse,fresh_address,script_type,optimal_change,round_amount "
                + "min_votes=2 max_against=0 outputs=2-2 round=1e4")
        #expect(!ChangeDetector.Parameters.default.enabled.contains(.fingerprint))
        #expect(ChangeHeuristicSet(names: "fresh_address,address_reuse") == [.addressReuse, .freshAddress])
        #expect(ChangeHeuristicSet(names: "none") == [])
        #expect(ChangeHeuristicSet(names: "fresh") == nil)
        #expect(ChangeHeuristicSet.all.names == ChangeHeuristic.allCases.map(\.rawValue).joined(separator: ","))
    }

    @Test func everyHeuristicStatesItsPrecisionOrSaysItHasNone() {
        for h in ChangeHeuristic.allCases {
            let p = h.statedPrecision()
            #expect(p > 0.5 && p < 1, "\(h.rawValue)")
            if let f = h.literature {
                #expect(f.precision == p && f.source.contains("2107.05749"), "\(h.rawValue)")
            } else {
                #expect(h == .addressReuse)
            }
        }
        #expect(ChangeHeuristic.roundAmountLiterature(exponent: 3)?.precision == 0.9855)
        #expect(ChangeHeuristic.roundAmountLiterature(exponent: 9) == nil)
    }
}
