/// One row of a price file, where it is.
public struct PriceRow: Hashable, Sendable {
    /// 1-based line the row starts on.
    public var line: Int
    public var date: PriceDate
    public var currency: FiatCurrency
    public var price: FiatPrice
}

/// Reads a daily price series from CSV: a header row naming the columns `date`, `currency` and
/// `price` (any order, names case-insensitive; no other column), then one row per date and
/// currency. Fields are trimmed of spaces and tabs. See `docs/prices.md`.
public enum PriceCSVReader {
    /// The columns, in the order problems name them.
    enum Column: String, CaseIterable { case date, currency, price }

    /// Every row of `bytes`, or one ``PriceFileError`` listing every bad line.
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - path: the file's path, for the messages.
    public static func read(_ bytes: [UInt8], path: String) throws(PriceFileError) -> [PriceRow] {
        let (rows, issues) = check(bytes, path: path)
        guard issues.isEmpty else { throw PriceFileError(issues: issues) }
        return rows
    }

    /// The good rows and the issues of every bad line (for a caller that adds its own checks).
    static func check(_ bytes: [UInt8], path: String) -> (rows: [PriceRow], issues: [PriceIssue]) {
        if let line = TagText.firstInvalidUTF8Line(bytes) { return ([], [PriceIssue(path: path, line: line, problem: .notUTF8)]) }
        let (records, failures) = CSVRecords.parse(bytes)
        var issues = failures.map { PriceIssue(path: path, line: $0.line, problem: .syntax($0.message)) }
        guard let header = records.first else {
            issues.append(PriceIssue(path: path, line: nil, problem: .missingHeader))
            return ([], issues)
        }
        var columns = [Column]()
        for name in header.fields.map(trimmed) {
            guard let column = Column(rawValue: name.lowercased()) else {
                issues.append(PriceIssue(path: path, line: header.line, problem: .unknownColumn(name)))
                continue
            }
            if columns.contains(column) { issues.append(PriceIssue(path: path, line: header.line, problem: .duplicateColumn(name))) }
            columns.append(column)
        }
        for column in Column.allCases where !columns.contains(column) {
            issues.append(PriceIssue(path: path, line: header.line, problem: .missingColumn(column.rawValue)))
        }
        // With a bad header the rows cannot be read reliably: report the header alone.
        guard !issues.contains(where: { $0.line == header.line }) else { return ([], issues) }
        guard records.count > 1 else { return ([], issues.isEmpty ? [PriceIssue(path: path, line: nil, problem: .noRows)] : issues) }

        var rows = [PriceRow]()
        var firstLine = [PriceKey: Int]()
        for record in records.dropFirst() {
            var problems = [PriceProblem]()
            if record.fields.count > columns.count { problems.append(.extraFields(found: record.fields.count)) }
            var fields = [Column: String]()
            for (column, value) in zip(columns, record.fields) { fields[column] = trimmed(value) }
            func field(_ column: Column) -> String? {
                guard let text = fields[column], !text.isEmpty else {
                    problems.append(.missingField(column.rawValue))
                    return nil
                }
                return text
            }
            let dateText = field(.date), currencyText = field(.currency), priceText = field(.price)
            let date = dateText.flatMap { text in
                PriceDate(text)
                    ?? {
                        problems.append(.badDate(text)); return nil
                    }()
            }
            let currency = currencyText.flatMap { text in
                FiatCurrency(code: text)
                    ?? {
                        problems.append(.badCurrency(text)); return nil
                    }()
            }
            var price: FiatPrice?
            if let priceText {
                do { price = try FiatPrice.parse(priceText) } catch { problems.append(.badPrice(priceText, error)) }
            }
            if let date, let currency {
                let key = PriceKey(date: date, currency: currency)
                if let first = firstLine[key] {
                    problems.append(.duplicateRow(date: date.description, currency: currency.code, firstLine: first))
                } else {
                    firstLine[key] = record.line
                }
            }
            issues += problems.map { PriceIssue(path: path, line: record.line, problem: $0) }
            if problems.isEmpty, let date, let currency, let price {
                rows.append(PriceRow(line: record.line, date: date, currency: currency, price: price))
            }
        }
        return (rows, issues)
    }

    private static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}

/// A date and currency: at most one price each per series.
struct PriceKey: Hashable {
    var date: PriceDate
    var currency: FiatCurrency
}
