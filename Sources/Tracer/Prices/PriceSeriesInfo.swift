/// One file imported into a price series.
public struct PriceImportInfo: Hashable, Sendable, Encodable {
    /// The `price_import` row; stored prices name it.
    public let id: Int64
    /// The file's path as given to the import.
    public let file: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public let sha256: String
    /// When it was imported, `YYYY-MM-DDTHH:MM:SSZ`.
    public let imported: String
    /// Price rows in the file.
    public let rows: Int
    /// Prices it added (rows already stored with the same price are not added again).
    public let added: Int
}

/// The dates a series covers in one currency.
public struct PriceCoverage: Hashable, Sendable, Encodable, CustomStringConvertible {
    public let currency: FiatCurrency
    public let first: PriceDate
    public let last: PriceDate
    /// Days with a price.
    public let count: Int
    /// Days between ``first`` and ``last`` without a price.
    public let missingDays: Int

    public init(currency: FiatCurrency, first: PriceDate, last: PriceDate, count: Int) {
        self.currency = currency
        self.first = first
        self.last = last
        self.count = count
        missingDays = Int(last.day - first.day + 1) - count
    }

    /// `USD 2024-01-01..2024-02-29 (60 days)`, plus the days missing in between when there are any.
    public var description: String {
        "\(currency) \(first)..\(last) (\(count) day\(count == 1 ? "" : "s")\(missingDays > 0 ? ", \(missingDays) missing" : ""))"
    }

    enum CodingKeys: String, CodingKey { case currency, first, last, count, missingDays = "missing_days" }
}

/// A price series as reports cite it: its name, the currencies and dates it covers, and every file
/// it was imported from with the file's SHA-256.
public struct PriceSeriesInfo: Hashable, Sendable, Encodable, CustomStringConvertible {
    public let name: String
    /// When the series was created (its first import), `YYYY-MM-DDTHH:MM:SSZ`.
    public let created: String
    public let currencies: [PriceCoverage]
    public let imports: [PriceImportInfo]
    /// Prices in all currencies.
    public let priceCount: Int

    public init(name: String, created: String, currencies: [PriceCoverage], imports: [PriceImportInfo]) {
        self.name = name
        self.created = created
        self.currencies = currencies
        self.imports = imports
        priceCount = currencies.reduce(0) { $0 + $1.count }
    }

    /// The coverage of one currency, nil when the series has none.
    public func coverage(_ currency: FiatCurrency) -> PriceCoverage? { currencies.first { $0.currency == currency } }

    /// A citation for reports: `price series 'NAME': USD 2024-01-01..2024-02-29 (60 days); imported from
    /// FILE (sha256 HEX, 2026-01-05T10:00:00Z, 120 rows)`.
    public var description: String { citation(currencies: currencies) }

    /// The citation restricted to some currencies.
    public func citation(currencies shown: [PriceCoverage]) -> String {
        let ranges = shown.map(\.description).joined(separator: ", ")
        let files = imports.map { "\($0.file) (sha256 \($0.sha256), \($0.imported), \($0.rows) rows)" }.joined(separator: "; ")
        return "price series '\(name)': \(ranges); imported from \(files)"
    }

    enum CodingKeys: String, CodingKey { case name, created, currencies, imports, priceCount = "prices" }
}
