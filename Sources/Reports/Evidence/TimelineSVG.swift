import Foundation

/// The payments timeline: one stem per payment (or path endpoint) at its block time (UTC axis),
/// height proportional to the amount.
public enum TimelineSVG {
    /// One dated amount.
    public struct Point: Equatable, Sendable {
        public var time: Date
        public var satoshis: Int64
        public var label: String

        public init(time: Date, satoshis: Int64, label: String) {
            self.time = time
            self.satoshis = satoshis
            self.label = label
        }
    }

    /// The points of a document: payments and the outputs where paths end.
    public static func points(_ document: EvidenceDocument) -> [Point] {
        var out: [Point] = []
        var seen = Set<String>()
        for a in document.answers {
            for f in a.findings {
                for fact in f.facts where fact.role == "payment" || fact.role.hasSuffix("endpoint") || fact.role.hasSuffix("source") {
                    guard let t = UTCText.date(fact.time), seen.insert(fact.outpoint + fact.role).inserted else { continue }
                    out.append(Point(time: t, satoshis: fact.satoshis, label: "\(fact.outpoint) \(fact.btc) BTC \(fact.time)"))
                }
            }
        }
        return out.sorted { ($0.time, $0.label) < ($1.time, $1.label) }
    }

    /// The chart, or an empty string when there are no points.
    public static func render(_ points: [Point], width: Double = 1000, height: Double = 260) -> String {
        guard let first = points.first?.time, let last = points.last?.time else { return "" }
        let (left, right, top, bottom) = (84.0, 24.0, 20.0, 48.0)
        let span = max(86_400, last.timeIntervalSince(first))
        let start = first.addingTimeInterval(-span * 0.03), end = last.addingTimeInterval(span * 0.03)
        let maxSats = Double(max(1, points.map(\.satoshis).max() ?? 1))
        func x(_ t: Date) -> Double { left + (width - left - right) * t.timeIntervalSince(start) / end.timeIntervalSince(start) }
        func y(_ s: Int64) -> Double { height - bottom - (height - top - bottom) * Double(s) / maxSats }
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" viewBox=\"0 0 \(SVGText.n(width)) "
            + "\(SVGText.n(height))\" width=\"\(SVGText.n(width))\" height=\"\(SVGText.n(height))\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
        let base = height - bottom
        out +=
            "<line x1=\"\(left)\" y1=\"\(base)\" x2=\"\(width - right)\" y2=\"\(base)\" stroke=\"#333\"/>\n"
            + "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(base)\" stroke=\"#333\"/>\n"
        // Amount axis: 0, half, max.
        for f in [0.0, 0.5, 1.0] {
            let sats = Int64(maxSats * f)
            out +=
                "<text x=\"\(SVGText.n(left - 6))\" y=\"\(SVGText.n(y(sats) + 4))\" font-size=\"11\" text-anchor=\"end\">"
                + "\(SVGText.escape(SVGText.shortBTC(sats)))</text>"
                + "<line x1=\"\(left)\" y1=\"\(SVGText.n(y(sats)))\" x2=\"\(width - right)\" y2=\"\(SVGText.n(y(sats)))\" stroke=\"#ddd\"/>\n"
        }
        // Time axis: up to six dated ticks, UTC.
        let ticks = 6
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = span > 3 * 86_400 ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm"
        for k in 0...ticks {
            let t = start.addingTimeInterval(end.timeIntervalSince(start) * Double(k) / Double(ticks))
            out +=
                "<line x1=\"\(SVGText.n(x(t)))\" y1=\"\(base)\" x2=\"\(SVGText.n(x(t)))\" y2=\"\(base + 5)\" stroke=\"#333\"/>"
                + "<text x=\"\(SVGText.n(x(t)))\" y=\"\(base + 19)\" font-size=\"11\" text-anchor=\"middle\">\(day.string(from: t))</text>\n"
        }
        out +=
            "<text x=\"\(SVGText.n((left + width - right) / 2))\" y=\"\(height - 8)\" font-size=\"11\" text-anchor=\"middle\">"
            + "block time (UTC)</text>\n"
        for p in points {
            out +=
                "<g><title>\(SVGText.escape(p.label))</title><line x1=\"\(SVGText.n(x(p.time)))\" y1=\"\(base)\" x2=\"\(SVGText.n(x(p.time)))\" "
                + "y2=\"\(SVGText.n(y(p.satoshis)))\" stroke=\"#a01818\" stroke-width=\"2\"/><circle cx=\"\(SVGText.n(x(p.time)))\" "
                + "cy=\"\(SVGText.n(y(p.satoshis)))\" r=\"4\" fill=\"#a01818\"/></g>\n"
        }
        return out + "</svg>"
    }
}
