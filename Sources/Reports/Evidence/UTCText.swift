import ChainIndex
import Foundation

/// UTC times and amounts as reports print them.
public enum UTCText {
    /// `2026-03-01T12:00:00Z`.
    public static func time(_ date: Date) -> String { IndexStore.utc(date: date) }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (block times, report times); nil for other text.
    public static func date(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    /// Satoshis as BTC with eight decimals: `0.01500000` (``BTCAmount``).
    public static func btc(_ sats: Int64) -> String { BTCAmount.text(sats) }
}
