/// The verdict of ``CoinJoinDetector`` on one transaction: which CoinJoin shape matched, how sure
/// the rule is, whether the inputs belong to several owners, and why (one sentence with the
/// numbers that matched, for reports and court exhibits).
public struct CoinJoinDetection: Sendable, Equatable {
    /// The rule that matched.
    public var kind: CoinJoinDetector.Kind
    /// How strongly the shape indicates the named protocol, in 0...1. A fixed value per rule and
    /// branch (see `docs/heuristics.md`), not a calibrated probability.
    public var confidence: Double
    /// True when the inputs are believed to belong to several owners: the multi-input (co-spend)
    /// heuristic must not be applied. False for single-owner shapes such as a Whirlpool Tx0.
    public var multiParty: Bool
    /// One human sentence with the counts and values that matched.
    public var reason: String

    public init(kind: CoinJoinDetector.Kind, confidence: Double, multiParty: Bool, reason: String) {
        self.kind = kind
        self.confidence = min(1, max(0, confidence))
        self.multiParty = multiParty
        self.reason = reason
    }
}

extension CoinJoinDetector {
    /// The CoinJoin shapes the detector names. Raw values are stable: they are written to reports
    /// and to the ground-truth files of the synthetic chains (`truth/coinjoins.csv`).
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// A Samourai/Ashigaru Whirlpool mix: 5–8 inputs, as many outputs of exactly one pool denomination.
        case whirlpool
        /// A Whirlpool Tx0: one owner splits coins into premix outputs (single owner, not a mix).
        case whirlpoolTx0 = "whirlpool_tx0"
        /// A Wasabi 1.x (ZeroLink) round: many equal outputs near 0.1 BTC.
        case wasabi1
        /// A Wasabi 2.x (WabiSabi) round: outputs from the standard denominations, ordered by value.
        case wasabi2
        /// A JoinMarket CoinJoin: n equal outputs, n−1 or n change outputs.
        case joinmarket
        /// An equal-output CoinJoin of no recognised implementation.
        case genericEqualOutput = "generic_equal_output"

        /// True when the kind names a transaction of several owners.
        public var isMultiParty: Bool { self != .whirlpoolTx0 }
    }
}
