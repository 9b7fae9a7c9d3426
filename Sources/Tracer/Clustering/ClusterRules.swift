/// What the CoinJoin detection said about one transaction, as the clustering engine stores it.
public struct CoinJoinVerdict: Sendable, Equatable {
    /// The detector's name (`whirlpool`, `wasabi2`, ...).
    public var detector: String
    public var confidence: Double
    /// True when the inputs belong to several owners (co-spend must not link them).
    public var multiParty: Bool
    /// One sentence with the numbers that matched.
    public var reason: String

    public init(detector: String, confidence: Double, multiParty: Bool, reason: String) {
        self.detector = detector
        self.confidence = confidence
        self.multiParty = multiParty
        self.reason = reason
    }
}

/// The change output chosen for one transaction.
public struct ChangeVerdict: Sendable, Equatable {
    /// The output's position in the transaction.
    public var output: Int
    /// The heuristics that chose it.
    public var heuristics: [String]

    public init(output: Int, heuristics: [String]) {
        self.output = output
        self.heuristics = heuristics
    }
}

/// The rules a clustering run applies, with the parameters every report must state.
public struct ClusterRules: Sendable {
    /// CoinJoin detection for every transaction.
    public var coinJoin: @Sendable (TxShape) -> CoinJoinVerdict?
    /// Change detection (extended layer only); nil disables the extended layer's change links.
    public var change: (@Sendable (TxShape) -> ChangeVerdict?)?
    /// Merges joining two clusters of at least this many addresses each are flagged for review.
    public var suspiciousSize: Int
    /// The rules' parameters, rendered for reports (stable key order).
    public var parameters: [(String, String)]

    public init(
        coinJoin: @escaping @Sendable (TxShape) -> CoinJoinVerdict?,
        change: (@Sendable (TxShape) -> ChangeVerdict?)?,
        suspiciousSize: Int,
        parameters: [(String, String)]
    ) {
        self.coinJoin = coinJoin
        self.change = change
        self.suspiciousSize = suspiciousSize
        self.parameters = parameters
    }

    /// The parameters that decide links (everything but the review threshold): a change means the
    /// stored clusters must be rebuilt.
    public var ruleText: String { parameters.map { "\($0.0)=\($0.1)" }.joined(separator: "; ") }

    /// The parameters as one line of `key=value` pairs (stored with every run).
    public var parameterText: String {
        (parameters + [("suspicious_size", String(suspiciousSize))]).map { "\($0.0)=\($0.1)" }.joined(separator: "; ")
    }
}
