import ChainIndex

/// Recognises multi-party CoinJoin transactions (Whirlpool, Wasabi 1.x, Wasabi 2.x / WabiSabi,
/// JoinMarket, other equal-output CoinJoins) and the single-owner Whirlpool Tx0.
///
/// The clustering engine applies the multi-input (co-spend) heuristic to every transaction except
/// those this detector reports with ``CoinJoinDetection/multiParty`` set. Each rule, its thresholds
/// (``Parameters``), its vetoes and its sources are documented in `docs/heuristics.md`.
///
/// Rules are tried from the most specific to the most general; the first that matches names the
/// transaction: Whirlpool Tx0, Whirlpool mix, Wasabi 2, JoinMarket with its lock-time fingerprint, Wasabi 1,
/// JoinMarket without it, generic equal-output.
public struct CoinJoinDetector: Sendable {
    /// The thresholds in use (state them in every report).
    public let parameters: Parameters

    public init(parameters: Parameters = .default) {
        self.parameters = parameters
    }

    /// Outputs counts up to which the repeated-value pre-check is a pairwise scan; larger
    /// transactions (rare) go straight to the full analysis.
    static let fastScanLimit = 32

    /// Classifies one transaction.
    ///
    /// Transactions without two non-OP_RETURN outputs of equal value (nearly all of them) are
    /// rejected by ``hasRepeatedOutputValue(_:)`` without allocating.
    /// - Returns: the detection, or nil when no rule matches.
    /// - Complexity: O(1) allocations and O(n²) comparisons for n ≤ 32 outputs when rejected by the
    ///   pre-check; otherwise O((n + m) log n) for n outputs and m inputs.
    public func detect(_ tx: TxShape) -> CoinJoinDetection? {
        guard !tx.isCoinbase, !tx.inputs.isEmpty, Self.hasRepeatedOutputValue(tx.outputs) else { return nil }
        let profile = TxProfile(tx)
        guard !profile.groups.isEmpty else { return nil }
        if let d = whirlpoolTx0(tx, profile) { return d }
        if let d = whirlpoolMix(tx, profile) { return d }
        if let d = wabiSabi(tx, profile) { return d }
        // A JoinMarket shape with JoinMarket's lock-time fingerprint outranks Wasabi 1 (a JoinMarket
        // amount near 0.1 BTC fits both); without the fingerprint Wasabi 1 is tried first.
        let market = joinMarket(tx, profile)
        if let market, market.fingerprint { return market.detection }
        if let d = wasabi1(tx, profile) { return d }
        if let market { return market.detection }
        return genericEqualOutput(tx, profile)
    }

    /// True when two outputs other than OP_RETURN carry the same value, or when there are more than
    /// ``fastScanLimit`` outputs (then the full analysis decides). Allocation-free.
    public static func hasRepeatedOutputValue(_ outputs: [TxShape.Coin]) -> Bool {
        let n = outputs.count
        guard n >= 2 else { return false }
        guard n <= fastScanLimit else { return true }
        for i in 1..<n where outputs[i].type != .nulldata {
            let v = outputs[i].value
            for j in 0..<i where outputs[j].value == v && outputs[j].type != .nulldata {
                return true
            }
        }
        return false
    }
}
