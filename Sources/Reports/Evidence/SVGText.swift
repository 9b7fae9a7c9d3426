import Foundation

/// Escaping and fitting text for inline SVG and HTML.
enum SVGText {
    /// XML-escapes `text`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// `text` cut to `max` characters with an ellipsis.
    static func fit(_ text: String, _ max: Int) -> String {
        text.count <= max ? text : String(text.prefix(max - 1)) + "…"
    }

    /// A number with two decimals, as SVG coordinates are written.
    static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Satoshis as short BTC text for labels: `0.015 BTC`.
    static func shortBTC(_ sats: Int64) -> String {
        var text = UTCText.btc(sats)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + " BTC"
    }
}
