/// The rules `spoor cluster` applies: the documented CoinJoin detectors and change detector
/// (`docs/heuristics.md`) with their default parameters.
public enum StandardRules {
    /// Merges joining two clusters of at least this many addresses each are flagged for review.
    public static let defaultSuspiciousSize = 1000

    /// The standard rules; `change: false` leaves the extended layer equal to the strict one.
    public static func make(suspiciousSize: Int = defaultSuspiciousSize, change: Bool = true) -> ClusterRules {
        let coinJoin = CoinJoinDetector()
        let changeDetector = ChangeDetector()
        let parameters: [(String, String)] = [
            ("clustering", "spoor-cluster/v1"),
            ("coinjoin", coinJoin.parameters.description),
            ("change", change ? changeDetector.parameters.rendering : "off"),
        ]
        let detectCoinJoin: @Sendable (TxShape) -> CoinJoinDetection? = { coinJoin.detect($0) }
        let detectChange: @Sendable (TxShape) -> ChangeDecision? = { changeDetector.decide($0) }
        return ClusterRules(coinJoin: detectCoinJoin, change: change ? detectChange : nil,
                            suspiciousSize: suspiciousSize, parameters: parameters)
    }
}
