/// Formatting of satoshi amounts for detection reasons.
enum Satoshis {
    /// `sats` in BTC without trailing zeros: 1_000_000 → "0.01", 50_000_000 → "0.5", 100_000_000 → "1".
    static func btc(_ sats: Int64) -> String {
        let sign = sats < 0 ? "-" : ""
        let magnitude = sats.magnitude
        let whole = magnitude / 100_000_000
        let fraction = magnitude % 100_000_000
        guard fraction > 0 else { return "\(sign)\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 8 - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }
}
