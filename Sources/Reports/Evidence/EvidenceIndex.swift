import ChainIndex
import Foundation
import Tracer

/// What a report needs from the index besides the stored findings: the provenance of the data,
/// and the tags of the clusters a finding names (a trace result carries labels and categories,
/// not sources and confidences).
public protocol EvidenceIndex {
    /// Import runs, tip, network (`IndexStore.status()`).
    func status() throws -> IndexStatus
    /// Every tag that applies to `cluster` in `layer` (`strict` or `extended`).
    func tags(cluster: Int64, layer: String) throws -> [TagView]
}

/// ``EvidenceIndex`` over a Spoor index file.
public struct IndexEvidenceSource: EvidenceIndex {
    public let store: IndexStore
    private let queries: ClusterQueries

    public init(store: IndexStore) throws {
        self.store = store
        queries = try ClusterQueries(store: store)
    }

    public func status() throws -> IndexStatus { try store.status() }

    public func tags(cluster: Int64, layer: String) throws -> [TagView] {
        try queries.attribution(cluster: cluster, layer: layer == "extended" ? .extended : .strict).tags
    }
}
