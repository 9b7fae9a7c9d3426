/// What is wrong with one line (or the whole) of a price file.
public enum PriceProblem: Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case cannotRead(String)
    /// Bytes that are not UTF-8.
    case notUTF8
    /// Broken CSV quoting.
    case syntax(String)
    /// An empty file: no header row.
    case missingHeader
    case unknownColumn(String)
    case duplicateColumn(String)
    case missingColumn(String)
    /// A header and no price rows.
    case noRows
    /// A required field is absent or empty.
    case missingField(String)
    /// More fields than the header's three.
    case extraFields(found: Int)
    case badDate(String)
    case badCurrency(String)
    case badPrice(String, FiatPrice.ParseError)
    /// A second row for one date and currency in the file.
    case duplicateRow(date: String, currency: String, firstLine: Int)
    /// The series already holds another price for this date and currency.
    case conflictsWithStored(date: String, currency: String, price: String, stored: String, series: String, storedFile: String)

    public var description: String {
        switch self {
        case .cannotRead(let reason): return "cannot read the file: \(reason)"
        case .notUTF8: return "not valid UTF-8"
        case .syntax(let message): return "CSV syntax error: \(message)"
        case .missingHeader: return "no header row (expected date,currency,price)"
        case .unknownColumn(let name): return "unexpected column '\(name)' (the columns are date, currency, price)"
        case .duplicateColumn(let name): return "column '\(name)' appears more than once"
        case .missingColumn(let name): return "missing column '\(name)' (the columns are date, currency, price)"
        case .noRows: return "no price rows"
        case .missingField(let name): return "missing field '\(name)'"
        case .extraFields(let found): return "\(found) fields; a row has exactly 3 (date, currency, price)"
        case .badDate(let text): return "bad date '\(text)' (expected a calendar day as YYYY-MM-DD)"
        case .badCurrency(let text): return "bad currency '\(text)' (expected an ISO 4217 code: three upper-case letters)"
        case .badPrice(let text, let reason): return "bad price '\(text)': \(reason)"
        case .duplicateRow(let date, let currency, let first):
            return "second price for \(date) \(currency) in this file (first on line \(first))"
        case .conflictsWithStored(let date, let currency, let price, let stored, let series, let file):
            return "price \(price) for \(date) \(currency) differs from \(stored) already in series '\(series)' (imported from \(file))"
        }
    }
}

/// One problem, where it is: `path:line: problem` (no line for a whole-file problem).
public struct PriceIssue: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based line of the bad row; nil for the whole file.
    public var line: Int?
    public var problem: PriceProblem

    public init(path: String, line: Int?, problem: PriceProblem) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    public var description: String {
        line.map { "\(path):\($0): \(problem)" } ?? "\(path): \(problem)"
    }
}

/// A price file that cannot be imported: every problem found, in line order. Nothing of it is imported.
public struct PriceFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var issues: [PriceIssue]

    public init(issues: [PriceIssue]) {
        self.issues = issues.enumerated().sorted { a, b in
            let la = a.element.line ?? 0, lb = b.element.line ?? 0
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
