/// A bitcoin amount valued in a fiat currency at one day's price, with where the price came from.
///
/// The amount is exact: satoshis × price, rounded half to even to the currency's minor unit
/// (see `docs/prices.md`). JSON: `{"satoshis", "amount" (text, e.g. "1234.56"), "currency", "date",
/// "price" (text, the price per BTC), "series", "source_file", "source_sha256"}`; the amount and
/// price are strings so that no JSON reader turns them into binary floating point.
public struct FiatValue: Hashable, Sendable, CustomStringConvertible, Encodable {
    /// The bitcoin amount valued (may be negative, e.g. a balance change).
    public let satoshis: Int64
    public let currency: FiatCurrency
    /// The amount in the currency's minor units (cents for USD), nil in the (absurd) case that it
    /// does not fit in 64 bits; ``text`` is always exact.
    public let minorUnits: Int64?
    /// The amount as decimal text with the currency's minor digits: `1234.56`, `-0.05`, `980` (JPY).
    public let text: String
    /// The UTC date whose price was used.
    public let date: PriceDate
    /// The price of one BTC used.
    public let price: FiatPrice
    /// The price series' name.
    public let series: String
    /// The file the price was imported from, and its SHA-256 (lowercase hex).
    public let sourceFile: String
    public let sourceSHA256: String

    /// Values `satoshis` at `price`.
    public init(satoshis: Int64, price: DailyPrice) {
        let digits = price.currency.minorUnitDigits
        let units = FiatArithmetic.minorUnits(satoshis: satoshis, priceE8: price.price.e8, minorDigits: digits)
        self.satoshis = satoshis
        currency = price.currency
        text = FiatArithmetic.text(units, minorDigits: digits, negative: satoshis < 0)
        minorUnits = units.int64.map { satoshis < 0 ? -$0 : $0 }
        date = price.date
        self.price = price.price
        series = price.series
        sourceFile = price.sourceFile
        sourceSHA256 = price.sourceSHA256
    }

    /// `1234.56 USD`.
    public var description: String { "\(text) \(currency.code)" }

    /// The amount with its price and series: `1234.56 USD (at 42000.00 USD/BTC on 2024-01-01, series synthetic-usd-eur)`.
    public var citation: String {
        "\(text) \(currency.code) (at \(price.text(minimumFractionDigits: currency.minorUnitDigits)) \(currency.code)/BTC on \(date), "
            + "series \(series))"
    }

    enum CodingKeys: String, CodingKey {
        case satoshis, amount, currency, date, price, series
        case sourceFile = "source_file", sourceSHA256 = "source_sha256"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(satoshis, forKey: .satoshis)
        try c.encode(text, forKey: .amount)
        try c.encode(currency, forKey: .currency)
        try c.encode(date, forKey: .date)
        try c.encode(price.text(minimumFractionDigits: currency.minorUnitDigits), forKey: .price)
        try c.encode(series, forKey: .series)
        try c.encode(sourceFile, forKey: .sourceFile)
        try c.encode(sourceSHA256, forKey: .sourceSHA256)
    }
}

/// One stored price: a series' price of one BTC in one currency on one UTC date, and its source.
public struct DailyPrice: Hashable, Sendable, Encodable {
    public let series: String
    public let currency: FiatCurrency
    public let date: PriceDate
    public let price: FiatPrice
    /// The import (``PriceImportInfo/id``) that added the price, its file and the file's SHA-256.
    public let importID: Int64
    public let sourceFile: String
    public let sourceSHA256: String

    public init(
        series: String, currency: FiatCurrency, date: PriceDate, price: FiatPrice, importID: Int64, sourceFile: String,
        sourceSHA256: String
    ) {
        self.series = series
        self.currency = currency
        self.date = date
        self.price = price
        self.importID = importID
        self.sourceFile = sourceFile
        self.sourceSHA256 = sourceSHA256
    }

    /// Values `satoshis` at this price.
    public func value(satoshis: Int64) -> FiatValue { FiatValue(satoshis: satoshis, price: self) }

    enum CodingKeys: String, CodingKey {
        case series, currency, date, price
        case importID = "import", sourceFile = "source_file", sourceSHA256 = "source_sha256"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(series, forKey: .series)
        try c.encode(currency, forKey: .currency)
        try c.encode(date, forKey: .date)
        try c.encode(price.text(minimumFractionDigits: currency.minorUnitDigits), forKey: .price)
        try c.encode(importID, forKey: .importID)
        try c.encode(sourceFile, forKey: .sourceFile)
        try c.encode(sourceSHA256, forKey: .sourceSHA256)
    }
}
