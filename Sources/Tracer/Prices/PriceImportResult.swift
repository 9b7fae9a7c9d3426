/// What importing one price file did. JSON keys are snake_case; `first`/`last` are left out when
/// the file has no rows.
public struct PriceImportResult: Hashable, Sendable, Encodable, CustomStringConvertible {
    public var series: String
    public var file: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The `price_import` row: the new one, or the earlier import of the same bytes.
    public var importID: Int64
    /// True when the series already held an import of these exact bytes: nothing was written.
    public var alreadyImported: Bool
    /// When the recorded import happened, `YYYY-MM-DDTHH:MM:SSZ`.
    public var imported: String
    /// Price rows in the file.
    public var rows: Int
    /// New prices stored (0 when ``alreadyImported``).
    public var added: Int
    /// Rows whose date and currency the series already held at the same price (not stored again).
    public var unchanged: Int
    /// Currencies in the file, sorted.
    public var currencies: [FiatCurrency]
    /// The file's first and last date.
    public var first: PriceDate?
    public var last: PriceDate?

    /// One line for the CLI.
    public var description: String {
        let range = first.flatMap { f in last.map { " \(f)..\($0)" } } ?? ""
        let what = "\(currencies.map(\.code).joined(separator: ", "))\(range), sha256 \(sha256)"
        if alreadyImported {
            return "\(file): already imported into series '\(series)' as import #\(importID) at \(imported); nothing changed (\(what))"
        }
        return "\(file): \(added) prices added, \(unchanged) already stored at the same price, into series '\(series)' "
            + "(import #\(importID), \(rows) rows, \(what))"
    }

    enum CodingKeys: String, CodingKey {
        case series, file, sha256, imported, rows, added, unchanged, currencies, first, last
        case importID = "import", alreadyImported = "already_imported"
    }
}
