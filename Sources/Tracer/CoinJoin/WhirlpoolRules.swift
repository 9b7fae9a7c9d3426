import ChainIndex

// Samourai / Ashigaru Whirlpool.
// Sources: https://docs.samourai.io/en/whirlpool (pools and fees);
// https://planb.academy/courses/65c138b0-4161-4958-bbe3-c12916bc959c (5–8 participant "surge cycles");
// whirlpool-client `Tx0Service` (OP_RETURN fee payload, premix = denomination + miner-fee share,
// bounded by the pool's `mustMixBalanceMin/Cap/Max`); Dumplings `Scanner.cs` (5-in/5-out rule).

extension CoinJoinDetector {
    /// A Whirlpool Tx0: exactly one OP_RETURN, k ≥ 2 P2WPKH outputs at distinct addresses of one
    /// value a little above a pool denomination (premix), and at most
    /// ``Parameters/whirlpoolTx0MaxOtherOutputs`` other outputs (coordinator fee, change).
    /// Single owner: reported with `multiParty == false`.
    func whirlpoolTx0(_ tx: TxShape, _ profile: TxProfile) -> CoinJoinDetection? {
        guard profile.nullDataOutputs == 1 else { return nil }
        for group in profile.groups {
            guard group.commonType == .witnessV0KeyHash, group.distinctAddresses == group.count else { continue }
            guard let pool = parameters.whirlpoolPools.first(where: {
                group.value > $0.denomination && group.value - $0.denomination <= parameters.whirlpoolMaxPremixExcess
            }) else { continue }
            let others = tx.outputs.filter { $0.type != .nulldata && $0.value != group.value }
            guard others.count <= parameters.whirlpoolTx0MaxOtherOutputs else { continue }
            let feeOutput = others.first { pool.fees.contains($0.value) }
            let excess = group.value - pool.denomination
            var reason = "Whirlpool Tx0: 1 OP_RETURN output, \(group.count) premix outputs of \(group.value) sat "
                + "(\(Satoshis.btc(pool.denomination)) BTC pool + \(excess) sat miner-fee allowance), "
            if let fee = feeOutput {
                reason += "coordinator fee output of \(fee.value) sat, \(others.count - 1) other output(s)"
            } else {
                reason += "no output equal to the pool fee (\(pool.fees.map(String.init).joined(separator: " or ")) sat), "
                    + "\(others.count) other output(s)"
            }
            return CoinJoinDetection(kind: .whirlpoolTx0, confidence: feeOutput == nil ? 0.85 : 0.95, multiParty: false,
                                     reason: reason)
        }
        return nil
    }

    /// A Whirlpool mix: n inputs and n outputs with n in ``Parameters/whirlpoolMixSizes``, every
    /// output exactly a pool denomination, P2WPKH, at n distinct addresses; every input P2WPKH
    /// from n distinct addresses, worth the denomination (remix) up to the denomination plus
    /// ``Parameters/whirlpoolMaxPremixExcess`` (premix).
    func whirlpoolMix(_ tx: TxShape, _ profile: TxProfile) -> CoinJoinDetection? {
        let n = tx.inputs.count
        guard n == tx.outputs.count, parameters.whirlpoolMixSizes.contains(n), profile.groups.count == 1 else { return nil }
        let group = profile.groups[0]
        guard group.count == n, group.distinctAddresses == n, group.commonType == .witnessV0KeyHash,
              let pool = parameters.whirlpoolPools.first(where: { $0.denomination == group.value }) else { return nil }
        guard profile.inputsResolved, profile.distinctInputAddresses == n else { return nil }
        var remixes = 0
        for input in tx.inputs {
            guard input.type == .witnessV0KeyHash, input.value >= pool.denomination,
                  input.value - pool.denomination <= parameters.whirlpoolMaxPremixExcess else { return nil }
            if input.value == pool.denomination { remixes += 1 }
        }
        let reason = "\(n) inputs, \(n) outputs of \(group.value) sat (Whirlpool \(Satoshis.btc(pool.denomination)) BTC pool); "
            + "\(n - remixes) premix input(s) above the denomination, \(remixes) remix input(s) at it"
        return CoinJoinDetection(kind: .whirlpool, confidence: 0.99, multiParty: true, reason: reason)
    }
}
