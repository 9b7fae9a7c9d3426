import Foundation
import Tracer

/// Inferences, attributions and the counterparty diagram of an exposure finding (`ExposureReport`).
/// Exposure is computed from traces and holds no outputs, so it has no on-chain facts of its own.
enum ExposureFindingReader {
    static func read(_ finding: Finding, tags: ((Int64) throws -> [TagView])?) throws -> FindingContent {
        let r = try JSONDecoder().decode(ExposureReport.self, from: finding.result)
        let fiat = LenientFiat(finding.result)
        var c = FindingContent()
        let rule = "\(r.model) taint model, up to \(r.maxHops) hops each way (\(r.layer) layer)"
        for (direction, list) in [("received from", r.received), ("sent to", r.sent)] {
            for cat in list {
                c.inferences.append(
                    Inference(
                        kind: "exposure",
                        statement: "\(direction) \(cat.category): \(UTCText.btc(cat.direct)) BTC "
                            + "directly, \(UTCText.btc(cat.indirect)) BTC indirectly "
                            + "(\(String(format: "%.1f", cat.share * 100)) % of \(UTCText.btc(r.totalReceived)) BTC received); "
                            + "fewest hops \(cat.minHops)", rule: rule, precision: "depends on the taint model and on clustering"))
            }
        }
        c.attributions = try FindingContent.attributions(r.counterparties.map(\.cluster), tags: tags) { cluster in
            guard let p = r.counterparties.first(where: { $0.cluster == cluster }) else { return [] }
            return zip(p.labels, p.categories).map {
                Attribution(
                    cluster: cluster, address: nil, label: $0.0, category: $0.1, source: "unknown (not in the result)",
                    confidence: 0, context: nil, isPrivate: false)
            }
        }
        var nodes = [FlowNode(id: "s", label: "subject", detail: r.subject, column: 1, attributed: false, isSubject: true)]
        var edges: [FlowLink] = []
        for p in r.counterparties {
            let id = "\(p.direction)-c\(p.cluster)"
            nodes.append(
                FlowNode(
                    id: id, label: "cluster \(p.cluster)",
                    detail: zip(p.labels, p.categories).map { "\($0.0) (\($0.1))" }.joined(separator: ", "),
                    column: p.direction == "received" ? 0 : 2, attributed: true, isSubject: false))
            edges.append(
                p.direction == "received"
                    ? FlowLink(from: id, to: "s", satoshis: p.amount, txids: [])
                    : FlowLink(from: "s", to: id, satoshis: p.amount, txids: []))
        }
        c.graph = FlowDiagram(nodes: nodes, edges: edges)
        let sent = r.sent.map { "\($0.category) \(String(format: "%.1f", $0.share * 100)) %" }
        let received = r.received.map { "\($0.category) \(String(format: "%.1f", $0.share * 100)) %" }
        c.summary =
            "exposure of \(r.subject) (\(r.model), \(r.maxHops) hops): received from "
            + (received.isEmpty ? "no attributed category" : received.joined(separator: ", ")) + "; sent to "
            + (sent.isEmpty ? "no attributed category" : sent.joined(separator: ", "))
        if r.truncated { c.warnings.append("A trace stopped at its node limit: figures are lower bounds.") }
        if let s = fiat.series() { c.priceSeries.append(s) }
        return c
    }
}
