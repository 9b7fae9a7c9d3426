import Foundation
import Tracer

/// Facts, inferences, attributions and the wallet diagram of a trace finding (`TraceResult`, or
/// `[TraceResult]` for `--model all`).
enum TraceFindingReader {
    /// Most wallets drawn in a diagram; the largest flows and every wallet on a path are kept.
    static let maxDiagramNodes = 50

    static func read(_ finding: Finding, tags: ((Int64) throws -> [TagView])?) throws -> FindingContent {
        let decoder = JSONDecoder()
        let fiat = LenientFiat(finding.result)
        let results: [TraceResult]
        let isArray = (fiat.root as? [Any]) != nil
        if isArray {
            results = try decoder.decode([TraceResult].self, from: finding.result)
        } else if let object = fiat.root as? [String: Any], object["results"] != nil {
            struct All: Decodable { var results: [TraceResult] }
            results = try decoder.decode(All.self, from: finding.result).results
        } else {
            results = [try decoder.decode(TraceResult.self, from: finding.result)]
        }
        guard !results.isEmpty else { throw EvidenceError.undecodableResult(finding: finding.id, kind: "trace", reason: "no results") }
        let primaryIndex = results.firstIndex { $0.parameters.model == .haircut } ?? 0
        let r = results[primaryIndex]
        let prefix: [Any] = isArray ? [primaryIndex] : ((fiat.root as? [String: Any])?["results"] != nil ? ["results", primaryIndex] : [])
        var c = FindingContent()
        let p = r.parameters
        let dir = p.direction == .forward ? "forward" : "backward"

        for (i, path) in r.paths.enumerated() {
            for (k, step) in path.steps.enumerated() {
                let (txid, vout) = FindingContent.split(step.outpoint)
                let last = k == path.steps.count - 1
                let role = last ? (p.direction == .forward ? "endpoint" : "source") : (k == 0 ? "subject" : "step")
                c.facts.append(
                    OutputFact(
                        outpoint: step.outpoint, txid: txid, vout: vout, address: step.address, height: step.height,
                        time: step.time, satoshis: step.amount, btc: UTCText.btc(step.amount),
                        role: "path \(i + 1) \(role)", cluster: last ? path.cluster : nil,
                        fiat: fiat.amount(prefix + ["paths", i, "steps", k, "amount_fiat"])))
            }
        }
        if r.paths.isEmpty {
            for n in r.nodes where n.hop == 0 {
                let (txid, vout) = FindingContent.split(n.outpoint)
                c.facts.append(
                    OutputFact(
                        outpoint: n.outpoint, txid: txid, vout: vout, address: n.address, height: n.height, time: n.time,
                        satoshis: n.amount, btc: UTCText.btc(n.amount), role: "subject", cluster: n.cluster, fiat: nil))
            }
        }

        // Inferences: cluster membership of each endpoint, taint per path, CoinJoin stops.
        let clusterRule = MethodText.clusterRule(p.layer)
        var endpointClusters: [Int64] = []
        for path in r.paths where !endpointClusters.contains(path.cluster) {
            endpointClusters.append(path.cluster)
            let address = path.steps.last?.address ?? "the endpoint output"
            c.inferences.append(
                Inference(
                    kind: "cluster",
                    statement: "\(address) belongs to cluster \(path.cluster) "
                        + "(\(path.labels.joined(separator: ", ")); \(path.categories.joined(separator: ", ")))",
                    rule: clusterRule.rule, precision: clusterRule.precision))
        }
        let comparison = results.count > 1 ? ModelComparison(results) : nil
        for (i, path) in r.paths.enumerated() {
            let dependent = comparison?.rows.first { $0.cluster == path.cluster }?.modelDependent
            let precision =
                dependent.map { $0 ? "depends on the taint model (see the comparison)" : "the same under poison, haircut and fifo" }
                ?? "one model run; not compared with the others"
            c.inferences.append(
                Inference(
                    kind: "taint",
                    statement: "path \(i + 1): \(UTCText.btc(path.amount)) BTC of the traced money "
                        + (p.direction == .forward ? "reaches" : "comes from") + " cluster \(path.cluster) "
                        + "(\(path.labels.joined(separator: ", "))) in \(path.hops) transaction(s)",
                    rule: "\(p.model.rawValue) taint model, \(dir)", precision: precision))
        }
        for n in r.nodes where n.stop == .coinJoin {
            c.inferences.append(
                Inference(
                    kind: "coinjoin",
                    statement: "\(n.outpoint): the trace stops at a CoinJoin "
                        + "(\(n.coinJoin ?? "detected")); \(UTCText.btc(n.amount)) BTC cannot be followed further",
                    rule: "CoinJoin detector \(n.coinJoin ?? "")", precision: "see docs/heuristics.md, CoinJoin detection"))
        }
        if let comparison {
            c.modelComparison = comparison.rows.map {
                ModelRow(
                    cluster: $0.cluster, labels: $0.labels, categories: $0.categories, poison: $0.amounts["poison"],
                    haircut: $0.amounts["haircut"], fifo: $0.amounts["fifo"], modelDependent: $0.modelDependent)
            }
            c.modelDependent = comparison.modelDependent
        }

        c.attributions = try FindingContent.attributions(endpointClusters, tags: tags) { cluster in
            guard let path = r.paths.first(where: { $0.cluster == cluster }) else { return [] }
            return zip(path.labels, path.categories).map {
                Attribution(
                    cluster: cluster, address: nil, label: $0.0, category: $0.1, source: "unknown (not in the result)",
                    confidence: 0, context: nil, isPrivate: false)
            }
        }
        c.graph = diagram(r)
        let reached = r.reachedByCategory.sorted { $0.key < $1.key }.map { "\(UTCText.btc($0.value)) BTC to \($0.key)" }
        c.summary =
            "\(dir) trace (\(p.model.rawValue), up to \(p.maxHops) hops) from \(UTCText.btc(r.startAmount)) BTC: "
            + (reached.isEmpty ? "reached no attributed cluster" : "reached " + reached.joined(separator: ", "))
            + "; \(r.paths.count) path(s)"
        if r.truncated { c.warnings.append("The trace stopped at its node limit (\(p.maxNodes) outputs): figures are lower bounds.") }
        if let s = fiat.series(prefix + ["fiat_series"]) { c.priceSeries.append(s) }
        return c
    }

    /// Wallets as nodes (column = hops from the subject; sources on the left for a backward trace).
    static func diagram(_ r: TraceResult) -> FlowDiagram {
        var hop: [Int64: Int] = [:], endpoint: [Int64: FlowEndpoint] = [:]
        var subject = Set<Int64>()
        for n in r.nodes {
            guard let c = n.cluster else { continue }
            hop[c] = min(hop[c] ?? Int.max, n.hop)
            if n.hop == 0 { subject.insert(c) }
            if let e = n.endpoint { endpoint[c] = e }
        }
        let maxHop = hop.values.max() ?? 0
        // Keep every wallet on a path, then the largest flows until the cap.
        var keep = Set(r.paths.map(\.cluster)).union(subject)
        for e in r.walletEdges.sorted(by: { ($0.amount, $1.from) > ($1.amount, $0.from) }) {
            if keep.count >= maxDiagramNodes { break }
            keep.insert(e.from)
            keep.insert(e.to)
        }
        let edges = r.walletEdges.filter { keep.contains($0.from) && keep.contains($0.to) && $0.from != $0.to }
        // Subject wallets without a flow are left out when others have one (they add nothing to the picture).
        var used = edges.isEmpty ? subject : Set<Int64>()
        for e in edges { used.insert(e.from); used.insert(e.to) }
        let nodes = used.sorted().map { c -> FlowNode in
            let h = hop[c] ?? 0
            let e = endpoint[c]
            let detail = e.map { zip($0.labels, $0.categories).map { "\($0.0) (\($0.1))" }.joined(separator: ", ") } ?? ""
            return FlowNode(
                id: "c\(c)", label: subject.contains(c) ? "subject · cluster \(c)" : "cluster \(c)", detail: detail,
                column: r.parameters.direction == .forward ? h : maxHop - h, attributed: e != nil, isSubject: subject.contains(c))
        }
        let links = edges.map { e -> FlowLink in
            r.parameters.direction == .forward
                ? FlowLink(from: "c\(e.from)", to: "c\(e.to)", satoshis: e.amount, txids: e.txids)
                : FlowLink(from: "c\(e.to)", to: "c\(e.from)", satoshis: e.amount, txids: e.txids)
        }
        return FlowDiagram(nodes: nodes, edges: links)
    }
}
