import ChainIndex
import Foundation
import GRDB

// Raw rows of the payments query, read with a few set-based statements: the outputs paying the
// seller's members (one statement over the member set), then the inputs of each paying
// transaction and of each funding transaction (one cached statement per transaction, through the
// contiguous input id range of `tx`; `input` has no index on `tx`).

/// A transaction with at least one output paying a seller cluster.
struct PaidTransaction {
    var tx: Int64
    var txid: String
    var height: Int?
    var time: Int64
    var index: Int
    var outputs: [PaidOutput] = []
    var amount: Int64 = 0
}

/// One input of a transaction, with the output it spends.
struct SpentInput {
    var n: Int
    /// `txid:vout` of the spent output (from the index, or kept while unresolved).
    var prevout: String?
    var resolved: Bool
    var coinbase: Bool
    var value: Int64?
    var address: String?
    /// The transaction that created the spent output.
    var fundingTx: Int64?
    /// The current cluster of the spent output's address (nil when unresolved or without address).
    var cluster: Int64?
    /// Unresolved, but value, address and cluster come from an explorer's prevout (`input_prevout`).
    var fromExplorer = false
}

enum PaymentRows {
    /// The member-set CTE for several clusters (ids inlined: they are integers this module resolved).
    static func membersCTE(_ roots: [Int64]) -> String {
        let values = roots.map { "(\($0))" }.joined(separator: ",")
        return """
            WITH RECURSIVE roots(id) AS (VALUES \(values)),
            ids(id) AS (
                SELECT id FROM roots UNION SELECT ci.id FROM cluster_info ci JOIN ids ON ci.merged_into = ids.id AND ci.layer = :layer),
            members(address) AS (
                SELECT address FROM cluster_address WHERE layer = :layer AND cluster IN (SELECT id FROM ids) UNION SELECT id FROM roots)
            """
    }

    /// Every transaction paying a member of `roots`, by height (unknown heights last), then position.
    /// - Complexity: one statement; an index lookup per member address (`output_address`).
    static func paidTransactions(_ db: Database, roots: [Int64], layer: ClusterLayer, network: Network) throws -> [PaidTransaction] {
        let rows = try Row.fetchCursor(db, sql: membersCTE(roots) + """
             SELECT o.tx, o.id - t.output_first, o.value, a.key, t.txid, b.height, b.time, t.id - b.tx_first
            FROM output o JOIN tx t ON t.id = o.tx JOIN block b ON b.id = t.block LEFT JOIN address a ON a.id = o.address
            WHERE o.address IS NOT NULL AND o.address IN (SELECT address FROM members)
            ORDER BY b.height IS NULL, b.height, t.id, o.id
            """, arguments: ["layer": layer.rawValue])
        var out: [PaidTransaction] = []
        while let r = try rows.next() {
            let tx: Int64 = r[0]
            if out.last?.tx != tx {
                out.append(PaidTransaction(tx: tx, txid: hex(r.optBytes(4)), height: r[5], time: r[6], index: r[7]))
            }
            let value: Int64 = r[2]
            let address = r.optBytes(3).flatMap { AddressKey(storageBytes: $0) }?.render(on: network)
            out[out.count - 1].outputs.append(PaidOutput(vout: r[1], value: value, address: address))
            out[out.count - 1].amount += value
        }
        return out
    }

    /// The inputs of transaction `tx` with the outputs they spend and their current clusters.
    static func inputs(_ db: Database, tx: Int64, directory: ClusterDirectory, network: Network) throws -> [SpentInput] {
        let statement = try db.cachedStatement(sql: """
            SELECT i.id - t.input_first, i.spends, i.prev_txid, i.prev_vout, COALESCE(o.value, p.value), COALESCE(o.address, p.address),
                   a.key, o.tx, o.id - ft.output_first, ft.txid, ca.cluster
            FROM tx t JOIN input i ON i.id BETWEEN t.input_first AND t.input_first + t.input_count - 1
            LEFT JOIN output o ON o.id = i.spends LEFT JOIN tx ft ON ft.id = o.tx
            LEFT JOIN input_prevout p ON p.input = i.id AND i.spends IS NULL
            LEFT JOIN address a ON a.id = COALESCE(o.address, p.address)
            LEFT JOIN cluster_address ca ON ca.layer = ? AND ca.address = COALESCE(o.address, p.address)
            WHERE t.id = ? ORDER BY i.id
            """)
        var out: [SpentInput] = []
        for r in try Row.fetchAll(statement, arguments: [directory.layer.rawValue, tx]) {
            let spends: Int64? = r[1]
            let unresolvedTxid = r.optBytes(2)
            var input = SpentInput(n: r[0], prevout: nil, resolved: spends != nil, coinbase: spends == nil && unresolvedTxid == nil,
                                   value: r[4], address: nil, fundingTx: r[7], cluster: nil)
            if spends != nil {
                input.prevout = "\(hex(r.optBytes(9))):\(r[8] as Int64? ?? 0)"
                if let address = r[5] as Int64? {
                    input.address = r.optBytes(6).flatMap { AddressKey(storageBytes: $0) }?.render(on: network)
                    input.cluster = try directory.root(db, storedCluster: r[10] as Int64? ?? address)
                }
            } else if let prev = unresolvedTxid {
                input.prevout = "\(hex(prev)):\(r[3] as Int64? ?? 0)"
                // An explorer's prevout: the sender's address and value, funding transaction not in the index.
                if let address = r[5] as Int64? {
                    input.address = r.optBytes(6).flatMap { AddressKey(storageBytes: $0) }?.render(on: network)
                    input.cluster = try directory.root(db, storedCluster: r[10] as Int64? ?? address)
                }
                input.fromExplorer = input.value != nil
            }
            out.append(input)
        }
        return out
    }

    /// The block of a transaction: txid, height, time.
    static func transaction(_ db: Database, _ tx: Int64) throws -> (txid: String, height: Int?, time: Int64)? {
        let statement = try db.cachedStatement(
            sql: "SELECT t.txid, b.height, b.time FROM tx t JOIN block b ON b.id = t.block WHERE t.id = ?")
        return try Row.fetchOne(statement, arguments: [tx]).map { (hex($0.optBytes(0)), $0[1], $0[2]) }
    }

    /// The CoinJoin detection stored for a transaction, if any.
    static func coinJoin(_ db: Database, tx: Int64) throws -> CoinJoinFlag? {
        let statement = try db.cachedStatement(sql: "SELECT detector, confidence, multi_party, reason FROM coinjoin WHERE tx = ?")
        return try Row.fetchOne(statement, arguments: [tx]).map {
            CoinJoinFlag(detector: $0[0], confidence: $0[1], multiParty: $0[2], reason: $0[3])
        }
    }

    /// A stored (internal byte order) hash in display order.
    static func hex(_ bytes: [UInt8]?) -> String {
        bytes.flatMap { Hash256(internalBytes: $0)?.hex } ?? ""
    }
}
