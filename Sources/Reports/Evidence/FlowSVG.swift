import Foundation

/// The flow diagram as inline SVG: Graphviz `dot` when it is on the PATH, the built-in layered
/// layout otherwise.
public enum FlowSVG {
    /// Which layout drew a diagram.
    public enum Engine: String, Sendable { case graphviz, builtIn = "built-in" }

    /// The diagram as SVG, and the engine that drew it.
    public static func render(_ diagram: FlowDiagram, preferGraphviz: Bool = true) -> (svg: String, engine: Engine) {
        if preferGraphviz, let svg = GraphvizSVG.render(diagram) { return (svg, .graphviz) }
        return (builtIn(diagram), .builtIn)
    }

    /// The built-in layered layout (hop = column). Fonts 13–13.5 px, scaled down to at most 0.78 (≥ 10 px)
    /// to fit the page, wider diagrams scroll; boxes never overlap.
    public static func builtIn(_ diagram: FlowDiagram) -> String {
        guard !diagram.nodes.isEmpty else { return "" }
        let layout = FlowLayout(diagram)
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow\" role=\"img\" viewBox=\"0 0 \(SVGText.n(layout.width)) "
            + "\(SVGText.n(layout.height))\" width=\"\(SVGText.n(layout.width))\" height=\"\(SVGText.n(layout.height))\" "
            + "style=\"max-width:100%;min-width:\(SVGText.n(layout.width * 0.78))px;height:auto\" "
            + "font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
        out +=
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
            + "orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#444\"/></marker></defs>\n"
        let maxAmount = Double(max(1, diagram.edges.map(\.satoshis).max() ?? 1))
        var labels = ""
        for (i, e) in diagram.edges.enumerated() {
            guard let route = layout.routes[i] else { continue }
            let (x1, y1, x2, y2) = (route.start.x, route.start.y, route.end.x, route.end.y)
            let dx = max(40, (x2 - x1) / 2)
            let width = 1.2 + 4 * Double(e.satoshis) / maxAmount
            let tip =
                "\(SVGText.shortBTC(e.satoshis)) in \(e.txids.count) transaction(s)"
                + (e.txids.isEmpty ? "" : ": " + e.txids.prefix(5).joined(separator: ", "))
            out +=
                "<path d=\"M \(SVGText.n(x1)) \(SVGText.n(y1)) C \(SVGText.n(x1 + dx)) \(SVGText.n(y1)) \(SVGText.n(x2 - dx)) "
                + "\(SVGText.n(y2)) \(SVGText.n(x2)) \(SVGText.n(y2))\" fill=\"none\" stroke=\"#555\" stroke-opacity=\"0.75\" "
                + "stroke-width=\"\(SVGText.n(width))\" marker-end=\"url(#arrow)\"><title>\(SVGText.escape(tip))</title></path>\n"
            // Labels sit at the end with fewer edges, one row per edge (``FlowLayout``).
            let (lx, ly) = route.label
            labels +=
                "<rect x=\"\(SVGText.n(lx))\" y=\"\(SVGText.n(ly - 11))\" width=\"\(SVGText.n(route.labelWidth))\" height=\"14\" "
                + "fill=\"#fff\" fill-opacity=\"0.9\"/><text x=\"\(SVGText.n(lx + 3))\" y=\"\(SVGText.n(ly))\" font-size=\"13\" fill=\"#222\">"
                + "\(SVGText.escape(SVGText.shortBTC(e.satoshis)))</text>\n"
        }
        out += labels
        for n in diagram.nodes {
            guard let b = layout.boxes[n.id] else { continue }
            let cls = n.isSubject ? "node subject" : n.attributed ? "node attributed" : "node"
            let fill = n.isSubject ? "#e8eef8" : n.attributed ? "#fde8e8" : "#f7f7f7"
            let stroke = n.attributed ? "#a01818" : n.isSubject ? "#1f4e9a" : "#777"
            let dash = n.isSubject ? " stroke-dasharray=\"6 3\"" : ""
            let sw = n.attributed ? "3" : "1.5"
            out +=
                "<g class=\"\(cls)\"><title>\(SVGText.escape(n.label + (n.detail.isEmpty ? "" : ": " + n.detail)))</title>"
                + "<rect x=\"\(SVGText.n(b.x))\" y=\"\(SVGText.n(b.y))\" width=\"\(SVGText.n(b.width))\" height=\"\(SVGText.n(b.height))\" "
                + "rx=\"6\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(sw)\"\(dash)/>"
                + "<text x=\"\(SVGText.n(b.x + 8))\" y=\"\(SVGText.n(b.y + 18))\" font-size=\"13.5\" font-weight=\"bold\" fill=\"#111\">"
                + "\(SVGText.escape(SVGText.fit(n.label, 21)))</text>"
            if !n.detail.isEmpty {
                out +=
                    "<text x=\"\(SVGText.n(b.x + 8))\" y=\"\(SVGText.n(b.y + 36))\" font-size=\"13\" fill=\"#333\">"
                    + "\((n.attributed ? "⚑ " : "") + SVGText.escape(SVGText.fit(n.detail, 21)))</text>"
            }
            out += "</g>\n"
        }
        return out + "</svg>"
    }
}
