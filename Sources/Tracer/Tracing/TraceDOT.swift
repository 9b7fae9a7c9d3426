import ChainIndex

/// Graphviz DOT for a trace: the wallet view (clusters as nodes) or the transaction view (outputs
/// as nodes). Amounts in BTC; attributed clusters are boxes labelled with their tags.
public enum TraceDOT {
    public static func wallet(_ r: TraceResult) -> String {
        var lines = ["digraph trace {", "  rankdir=LR;", "  node [shape=ellipse, fontsize=10];", "  edge [fontsize=9];"]
        var endpoints: [Int64: FlowEndpoint] = [:]
        var start = Set<Int64>()
        for n in r.nodes {
            if let c = n.cluster, let e = n.endpoint { endpoints[c] = e }
            if n.hop == 0, let c = n.cluster { start.insert(c) }
        }
        var clusters = Set<Int64>(start)
        for e in r.walletEdges { clusters.insert(e.from); clusters.insert(e.to) }
        for c in clusters.sorted() {
            if let e = endpoints[c] {
                lines.append("  c\(c) [shape=box, style=filled, fillcolor=\"#f4cccc\", label=\"\(quote("cluster \(c)\n\(e.categories.joined(separator: ", "))\n\(e.labels.joined(separator: ", "))"))\"];")
            } else if start.contains(c) {
                lines.append("  c\(c) [style=filled, fillcolor=\"#cfe2f3\", label=\"\(quote("cluster \(c)\n(subject)"))\"];")
            } else {
                lines.append("  c\(c) [label=\"cluster \(c)\"];")
            }
        }
        for e in r.walletEdges {
            lines.append("  c\(e.from) -> c\(e.to) [label=\"\(BTCAmount.text(e.amount)) BTC\\n\(e.txids.count) tx\"];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func transactions(_ r: TraceResult) -> String {
        var lines = ["digraph trace {", "  rankdir=LR;", "  node [shape=box, fontsize=9];", "  edge [fontsize=8];"]
        var ids: [String: Int] = [:]
        for (i, n) in r.nodes.enumerated() {
            ids[n.outpoint] = i
            var label = "\(n.outpoint.prefix(12))…:\(n.outpoint.split(separator: ":").last ?? "")\n\(n.address ?? "-")\n\(BTCAmount.text(n.amount)) BTC"
            if let e = n.endpoint { label += "\n\(e.categories.joined(separator: ", ")): \(e.labels.joined(separator: ", "))" }
            if let s = n.stop, n.endpoint == nil { label += "\n[\(s.rawValue)]" }
            let style = n.endpoint != nil ? ", style=filled, fillcolor=\"#f4cccc\"" : n.hop == 0 ? ", style=filled, fillcolor=\"#cfe2f3\"" : ""
            lines.append("  o\(i) [label=\"\(quote(label))\"\(style)];")
        }
        for e in r.edges {
            guard let a = ids[e.from], let b = ids[e.to] else { continue }
            lines.append("  o\(a) -> o\(b) [label=\"\(BTCAmount.text(e.amount))\"];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes a label for a DOT double-quoted string (newlines become `\n`).
    static func quote(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
