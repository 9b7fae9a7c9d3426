import ChainIndex

// Wasabi Wallet 1.x (ZeroLink) and 2.x (WabiSabi).
// Sources: Dumplings `Scanner.cs` and `Constants.cs` (Wasabi 1: ≥ 10 equal outputs within 0.02 BTC of
// 0.1 BTC, inputs ≥ equal outputs); WalletWasabi `SmartTransaction.IsWasabi2Cj` (Wasabi 2: ≥ 50 inputs,
// > 80 % of outputs standard denominations, outputs ordered by value descending).

extension CoinJoinDetector {
    /// Wasabi 2 (WabiSabi): at least ``Parameters/wabiSabiMinInputs`` inputs from at least
    /// ``Parameters/wabiSabiMinDistinctInputAddresses`` addresses, at least
    /// ``Parameters/wabiSabiMinOutputs`` outputs in non-increasing value order, more than
    /// ``Parameters/wabiSabiMinStandardShare`` of them standard denominations, and at least one
    /// standard denomination paid to two or more distinct addresses.
    func wabiSabi(_ tx: TxShape, _ profile: TxProfile) -> CoinJoinDetection? {
        let p = parameters
        guard tx.inputs.count >= p.wabiSabiMinInputs, tx.outputs.count >= p.wabiSabiMinOutputs,
              profile.distinctInputAddresses >= p.wabiSabiMinDistinctInputAddresses else { return nil }
        for i in 1..<tx.outputs.count where tx.outputs[i].value > tx.outputs[i - 1].value { return nil }
        var standard = 0
        for output in tx.outputs where StandardDenominations.contains(output.value) { standard += 1 }
        guard Double(standard) > p.wabiSabiMinStandardShare * Double(tx.outputs.count) else { return nil }
        guard let largest = profile.groups.first(where: { StandardDenominations.contains($0.value) && $0.distinctAddresses >= 2 })
        else { return nil }
        let percent = standard * 100 / tx.outputs.count
        let reason = "\(tx.inputs.count) inputs from \(profile.distinctInputAddresses) addresses, \(tx.outputs.count) outputs "
            + "in descending value order, \(standard) (\(percent)%) of them standard WabiSabi denominations; "
            + "largest equal group \(largest.count) outputs of \(largest.value) sat"
        let confidence = tx.inputs.count >= p.wabiSabiStrongInputs ? 0.95 : 0.85
        return CoinJoinDetection(kind: .wasabi2, confidence: confidence, multiParty: true, reason: reason)
    }

    /// Wasabi 1 (ZeroLink): the largest group of equal outputs whose value lies within
    /// ``Parameters/wasabi1Tolerance`` of ``Parameters/wasabi1BaseDenomination`` has n ≥
    /// ``Parameters/wasabi1MinEqualOutputs`` outputs at n distinct addresses; inputs ≥ n from ≥ n
    /// addresses. Below ``Parameters/wasabi1StrongEqualOutputs`` equal outputs the round must also
    /// look like one: at most n + 1 outputs besides the base and mixing-level outputs (within 1 % of
    /// 2, 4, 8 or 16 times the denomination): one change per participant and the coordinator fee;
    /// and no output may pay an input's address.
    func wasabi1(_ tx: TxShape, _ profile: TxProfile) -> CoinJoinDetection? {
        let p = parameters
        guard let group = profile.groups.first(where: { abs($0.value - p.wasabi1BaseDenomination) <= p.wasabi1Tolerance })
        else { return nil }
        let n = group.count
        guard n >= p.wasabi1MinEqualOutputs, group.distinctAddresses == n, tx.inputs.count >= n,
              profile.distinctInputAddresses >= n else { return nil }
        // Mixing levels: outputs within 1 % of 2, 4, 8 or 16 times the round's denomination.
        var levelOutputs = 0
        for output in tx.outputs where output.value != group.value {
            for k in 1...4 where abs(output.value - group.value << Int64(k)) <= (group.value << Int64(k)) / 100 {
                levelOutputs += 1
                break
            }
        }
        let rest = tx.outputs.count - n - levelOutputs
        let strong = n >= p.wasabi1StrongEqualOutputs
        if !strong && (rest > n + 1 || profile.outputPaysInputAddress) { return nil }
        let reason = "\(tx.inputs.count) inputs from \(profile.distinctInputAddresses) addresses, \(n) outputs of \(group.value) sat "
            + "(Wasabi 1 denomination, within \(Satoshis.btc(p.wasabi1Tolerance)) BTC of \(Satoshis.btc(p.wasabi1BaseDenomination)) BTC), "
            + "\(levelOutputs) mixing-level output(s), \(rest) other output(s)"
        return CoinJoinDetection(kind: .wasabi1, confidence: strong ? 0.95 : 0.8, multiParty: true, reason: reason)
    }
}
