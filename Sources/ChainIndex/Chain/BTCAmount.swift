/// Amounts as text. Amounts are integer satoshis everywhere; this is how they are shown.
public enum BTCAmount {
    /// Satoshis as BTC with eight decimals: `1500000` → `0.01500000`, `-1` → `-0.00000001`.
    public static func text(_ sats: Int64) -> String {
        let sign = sats < 0 ? "-" : ""
        let a = sats.magnitude
        let fraction = String(a % 100_000_000)
        return "\(sign)\(a / 100_000_000).\(String(repeating: "0", count: 8 - fraction.count))\(fraction)"
    }
}
