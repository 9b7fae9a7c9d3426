import Foundation

/// A layered layout of a flow diagram: one column per ``FlowNode/column``, nodes in a column
/// ordered by the barycentre of their neighbours (a few sweeps each way) to reduce crossings.
struct FlowLayout {
    struct Box: Equatable {
        var x: Double
        var y: Double
        var width: Double
        var height: Double

        func overlaps(_ o: Box) -> Bool { x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height }
    }

    static let boxWidth = 170.0, boxHeight = 46.0, columnGap = 130.0, rowGap = 22.0, margin = 24.0

    /// Where an edge leaves and enters, and where its amount label goes.
    struct Route: Equatable {
        var start: (x: Double, y: Double)
        var end: (x: Double, y: Double)
        /// The label's left edge and baseline.
        var label: (x: Double, y: Double)
        var labelWidth: Double

        static func == (a: Route, b: Route) -> Bool {
            a.start == b.start && a.end == b.end && a.label == b.label && a.labelWidth == b.labelWidth
        }
    }

    static let labelPitch = 16.0

    var boxes: [String: Box] = [:]
    /// One per edge of the diagram, in its order (nil when an end is missing).
    var routes: [Route?] = []
    var width = 0.0
    var height = 0.0

    /// Approximate width of 11 px text.
    static func textWidth(_ text: String) -> Double { Double(text.count) * 7.6 + 6 }

    init(_ diagram: FlowDiagram) {
        // The gap between columns holds the widest amount label and room for the curves.
        let gap = max(Self.columnGap, (diagram.edges.map { Self.textWidth(SVGText.shortBTC($0.satoshis)) }.max() ?? 0) + 34)
        let minColumn = diagram.nodes.map(\.column).min() ?? 0
        var columns: [Int: [FlowNode]] = [:]
        for node in diagram.nodes { columns[node.column - minColumn, default: []].append(node) }
        // Initial order: subject first, then attributed, then by id; then barycentre sweeps.
        for (c, list) in columns {
            columns[c] = list.sorted {
                ($0.isSubject ? 0 : 1, $0.attributed ? 0 : 1, $0.id) < ($1.isSubject ? 0 : 1, $1.attributed ? 0 : 1, $1.id)
            }
        }
        var neighbours: [String: [String]] = [:]
        for e in diagram.edges {
            neighbours[e.from, default: []].append(e.to)
            neighbours[e.to, default: []].append(e.from)
        }
        let order = columns.keys.sorted()
        var position: [String: Double] = [:]
        func index() {
            for (_, list) in columns { for (i, n) in list.enumerated() { position[n.id] = Double(i) / Double(max(1, list.count - 1)) } }
        }
        index()
        for sweep in 0..<6 {
            for c in (sweep % 2 == 0 ? order : order.reversed()) {
                guard let list = columns[c] else { continue }
                let keyed = list.enumerated().map { (i, n) -> (Double, Int, FlowNode) in
                    let ps = (neighbours[n.id] ?? []).compactMap { position[$0] }
                    return (ps.isEmpty ? position[n.id] ?? 0 : ps.reduce(0, +) / Double(ps.count), i, n)
                }
                columns[c] = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
                index()
            }
        }
        // Each edge's amount label goes just before its arrow head, so a column gap holds one label
        // width; a box is made tall enough for one row per edge on either side.
        var outs: [String: [Int]] = [:], ins: [String: [Int]] = [:]
        for (i, e) in diagram.edges.enumerated() {
            outs[e.from, default: []].append(i)
            ins[e.to, default: []].append(i)
        }
        func boxHeight(_ id: String) -> Double {
            let rows = max(outs[id]?.count ?? 0, ins[id]?.count ?? 0)
            return max(Self.boxHeight, Double(rows) * Self.labelPitch + 14)
        }
        let columnHeights = order.map { c in (columns[c] ?? []).reduce(0.0) { $0 + boxHeight($1.id) + Self.rowGap } - Self.rowGap }
        let fullHeight = columnHeights.max() ?? 0
        for (k, c) in order.enumerated() {
            guard let list = columns[c] else { continue }
            var y = Self.margin + (fullHeight - columnHeights[k]) / 2
            for n in list {
                let h = boxHeight(n.id)
                boxes[n.id] = Box(x: Self.margin + Double(c) * (Self.boxWidth + gap), y: y, width: Self.boxWidth, height: h)
                y += h + Self.rowGap
            }
        }
        // Ports: a node's edges on one side are spread down that side in the order of the other
        // ends' heights, so they do not cross at the box and their labels get rows of their own.
        var startY: [Int: Double] = [:], endY: [Int: Double] = [:]
        for (id, list) in outs {
            guard let b = boxes[id] else { continue }
            let sorted = list.sorted { (boxes[diagram.edges[$0].to]?.y ?? 0, $0) < (boxes[diagram.edges[$1].to]?.y ?? 0, $1) }
            for (k, i) in sorted.enumerated() {
                startY[i] = b.y + b.height / 2 + (Double(k) - Double(sorted.count - 1) / 2) * Self.labelPitch
            }
        }
        for (id, list) in ins {
            guard let b = boxes[id] else { continue }
            let sorted = list.sorted { (boxes[diagram.edges[$0].from]?.y ?? 0, $0) < (boxes[diagram.edges[$1].from]?.y ?? 0, $1) }
            for (k, i) in sorted.enumerated() {
                endY[i] = b.y + b.height / 2 + (Double(k) - Double(sorted.count - 1) / 2) * Self.labelPitch
            }
        }
        routes = diagram.edges.enumerated().map { i, e in
            guard let a = boxes[e.from], let b = boxes[e.to], let y1 = startY[i], let y2 = endY[i] else { return nil }
            let w = Self.textWidth(SVGText.shortBTC(e.satoshis))
            // A back edge (into an earlier or the same column) is labelled at its start instead.
            let label = b.x > a.x ? (x: b.x - 10 - w, y: y2 - 3) : (x: a.x + a.width + 4, y: y1 - 3)
            return Route(start: (a.x + a.width, y1), end: (b.x, y2), label: label, labelWidth: w)
        }
        width = Self.margin * 2 + Double((order.last ?? 0) + 1) * (Self.boxWidth + gap) - gap
        height = Self.margin * 2 + max(fullHeight, Self.boxHeight)
    }
}
