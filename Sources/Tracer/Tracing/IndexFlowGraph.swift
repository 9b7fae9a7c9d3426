import ChainIndex
import Foundation
import GRDB

/// The index as a ``FlowGraph``, read inside one read transaction (so a whole trace sees one
/// snapshot). Clusters come from the chosen layer; every tagged cluster is an endpoint.
public final class IndexFlowGraph: FlowGraph {
    let db: Database
    let network: Network
    public let layer: ClusterLayer
    private let txRow, inputs, outputs, coinJoinRow, spenderRow, creatorRow, clusterRow, infoRow, keyRow: RawStatement
    private var clusterCache: [Int64: Int64] = [:]
    /// Transactions read, shared by every trace on this graph (screening runs thousands).
    private var txCache: [Int64: FlowTx] = [:]
    private let sizeRow: RawStatement
    let addressRow, paidRow: RawStatement
    private var endpoints: [Int64: FlowEndpoint] = [:]

    /// - Throws: ``ClusterError/notClustered`` before `spoor cluster` has run.
    public init(db: Database, network: Network, layer: ClusterLayer) throws {
        guard try ClusterQueries.isClustered(db) else { throw ClusterError.notClustered }
        self.db = db
        self.network = network
        self.layer = layer
        txRow = try RawStatement(db, """
            SELECT t.txid, b.height, b.time, t.output_first, t.output_count, t.input_first, t.input_count, t.id = b.tx_first
            FROM tx t JOIN block b ON b.id = t.block WHERE t.id = ?
            """)
        inputs = try RawStatement(db, """
            SELECT i.spends, o.value, o.address, p.value FROM input i LEFT JOIN output o ON o.id = i.spends
            LEFT JOIN input_prevout p ON p.input = i.id
            WHERE i.id >= ? AND i.id < ? ORDER BY i.id
            """)
        outputs = try RawStatement(db, "SELECT id, value, address FROM output WHERE id >= ? AND id < ? ORDER BY id")
        coinJoinRow = try RawStatement(db, "SELECT detector FROM coinjoin WHERE tx = ? AND multi_party = 1")
        spenderRow = try RawStatement(db, "SELECT tx FROM input WHERE spends = ?")
        creatorRow = try RawStatement(db, "SELECT tx FROM output WHERE id = ?")
        clusterRow = try RawStatement(db, "SELECT cluster FROM cluster_address WHERE layer = ? AND address = ?")
        infoRow = try RawStatement(db, "SELECT merged_into FROM cluster_info WHERE layer = ? AND id = ?")
        keyRow = try RawStatement(db, "SELECT key FROM address WHERE id = ?")
        sizeRow = try RawStatement(db, "SELECT size FROM cluster_info WHERE layer = ? AND id = ?")
        addressRow = try RawStatement(db, "SELECT id FROM address WHERE substr(key, 3, 8) = ? AND key = ?")
        paidRow = try RawStatement(db, "SELECT id FROM output WHERE address = ? ORDER BY id")
        try loadEndpoints()
    }

    public func transaction(_ id: Int64) throws -> FlowTx {
        if let t = txCache[id] { return t }
        let t = try readTransaction(id)
        if txCache.count >= 200_000 { txCache.removeAll(keepingCapacity: true) }
        txCache[id] = t
        return t
    }

    /// Addresses in a cluster (1 for an address on its own).
    public func clusterSize(_ cluster: Int64) throws -> Int {
        sizeRow.bind(1, Int64(layer.rawValue)); sizeRow.bind(2, cluster)
        return Int(try sizeRow.queryInt() ?? 1)
    }

    private func readTransaction(_ id: Int64) throws -> FlowTx {
        txRow.bind(1, id)
        guard try txRow.step() else { throw TraceError.subjectNotFound("transaction #\(id)") }
        let txid = Hash256(internalBytes: txRow.bytes(0))?.hex ?? ""
        let height: Int? = txRow.isNull(1) ? nil : Int(txRow.int64(1))
        let time = txRow.int64(2)
        let outFirst = txRow.int64(3), outCount = txRow.int64(4), inFirst = txRow.int64(5), inCount = txRow.int64(6)
        let firstInBlock = txRow.int64(7) != 0
        txRow.reset()
        var ins: [FlowCoin?] = []
        var external: [Int64?] = []
        var coinbase = false
        inputs.bind(1, inFirst); inputs.bind(2, inFirst + inCount)
        while try inputs.step() {
            if inputs.isNull(0) {
                ins.append(nil)
                if !inputs.isNull(3) {
                    // An explorer prevout: the value is known, the funding output is not.
                    while external.count < ins.count - 1 { external.append(nil) }
                    external.append(inputs.int64(3))
                }
                if firstInBlock && inCount == 1 { coinbase = true }
            } else {
                ins.append(FlowCoin(output: inputs.int64(0), value: inputs.int64(1), address: inputs.isNull(2) ? nil : inputs.int64(2)))
            }
        }
        var outs: [FlowCoin] = []
        outputs.bind(1, outFirst); outputs.bind(2, outFirst + outCount)
        while try outputs.step() {
            outs.append(FlowCoin(output: outputs.int64(0), value: outputs.int64(1), address: outputs.isNull(2) ? nil : outputs.int64(2)))
        }
        coinJoinRow.bind(1, id)
        let coinJoin = try coinJoinRow.step() ? String(decoding: coinJoinRow.bytes(0), as: UTF8.self) : nil
        if coinJoin != nil { coinJoinRow.reset() }
        return FlowTx(id: id, txid: txid, height: height, time: time, isCoinbase: coinbase, coinJoin: coinJoin, inputs: ins, outputs: outs,
                      externalValues: external)
    }

    public func creator(ofOutput output: Int64) throws -> Int64 {
        creatorRow.bind(1, output)
        guard let tx = try creatorRow.queryInt() else { throw TraceError.outputNotFound(output) }
        return tx
    }

    public func spender(ofOutput output: Int64) throws -> Int64? {
        spenderRow.bind(1, output)
        return try spenderRow.queryInt()
    }

    public func cluster(ofAddress address: Int64) throws -> Int64 {
        if let c = clusterCache[address] { return c }
        clusterRow.bind(1, Int64(layer.rawValue)); clusterRow.bind(2, address)
        var c = try clusterRow.queryInt() ?? address
        var hops = 0
        while hops < 1_000_000 {
            infoRow.bind(1, Int64(layer.rawValue)); infoRow.bind(2, c)
            guard try infoRow.step() else { break }
            let merged = infoRow.isNull(0) ? nil : infoRow.int64(0)
            infoRow.reset()
            guard let merged else { break }
            c = merged
            hops += 1
        }
        clusterCache[address] = c
        return c
    }

    public func endpoint(ofCluster cluster: Int64) throws -> FlowEndpoint? { endpoints[cluster] }

    public func addressText(_ address: Int64) throws -> String {
        keyRow.bind(1, address)
        guard let bytes = try keyRow.queryBytes(), let key = AddressKey(storageBytes: bytes) else { return "#\(address)" }
        return key.render(on: network)
    }

    /// Every tag, as the endpoint of its address's (or cluster id's) cluster.
    private func loadEndpoints() throws {
        guard try db.tableExists("tag") else { return }
        var categories: [Int64: Set<String>] = [:], labels: [Int64: Set<String>] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, t.cluster, t.category, t.label FROM tag t
            LEFT JOIN address a ON t.address_key IS NOT NULL AND substr(a.key, 3, 8) = substr(t.address_key, 3, 8) AND a.key = t.address_key
            """)
        for r in rows {
            let anchor: Int64? = (r[0] as Int64?) ?? (r[1] as Int64?)
            guard let anchor else { continue }   // a tagged address not (yet) on chain
            let c = try cluster(ofAddress: anchor)
            categories[c, default: []].insert(r[2])
            labels[c, default: []].insert(r[3])
        }
        for (c, cats) in categories {
            endpoints[c] = FlowEndpoint(categories: cats.sorted(), labels: (labels[c] ?? []).sorted())
        }
    }
}
