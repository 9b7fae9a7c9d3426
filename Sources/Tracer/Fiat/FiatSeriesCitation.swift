/// The price series behind the fiat values of one report, as the report's top-level
/// `fiat_series` object cites it: the series, the currency's date range, every file it was
/// imported from with its SHA-256, the rule, and the dates the report needed but the series lacks.
public struct FiatSeriesCitation: Codable, Equatable, Sendable {
    /// One file imported into the series.
    public struct Source: Codable, Equatable, Sendable {
        public var file: String
        /// SHA-256 of the file's bytes, lowercase hex.
        public var sha256: String
        /// When it was imported, `YYYY-MM-DDTHH:MM:SSZ`.
        public var imported: String
        /// Price rows in the file (all currencies).
        public var rows: Int
    }

    /// The series' name.
    public var name: String
    public var currency: FiatCurrency
    /// The currency's first and last date in the series, days with a price, and days without one
    /// in between.
    public var firstDate: PriceDate?
    public var lastDate: PriceDate?
    public var days: Int
    public var missingDays: Int
    public var sources: [Source]
    /// How values are computed: `price of the block's UTC date, rounded half to even to 0.01 USD`.
    public var rule: String
    /// The whole citation as one line (``FiatConverter/description``), for human output.
    public var citation: String
    /// Dates of amounts in this report that the series has no price for (their values are null).
    public var datesWithoutPrice: [PriceDate]

    /// The citation of `converter`'s series, with the dates a report could not value.
    public init(_ converter: FiatConverter, datesWithoutPrice: Set<PriceDate> = []) {
        let coverage = converter.series.coverage(converter.currency)
        name = converter.series.name
        currency = converter.currency
        firstDate = coverage?.first
        lastDate = coverage?.last
        days = coverage?.count ?? 0
        missingDays = coverage?.missingDays ?? 0
        sources = converter.series.imports.map { Source(file: $0.file, sha256: $0.sha256, imported: $0.imported, rows: $0.rows) }
        citation = converter.description
        rule = citation.components(separatedBy: "; ").last ?? ""
        self.datesWithoutPrice = datesWithoutPrice.sorted()
    }

    /// The lines a human report prints: the citation, and the dates without a price if any.
    public var lines: [String] {
        var out = [citation]
        if !datesWithoutPrice.isEmpty {
            let shown = datesWithoutPrice.prefix(10).map(\.description).joined(separator: ", ")
            out.append("no \(currency.code) price in series '\(name)' for \(datesWithoutPrice.count) date(s) of this report: \(shown)"
                + (datesWithoutPrice.count > 10 ? ", …" : "") + "; those amounts have no \(currency.code) value")
        }
        return out
    }

    enum CodingKeys: String, CodingKey {
        case name, currency, days, sources, rule, citation
        case firstDate = "first_date", lastDate = "last_date", missingDays = "missing_days", datesWithoutPrice = "dates_without_price"
    }
}

extension PriceDate {
    /// The UTC date of a result's time text (`2024-01-02T03:04:05Z`, as `IndexStore.utc` writes
    /// block times); nil for any other text (e.g. the empty time of a screening summary).
    public init?(utcTime text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10 || (utf8.count > 10 && utf8[10] == UInt8(ascii: "T")) else { return nil }
        self.init(String(decoding: utf8.prefix(10), as: UTF8.self))
    }
}
