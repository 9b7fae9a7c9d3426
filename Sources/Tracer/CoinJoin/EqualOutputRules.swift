import ChainIndex

// JoinMarket and the generic equal-output rule.
// Sources: JoinMarket protocol (taker + makers; every participant receives the CoinJoin amount,
// makers a change output, the taker one unless sweeping; all participants use the taker's script
// type; lock time from `jmclient/wallet.py: compute_tx_locktime`):
// https://github.com/JoinMarket-Org/joinmarket-clientserver; Möser & Böhme, "Join Me on a Market for
// Anonymity" (WEIS 2016); Dumplings
// `Scanner.cs` "other CoinJoin" rule (one equal group, as many other outputs, distinct scripts on
// both sides, largest input ≤ equal value + largest other output).

extension CoinJoinDetector {
    /// The equal-output group a participant-based rule looks at, with the outputs outside it.
    struct EqualShape {
        var value: Int64
        /// Participants: equal outputs, all at distinct addresses.
        var n: Int
        /// Outputs not in the group (changes).
        var others: [TxShape.Coin]
        var maxOther: Int64 { others.map(\.value).max() ?? 0 }
    }

    /// The largest equal group when it can be n participants each paid once: n ≥ `minimum` outputs
    /// at n distinct addresses (equal outputs paying the same address are not mixing), n−1 or n other
    /// outputs (at most one change each; every participant but possibly one has change), no
    /// OP_RETURN, no output paying an input's address, at least n inputs from at least n addresses,
    /// and no input larger than the equal
    /// value plus the largest change plus the fee slack (an input cannot fund more than one
    /// participant's outputs).
    func equalShape(_ tx: TxShape, _ profile: TxProfile, minimum: Int) -> EqualShape? {
        let group = profile.groups[0]
        let n = group.count
        guard n >= minimum, group.distinctAddresses == n, profile.nullDataOutputs == 0,
              !profile.outputPaysInputAddress else { return nil }
        let otherCount = tx.outputs.count - n
        guard otherCount >= n - 1, otherCount <= n else { return nil }
        guard tx.inputs.count >= n, profile.distinctInputAddresses >= n else { return nil }
        let others = tx.outputs.filter { $0.value != group.value }
        let shape = EqualShape(value: group.value, n: n, others: others)
        let slack = parameters.joinMarketFeeSlack + Int64(parameters.joinMarketFeeSlackFraction * Double(group.value))
        guard profile.maxInputValue <= group.value + shape.maxOther + slack else { return nil }
        return shape
    }

    /// JoinMarket: an ``equalShape(_:_:minimum:)`` with n ≥ ``Parameters/joinMarketMinParticipants``
    /// whose outputs all share one script type among P2WPKH, P2SH (P2SH-P2WPKH wallets) and P2PKH
    /// (pre-2017 wallets). Confidence rises when the inputs share that type too and the transaction
    /// carries an anti-fee-sniping lock time with sequence 0xFFFFFFFE on every input (JoinMarket's
    /// `compute_tx_locktime` and `NON_RBF_LOCKTIME_SEQUENCE`): `fingerprint` reports the latter.
    func joinMarket(_ tx: TxShape, _ profile: TxProfile) -> (detection: CoinJoinDetection, fingerprint: Bool)? {
        guard let shape = equalShape(tx, profile, minimum: parameters.joinMarketMinParticipants) else { return nil }
        let type = tx.outputs[0].type
        guard [.witnessV0KeyHash, .scripthash, .pubkeyhash].contains(type),
              tx.outputs.allSatisfy({ $0.type == type }) else { return nil }
        let inputsSameType = tx.inputs.allSatisfy { $0.type == type }
        let antiSniping = tx.locktime > 0 && tx.sequences.allSatisfy { $0 == 0xFFFF_FFFE }
        let confidence = inputsSameType ? (antiSniping ? 0.85 : 0.8) : (antiSniping ? 0.75 : 0.7)
        let reason = "\(tx.inputs.count) inputs from \(profile.distinctInputAddresses) addresses, \(shape.n) equal outputs of "
            + "\(shape.value) sat and \(shape.others.count) change outputs, all \(type.coreName)"
            + (inputsSameType ? " (inputs too)" : "") + (antiSniping ? ", lock time set with sequence 0xfffffffe" : "")
            + " (JoinMarket: \(shape.n) participants)"
        return (CoinJoinDetection(kind: .joinmarket, confidence: confidence, multiParty: true, reason: reason), antiSniping)
    }

    /// Generic equal-output CoinJoin: an ``equalShape(_:_:minimum:)`` with n ≥
    /// ``Parameters/genericMinParticipants`` and only one group of equal outputs.
    func genericEqualOutput(_ tx: TxShape, _ profile: TxProfile) -> CoinJoinDetection? {
        guard profile.groups.count == 1,
              let shape = equalShape(tx, profile, minimum: parameters.genericMinParticipants) else { return nil }
        let reason = "\(tx.inputs.count) inputs from \(profile.distinctInputAddresses) addresses, \(shape.n) equal outputs of "
            + "\(shape.value) sat at distinct addresses and \(shape.others.count) other outputs (equal-output CoinJoin "
            + "of no recognised implementation)"
        return CoinJoinDetection(kind: .genericEqualOutput, confidence: 0.6, multiParty: true, reason: reason)
    }
}
