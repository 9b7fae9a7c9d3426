import ChainIndex
import Foundation
import GRDB

/// Errors of the payments query (lookups of addresses and clusters throw ``ClusterError``).
public enum SellerPaymentsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No address or cluster id was given.
    case noSeller
    /// `limit` was negative.
    case invalidLimit(Int)

    public var description: String {
        switch self {
        case .noSeller: return "name the seller: an address or a cluster id"
        case .invalidLimit(let n): return "--limit must be 0 or more (got \(n))"
        }
    }
}

/// `spoor payments SELLER`: every payment into a seller's cluster(s), who paid, when, how much,
/// and where the payer's funds came from one hop back. Definitions: `docs/tracing.md`.
///
/// A *payment* is a transaction with at least one output paying a member of the seller's
/// cluster(s) in the chosen layer, whose inputs are not all members (the seller's change,
/// consolidations and transfers between its addresses are excluded and counted in
/// ``SellerPaymentsReport/excludedInternal``). A transaction where the seller co-spends with
/// others is a payment flagged ``SellerPayment/sellerCoSpend``.
public struct SellerPayments {
    public let store: IndexStore
    public let network: Network

    /// - Throws: a database error when the index cannot be read.
    public init(store: IndexStore) throws {
        self.store = store
        network = try store.network() ?? .mainnet
    }

    /// The payments into the clusters of `sellers`.
    /// - Parameters:
    ///   - sellers: addresses or cluster ids; their clusters are taken together as one seller
    ///     (payments between them are internal).
    ///   - layer: the clustering layer (strict by default).
    ///   - limit: payments to list with their one-hop-back sources (nil: all). Totals always
    ///     cover every payment.
    ///   - fiat: when given, every amount is also valued at the price of its payment's UTC date
    ///     (excluded transactions at their own), totals are exact sums of those values, and the
    ///     report cites the series (``SellerPaymentsReport/fiatSeries``).
    /// - Throws: ``ClusterError/notClustered`` before `spoor cluster`, ``ClusterError/addressNotFound(_:)``,
    ///   ``ClusterError/clusterNotFound(_:)``, `QueryError.invalidArgument` for a malformed
    ///   address, ``SellerPaymentsError``.
    /// - Complexity: one statement over the member set for the paying outputs, then one indexed
    ///   read per paying transaction and per funding transaction of the listed payments.
    public func run(_ sellers: [String], layer: ClusterLayer = .strict, limit: Int? = nil, fiat converter: FiatConverter? = nil) throws
        -> SellerPaymentsReport
    {
        guard !sellers.isEmpty else { throw SellerPaymentsError.noSeller }
        if let limit, limit < 0 { throw SellerPaymentsError.invalidLimit(limit) }
        let clustered = try store.read { db in try ClusterQueries.isClustered(db) }
        guard clustered else { throw ClusterError.notClustered }
        let tags = try ClusterDirectory.loadTags(store: store, network: network)
        let queries = try ClusterQueries(store: store)
        var fiat = converter.map(FiatAnnotator.init)
        var report = try store.read { db in
            let directory = try ClusterDirectory(db, layer: layer, tags: tags)
            var roots: [Int64] = []
            for subject in sellers {
                let root = try resolve(db, subject, layer: layer, queries: queries, directory: directory)
                if !roots.contains(root) { roots.append(root) }
            }
            roots.sort()
            let sellerRoots = Set(roots)
            var payments: [SellerPayment] = []
            var inputsOfPayment: [[SpentInput]] = []
            var excluded = ExcludedInternal(transactions: 0, amount: 0, amountFiat: fiat?.emptySum)
            for paid in try PaymentRows.paidTransactions(db, roots: roots, layer: layer, network: network) {
                let inputs = try PaymentRows.inputs(db, tx: paid.tx, directory: directory, network: network)
                guard let payment = try classify(db, paid, inputs, sellerRoots: sellerRoots, directory: directory) else {
                    excluded.transactions += 1
                    excluded.amount += paid.amount
                    let date = PriceDate(unixTime: paid.time)
                    excluded.amountFiat?.add(satoshis: paid.amount, date: date, value: fiat?.value(satoshis: paid.amount, on: date))
                    continue
                }
                payments.append(payment)
                if limit.map({ inputsOfPayment.count < $0 }) ?? true { inputsOfPayment.append(inputs) }
            }
            // One hop back for the listed payments, once every payer is known (a source that also
            // paid the seller is marked).
            let payerRoots = Set(payments.flatMap { $0.payers.map(\.id) })
            let sources = FundingSources(directory: directory, network: network, sellerRoots: sellerRoots, payerRoots: payerRoots)
            for (i, inputs) in inputsOfPayment.enumerated() {
                payments[i].sources = try sources.sources(db, inputs: inputs)
            }
            for i in payments.indices { fiat?.annotate(&payments[i]) }
            let totals = PaymentTotals(payments, emptyFiat: fiat?.emptySum)
            let sellerClusters = try roots.map { try directory.describe(db, cluster: $0) }
            let listed = limit.map { Array(payments.prefix($0)) } ?? payments
            return SellerPaymentsReport(
                layer: layer.description, subjects: sellers, sellerClusters: sellerClusters,
                sellerSize: sellerClusters.reduce(0) { $0 + $1.size }, paymentCount: payments.count, payments: listed,
                paymentsTruncated: listed.count < payments.count, totalReceived: totals.total, firstPayment: totals.first,
                lastPayment: totals.last, byPayer: totals.byPayer, byMonth: totals.byMonth, excludedInternal: excluded,
                clusterParameters: try String.fetchOne(db, sql: "SELECT parameters FROM cluster_progress WHERE id = 1") ?? "",
                warnings: try PaymentWarnings.collect(db, sellerClusters: sellerClusters, directory: directory),
                totalReceivedFiat: totals.totalFiat)
        }
        report.fiatSeries = fiat?.citation
        return report
    }

    /// The current cluster of an address or a cluster id (as `show cluster` accepts them).
    private func resolve(_ db: Database, _ subject: String, layer: ClusterLayer, queries: ClusterQueries,
                         directory: ClusterDirectory) throws -> Int64 {
        guard let id = Int64(subject) else {
            let address = try queries.addressID(db, subject)
            return try directory.root(db, storedCluster: try directory.storedCluster(db, address: address))
        }
        guard try Int64.fetchOne(db, sql: "SELECT id FROM address WHERE id = ?", arguments: [id]) != nil else {
            throw ClusterError.clusterNotFound(id)
        }
        let root = try directory.root(db, storedCluster: try directory.storedCluster(db, address: id))
        let stored = try Int64.fetchOne(db, sql: "SELECT 1 FROM cluster_info WHERE layer = ? AND id = ?", arguments: [layer.rawValue, id])
        guard root == id || stored != nil else { throw ClusterError.clusterNotFound(id) }
        return root
    }

    /// The payment made by `paid`, or nil when every input is the seller's own.
    private func classify(_ db: Database, _ paid: PaidTransaction, _ inputs: [SpentInput], sellerRoots: Set<Int64>,
                          directory: ClusterDirectory) throws -> SellerPayment? {
        let coinbase = inputs.count == 1 && inputs[0].coinbase
        var sellerValue: Int64 = 0, sellerInputs = 0, unresolved = 0, explorer = 0
        var payerRoots: [Int64] = []
        for i in inputs {
            if !i.resolved && !i.coinbase { unresolved += 1 }
            // An explorer prevout names the spent output's address: payer evidence, marked as such.
            if i.fromExplorer { explorer += 1 }
            guard i.resolved || i.fromExplorer else { continue }
            if let c = i.cluster, sellerRoots.contains(c) {
                sellerInputs += 1
                sellerValue += i.value ?? 0
            } else if let c = i.cluster, !payerRoots.contains(c) {
                payerRoots.append(c)
            }
        }
        if !coinbase && !inputs.isEmpty && sellerInputs == inputs.count { return nil }
        payerRoots.sort()
        let payers = try payerRoots.map { try directory.describe(db, cluster: $0) }
        let coinjoin = try PaymentRows.coinJoin(db, tx: paid.tx)
        let key: String, payer: String
        if coinbase {
            (key, payer) = ("coinbase", "coinbase (newly mined coins)")
        } else if let cj = coinjoin, cj.multiParty {
            (key, payer) = ("coinjoin:\(cj.detector)", "CoinJoin (\(cj.detector))")
        } else if payers.count == 1 {
            let c = payers[0]
            (key, payer) = ("cluster:\(c.id)", "cluster \(c.id), " + (c.attribution ?? "untagged, \(c.size) address(es)"))
        } else if payers.isEmpty {
            (key, payer) = ("unknown", "unknown (inputs not in the index, or spending outputs without an address)")
        } else {
            key = "clusters:" + payers.map { String($0.id) }.joined(separator: ",")
            payer = "\(payers.count) clusters: "
                + payers.map { "\($0.id)" + ($0.attribution.map { " \($0)" } ?? "") }.joined(separator: ", ")
        }
        return SellerPayment(
            txid: paid.txid, height: paid.height, time: IndexStore.utc(paid.time), index: paid.index, outputs: paid.outputs,
            vouts: paid.outputs.map(\.vout), amount: paid.amount, payers: payers, payerKey: key, payer: payer, coinjoin: coinjoin,
            coinbase: coinbase, sellerCoSpend: sellerInputs > 0, sellerInputValue: sellerValue, unresolvedInputs: unresolved,
            explorerPrevoutInputs: explorer, sources: nil)
    }
}
