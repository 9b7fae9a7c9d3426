import ChainIndex
import Foundation

/// Casework times: UTC, whole seconds, stored and hashed as ISO 8601 (`2026-03-01T09:30:00Z`).
public enum CaseworkTime {
    /// `date` rounded down to a whole second, so what is stored is what is hashed and read back.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: floor(date.timeIntervalSince1970))
    }

    /// `date` as `YYYY-MM-DDTHH:MM:SSZ` (UTC, seconds, no fraction).
    public static func format(_ date: Date) -> String { IndexStore.utc(date: date) }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` or a day `YYYY-MM-DD` (midnight UTC); nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for b in bytes[range] {
                guard b >= 0x30, b <= 0x39 else { return nil }
                value = value * 10 + Int64(b - 0x30)
            }
            return value
        }
        guard bytes.count == 10 || bytes.count == 20, bytes[4] == 0x2D, bytes[7] == 0x2D,
            let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        let days = CivilDate.days(year: y, month: m, day: d)
        guard CivilDate.civil(days: days) == (y, m, d) else { return nil }
        var seconds = days * 86_400
        if bytes.count == 20 {
            guard bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A, bytes[19] == 0x5A,
                let h = number(11..<13), let mi = number(14..<16), let s = number(17..<19), h < 24, mi < 60, s < 60
            else { return nil }
            seconds += h * 3600 + mi * 60 + s
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
