/// The rules a clustering run applies, with the parameters every report must state.
public struct ClusterRules: Sendable {
    /// CoinJoin detection for every transaction.
    public var coinJoin: @Sendable (TxShape) -> CoinJoinDetection?
    /// Change detection (extended layer only); nil disables the extended layer's change links.
    public var change: (@Sendable (TxShape) -> ChangeDecision?)?
    /// Merges joining two clusters of at least this many addresses each are flagged for review.
    public var suspiciousSize: Int
    /// The rules' parameters, rendered for reports (stable key order).
    public var parameters: [(String, String)]

    public init(
        coinJoin: @escaping @Sendable (TxShape) -> CoinJoinDetection?,
        change: (@Sendable (TxShape) -> ChangeDecision?)?,
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
