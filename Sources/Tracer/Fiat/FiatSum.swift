/// A sum of fiat values of several amounts, each valued at the price of its own UTC date: the fiat
/// value of an aggregate over many transactions (reached by category, exposure, payment totals).
///
/// The sum is exact: the minor units of the parts' values (each rounded half to even on its own,
/// as ``FiatValue`` is) are added in 128-bit integers, never re-converted from a satoshi total.
/// A part whose date has no price (or whose date is unknown) is counted in ``missing``, and the sum
/// then has no ``amount``: an aggregate never silently leaves out what it cannot value.
///
/// JSON: `{"amount": "12.34" or null, "currency", "satoshis", "parts", "missing", "missing_dates",
/// "first_date", "last_date", "series"}`.
public struct FiatSum: Equatable, Sendable, Encodable, CustomStringConvertible {
    public let currency: FiatCurrency
    /// The price series' name.
    public let series: String
    /// Satoshis of every part, priced or not.
    public private(set) var satoshis: Int64 = 0
    /// Parts added.
    public private(set) var parts = 0
    /// Parts without a price (their date is not in the series, or unknown).
    public private(set) var missing = 0
    /// The dates of the parts without a price, ascending, each once.
    public private(set) var missingDates: [PriceDate] = []
    /// The earliest and latest date of a part (nil when no part has a date).
    public private(set) var firstDate: PriceDate?
    public private(set) var lastDate: PriceDate?
    private var positive = FiatArithmetic.Wide(high: 0, low: 0)
    private var negative = FiatArithmetic.Wide(high: 0, low: 0)

    /// An empty sum (zero parts: amount `0.00`).
    public init(currency: FiatCurrency, series: String) {
        self.currency = currency
        self.series = series
    }

    /// True when every part has a price.
    public var isComplete: Bool { missing == 0 }

    /// The exact sum as decimal text with the currency's minor digits (`1234.56`), nil when a part
    /// has no price.
    public var amount: String? { isComplete ? pricedText : nil }

    /// The sum of the parts that have a price, whatever is missing.
    public var pricedText: String {
        let (units, isNegative) = positive.isLess(than: negative)
            ? (negative.subtracting(positive), true) : (positive.subtracting(negative), false)
        return FiatArithmetic.text(units, minorDigits: currency.minorUnitDigits, negative: isNegative)
    }

    /// `12.34 USD`, or `no USD price for 1 of 3 parts (2011-01-03)` when a part has no price.
    public var description: String {
        guard !isComplete else { return "\(pricedText) \(currency.code)" }
        let dates = missingDates.prefix(3).map(\.description).joined(separator: ", ") + (missingDates.count > 3 ? ", …" : "")
        return "no \(currency.code) price for \(missing) of \(parts) part\(parts == 1 ? "" : "s")" + (dates.isEmpty ? "" : " (\(dates))")
    }

    /// Adds one part: `satoshis` on `date` with its value, nil when the date has no price (or the
    /// date is nil: unknown).
    /// - Precondition: a value in this sum's currency.
    public mutating func add(satoshis: Int64, date: PriceDate?, value: FiatValue?) {
        parts += 1
        let (total, overflow) = self.satoshis.addingReportingOverflow(satoshis)
        self.satoshis = overflow ? (satoshis < 0 ? .min : .max) : total
        if let date {
            firstDate = min(firstDate ?? date, date)
            lastDate = max(lastDate ?? date, date)
        }
        guard let value, value.currency == currency else {
            missing += 1
            if let date, !missingDates.contains(date) {
                missingDates.append(date)
                missingDates.sort()
            }
            return
        }
        // Each part's units as FiatValue rounded them (exact; recomputed in 128 bits so that no
        // value is out of reach). A sum cannot reach 2^128: one part is below 2^114.
        let units = FiatArithmetic.minorUnits(satoshis: value.satoshis, priceE8: value.price.e8, minorDigits: currency.minorUnitDigits)
        if value.satoshis < 0 { negative = negative.adding(units) } else { positive = positive.adding(units) }
    }

    /// Adds a valued part.
    public mutating func add(_ value: FiatValue) { add(satoshis: value.satoshis, date: value.date, value: value) }

    enum CodingKeys: String, CodingKey {
        case amount, currency, satoshis, parts, missing, series
        case missingDates = "missing_dates", firstDate = "first_date", lastDate = "last_date"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(amount, forKey: .amount)
        try c.encode(currency, forKey: .currency)
        try c.encode(satoshis, forKey: .satoshis)
        try c.encode(parts, forKey: .parts)
        try c.encode(missing, forKey: .missing)
        try c.encode(missingDates, forKey: .missingDates)
        try c.encode(firstDate, forKey: .firstDate)
        try c.encode(lastDate, forKey: .lastDate)
        try c.encode(series, forKey: .series)
    }
}

extension FiatArithmetic.Wide {
    /// `self + other` (sums of fiat parts stay far below 2^128).
    func adding(_ other: Self) -> Self {
        let (low, carry) = low.addingReportingOverflow(other.low)
        return Self(high: high &+ other.high &+ (carry ? 1 : 0), low: low)
    }

    /// `self - other`, for `other` ≤ `self`.
    func subtracting(_ other: Self) -> Self {
        let (low, borrow) = low.subtractingReportingOverflow(other.low)
        return Self(high: high &- other.high &- (borrow ? 1 : 0), low: low)
    }

    func isLess(than other: Self) -> Bool { (high, low) < (other.high, other.low) }
}
