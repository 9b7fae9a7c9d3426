import ChainIndex
import Foundation
import GRDB

/// A tag as cluster and address queries show it.
public struct TagView: Codable, Sendable, Equatable {
    public var id: Int64
    /// The tagged address, or nil for a tag placed on a cluster id.
    public var address: String?
    /// The tagged cluster id, for a tag placed on a cluster.
    public var cluster: Int64?
    public var label: String
    public var category: String
    public var source: String
    /// 0–100.
    public var confidence: Int
    public var context: String?
    public var caseRef: String?
    public var author: String?
    public var created: String
    public var isPrivate: Bool
    /// The `tag_import` row of the file the tag came from.
    public var importBatch: Int64?

    enum CodingKeys: String, CodingKey {
        case id, address, cluster, label, category, source, confidence, context, author, created
        case caseRef = "case_ref", isPrivate = "private", importBatch = "import_batch"
    }

    /// The tag as stored; `hidePrivate` (partner-facing output) replaces a private tag's source
    /// with `private` and leaves out its context, which could give the source away.
    public init(_ stored: StoredTag, hidePrivate: Bool = false) {
        let t = stored.tag
        let hide = hidePrivate && t.isPrivate
        id = stored.id
        address = t.target.address
        cluster = t.target.cluster
        label = t.label
        category = t.category.rawValue
        source = hide ? TagWriter.hiddenSource : t.source
        confidence = t.confidence.value
        context = hide ? nil : t.context
        caseRef = t.caseRef
        author = t.author
        created = TagTime.format(t.created)
        isPrivate = t.isPrivate
        importBatch = stored.importBatch
    }
}

/// Two categories on one cluster that cannot both be true (shown, never resolved).
public struct TagConflictView: Codable, Sendable, Equatable {
    public var first: String
    public var second: String
    public var rule: String
    public var firstTags: [Int64]
    public var secondTags: [Int64]

    enum CodingKeys: String, CodingKey { case first, second, rule, firstTags = "first_tags", secondTags = "second_tags" }
}

/// The attribution of a cluster: every tag on a member address or on the cluster (or a cluster
/// merged into it), and the conflicts among them.
public struct ClusterAttribution: Codable, Sendable, Equatable {
    public var tags: [TagView]
    public var conflicts: [TagConflictView]
}

extension ClusterQueries {
    /// Tags that apply to a cluster: on any member address, or on a cluster id that is a member.
    /// (A cluster's id is its oldest address's id, so a tag placed on cluster X follows address X
    /// through merges and rebuilds.) Empty when no tag was ever imported.
    public func attribution(cluster: Int64, layer: ClusterLayer) throws -> ClusterAttribution {
        let ids: [Int64] = try store.read { db in
            guard try db.tableExists("tag") else { return [] }
            return try Int64.fetchAll(db, sql: Self.memberCTE + """
                SELECT t.id FROM tag t JOIN address a ON substr(a.key, 3, 8) = substr(t.address_key, 3, 8) AND a.key = t.address_key
                WHERE t.address_key IS NOT NULL AND a.id IN (SELECT address FROM members)
                UNION SELECT t.id FROM tag t WHERE t.cluster IN (SELECT address FROM members)
                """, arguments: ["cluster": cluster, "layer": layer.rawValue])
        }
        guard !ids.isEmpty else { return ClusterAttribution(tags: [], conflicts: []) }
        let tagStore = try TagStore(index: store, network: network)
        let stored = try tagStore.tags(ids: ids)
        let conflicts = tagStore.conflicts(stored, cluster: cluster).map {
            TagConflictView(first: $0.first.rawValue, second: $0.second.rawValue, rule: $0.rule.rawValue,
                            firstTags: $0.firstTags, secondTags: $0.secondTags)
        }
        return ClusterAttribution(tags: stored.map { TagView($0) }, conflicts: conflicts)
    }

    /// Tags placed on one address (not its cluster).
    public func addressTags(_ text: String) throws -> [TagView] {
        let hasTags = try store.read { db in try db.tableExists("tag") }
        guard hasTags else { return [] }
        return try TagStore(index: store, network: network).tags(address: text).map { TagView($0) }
    }
}
