import ChainIndex
import Foundation
import GRDB

/// Cluster ids, sizes and tags of one layer, cached for the life of one query (one read
/// transaction). Tags are gathered once for the whole index, each resolved to its cluster, so a
/// report naming a large cluster (an exchange) never materialises that cluster's members.
///
/// Same attribution rule as ``ClusterQueries/attribution(cluster:layer:)``: a tag applies to the
/// cluster of its address, or to the cluster of the address whose id it names.
final class ClusterDirectory {
    let layer: ClusterLayer
    private var roots: [Int64: Int64] = [:]
    private var sizes: [Int64: Int] = [:]
    private var tagsByCluster: [Int64: [StoredTag]] = [:]

    /// Every tag of the index with the address (or address id naming a cluster) it is placed on.
    /// Read in its own transaction, before the query's: the tags themselves come from
    /// ``TagStore``, which cannot be used inside another database access.
    static func loadTags(store: IndexStore, network: Network) throws -> [(tag: StoredTag, address: Int64)] {
        let targets: [(Int64, Int64)] = try store.read { db in
            guard try db.tableExists("tag") else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT t.id, a.id FROM tag t JOIN address a ON substr(a.key, 3, 8) = substr(t.address_key, 3, 8) AND a.key = t.address_key
                WHERE t.address_key IS NOT NULL
                UNION ALL SELECT t.id, t.cluster FROM tag t WHERE t.cluster IS NOT NULL
                """).map { ($0[0], $0[1]) }
        }
        guard !targets.isEmpty else { return [] }
        let stored = try TagStore(index: store, network: network).tags(ids: targets.map(\.0))
        var byId: [Int64: StoredTag] = [:]
        for t in stored { byId[t.id] = t }
        return targets.compactMap { target in byId[target.0].map { ($0, target.1) } }
    }

    /// A directory for `layer`; `tags` from ``loadTags(store:network:)`` are resolved to their
    /// current clusters.
    init(_ db: Database, layer: ClusterLayer, tags: [(tag: StoredTag, address: Int64)]) throws {
        self.layer = layer
        for t in tags {
            let c = try root(db, storedCluster: try storedCluster(db, address: t.address))
            tagsByCluster[c, default: []].append(t.tag)
        }
        for c in tagsByCluster.keys { tagsByCluster[c]?.sort { $0.id < $1.id } }
    }

    /// The stored cluster of an address (itself when it is on its own), before following merges.
    func storedCluster(_ db: Database, address: Int64) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT cluster FROM cluster_address WHERE layer = ? AND address = ?"),
                           arguments: [layer.rawValue, address]) ?? address
    }

    /// The current cluster of a stored cluster id: follows `merged_into` pointers (cached).
    func root(_ db: Database, storedCluster c: Int64) throws -> Int64 {
        if let r = roots[c] { return r }
        var at = c
        var hops = 0
        let statement = try db.cachedStatement(sql: "SELECT merged_into FROM cluster_info WHERE layer = ? AND id = ?")
        while let next = try Int64.fetchOne(statement, arguments: [layer.rawValue, at]), hops < 1_000_000 {
            if let known = roots[next] { at = known; break }
            at = next
            hops += 1
        }
        roots[c] = at
        return at
    }

    /// Addresses in a cluster (1 for an address on its own).
    func size(_ db: Database, cluster: Int64) throws -> Int {
        if let s = sizes[cluster] { return s }
        let s = try Int.fetchOne(db.cachedStatement(sql: "SELECT size FROM cluster_info WHERE layer = ? AND id = ?"),
                                 arguments: [layer.rawValue, cluster]) ?? 1
        sizes[cluster] = s
        return s
    }

    /// A cluster with its size, tags and tag conflicts.
    func describe(_ db: Database, cluster: Int64) throws -> PaymentCluster {
        let tags = tagsByCluster[cluster] ?? []
        let conflicts = TagConflictRules.conflicts(tags, cluster: cluster).map {
            TagConflictView(first: $0.first.rawValue, second: $0.second.rawValue, rule: $0.rule.rawValue,
                            firstTags: $0.firstTags, secondTags: $0.secondTags)
        }
        return PaymentCluster(
            id: cluster, size: try size(db, cluster: cluster),
            tags: tags.map {
                PaymentTag(id: $0.id, label: $0.tag.label, category: $0.tag.category.rawValue, source: $0.tag.source,
                           confidence: $0.tag.confidence.value, isPrivate: $0.tag.isPrivate)
            },
            tagConflicts: conflicts)
    }
}
