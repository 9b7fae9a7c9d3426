import ChainIndex
import Foundation
import GRDB
import Testing
@testable import Tracer

// `spoor payments` against a synthetic chain whose buyer→seller payments are known
// (`truth/payments.ndjson`): every payment into the seller's cluster is found with its exact
// txid, vout and value; the seller's own transfers are never listed; totals add up; and the
// one-hop-back source of a payment funded by an exchange withdrawal names that withdrawal.

/// One line of `truth/payments.ndjson`.
struct TruthPayment: Decodable {
    var buyer: Int
    var seller: Int
    var txid: String
    var vout: Int
    var value: Int64
    var height: Int
    var time: Int64
    var path: [String]
}

/// The synthetic chain of ``ClusteredSynthChain``, imported, clustered, with its watchlist
/// imported, and its truth read once.
struct PaymentsFixture {
    let chain: ClusteredSynthChain
    let store: IndexStore
    let directory: URL
    let owners: [String: Int]
    let kinds: [Int: String]
    let labels: [Int: String]
    let payments: [TruthPayment]
    let strict: [String: Int64]

    static func make() throws -> PaymentsFixture {
        let chain = try ClusteredSynthChain.get()
        let (store, dir) = try chain.index(chain.allFiles)
        _ = try ClusterEngine(store: store, rules: StandardRules.make()).run()
        let watchlist = chain.blocks.deletingLastPathComponent().appendingPathComponent("watchlist.csv").path
        try TagStore(index: store).importFiles([watchlist])
        var kinds: [Int: String] = [:], labels: [Int: String] = [:]
        let entities = try String(contentsOf: chain.truth.appendingPathComponent("entities.csv"), encoding: .utf8)
        for line in entities.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 3, let id = Int(f[0]) else { continue }
            kinds[id] = String(f[1])
            labels[id] = String(f[2])
        }
        let text = try String(contentsOf: chain.truth.appendingPathComponent("payments.ndjson"), encoding: .utf8)
        let decoder = JSONDecoder()
        let payments = try text.split(separator: "\n").map { try decoder.decode(TruthPayment.self, from: Data($0.utf8)) }
        return PaymentsFixture(chain: chain, store: store, directory: dir, owners: try chain.owners(), kinds: kinds, labels: labels,
                               payments: payments, strict: try exportedClusters(store, .strict))
    }

    /// The address paid by output `vout` of `txid`.
    func outputAddress(_ txid: String, _ vout: Int) throws -> String? {
        let tx = try store.transaction(txid)
        return tx.outputs.first { $0.n == vout }?.address
    }
}

@Suite(.serialized)
struct SellerPaymentsTests {
    /// Totals are consistent with the listed payments, and the order is by height then position.
    func checkTotals(_ r: SellerPaymentsReport) {
        #expect(r.paymentCount == r.payments.count)
        #expect(r.totalReceived == r.payments.reduce(0) { $0 + $1.amount })
        #expect(r.byPayer.reduce(0) { $0 + $1.amount } == r.totalReceived)
        #expect(r.byPayer.reduce(0) { $0 + $1.payments } == r.paymentCount)
        #expect(r.byMonth.reduce(0) { $0 + $1.amount } == r.totalReceived)
        #expect(r.byMonth.reduce(0) { $0 + $1.payments } == r.paymentCount)
        #expect(r.firstPayment?.txid == r.payments.first?.txid)
        #expect(r.lastPayment?.txid == r.payments.last?.txid)
        for p in r.payments {
            #expect(p.amount == p.outputs.reduce(0) { $0 + $1.value })
            #expect(p.vouts == p.outputs.map(\.vout))
            #expect(p.sources?.count ?? 0 > 0)
        }
        for (a, b) in zip(r.payments, r.payments.dropFirst()) {
            #expect(((a.height ?? .max), a.index) < ((b.height ?? .max), b.index), "payments out of order: \(a.txid), \(b.txid)")
        }
        for t in r.byPayer {
            let mine = r.payments.filter { $0.payerKey == t.key }
            #expect(t.payments == mine.count && t.amount == mine.reduce(0) { $0 + $1.amount })
            #expect(t.firstPayment.txid == mine.first?.txid && t.lastPayment.txid == mine.last?.txid)
        }
    }

    @Test func everyTruthPaymentIsFoundWithExactAmounts() throws {
        let f = try PaymentsFixture.make()
        defer { try? FileManager.default.removeItem(at: f.directory) }
        let query = try SellerPayments(store: f.store)
        let sellers = f.kinds.filter { $0.value == "seller" }.keys.sorted()
        #expect(sellers.count >= 3)
        var truthAddress: [String: String] = [:]   // "txid:vout" -> address
        for p in f.payments { truthAddress["\(p.txid):\(p.vout)"] = try f.outputAddress(p.txid, p.vout) }

        var expectedInCluster = 0, foundInCluster = 0, allTruth = 0, internalListed = 0
        var withdrawalChecked = 0, withdrawalNamed = 0, directFromExchange = 0, directNamed = 0, coSpends = 0
        for seller in sellers {
            let addresses = f.owners.filter { $0.value == seller }.keys.sorted()
            let clusters = Set(addresses.compactMap { f.strict[$0] })
            // The seller's address in its largest cluster (ties: the first address).
            var size: [Int64: Int] = [:]
            for a in addresses { if let c = f.strict[a] { size[c, default: 0] += 1 } }
            let address = try #require(addresses.max { (size[f.strict[$0] ?? -1] ?? 0, $1) < (size[f.strict[$1] ?? -1] ?? 0, $0) })
            let report = try query.run([address])
            #expect(report.layer == "strict")
            #expect(report.sellerClusters.count == 1)
            let cluster = try #require(report.sellerClusters.first?.id)
            #expect(cluster == f.strict[address])
            checkTotals(report)

            let truth = f.payments.filter { $0.seller == seller }
            allTruth += truth.count
            var byTx: [String: SellerPayment] = [:]
            for p in report.payments { byTx[p.txid] = p }
            var found = 0
            for t in truth {
                guard let a = truthAddress["\(t.txid):\(t.vout)"] ?? nil, f.strict[a] == cluster else { continue }
                expectedInCluster += 1
                let p = byTx[t.txid]
                #expect(p != nil, "seller \(seller): payment \(t.txid):\(t.vout) to its cluster not found")
                guard let p else { continue }
                #expect(p.outputs.contains { $0.vout == t.vout && $0.value == t.value && $0.address == a },
                        "seller \(seller): \(t.txid):\(t.vout) listed with other outputs \(p.outputs)")
                #expect(p.height == t.height && p.time == IndexStore.utc(t.time))
                found += 1
            }
            foundInCluster += found
            // No listed payment is a transaction whose inputs are all the seller's own (truth).
            for p in report.payments {
                let inputOwners = Set((p.sources ?? []).map { $0.address.flatMap { f.owners[$0] } ?? -1 })
                if inputOwners == [seller] {
                    internalListed += 1
                    // Only possible when the seller's inputs sit in another of its clusters.
                    #expect((p.sources ?? []).allSatisfy { $0.inputCluster != cluster })
                }
            }
            print("seller \(seller): \(addresses.count) addresses in \(clusters.count) strict clusters; cluster \(cluster) "
                  + "(\(report.sellerSize) addresses) has \(report.paymentCount) payments, \(found) of \(truth.count) truth payments "
                  + "(\(String(format: "%.3f", truth.isEmpty ? 1 : Double(found) / Double(truth.count))) of the seller's payments)")

            // The union over every cluster holding one of the seller's addresses finds every payment.
            let union = try query.run(clusters.sorted().map(String.init))
            #expect(union.sellerClusters.count == clusters.count)
            checkTotals(union)
            var unionTx: [String: SellerPayment] = [:]
            for p in union.payments { unionTx[p.txid] = p }
            for t in truth {
                let p = unionTx[t.txid]
                #expect(p?.outputs.contains { $0.vout == t.vout && $0.value == t.value } == true,
                        "seller \(seller): \(t.txid):\(t.vout) not found over all its clusters")
            }
            // One hop back (over all the seller's clusters): a payment made with a coin withdrawn from
            // an exchange names that withdrawal (the path's first txid) and, where the exchange's
            // cluster is tagged, the exchange.
            for t in truth {
                guard let p = unionTx[t.txid] else { continue }
                if t.path.count == 1 {
                    // Paid straight from the exchange: the payer is the exchange.
                    directFromExchange += 1
                    let exchange = try exchangeLabel(f, fundingTxid: t.txid)
                    if let exchange, p.payer.contains("\(exchange) (exchange)") { directNamed += 1 }
                } else if t.path.count == 2 {
                    let sources = p.sources ?? []
                    #expect(sources.contains { $0.fundingTxid == t.path[0] }, "\(t.txid): withdrawal \(t.path[0]) not named one hop back")
                    withdrawalChecked += 1
                    guard let exchange = try exchangeLabel(f, fundingTxid: t.path[0]) else { continue }
                    let source = sources.first { $0.fundingTxid == t.path[0] }
                    if source?.description.hasPrefix("withdrawal from \(exchange) (exchange)") == true { withdrawalNamed += 1 }
                    // A tagged sender cluster must be the right exchange.
                    for c in source?.senderClusters ?? [] where !c.tags.isEmpty {
                        #expect(c.tags.allSatisfy { $0.category == "exchange" && $0.label == exchange },
                                "\(t.txid): withdrawal source tagged \(c.tags.map(\.label)), truth \(exchange)")
                    }
                }
            }
            coSpends += union.payments.filter(\.sellerCoSpend).count
            for p in union.payments {
                let inputOwners = Set((p.sources ?? []).map { $0.address.flatMap { f.owners[$0] } ?? -1 })
                #expect(inputOwners != [seller], "seller \(seller): internal transfer \(p.txid) listed over all its clusters")
            }
        }
        let recall = expectedInCluster == 0 ? 1 : Double(foundInCluster) / Double(expectedInCluster)
        print("payments into the queried cluster: \(foundInCluster) of \(expectedInCluster) (recall \(recall)); "
              + "of all \(allTruth) truth payments: \(String(format: "%.3f", Double(foundInCluster) / Double(max(1, allTruth))))")
        print("seller-internal transfers listed from another of the seller's clusters: \(internalListed); "
              + "payments with a seller co-spend over all clusters: \(coSpends)")
        print("one hop back: \(withdrawalNamed) of \(withdrawalChecked) withdrawal-funded payments name the exchange; "
              + "\(directNamed) of \(directFromExchange) direct exchange payments name it as payer")
        #expect(expectedInCluster > 20)
        #expect(foundInCluster == expectedInCluster)
        #expect(withdrawalChecked > 20)
        // The rest come from fresh hot-wallet addresses clustering has not linked to the tagged ones.
        #expect(withdrawalNamed * 2 >= withdrawalChecked)
    }

    /// The label of the exchange that sent `fundingTxid` (truth owners of its inputs), or nil.
    func exchangeLabel(_ f: PaymentsFixture, fundingTxid: String) throws -> String? {
        let tx = try f.store.transaction(fundingTxid)
        let entities = Set(tx.inputs.compactMap { $0.address.flatMap { f.owners[$0] } })
        guard entities.count == 1, let e = entities.first, f.kinds[e] == "exchange" else { return nil }
        return f.labels[e]
    }

    @Test func limitKeepsTotalsAndErrorsAreTyped() throws {
        let f = try PaymentsFixture.make()
        defer { try? FileManager.default.removeItem(at: f.directory) }
        let query = try SellerPayments(store: f.store)
        let seller = try #require(f.kinds.first { $0.value == "seller" }?.key)
        let address = try #require(f.owners.first { $0.value == seller }?.key)
        let full = try query.run([address])
        let limited = try query.run([address], limit: 1)
        #expect(limited.paymentCount == full.paymentCount)
        #expect(limited.totalReceived == full.totalReceived && limited.byPayer == full.byPayer && limited.byMonth == full.byMonth)
        #expect(limited.payments.count == min(1, full.paymentCount))
        #expect(limited.paymentsTruncated == (full.paymentCount > 1))
        // By cluster id: the same report.
        let byId = try query.run([String(try #require(full.sellerClusters.first?.id))])
        #expect(byId.payments == full.payments)
        // Extended layer: stated in the report; its cluster contains the strict one.
        let extended = try query.run([address], layer: .extended)
        #expect(extended.layer == "extended")
        #expect(extended.sellerSize >= full.sellerSize)
        // JSON keys are snake_case.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(full), as: UTF8.self)
        for key in ["seller_clusters", "payment_count", "total_received", "by_payer", "by_month", "excluded_internal", "first_payment"] {
            #expect(json.contains("\"\(key)\""))
        }
        #expect(throws: SellerPaymentsError.noSeller) { try query.run([]) }
        #expect(throws: SellerPaymentsError.invalidLimit(-1)) { try query.run([address], limit: -1) }
        #expect(throws: ClusterError.clusterNotFound(999_999_999)) { try query.run(["999999999"]) }
    }

    @Test func refusesAnUnclusteredIndex() throws {
        let chain = try ClusteredSynthChain.get()
        let (store, dir) = try chain.index(Array(chain.allFiles.prefix(1)))
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: ClusterError.notClustered) { try SellerPayments(store: store).run(["1"]) }
    }

    @Test func memberSetQueryUsesTheAddressIndex() throws {
        let f = try PaymentsFixture.make()
        defer { try? FileManager.default.removeItem(at: f.directory) }
        let plan = try f.store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + PaymentRows.membersCTE([1, 2]) + """
                 SELECT o.tx FROM output o JOIN tx t ON t.id = o.tx JOIN block b ON b.id = t.block
                WHERE o.address IS NOT NULL AND o.address IN (SELECT address FROM members)
                """, arguments: ["layer": 0]).map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("output_address") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN o") }, "\(plan)")
    }
}
