import ChainIndex
import Foundation
import GRDB

/// A cluster as `spoor show cluster` reports it.
public struct ClusterSummary: Codable, Sendable, Equatable {
    public var layer: String
    /// The cluster id: its oldest address's index id.
    public var id: Int64
    public var size: Int
    /// Member addresses in order of first appearance (at most the requested limit).
    public var addresses: [String]
    public var addressesTruncated: Bool
    public var firstActivity: String?
    public var lastActivity: String?
    /// Sum of all outputs paying members, in satoshis.
    public var totalReceived: Int64
    /// Sum of members' outputs that have been spent, in satoshis.
    public var totalSent: Int64
    public var transactionCount: Int
    /// Transactions flagged as CoinJoins that paid or spent a member.
    public var coinJoinTransactions: Int
    /// Earlier clusters merged into this one by incremental runs.
    public var mergedClusters: [Int64]

    enum CodingKeys: String, CodingKey {
        case layer, id, size, addresses, addressesTruncated = "addresses_truncated", firstActivity = "first_activity"
        case lastActivity = "last_activity", totalReceived = "total_received", totalSent = "total_sent"
        case transactionCount = "transaction_count", coinJoinTransactions = "coinjoin_transactions", mergedClusters = "merged_clusters"
    }
}

/// One step of a `cluster explain` chain.
public struct LinkStep: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var rule: String
    public var meaning: String
    public var layer: String
    public var txid: String?
    public var height: Int?
    public var time: String?
    /// For change links: the heuristics that chose the change output.
    public var detail: String?
}

/// `spoor cluster explain A B`.
public struct LinkExplanation: Codable, Sendable, Equatable {
    public var layer: String
    public var a: String
    public var b: String
    public var linked: Bool
    public var cluster: Int64?
    public var steps: [LinkStep]
    /// When not linked: each address's cluster.
    public var clusterA: Int64
    public var clusterB: Int64

    enum CodingKeys: String, CodingKey {
        case layer, a, b, linked, cluster, steps, clusterA = "cluster_a", clusterB = "cluster_b"
    }
}

/// A flagged merge of two large clusters.
public struct SuspiciousMerge: Codable, Sendable, Equatable {
    public var layer: String
    public var kept: Int64
    public var keptSize: Int
    public var absorbed: Int64
    public var absorbedSize: Int
    public var rule: String
    public var txid: String?
    public var height: Int?
    public var run: Int64

    enum CodingKeys: String, CodingKey {
        case layer, kept, keptSize = "kept_size", absorbed, absorbedSize = "absorbed_size", rule, txid, height, run
    }
}

/// What the CoinJoin detectors said about a transaction.
public struct CoinJoinFlag: Codable, Sendable, Equatable {
    public var detector: String
    public var confidence: Double
    public var multiParty: Bool
    public var reason: String

    enum CodingKeys: String, CodingKey { case detector, confidence, multiParty = "multi_party", reason }
}

/// Read-only queries over the clustering tables.
public struct ClusterQueries {
    public let store: IndexStore
    public let network: Network

    public init(store: IndexStore) throws {
        self.store = store
        network = try store.network() ?? .mainnet
    }

    /// The stored id of an address given as text; errors name the address.
    public func addressID(_ db: Database, _ text: String) throws -> Int64 {
        let key: AddressKey
        do { key = try AddressKey.parse(text, network: network) } catch {
            throw QueryError.invalidArgument("'\(text)' is not a valid \(network.name) address: \(error)")
        }
        guard let id = try store.addressId(db, key) else { throw ClusterError.addressNotFound(text) }
        return id
    }

    /// True once `spoor cluster` has run on this index.
    public static func isClustered(_ db: Database) throws -> Bool {
        try db.tableExists("cluster_progress") && (try Int.fetchOne(db, sql: "SELECT count(*) FROM cluster_progress") ?? 0) > 0
    }

    /// The cluster of an address in `layer` (its own id when it is on its own).
    public static func clusterID(_ db: Database, address: Int64, layer: ClusterLayer) throws -> Int64 {
        var c = try Int64.fetchOne(db, sql: "SELECT cluster FROM cluster_address WHERE layer = ? AND address = ?",
                                   arguments: [layer.rawValue, address]) ?? address
        var hops = 0
        while let m = try Int64.fetchOne(db, sql: "SELECT merged_into FROM cluster_info WHERE layer = ? AND id = ?",
                                         arguments: [layer.rawValue, c]), hops < 1_000_000 {
            c = m
            hops += 1
        }
        return c
    }

    /// The ids stored for a cluster: itself and every cluster merged into it.
    static let memberCTE = """
        WITH RECURSIVE ids(id) AS (
            SELECT :cluster UNION SELECT ci.id FROM cluster_info ci JOIN ids ON ci.merged_into = ids.id AND ci.layer = :layer),
        members(address) AS (
            SELECT address FROM cluster_address WHERE layer = :layer AND cluster IN (SELECT id FROM ids) UNION SELECT :cluster)
        """

    /// Member address ids of a cluster, ascending.
    public static func members(_ db: Database, cluster: Int64, layer: ClusterLayer, limit: Int = Int.max) throws -> [Int64] {
        try Int64.fetchAll(db, sql: memberCTE + " SELECT address FROM members ORDER BY address LIMIT :limit",
                           arguments: ["cluster": cluster, "layer": layer.rawValue, "limit": limit == Int.max ? -1 : limit])
    }

    /// A cluster given by id or by one of its addresses.
    public func summary(_ subject: String, layer: ClusterLayer, limit: Int) throws -> ClusterSummary {
        try store.read { db in
            guard try Self.isClustered(db) else { throw ClusterError.notClustered }
            let cluster: Int64
            if let id = Int64(subject) {
                guard try Int64.fetchOne(db, sql: "SELECT id FROM address WHERE id = ?", arguments: [id]) != nil else {
                    throw ClusterError.clusterNotFound(id)
                }
                let resolved = try Self.clusterID(db, address: id, layer: layer)
                let stored = try Int64.fetchOne(db, sql: "SELECT 1 FROM cluster_info WHERE layer = ? AND id = ?", arguments: [layer.rawValue, id])
                guard resolved == id || stored != nil else { throw ClusterError.clusterNotFound(id) }
                cluster = resolved
            } else {
                cluster = try Self.clusterID(db, address: try addressID(db, subject), layer: layer)
            }
            let args: StatementArguments = ["cluster": cluster, "layer": layer.rawValue]
            let size = try Int.fetchOne(db, sql: Self.memberCTE + " SELECT count(*) FROM members", arguments: args) ?? 1
            let ids = try Self.members(db, cluster: cluster, layer: layer, limit: limit)
            let addresses = try ids.compactMap { try store.renderAddress(db, $0, network) }
            let money = try Row.fetchOne(db, sql: Self.memberCTE + """
                , paid(id, value, tx) AS (SELECT o.id, o.value, o.tx FROM output o WHERE o.address IN (SELECT address FROM members)),
                spending(tx) AS (SELECT i.tx FROM input i WHERE i.spends IN (SELECT id FROM paid)),
                txs(tx) AS (SELECT tx FROM paid UNION SELECT tx FROM spending)
                SELECT (SELECT coalesce(sum(value), 0) FROM paid),
                       (SELECT coalesce(sum(value), 0) FROM paid WHERE EXISTS (SELECT 1 FROM input i WHERE i.spends = paid.id)),
                       (SELECT count(*) FROM txs),
                       (SELECT count(*) FROM txs WHERE tx IN (SELECT tx FROM coinjoin)),
                       (SELECT min(b.time) FROM txs JOIN tx t ON t.id = txs.tx JOIN block b ON b.id = t.block),
                       (SELECT max(b.time) FROM txs JOIN tx t ON t.id = txs.tx JOIN block b ON b.id = t.block)
                """, arguments: args)
            let merged = try Int64.fetchAll(db, sql: """
                WITH RECURSIVE ids(id) AS (
                    SELECT :cluster UNION SELECT ci.id FROM cluster_info ci JOIN ids ON ci.merged_into = ids.id AND ci.layer = :layer)
                SELECT id FROM ids WHERE id != :cluster ORDER BY id
                """, arguments: args)
            return ClusterSummary(
                layer: layer.description, id: cluster, size: size, addresses: addresses, addressesTruncated: size > ids.count,
                firstActivity: (money?[4] as Int64?).map(IndexStore.utc), lastActivity: (money?[5] as Int64?).map(IndexStore.utc),
                totalReceived: money?[0] ?? 0, totalSent: money?[1] ?? 0, transactionCount: money?[2] ?? 0,
                coinJoinTransactions: money?[3] ?? 0, mergedClusters: merged)
        }
    }

    /// The chain of links joining two addresses, or "not linked".
    public func explain(_ a: String, _ b: String, layer: ClusterLayer) throws -> LinkExplanation {
        try store.read { db in
            guard try Self.isClustered(db) else { throw ClusterError.notClustered }
            let ia = try addressID(db, a), ib = try addressID(db, b)
            let ca = try Self.clusterID(db, address: ia, layer: layer), cb = try Self.clusterID(db, address: ib, layer: layer)
            var result = LinkExplanation(layer: layer.description, a: a, b: b, linked: false, cluster: nil, steps: [], clusterA: ca, clusterB: cb)
            guard ca == cb else { return result }
            result.linked = true
            result.cluster = ca
            guard ia != ib else { return result }
            // Breadth-first search over the recorded links (a spanning forest per layer).
            let edges = try RawStatement(db, """
                SELECT id, a, b FROM cluster_link WHERE a = ?1 AND layer <= ?2 UNION ALL
                SELECT id, b, a FROM cluster_link WHERE b = ?1 AND layer <= ?2
                """)
            var cameFrom: [Int64: (node: Int64, link: Int64)] = [ia: (ia, 0)]
            var frontier = [ia]
            search: while !frontier.isEmpty {
                var next: [Int64] = []
                for node in frontier {
                    edges.bind(1, node); edges.bind(2, Int64(layer.rawValue))
                    while try edges.step() {
                        let other = edges.int64(2)
                        guard cameFrom[other] == nil else { continue }
                        cameFrom[other] = (node, edges.int64(0))
                        if other == ib { edges.reset(); break search }
                        next.append(other)
                    }
                }
                frontier = next
            }
            var path: [(from: Int64, to: Int64, link: Int64)] = []
            var at = ib
            while at != ia, let step = cameFrom[at] {
                path.append((step.node, at, step.link))
                at = step.node
            }
            for step in path.reversed() {
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT l.rule, l.layer, l.detail, t.txid, b.height, b.time FROM cluster_link l
                    LEFT JOIN tx t ON t.id = l.tx LEFT JOIN block b ON b.id = t.block WHERE l.id = ?
                    """, arguments: [step.link]) else { continue }
                let rule = LinkRule(rawValue: row[0]) ?? .coSpend
                let step = LinkStep(
                    from: try store.renderAddress(db, step.from, network) ?? "\(step.from)",
                    to: try store.renderAddress(db, step.to, network) ?? "\(step.to)",
                    rule: rule.rawValue, meaning: rule.meaning, layer: (ClusterLayer(rawValue: row[1]) ?? .strict).description,
                    txid: row.optBytes(3).flatMap { Hash256(internalBytes: $0)?.hex }, height: row[4],
                    time: (row[5] as Int64?).map(IndexStore.utc), detail: row[2])
                // Co-spend links are stored as a star (each input to the first), so a path can pass
                // through the first input: two steps in one transaction are one co-spend.
                if var last = result.steps.last, last.rule == LinkRule.coSpend.rawValue, step.rule == last.rule,
                   last.txid == step.txid, last.layer == step.layer {
                    last.to = step.to
                    result.steps[result.steps.count - 1] = last
                } else {
                    result.steps.append(step)
                }
            }
            return result
        }
    }

    /// Merges flagged for review, newest first.
    public func suspicious() throws -> [SuspiciousMerge] {
        try store.read { db in
            guard try Self.isClustered(db) else { throw ClusterError.notClustered }
            return try Row.fetchAll(db, sql: """
                SELECT m.layer, m.into_cluster, m.into_size, m.absorbed, m.absorbed_size, m.rule, t.txid, b.height, m.run
                FROM cluster_merge m LEFT JOIN tx t ON t.id = m.tx LEFT JOIN block b ON b.id = t.block
                WHERE m.suspicious = 1 ORDER BY m.run DESC, m.id
                """).map { r in
                SuspiciousMerge(layer: (ClusterLayer(rawValue: r[0]) ?? .strict).description, kept: r[1], keptSize: r[2], absorbed: r[3],
                                absorbedSize: r[4], rule: r[5], txid: r.optBytes(6).flatMap { Hash256(internalBytes: $0)?.hex },
                                height: r[7], run: r[8])
            }
        }
    }

    /// The CoinJoin detection of a transaction, if any.
    public func coinJoin(txid: String) throws -> CoinJoinFlag? {
        guard let hash = Hash256(hex: txid) else { throw QueryError.invalidArgument("'\(txid)' is not a txid") }
        return try store.read { db in
            guard try db.tableExists("coinjoin"), let id = try store.transactionId(db, hash) else { return nil }
            return try Row.fetchOne(db, sql: "SELECT detector, confidence, multi_party, reason FROM coinjoin WHERE tx = ?", arguments: [id]).map {
                CoinJoinFlag(detector: $0[0], confidence: $0[1], multiParty: $0[2], reason: $0[3])
            }
        }
    }

    /// The cluster of an address (for `show address`), nil before clustering.
    public func clusterOf(address text: String, layer: ClusterLayer) throws -> (id: Int64, size: Int)? {
        try store.read { db in
            guard try Self.isClustered(db) else { return nil }
            let c = try Self.clusterID(db, address: try addressID(db, text), layer: layer)
            let size = try Int.fetchOne(db, sql: "SELECT size FROM cluster_info WHERE layer = ? AND id = ?", arguments: [layer.rawValue, c]) ?? 1
            return (c, size)
        }
    }

    /// Writes every address with its cluster id: CSV (`address,cluster`) or NDJSON
    /// (`{"address":…,"cluster":…}`), in address id order. Returns the number of rows.
    public func export(layer: ClusterLayer, ndjson: Bool, to write: (String) throws -> Void) throws -> Int {
        try store.read { db in
            guard try Self.isClustered(db) else { throw ClusterError.notClustered }
            var merged: [Int64: Int64] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT id, merged_into FROM cluster_info WHERE layer = ? AND merged_into IS NOT NULL",
                                      arguments: [layer.rawValue]) {
                merged[r[0]] = r[1]
            }
            func root(_ c: Int64) -> Int64 {
                var c = c
                while let m = merged[c] { c = m }
                return c
            }
            if !ndjson { try write("address,cluster\n") }
            let rows = try RawStatement(db, """
                SELECT a.id, a.key, c.cluster FROM address a LEFT JOIN cluster_address c ON c.layer = ? AND c.address = a.id ORDER BY a.id
                """)
            rows.bind(1, Int64(layer.rawValue))
            var n = 0
            var chunk = ""
            while try rows.step() {
                guard let key = AddressKey(storageBytes: rows.bytes(1)) else { continue }
                let cluster = root(rows.isNull(2) ? rows.int64(0) : rows.int64(2))
                let text = key.render(on: network)
                chunk += ndjson ? "{\"address\":\"\(text)\",\"cluster\":\(cluster)}\n" : "\(text),\(cluster)\n"
                n += 1
                if chunk.utf8.count > 1 << 16 { try write(chunk); chunk = "" }
            }
            if !chunk.isEmpty { try write(chunk) }
            return n
        }
    }
}
