/// Errors of the price store and the converter (problems of a file are ``PriceFileError``).
public enum PriceStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A series name that is empty, too long, or holds control characters or surrounding spaces.
    case badSeriesName(String)
    /// No series of that name; `known` lists the series there are.
    case unknownSeries(String, known: [String])
    /// A currency code that is not three upper-case letters.
    case badCurrency(String)
    /// The series holds no price in that currency; `available` lists the ones it holds.
    case currencyNotInSeries(currency: String, series: String, available: [String])
    /// No series holds prices in that currency.
    case noSeriesForCurrency(String, known: [String])
    /// Several series hold the currency and none was named.
    case ambiguousSeries(currency: String, candidates: [String])
    /// A stored row that does not read back (an edited database).
    case corruptRow(table: String, reason: String)

    public var description: String {
        switch self {
        case .badSeriesName(let name):
            return "bad series name '\(name)' (1-100 characters, no control characters, no leading or trailing spaces)"
        case .unknownSeries(let name, let known):
            return "no price series '\(name)' (\(Self.list(known, none: "no series imported yet; run `spoor price import`")))"
        case .badCurrency(let text): return "bad currency '\(text)' (expected an ISO 4217 code: three upper-case letters)"
        case .currencyNotInSeries(let currency, let series, let available):
            return "price series '\(series)' holds no \(currency) prices (it holds \(available.joined(separator: ", ")))"
        case .noSeriesForCurrency(let currency, let known):
            return
                "no price series holds \(currency) prices (\(Self.list(known, none: "no series imported yet; run `spoor price import`")))"
        case .ambiguousSeries(let currency, let candidates):
            return "several price series hold \(currency) prices (\(candidates.joined(separator: ", "))): name one"
        case .corruptRow(let table, let reason): return "unreadable row in \(table): \(reason)"
        }
    }

    private static func list(_ names: [String], none: String) -> String {
        names.isEmpty ? none : "series: " + names.joined(separator: ", ")
    }
}
