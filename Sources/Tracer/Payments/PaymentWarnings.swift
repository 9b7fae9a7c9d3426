import GRDB

/// Conditions that limit a payments report, stated in the report rather than left for the reader
/// to discover.
enum PaymentWarnings {
    static func collect(_ db: Database, sellerClusters: [PaymentCluster], directory: ClusterDirectory) throws -> [String] {
        var out: [String] = []
        let lastTx = try Int64.fetchOne(db, sql: "SELECT last_tx FROM cluster_progress WHERE id = 1") ?? 0
        let newer = try Int.fetchOne(db, sql: "SELECT count(*) FROM tx WHERE id > ?", arguments: [lastTx]) ?? 0
        if newer > 0 {
            out.append("\(newer) transaction(s) were imported after the last clustering run and are not clustered: "
                       + "payments to addresses first seen there are missing (run `spoor cluster`)")
        }
        let pending = try db.tableExists("cluster_pending") ? (try Int.fetchOne(db, sql: "SELECT count(*) FROM cluster_pending") ?? 0) : 0
        if pending > 0 {
            out.append("\(pending) transaction(s) wait for funding transactions not in the index and are not clustered yet")
        }
        let roots = Set(sellerClusters.map(\.id))
        var flagged = 0
        for r in try Row.fetchAll(db, sql: "SELECT into_cluster FROM cluster_merge WHERE suspicious = 1 AND layer = ?",
                                  arguments: [directory.layer.rawValue]) {
            if roots.contains(try directory.root(db, storedCluster: r[0])) { flagged += 1 }
        }
        if flagged > 0 {
            out.append("the seller's cluster grew by \(flagged) merge(s) of large clusters flagged for review (spoor cluster suspicious)")
        }
        for c in sellerClusters {
            let services = Set(c.tags.compactMap { TagCategory(rawValue: $0.category) }.filter(\.isService).map(\.rawValue))
            if !services.isEmpty {
                out.append("seller cluster \(c.id) is tagged as a service (\(services.sorted().joined(separator: ", "))): "
                           + "its addresses may include other customers' deposit addresses, so payments to them are listed too")
            }
            if !c.tagConflicts.isEmpty {
                out.append("seller cluster \(c.id) has conflicting tags (see tag_conflicts)")
            }
        }
        return out
    }
}
