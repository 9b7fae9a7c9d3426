import Foundation
import Tracer

/// Facts, inferences, attributions and the payer diagram of a payments finding (`SellerPaymentsReport`).
enum PaymentsFindingReader {
    /// Most payers drawn; the rest are one "other payers" node.
    static let maxPayerNodes = 40

    static func read(_ finding: Finding, tags: ((Int64) throws -> [TagView])?) throws -> FindingContent {
        let r = try JSONDecoder().decode(SellerPaymentsReport.self, from: finding.result)
        let fiat = LenientFiat(finding.result)
        var c = FindingContent()
        let sellerIDs = r.sellerClusters.map(\.id)
        let onlySeller = sellerIDs.count == 1 ? sellerIDs.first : nil
        for (i, pay) in r.payments.enumerated() {
            for (j, out) in pay.outputs.enumerated() {
                let single = pay.outputs.count == 1
                c.facts.append(
                    OutputFact(
                        outpoint: "\(pay.txid):\(out.vout)", txid: pay.txid, vout: out.vout, address: out.address,
                        height: pay.height, time: pay.time, satoshis: out.value, btc: UTCText.btc(out.value),
                        role: "payment", cluster: onlySeller,
                        fiat: fiat.amount(["payments", i, "outputs", j, "value_fiat"])
                            ?? (single ? fiat.amount(["payments", i, "amount_fiat"]) : nil)))
            }
            for s in pay.sources ?? [] {
                guard let prevout = s.prevout, let value = s.value else { continue }
                let (txid, vout) = FindingContent.split(prevout)
                c.facts.append(
                    OutputFact(
                        outpoint: prevout, txid: txid, vout: vout, address: s.address, height: s.fundingHeight,
                        time: s.fundingTime ?? "", satoshis: value, btc: UTCText.btc(value),
                        role: "funding of \(pay.txid.prefix(12))…", cluster: s.inputCluster, fiat: nil))
            }
        }

        let rule = MethodText.clusterRule(r.layer)
        for s in r.sellerClusters {
            c.inferences.append(
                Inference(
                    kind: "cluster",
                    statement: "the seller's wallet is cluster \(s.id) (\(s.size) address(es)"
                        + (s.attribution.map { "; \($0)" } ?? "") + ")", rule: rule.rule, precision: rule.precision))
        }
        for pay in r.payments {
            let statement: String, payerRule: String
            if let cj = pay.coinjoin {
                statement = "\(pay.txid): paid from a CoinJoin (\(cj.detector)): the payer cannot be named"
                payerRule = "CoinJoin detector \(cj.detector)"
            } else if pay.coinbase {
                statement = "\(pay.txid): a coinbase (newly mined coins)"
                payerRule = "coinbase"
            } else {
                statement = "\(pay.txid): \(UTCText.btc(pay.amount)) BTC paid by \(pay.payer)"
                payerRule = "payer = cluster of the inputs that are not the seller's (\(r.layer) layer)"
            }
            c.inferences.append(
                Inference(
                    kind: "payer",
                    statement: statement
                        + (pay.sellerCoSpend ? "; the seller co-spent \(UTCText.btc(pay.sellerInputValue)) BTC (PayJoin or CoinJoin)" : ""),
                    rule: payerRule, precision: rule.precision))
            for s in pay.sources ?? [] where s.kind != .cluster || !s.senderClusters.isEmpty {
                c.inferences.append(
                    Inference(
                        kind: "source", statement: "\(pay.txid) input \(s.input): \(s.description)",
                        rule: "one hop back: senders of the funding transaction \(s.fundingTxid ?? "-")",
                        precision: rule.precision))
            }
        }

        var clusters = r.sellerClusters
        for pay in r.payments {
            clusters += pay.payers
            for s in pay.sources ?? [] { clusters += s.senderClusters }
        }
        let tagged = clusters.filter { !$0.tags.isEmpty }
        let byID = Dictionary(tagged.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        c.attributions = try FindingContent.attributions(tagged.map(\.id), tags: tags) { id in
            byID[id].map { FindingContent.attributions($0.tags, cluster: id) } ?? []
        }
        c.graph = diagram(r)
        c.summary =
            "\(r.paymentCount) payment(s) into the seller's cluster(s) \(sellerIDs.map(String.init).joined(separator: ", ")), "
            + "\(UTCText.btc(r.totalReceived)) BTC in total"
            + (r.firstPayment.map { ", \($0.time)" } ?? "") + (r.lastPayment.map { " to \($0.time)" } ?? "")
            + "; \(r.byPayer.count) payer(s)"
        c.warnings = r.warnings
        if r.paymentsTruncated {
            c.warnings.append("Only \(r.payments.count) of \(r.paymentCount) payments are listed (totals cover all).")
        }
        if let s = fiat.series() { c.priceSeries.append(s) }
        return c
    }

    /// Payers (left) paying the seller (right).
    static func diagram(_ r: SellerPaymentsReport) -> FlowDiagram {
        let sellerLabel = r.sellerClusters.map { "cluster \($0.id)" }.joined(separator: ", ")
        let sellerDetail = r.sellerClusters.compactMap(\.attribution).joined(separator: "; ")
        var nodes = [
            FlowNode(
                id: "seller", label: "seller · " + sellerLabel, detail: sellerDetail, column: 1,
                attributed: !sellerDetail.isEmpty, isSubject: true)
        ]
        var edges: [FlowLink] = []
        let payers = r.byPayer.sorted { ($0.amount, $1.key) > ($1.amount, $0.key) }
        for (i, p) in payers.prefix(maxPayerNodes).enumerated() {
            let id = "p\(i)"
            let attribution = p.clusters.compactMap(\.attribution).joined(separator: "; ")
            nodes.append(FlowNode(id: id, label: p.key, detail: attribution, column: 0, attributed: !attribution.isEmpty, isSubject: false))
            edges.append(
                FlowLink(
                    from: id, to: "seller", satoshis: p.amount,
                    txids: r.payments.filter { $0.payerKey == p.key }.map(\.txid)))
        }
        if payers.count > maxPayerNodes {
            let rest = payers.dropFirst(maxPayerNodes)
            nodes.append(
                FlowNode(id: "others", label: "\(rest.count) other payers", detail: "", column: 0, attributed: false, isSubject: false))
            let keys = Set(rest.map(\.key))
            edges.append(
                FlowLink(
                    from: "others", to: "seller", satoshis: rest.reduce(0) { $0 + $1.amount },
                    txids: r.payments.filter { keys.contains($0.payerKey) }.map(\.txid)))
        }
        return FlowDiagram(nodes: nodes, edges: edges)
    }
}
