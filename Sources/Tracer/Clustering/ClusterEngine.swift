import ChainIndex
import Foundation
import GRDB

/// What a clustering run did.
public struct ClusterRunSummary: Sendable, Codable, Equatable {
    /// `full` (every transaction) or `incremental` (only transactions added since the last run).
    public var mode: String
    /// Why a full run was needed, when one was.
    public var reason: String?
    public var run: Int64
    public var transactions: Int
    public var inputs: Int
    public var coinJoins: Int
    public var pending: Int
    public var strictLinks: Int
    public var changeLinks: Int
    /// Strict-layer clusters with two or more addresses, after the run.
    public var strictClusters: Int
    public var extendedClusters: Int
    public var suspiciousMerges: Int
    public var parameters: String
    /// Seconds per phase: read (loading and rules), union (the union-find pass itself), write.
    public var seconds: [String: Double]
}

/// Errors of clustering.
public enum ClusterError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyIndex
    case notClustered
    case addressNotFound(String)
    case clusterNotFound(Int64)
    case tooManyAddresses(Int64)

    public var description: String {
        switch self {
        case .emptyIndex: return "the index holds no transactions (run `spoor import` first)"
        case .notClustered: return "the index has not been clustered yet (run `spoor cluster`)"
        case .addressNotFound(let a): return "address \(a) is not in the index"
        case .clusterNotFound(let c): return "no cluster \(c) in the index"
        case .tooManyAddresses(let n): return "\(n) addresses exceed the in-memory union-find's 2^31 limit"
        }
    }
}

/// Runs clustering over the index: the whole chain the first time (or with `rebuild`), then only
/// the transactions added since. Each run is one SQLite transaction, so an interrupted run leaves
/// the previous clustering as it was.
public struct ClusterEngine {
    public let store: IndexStore
    public let rules: ClusterRules

    public init(store: IndexStore, rules: ClusterRules) {
        self.store = store
        self.rules = rules
    }

    /// Runs clustering. `beforeCommit` is called with everything written but not yet committed
    /// (tests use it to kill the process there).
    public func run(
        rebuild: Bool = false, progress: ((ClusterProgress) -> Void)? = nil, beforeCommit: (() -> Void)? = nil
    ) throws -> ClusterRunSummary {
        try store.write { db in
            try TracerSchema.ensure(db)
            guard let maxTx = try Int64.fetchOne(db, sql: "SELECT max(id) FROM tx") else { throw ClusterError.emptyIndex }
            let stored = try Row.fetchOne(db, sql: "SELECT last_tx, last_txid, address_done, address_paid, parameters, blocks_removed FROM cluster_progress")
            var reason: String? = rebuild ? "rebuild requested" : nil
            if reason == nil {
                if let stored {
                    let lastTx: Int64 = stored[0]
                    let txid = try Data.fetchOne(db, sql: "SELECT txid FROM tx WHERE id = ?", arguments: [lastTx])
                    if (stored[5] as Int64) != (try TracerSchema.blocksRemoved(db)) {
                        reason = "blocks were removed from the index since the last run (a reorg, or explorer blocks replaced by the real blocks)"
                    } else if txid == nil || txid != (stored[1] as Data?) {
                        reason = "the index changed below the last clustered transaction (blocks rolled back)"
                    } else if (stored[4] as String) != rules.ruleText {
                        reason = "the parameters changed"
                    }
                } else {
                    reason = "first run"
                }
            }
            let runId = try startRun(db, mode: reason == nil ? "incremental" : "full")
            var summary: ClusterRunSummary
            if let reason {
                summary = try full(db, maxTx: maxTx, run: runId, progress: progress)
                summary.reason = reason
            } else if let stored {
                summary = try incremental(db, maxTx: maxTx, run: runId, lastTx: stored[0], addressDone: stored[2], addressPaid: stored[3],
                                          progress: progress)
            } else {
                throw ClusterError.notClustered
            }
            summary.strictClusters = try Int.fetchOne(db, sql: "SELECT count(*) FROM cluster_info WHERE layer = 0 AND merged_into IS NULL") ?? 0
            summary.extendedClusters = try Int.fetchOne(db, sql: "SELECT count(*) FROM cluster_info WHERE layer = 1 AND merged_into IS NULL") ?? 0
            try db.execute(sql: "UPDATE cluster_run SET finished = ?, message = ? WHERE id = ?",
                           arguments: [Self.now(), summary.reason ?? "incremental", runId])
            beforeCommit?()
            return summary
        }
    }

    // MARK: - Full run

    private func full(_ db: Database, maxTx: Int64, run: Int64, progress: ((ClusterProgress) -> Void)?) throws -> ClusterRunSummary {
        var clock = Clock()
        for table in ["cluster_address", "cluster_info", "cluster_link", "cluster_merge", "coinjoin", "cluster_pending", "same_key_wrap", "cluster_progress"] {
            try db.execute(sql: "DELETE FROM \(table)")
        }
        let maxAddress = try Int64.fetchOne(db, sql: "SELECT max(id) FROM address") ?? 0
        guard maxAddress < Int64(Int32.max) else { throw ClusterError.tooManyAddresses(maxAddress) }
        let loader = try TxShapeLoader(db: db, addressLimit: 0)
        let extractor = LinkExtractor(rules: rules)
        var found = ExtractedLinks()
        let report = ProgressReporter(total: Int(maxTx), callback: progress)
        try loader.forEach(txFrom: 1, txTo: maxTx) {
            extractor.extract($0, into: &found)
            report.tick(found.transactions)
        }
        report.phase("same_key", done: Int(maxTx))
        clock.lap("read")
        let sameKey = SameKeyLinker(db: db)
        try sameKey.payToPubkeyLinks(found.payToPubkey, into: &found.links)
        try sameKey.keyHashLinks(done: 0, upTo: maxAddress, into: &found.links)
        clock.lap("same_key")

        // The union-find passes: strict links into one forest, then change links on a copy.
        let links = found.links
        var strict = UnionFind(count: Int(maxAddress) + 1)
        var effective: [(index: Int, layer: ClusterLayer)] = []
        effective.reserveCapacity(links.count)
        var suspicious: [(index: Int, layer: ClusterLayer, union: UnionFind.Union)] = []
        let threshold = Int32(clamping: rules.suspiciousSize)
        let isChange = links.rule.map(\.isChange)
        strict.apply(a: links.a, b: links.b, where: { !isChange[$0] }) { i, u in
            effective.append((i, .strict))
            if u.keptSize >= threshold && u.absorbedSize >= threshold { suspicious.append((i, .strict, u)) }
        }
        var extended = strict
        extended.apply(a: links.a, b: links.b, where: { isChange[$0] }) { i, u in
            effective.append((i, .extended))
            if u.keptSize >= threshold && u.absorbedSize >= threshold { suspicious.append((i, .extended, u)) }
        }
        clock.lap("union")

        // Write: rows in key order, secondary indexes built once at the end (a sort instead of
        // millions of random B-tree inserts).
        report.phase("write", done: Int(maxTx))
        try TracerSchema.dropBulkIndexes(db)
        let link = try RawStatement(db, "INSERT INTO cluster_link(layer, a, b, tx, rule, detail, run) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for (i, layer) in effective {
            link.bind(1, Int64(layer.rawValue)); link.bind(2, links.a[i]); link.bind(3, links.b[i])
            link.bind(4, links.tx[i] == 0 ? nil : links.tx[i]); link.bind(5, links.rule[i].rawValue)
            if let d = links.detail[i] { link.bind(6, d) } else { link.bindNull(6) }
            link.bind(7, run)
            try link.execute()
        }
        let row = try RawStatement(db, "INSERT INTO cluster_address(layer, address, cluster) VALUES (?, ?, ?)")
        let info = try RawStatement(db, "INSERT INTO cluster_info(layer, id, size, merged_into) VALUES (?, ?, ?, NULL)")
        for (layer, forest) in [(ClusterLayer.strict, strict), (.extended, extended)] {
            var f = forest
            let l = Int64(layer.rawValue)
            for address in 1..<f.count {
                let root = f.find(Int32(address))
                let size = f.size(ofRoot: root)
                guard size > 1 else { continue }
                row.bind(1, l); row.bind(2, Int64(address)); row.bind(3, Int64(root)); try row.execute()
                if root == address { info.bind(1, l); info.bind(2, Int64(root)); info.bind(3, Int64(size)); try info.execute() }
            }
        }
        let merge = try RawStatement(db, """
            INSERT INTO cluster_merge(layer, absorbed, into_cluster, absorbed_size, into_size, tx, rule, suspicious, run)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
            """)
        for s in suspicious {
            merge.bind(1, Int64(s.layer.rawValue)); merge.bind(2, Int64(s.union.absorbed)); merge.bind(3, Int64(s.union.kept))
            merge.bind(4, Int64(s.union.absorbedSize)); merge.bind(5, Int64(s.union.keptSize))
            merge.bind(6, links.tx[s.index] == 0 ? nil : links.tx[s.index]); merge.bind(7, links.rule[s.index].rawValue); merge.bind(8, run)
            try merge.execute()
        }
        try saveCommon(db, found, maxTx: maxTx, addressDone: maxAddress, addressPaid: loader.maxAddressSeen)
        try TracerSchema.ensure(db)
        clock.lap("write")
        return ClusterRunSummary(
            mode: "full", reason: nil, run: run, transactions: found.transactions, inputs: found.inputs, coinJoins: found.coinJoins.count,
            pending: found.pending.count, strictLinks: effective.filter { $0.layer == .strict }.count,
            changeLinks: effective.filter { $0.layer == .extended }.count, strictClusters: 0, extendedClusters: 0,
            suspiciousMerges: suspicious.count, parameters: rules.parameterText, seconds: clock.laps)
    }

    // MARK: - Incremental run

    private func incremental(
        _ db: Database, maxTx: Int64, run: Int64, lastTx: Int64, addressDone: Int64, addressPaid: Int64,
        progress: ((ClusterProgress) -> Void)?
    ) throws -> ClusterRunSummary {
        var clock = Clock()
        let maxAddress = try Int64.fetchOne(db, sql: "SELECT max(id) FROM address") ?? 0
        let extractor = LinkExtractor(rules: rules)
        var found = ExtractedLinks()
        // Transactions that waited for their funding transactions, when those have arrived.
        let waiting = try Int64.fetchAll(db, sql: """
            SELECT p.tx FROM cluster_pending p JOIN tx t ON t.id = p.tx
            WHERE NOT EXISTS (SELECT 1 FROM input i WHERE i.id >= t.input_first AND i.id < t.input_first + t.input_count
                              AND i.spends IS NULL AND i.prev_txid IS NOT NULL)
            ORDER BY p.tx
            """)
        if !waiting.isEmpty {
            let done = try RawStatement(db, "DELETE FROM cluster_pending WHERE tx = ?")
            for tx in waiting { done.bind(1, tx); try done.execute() }
            let pointLoader = try TxShapeLoader(db: db, addressLimit: Int64.max)
            for id in waiting {
                if let shape = try pointLoader.shape(of: id) { extractor.extract(shape, into: &found) }
            }
        }
        let loader = try TxShapeLoader(db: db, addressLimit: addressPaid)
        let report = ProgressReporter(total: Int(max(0, maxTx - lastTx)), callback: progress)
        try loader.forEach(txFrom: lastTx + 1, txTo: maxTx) {
            extractor.extract($0, into: &found)
            report.tick(found.transactions)
        }
        clock.lap("read")
        let sameKey = SameKeyLinker(db: db)
        try sameKey.payToPubkeyLinks(found.payToPubkey, into: &found.links)
        try sameKey.keyHashLinks(done: addressDone, upTo: maxAddress, into: &found.links)
        clock.lap("same_key")

        let strict = try PersistentClusters(db: db, layer: .strict)
        let extended = try PersistentClusters(db: db, layer: .extended)
        let touched = Array(Set(found.links.a).union(found.links.b))
        try strict.prefetch(touched)
        try extended.prefetch(touched)
        let link = try RawStatement(db, "INSERT INTO cluster_link(layer, a, b, tx, rule, detail, run) VALUES (?, ?, ?, ?, ?, ?, ?)")
        var strictLinks = 0, changeLinks = 0, suspicious = 0
        let links = found.links
        let threshold = Int64(rules.suspiciousSize)
        func record(_ i: Int, _ layer: ClusterLayer) throws {
            link.bind(1, Int64(layer.rawValue)); link.bind(2, links.a[i]); link.bind(3, links.b[i])
            link.bind(4, links.tx[i] == 0 ? nil : links.tx[i]); link.bind(5, links.rule[i].rawValue)
            if let d = links.detail[i] { link.bind(6, d) } else { link.bindNull(6) }
            link.bind(7, run)
            try link.execute()
        }
        for i in 0..<links.count where !links.rule[i].isChange {
            if let j = try strict.union(links.a[i], links.b[i], tx: links.tx[i], rule: links.rule[i]) {
                try record(i, .strict); strictLinks += 1
                if j.keptSize >= threshold && j.absorbedSize >= threshold { suspicious += 1 }
            }
            if let j = try extended.union(links.a[i], links.b[i], tx: links.tx[i], rule: links.rule[i]),
               j.keptSize >= threshold && j.absorbedSize >= threshold { suspicious += 1 }
        }
        for i in 0..<links.count where links.rule[i].isChange {
            if let j = try extended.union(links.a[i], links.b[i], tx: links.tx[i], rule: links.rule[i]) {
                try record(i, .extended); changeLinks += 1
                if j.keptSize >= threshold && j.absorbedSize >= threshold { suspicious += 1 }
            }
        }
        clock.lap("union")
        _ = try strict.save(db: db, run: run, recordMergesFrom: 2, suspiciousSize: threshold)
        _ = try extended.save(db: db, run: run, recordMergesFrom: 2, suspiciousSize: threshold)
        try saveCommon(db, found, maxTx: maxTx, addressDone: maxAddress, addressPaid: max(addressPaid, loader.maxAddressSeen))
        clock.lap("write")
        return ClusterRunSummary(
            mode: "incremental", reason: nil, run: run, transactions: found.transactions, inputs: found.inputs,
            coinJoins: found.coinJoins.count,
            pending: try Int.fetchOne(db, sql: "SELECT count(*) FROM cluster_pending") ?? found.pending.count,
            strictLinks: strictLinks, changeLinks: changeLinks,
            strictClusters: 0, extendedClusters: 0, suspiciousMerges: suspicious, parameters: rules.parameterText, seconds: clock.laps)
    }

    // MARK: - Shared

    private func saveCommon(_ db: Database, _ found: ExtractedLinks, maxTx: Int64, addressDone: Int64, addressPaid: Int64) throws {
        let cj = try RawStatement(db, "INSERT OR REPLACE INTO coinjoin(tx, detector, confidence, multi_party, reason) VALUES (?, ?, ?, ?, ?)")
        for (tx, v) in found.coinJoins {
            cj.bind(1, tx); cj.bind(2, v.kind.rawValue); cj.bind(4, v.multiParty ? 1 : 0); cj.bind(5, v.reason)
            cj.bindDouble(3, v.confidence)
            try cj.execute()
        }
        let pending = try RawStatement(db, "INSERT OR IGNORE INTO cluster_pending(tx) VALUES (?)")
        for tx in found.pending { pending.bind(1, tx); try pending.execute() }
        let txid = try Data.fetchOne(db, sql: "SELECT txid FROM tx WHERE id = ?", arguments: [maxTx])
        try db.execute(sql: """
            INSERT OR REPLACE INTO cluster_progress(id, last_tx, last_txid, address_done, address_paid, parameters, updated, blocks_removed)
            VALUES (1, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [maxTx, txid, addressDone, addressPaid, rules.ruleText, Self.now(), try TracerSchema.blocksRemoved(db)])
    }

    private func startRun(_ db: Database, mode: String) throws -> Int64 {
        try db.execute(sql: "INSERT INTO cluster_run(started, mode, tx_from, tx_to, parameters) VALUES (?, ?, 0, 0, ?)",
                       arguments: [Self.now(), mode, rules.parameterText])
        return db.lastInsertedRowID
    }

    static func now() -> String { IndexStore.utc(date: Date()) }
}

/// Wall-clock laps for the phase timings.
struct Clock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var laps: [String: Double] = [:]

    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps[name, default: 0] += Double(now - last) / 1e9
        last = now
    }
}

/// Where a clustering run is, for progress bars.
public struct ClusterProgress: Sendable {
    /// `read`, `same_key`, `write`.
    public var phase: String
    public var transactionsDone: Int
    public var transactionsTotal: Int
    public var elapsed: Double
}

/// Calls the progress callback every 65,536 transactions.
final class ProgressReporter {
    private let total: Int
    private let callback: ((ClusterProgress) -> Void)?
    private let start = DispatchTime.now().uptimeNanoseconds

    init(total: Int, callback: ((ClusterProgress) -> Void)?) {
        self.total = total
        self.callback = callback
    }

    @inline(__always) func tick(_ done: Int) {
        guard let callback, done & 0xFFFF == 0 else { return }
        callback(ClusterProgress(phase: "read", transactionsDone: done, transactionsTotal: total, elapsed: elapsed))
    }

    func phase(_ name: String, done: Int) {
        callback?(ClusterProgress(phase: name, transactionsDone: done, transactionsTotal: total, elapsed: elapsed))
    }

    private var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
