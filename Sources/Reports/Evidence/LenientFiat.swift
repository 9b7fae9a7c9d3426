import Foundation

/// Fiat values read from a finding's stored result JSON without depending on their exact shape.
///
/// Tracer's result types encode fiat fields (`*_fiat`, `fiat_series`) but never decode them, and
/// their shape may still grow; this reads what is there by key and ignores what it does not know.
/// A missing or `null` field is no fiat value.
struct LenientFiat {
    let root: Any?

    init(_ data: Data) {
        root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// The object at a path of keys and array indices, e.g. `["paths", 0, "steps", 2, "amount_fiat"]`.
    func value(_ path: [Any]) -> Any? {
        var node = root
        for step in path {
            if let key = step as? String {
                node = (node as? [String: Any])?[key]
            } else if let i = step as? Int {
                guard let array = node as? [Any], i >= 0, i < array.count else { return nil }
                node = array[i]
            }
        }
        return node is NSNull ? nil : node
    }

    /// A fiat amount at `path`, nil when absent or not understood.
    func amount(_ path: [Any]) -> FiatAmount? {
        guard let object = value(path) as? [String: Any] else { return nil }
        let amount = Self.text(object["amount"]) ?? Self.text(object["text"])
        let currency = Self.text(object["currency"]) ?? Self.text((object["currency"] as? [String: Any])?["code"])
        guard let amount, let currency else { return nil }
        return FiatAmount(
            amount: amount, currency: currency, date: Self.text(object["date"]), price: Self.text(object["price"]),
            series: Self.text(object["series"]))
    }

    /// The `fiat_series` citation at the top level (or at `path`), nil when absent.
    func series(_ path: [Any] = ["fiat_series"]) -> PriceSeriesCitation? {
        guard let object = value(path) as? [String: Any], let name = Self.text(object["name"]) else { return nil }
        let currency = Self.text(object["currency"]) ?? Self.text((object["currency"] as? [String: Any])?["code"]) ?? ""
        let files = (object["sources"] as? [[String: Any]] ?? []).compactMap { s -> PriceFile? in
            guard let file = Self.text(s["file"]) else { return nil }
            return PriceFile(path: file, sha256: Self.text(s["sha256"]) ?? "")
        }
        return PriceSeriesCitation(name: name, currency: currency, citation: Self.text(object["citation"]) ?? name, files: files)
    }

    static func text(_ any: Any?) -> String? {
        switch any {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }
}
