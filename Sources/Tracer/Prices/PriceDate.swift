import ChainIndex

/// A calendar day in UTC, the unit of a daily price series.
///
/// Held as the number of days since 1970-01-01 (negative before), written `YYYY-MM-DD` in the
/// proleptic Gregorian calendar (``CivilDate``: exact integer arithmetic with no time zone
/// database or Foundation calendar involved; Foundation's formatters switch to the Julian calendar
/// before 1582).
public struct PriceDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 1970-01-01 UTC.
    public let day: Int64

    init(day: Int64) {
        self.day = day
    }

    /// The UTC date of a Unix time (seconds since 1970-01-01T00:00:00Z): a block's time gives the
    /// day whose price applies to its transactions.
    public init(unixTime: Int64) {
        day = CivilDate.days(unixTime: unixTime)
    }

    /// Parses exactly `YYYY-MM-DD` (four-digit year 0001-9999, a real calendar day); nil otherwise.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 0x2d, b[7] == 0x2d else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in range {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard let year = number(0..<4), let month = number(5..<7), let dayOfMonth = number(8..<10),
            year >= 1, (1...12).contains(month), dayOfMonth >= 1, dayOfMonth <= Self.daysIn(month: month, year: year)
        else { return nil }
        day = Self.days(year: year, month: month, day: dayOfMonth)
    }

    /// The Unix time of the day's first second (00:00:00 UTC).
    public var startUnixTime: Int64 { day * 86_400 }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = civil
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v.magnitude)
            return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// The day after (`+1`) or before (`-1`) this one.
    public func adding(days: Int64) -> PriceDate { PriceDate(day: day + days) }

    public static func < (a: PriceDate, b: PriceDate) -> Bool { a.day < b.day }

    /// Encoded as its `YYYY-MM-DD` text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = PriceDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: - Calendar arithmetic

    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a valid civil date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 { CivilDate.days(year: year, month: month, day: day) }

    /// (year, month, day) of this date.
    var civil: (Int64, Int64, Int64) { CivilDate.civil(days: day) }
}
