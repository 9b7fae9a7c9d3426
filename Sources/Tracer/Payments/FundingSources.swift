import ChainIndex
import Foundation
import GRDB

/// One hop back: for each input of a payment, the transaction that created the output it spends
/// and who sent it (the clusters of that transaction's inputs, with their tags). Funding
/// transactions are read once each and cached for the query.
final class FundingSources {
    private struct Funding {
        var txid: String
        var height: Int?
        var time: Int64
        var coinbase: Bool
        var coinjoin: CoinJoinFlag?
        var senders: [Int64]
        var unresolvedInputs: Int
    }

    private let directory: ClusterDirectory
    private let network: Network
    private let sellerRoots: Set<Int64>
    private let payerRoots: Set<Int64>
    private var cache: [Int64: Funding] = [:]

    /// - Parameter payerRoots: every cluster that paid the seller: a sender among them is marked
    ///   "also paid the seller".
    init(directory: ClusterDirectory, network: Network, sellerRoots: Set<Int64>, payerRoots: Set<Int64>) {
        self.directory = directory
        self.network = network
        self.sellerRoots = sellerRoots
        self.payerRoots = payerRoots
    }

    /// The source of every input of a payment, in input order.
    func sources(_ db: Database, inputs: [SpentInput]) throws -> [FundingSource] {
        try inputs.map { try source(db, $0) }
    }

    private func source(_ db: Database, _ input: SpentInput) throws -> FundingSource {
        let fromSeller = input.cluster.map(sellerRoots.contains) ?? false
        var s = FundingSource(
            input: input.n, prevout: input.prevout, value: input.value, address: input.address, inputCluster: input.cluster,
            fromSeller: fromSeller, kind: .unknown, fundingTxid: nil, fundingHeight: nil, fundingTime: nil, senderClusters: [],
            coinjoin: nil, description: "unknown (not in the index)")
        guard input.resolved, let fundingTx = input.fundingTx else { return s }
        let f = try funding(db, fundingTx)
        s.fundingTxid = f.txid
        s.fundingHeight = f.height
        s.fundingTime = IndexStore.utc(f.time)
        s.coinjoin = f.coinjoin
        s.senderClusters = try f.senders.map { try directory.describe(db, cluster: $0) }
        if f.coinbase {
            s.kind = .coinbase
            s.description = "coinbase (newly mined coins)"
        } else if let cj = f.coinjoin, cj.multiParty {
            s.kind = .coinjoin
            s.description = "CoinJoin (\(cj.detector))"
        } else {
            s.kind = .cluster
            s.description = describeSenders(s.senderClusters, inputCluster: input.cluster, unresolved: f.unresolvedInputs)
            if let cj = f.coinjoin { s.description += " via \(cj.detector)" }
        }
        if fromSeller { s.description = "the seller's own coin (co-spend); it came from: " + s.description }
        return s
    }

    /// "withdrawal from LABEL (exchange)", "from LABEL (category)", "the payer's own earlier
    /// transaction (cluster N)", "from cluster N (untagged, K addresses)", or several of these.
    private func describeSenders(_ senders: [PaymentCluster], inputCluster: Int64?, unresolved: Int) -> String {
        let missing = unresolved > 0 ? " (and \(unresolved) input(s) not in the index)" : ""
        guard !senders.isEmpty else { return "unknown (the funding transaction's inputs are not in the index)" }
        let parts = senders.map { c -> String in
            if sellerRoots.contains(c.id) { return "the seller's cluster \(c.id)" }
            if c.id == inputCluster {
                return "the payer's own earlier transaction (cluster \(c.id)\(c.attribution.map { ", \($0)" } ?? ""))"
            }
            let alsoPaid = payerRoots.contains(c.id) ? "; also paid the seller" : ""
            guard let attribution = c.attribution else { return "cluster \(c.id) (untagged, \(c.size) address(es)\(alsoPaid))" }
            let prefix = c.hasCategory(.exchange) ? "withdrawal from " : "from "
            return prefix + attribution + (alsoPaid.isEmpty ? "" : " (also paid the seller)")
        }
        if parts.count == 1 { return parts[0] + missing }
        return "from \(parts.count) clusters: " + parts.joined(separator: "; ") + missing
    }

    private func funding(_ db: Database, _ tx: Int64) throws -> Funding {
        if let f = cache[tx] { return f }
        let head = try PaymentRows.transaction(db, tx)
        let inputs = try PaymentRows.inputs(db, tx: tx, directory: directory, network: network)
        var senders: [Int64] = []
        var seen = Set<Int64>()
        for i in inputs { if let c = i.cluster, seen.insert(c).inserted { senders.append(c) } }
        let f = Funding(
            txid: head?.txid ?? "", height: head?.height, time: head?.time ?? 0, coinbase: inputs.count == 1 && inputs[0].coinbase,
            coinjoin: try PaymentRows.coinJoin(db, tx: tx), senders: senders.sorted(),
            unresolvedInputs: inputs.filter { !$0.resolved && !$0.coinbase }.count)
        cache[tx] = f
        return f
    }
}
