import ChainIndex

/// The vote of each change heuristic on one transaction: the index (into ``TxShape/outputs``) of
/// the output it takes for change, or nil when it has no opinion.
///
/// Every rule abstains on coinbases, on transactions with an unresolved input, and on
/// transactions with fewer than two candidate outputs (OP_RETURN outputs are never candidates and
/// do not count). Every rule needs its condition to single out exactly one candidate: a tie is no
/// vote. The rules allocate nothing.
public enum ChangeRules {
    /// The vote of `heuristic` on `tx`. `spenders` (one entry per output, aligned with
    /// ``TxShape/outputs``: the fingerprint of the transaction spending that output, nil when
    /// unspent or unknown) is only read by ``ChangeHeuristic/fingerprint``, which abstains without it.
    public static func vote<S: RandomAccessCollection<TxFingerprint?>>(
        _ heuristic: ChangeHeuristic, _ tx: TxShape, roundAmountExponent: Int = 4, spenders: S?
    ) -> Int? where S.Index == Int {
        switch heuristic {
        case .addressReuse: return addressReuse(tx)
        case .freshAddress: return freshAddress(tx)
        case .scriptType: return scriptType(tx)
        case .optimalChange: return optimalChange(tx)
        case .roundAmount: return roundAmount(tx, exponent: roundAmountExponent)
        case .fingerprint: return spenders.flatMap { fingerprint(tx, spenders: $0) }
        }
    }

    /// The vote of `heuristic` on `tx` without spender data.
    public static func vote(_ heuristic: ChangeHeuristic, _ tx: TxShape, roundAmountExponent: Int = 4) -> Int? {
        vote(heuristic, tx, roundAmountExponent: roundAmountExponent, spenders: nil as [TxFingerprint?]?)
    }

    /// `address_reuse`: the one candidate output that pays an address the inputs spend from (the
    /// wallet sent its change back to an input address). Two or more such outputs: no vote.
    public static func addressReuse(_ tx: TxShape) -> Int? {
        guard applies(tx) else { return nil }
        return unique(tx) { tx.paysInputAddress($0) }
    }

    /// `fresh_address` (Meiklejohn et al. 2013): the one candidate output whose address appears on
    /// chain for the first time, when every other candidate pays an address seen before. Abstains
    /// when any output pays an input address (self-change is ``addressReuse``'s case, and there a
    /// fresh output is the payment).
    public static func freshAddress(_ tx: TxShape) -> Int? {
        guard applies(tx) else { return nil }
        for i in tx.outputs.indices where tx.isChangeCandidate(i) && tx.paysInputAddress(i) { return nil }
        return unique(tx) { tx.outputs[$0].fresh && tx.outputs[$0].address != nil }
    }

    /// `script_type`: when all inputs have one script type, the one candidate output of that type.
    /// P2SH-wrapped segwit counts as P2SH (it is indistinguishable until spent).
    public static func scriptType(_ tx: TxShape) -> Int? {
        guard applies(tx), let type = tx.commonInputType else { return nil }
        return unique(tx) { tx.outputs[$0].type == type }
    }

    /// `optimal_change`: the one candidate output smaller than the smallest input. A wallet that
    /// needed every input (none was superfluous) leaves a change smaller than each input; the
    /// payment may be larger. With one input both outputs are usually smaller: no vote.
    public static func optimalChange(_ tx: TxShape) -> Int? {
        guard applies(tx), let smallest = tx.smallestInputValue else { return nil }
        return unique(tx) { tx.outputs[$0].value < smallest }
    }

    /// `round_amount`: the one candidate output whose value is not a multiple of 10^`exponent`
    /// satoshis, when every other candidate's value is. Payments are often round, change is what
    /// is left after the fee and almost never is.
    public static func roundAmount(_ tx: TxShape, exponent: Int = 4) -> Int? {
        guard applies(tx) else { return nil }
        return unique(tx) { !TxShape.isRound(tx.outputs[$0].value, exponent: exponent) }
    }

    /// `fingerprint`: the one candidate output spent by a transaction with the same
    /// ``TxFingerprint`` as `tx`, when every other candidate is spent by a transaction with a
    /// different one. `spenders[i]` is the fingerprint of the transaction spending output `i`, nil
    /// when unspent or unknown; a wrong length is no vote.
    public static func fingerprint<S: RandomAccessCollection<TxFingerprint?>>(_ tx: TxShape, spenders: S) -> Int?
    where S.Index == Int {
        guard applies(tx), spenders.count == tx.outputs.count else { return nil }
        let own = TxFingerprint(tx)
        var match: Int?
        for i in tx.outputs.indices where tx.isChangeCandidate(i) {
            guard let s = spenders[spenders.startIndex + i] else { return nil }   // unspent: undecidable
            if s == own {
                if match != nil { return nil }
                match = i
            }
        }
        return match
    }

    /// True when the change rules can say anything about `tx`.
    static func applies(_ tx: TxShape) -> Bool {
        !tx.isCoinbase && !tx.inputs.isEmpty && tx.inputsResolved && tx.changeCandidateCount >= 2
    }

    /// The one candidate output satisfying `condition`, or nil for none or several.
    static func unique(_ tx: TxShape, _ condition: (Int) -> Bool) -> Int? {
        var found: Int?
        for i in tx.outputs.indices where tx.isChangeCandidate(i) && condition(i) {
            if found != nil { return nil }
            found = i
        }
        return found
    }
}
