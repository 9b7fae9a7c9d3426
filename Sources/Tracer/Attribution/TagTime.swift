import Foundation

/// The timestamp form of tag files: ISO 8601 in UTC, whole seconds.
///
/// Accepted on input: `YYYY-MM-DD` (midnight UTC), or `YYYY-MM-DDTHH:MM:SS` (a space may stand for
/// the `T`) followed by `Z`, `±HH:MM` or `±HHMM`, converted to UTC. A time without a zone is refused
/// (it would be ambiguous), and so are fractional seconds other than zeros (they would be lost).
/// Written as `YYYY-MM-DDTHH:MM:SSZ`.
public enum TagTime {
    private static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = utc
        return c
    }()

    /// Parses a timestamp (see the type's note); nil when it is not one.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var p = 0
        func number(_ digits: Int) -> Int? {
            guard p + digits <= b.count else { return nil }
            var v = 0
            for i in p..<(p + digits) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            p += digits
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard p < b.count, b[p] == c else { return false }
            p += 1
            return true
        }
        guard let year = number(4), expect(0x2d), let month = number(2), expect(0x2d), let day = number(2) else { return nil }
        var hour = 0, minute = 0, second = 0, offset = 0
        if p < b.count {
            guard b[p] == 0x54 || b[p] == 0x20 else { return nil }  // 'T' or ' '
            p += 1
            guard let h = number(2), expect(0x3a), let m = number(2), expect(0x3a), let s = number(2) else { return nil }
            (hour, minute, second) = (h, m, s)
            if expect(0x2e) {  // fractional seconds: zeros only
                let start = p
                while p < b.count, b[p] == 0x30 { p += 1 }
                guard p > start, p == b.count || !(b[p] >= 0x31 && b[p] <= 0x39) else { return nil }
            }
            guard p < b.count else { return nil }  // no zone
            if b[p] == 0x5a {
                p += 1
            } else if b[p] == 0x2b || b[p] == 0x2d {
                let sign = b[p] == 0x2d ? -1 : 1
                p += 1
                guard let oh = number(2) else { return nil }
                _ = expect(0x3a)
                guard let om = number(2), oh <= 23, om <= 59 else { return nil }
                offset = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
        }
        guard p == b.count, hour <= 23, minute <= 59, second <= 59 else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { return nil }
        // Reject dates the calendar normalised (February 30th and the like).
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date.addingTimeInterval(TimeInterval(-offset))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public static func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { v.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        let year = String(c.year ?? 0)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(c.month))-\(two(c.day))"
            + "T\(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
    }

    /// `date` truncated to whole seconds (what the store keeps).
    public static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970).rounded(.down))
    }
}
