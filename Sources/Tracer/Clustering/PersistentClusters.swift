import ChainIndex
import GRDB

/// The clusters of one layer as stored, joined by an incremental run: only the addresses and
/// clusters the new links touch are read. A merge keeps the older (smaller) id; the absorbed
/// cluster's row gets `merged_into` instead of relabelling its members, so a merge costs the same
/// whatever the sizes.
final class PersistentClusters {
    let layer: ClusterLayer
    private let clusterOf: RawStatement
    private let infoOf: RawStatement
    /// Node (cluster id; an address id for a singleton) → stored size (1 when none stored).
    private var storedSize: [Int64: Int64] = [:]
    private var nodeOfAddress: [Int64: Int64] = [:]
    private var parent: [Int64: Int64] = [:]
    private var size: [Int64: Int64] = [:]
    /// Absorbed node → the link that absorbed it.
    private var absorbedBy: [Int64: (kept: Int64, keptSize: Int64, absorbedSize: Int64, tx: Int64, rule: LinkRule)] = [:]

    init(db: Database, layer: ClusterLayer) throws {
        self.layer = layer
        clusterOf = try RawStatement(db, "SELECT cluster FROM cluster_address WHERE layer = ? AND address = ?")
        infoOf = try RawStatement(db, "SELECT size, merged_into FROM cluster_info WHERE layer = ? AND id = ?")
    }

    /// Reads the stored clusters of these addresses in id order (B-tree order: each lookup finds
    /// its pages warm), before the links are applied in chain order.
    func prefetch(_ addresses: [Int64]) throws {
        for a in addresses.sorted() where nodeOfAddress[a] == nil { _ = try node(a) }
    }

    /// The stored root cluster of `address` (its own id when it is on its own).
    private func node(_ address: Int64) throws -> Int64 {
        if let n = nodeOfAddress[address] { return n }
        clusterOf.bind(1, Int64(layer.rawValue)); clusterOf.bind(2, address)
        var c = try clusterOf.queryInt() ?? address
        var s: Int64 = 1
        while true {
            infoOf.bind(1, Int64(layer.rawValue)); infoOf.bind(2, c)
            guard try infoOf.step() else { break }
            let merged = infoOf.isNull(1) ? nil : infoOf.int64(1)
            s = infoOf.int64(0)
            infoOf.reset()
            guard let merged else { break }
            c = merged
        }
        if storedSize[c] == nil { storedSize[c] = s }
        nodeOfAddress[address] = c
        return c
    }

    private func find(_ x: Int64) -> Int64 {
        var x = x
        while let p = parent[x], p != x {
            if let g = parent[p] { parent[x] = g }
            x = p
        }
        return x
    }

    private func currentSize(_ root: Int64) -> Int64 { size[root] ?? storedSize[root] ?? 1 }

    /// Joins the clusters of two addresses. Returns the sizes joined when they were different.
    func union(_ a: Int64, _ b: Int64, tx: Int64, rule: LinkRule) throws -> (kept: Int64, keptSize: Int64, absorbed: Int64, absorbedSize: Int64)? {
        let ra = find(try node(a)), rb = find(try node(b))
        if ra == rb { return nil }
        let kept = min(ra, rb), absorbed = max(ra, rb)
        let ks = currentSize(kept), asz = currentSize(absorbed)
        parent[absorbed] = kept
        if parent[kept] == nil { parent[kept] = kept }
        size[kept] = ks + asz
        absorbedBy[absorbed] = (kept, ks, asz, tx, rule)
        return (kept, ks, absorbed, asz)
    }

    /// Writes the changes: rows for addresses that joined a cluster, sizes, merges.
    func save(db: Database, run: Int64, recordMergesFrom minimumSize: Int64, suspiciousSize: Int64) throws -> Int {
        let l = Int64(layer.rawValue)
        let addRow = try RawStatement(db, "INSERT OR REPLACE INTO cluster_address(layer, address, cluster) VALUES (?, ?, ?)")
        let setInfo = try RawStatement(db, "INSERT OR REPLACE INTO cluster_info(layer, id, size, merged_into) VALUES (?, ?, ?, ?)")
        let merge = try RawStatement(db, """
            INSERT INTO cluster_merge(layer, absorbed, into_cluster, absorbed_size, into_size, tx, rule, suspicious, run)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var merges = 0
        for node in parent.keys.sorted() {
            let root = find(node)
            let wasCluster = (storedSize[node] ?? 1) > 1
            if root != node {
                if wasCluster {
                    setInfo.bind(1, l); setInfo.bind(2, node); setInfo.bind(3, storedSize[node] ?? 1); setInfo.bind(4, root)
                    try setInfo.execute()
                } else {
                    addRow.bind(1, l); addRow.bind(2, node); addRow.bind(3, root); try addRow.execute()
                }
            } else {
                setInfo.bind(1, l); setInfo.bind(2, node); setInfo.bind(3, currentSize(node)); setInfo.bindNull(4)
                try setInfo.execute()
                if !wasCluster { addRow.bind(1, l); addRow.bind(2, node); addRow.bind(3, node); try addRow.execute() }
            }
            if let m = absorbedBy[node], m.keptSize >= minimumSize, m.absorbedSize >= minimumSize {
                let suspicious = m.keptSize >= suspiciousSize && m.absorbedSize >= suspiciousSize
                merge.bind(1, l); merge.bind(2, node); merge.bind(3, m.kept); merge.bind(4, m.absorbedSize); merge.bind(5, m.keptSize)
                merge.bind(6, m.tx == 0 ? nil : m.tx); merge.bind(7, m.rule.rawValue); merge.bind(8, suspicious ? 1 : 0); merge.bind(9, run)
                try merge.execute()
                merges += 1
            }
        }
        return merges
    }
}
