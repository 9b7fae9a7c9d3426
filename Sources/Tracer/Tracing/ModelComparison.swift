/// The three taint models side by side: a conclusion that depends on the model must say so.
public struct ModelComparison: Sendable, Codable, Equatable {
    /// One attributed cluster reached under at least one model.
    public struct Row: Sendable, Codable, Equatable {
        public var cluster: Int64
        public var categories: [String]
        public var labels: [String]
        /// Traced satoshis reaching it per model (`poison`, `haircut`, `fifo`); absent when not reached.
        public var amounts: [String: Int64]
        /// Fewest hops per model.
        public var hops: [String: Int]
        /// True when some model does not reach it, or the amounts differ.
        public var modelDependent: Bool

        enum CodingKeys: String, CodingKey { case cluster, categories, labels, amounts, hops, modelDependent = "model_dependent" }
    }

    public var rows: [Row]
    /// True when any row is model-dependent.
    public var modelDependent: Bool

    /// Compares results of the same trace under different models.
    public init(_ results: [TraceResult]) {
        var byCluster: [Int64: Row] = [:]
        for r in results {
            let model = r.parameters.model.rawValue
            for p in r.paths {
                var row = byCluster[p.cluster] ?? Row(cluster: p.cluster, categories: p.categories, labels: p.labels, amounts: [:], hops: [:],
                                                      modelDependent: false)
                row.amounts[model, default: 0] += p.amount
                row.hops[model] = min(row.hops[model] ?? Int.max, p.hops)
                byCluster[p.cluster] = row
            }
        }
        rows = byCluster.values.map { row in
            var r = row
            r.modelDependent = r.amounts.count < results.count || Set(r.amounts.values).count > 1
            return r
        }.sorted { ($0.amounts.values.max() ?? 0, $1.cluster) > ($1.amounts.values.max() ?? 0, $0.cluster) }
        modelDependent = rows.contains { $0.modelDependent }
    }
}
