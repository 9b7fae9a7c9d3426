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
        let detectCoinJoin: @Sendable (TxShape) -> CoinJoinVerdict? = { tx in
            guard let d = coinJoin.detect(tx) else { return nil }
            return CoinJoinVerdict(detector: d.kind.rawValue, confidence: d.confidence, multiParty: d.multiParty, reason: d.reason)
        }
        let detectChange: @Sendable (TxShape) -> ChangeVerdict? = { tx in
            guard let d = changeDetector.decide(tx) else { return nil }
            return ChangeVerdict(output: d.output, heuristics: d.votesFor.heuristics.map { $0.rawValue })
        }
        return ClusterRules(coinJoin: detectCoinJoin, change: change ? detectChange : nil,
                            suspiciousSize: suspiciousSize, parameters: parameters)
    }
}
