import ChainIndex
import Foundation
import GRDB

/// Daily price series kept in the index file (`price_series`, `price_import`, `price`; see
/// ``PriceSchema``).
///
/// An import is all-or-nothing: the file is read and every line checked, then checked against the
/// prices the series already holds, and written in one transaction only when no line is bad.
public struct PriceStore: Sendable {
    public let index: IndexStore

    /// Opens the prices of `index`, creating the tables on first use.
    public init(index: IndexStore) throws {
        self.index = index
        try index.write { db in try PriceSchema.ensure(db) }
    }

    /// The series name a file gets by default: its base name without the extension
    /// (`data/prices.csv` → `prices`).
    public static func defaultSeriesName(path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// Reads the file at `path` and imports it into `series` (default: ``defaultSeriesName(path:)``).
    /// - Returns: what was done; ``PriceImportResult/alreadyImported`` when the series already holds
    ///   these exact bytes (nothing is written).
    /// - Throws: ``PriceFileError`` with every bad line (nothing is imported), ``PriceStoreError`` for a
    ///   bad series name, or a database error (nothing is imported).
    @discardableResult
    public func importFile(_ path: String, series: String? = nil, now: Date = Date()) throws -> PriceImportResult {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw PriceFileError(issues: [PriceIssue(path: path, line: nil, problem: .cannotRead(error.localizedDescription))])
        }
        return try importCSV(bytes, path: path, series: series ?? Self.defaultSeriesName(path: path), now: now)
    }

    /// Imports CSV bytes read from `path` into the series `series` (created when new).
    /// - Throws: as ``importFile(_:series:now:)``.
    @discardableResult
    public func importCSV(_ bytes: [UInt8], path: String, series: String, now: Date = Date()) throws -> PriceImportResult {
        guard Self.isValidName(series) else { throw PriceStoreError.badSeriesName(series) }
        let sha256 = Hex.encode(Hashing.sha256(bytes))
        let (rows, fileIssues) = PriceCSVReader.check(bytes, path: path)
        let currencies = Array(Set(rows.map(\.currency))).sorted()
        let dates = rows.map(\.date)
        func result(id: Int64, already: Bool, imported: String, added: Int, unchanged: Int) -> PriceImportResult {
            PriceImportResult(
                series: series, file: path, sha256: sha256, importID: id, alreadyImported: already, imported: imported,
                rows: rows.count, added: added, unchanged: unchanged, currencies: currencies, first: dates.min(), last: dates.max())
        }
        return try index.write { db in
            let seriesID = try Int64.fetchOne(db, sql: "SELECT id FROM price_series WHERE name = ?", arguments: [series])
            if let seriesID, fileIssues.isEmpty,
                let earlier = try Row.fetchOne(
                    db, sql: "SELECT id, imported FROM price_import WHERE series = ? AND sha256 = ?", arguments: [seriesID, sha256])
            {
                return result(id: earlier[0], already: true, imported: earlier[1], added: 0, unchanged: rows.count)
            }
            var issues = fileIssues
            var fresh = [PriceRow]()
            if let seriesID {
                for row in rows {
                    guard let stored = try Self.stored(db, series: seriesID, currency: row.currency, date: row.date) else {
                        fresh.append(row)
                        continue
                    }
                    guard stored.e8 != row.price.e8 else { continue }
                    let digits = row.currency.minorUnitDigits
                    issues.append(
                        PriceIssue(
                            path: path, line: row.line,
                            problem: .conflictsWithStored(
                                date: row.date.description, currency: row.currency.code,
                                price: row.price.text(minimumFractionDigits: digits),
                                stored: FiatPrice(e8: stored.e8)?.text(minimumFractionDigits: digits) ?? "\(stored.e8)e-8",
                                series: series, storedFile: stored.file)))
                }
            } else {
                fresh = rows
            }
            guard issues.isEmpty else { throw PriceFileError(issues: issues) }

            let imported = TagTime.format(now)
            let id: Int64
            if let seriesID {
                id = seriesID
            } else {
                try db.execute(sql: "INSERT INTO price_series(name, created) VALUES (?, ?)", arguments: [series, imported])
                id = db.lastInsertedRowID
            }
            try db.execute(
                sql: "INSERT INTO price_import(series, file, sha256, imported, rows, added) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, path, sha256, imported, rows.count, fresh.count])
            let importID = db.lastInsertedRowID
            let insert = try db.cachedStatement(
                sql: "INSERT INTO price(series, currency, date, price_e8, import_id) VALUES (?, ?, ?, ?, ?)")
            for row in fresh {
                try insert.execute(arguments: [id, row.currency.code, row.date.description, row.price.e8, importID])
            }
            return result(id: importID, already: false, imported: imported, added: fresh.count, unchanged: rows.count - fresh.count)
        }
    }

    // MARK: - Reading

    /// Every series, by name.
    public func allSeries() throws -> [PriceSeriesInfo] {
        try index.read { db in
            let names = try String.fetchAll(db, sql: "SELECT name FROM price_series ORDER BY name")
            return try names.map { try Self.info(db, name: $0) }
        }
    }

    /// The series named `name`.
    /// - Throws: ``PriceStoreError/unknownSeries(_:known:)`` when there is none.
    public func series(named name: String) throws -> PriceSeriesInfo {
        try index.read { db in try Self.info(db, name: name) }
    }

    /// The series holding prices in `currency`: the one named, or when `name` is nil the only one.
    /// - Throws: ``PriceStoreError`` when the named series does not exist or lacks the currency, when no
    ///   series holds it, or when several do and none is named.
    public func series(named name: String?, holding currency: FiatCurrency) throws -> PriceSeriesInfo {
        if let name {
            let info = try series(named: name)
            guard info.coverage(currency) != nil else {
                throw PriceStoreError.currencyNotInSeries(
                    currency: currency.code, series: name, available: info.currencies.map(\.currency.code))
            }
            return info
        }
        let all = try allSeries()
        let holding = all.filter { $0.coverage(currency) != nil }
        guard let only = holding.first else { throw PriceStoreError.noSeriesForCurrency(currency.code, known: all.map(\.name)) }
        guard holding.count == 1 else { throw PriceStoreError.ambiguousSeries(currency: currency.code, candidates: holding.map(\.name)) }
        return only
    }

    /// The series' prices on `date`, one per currency, sorted by currency (empty when it has none that day).
    /// - Parameter currency: only this currency, or every one when nil.
    public func prices(series: String, on date: PriceDate, currency: FiatCurrency? = nil) throws -> [DailyPrice] {
        try index.read { db in
            try Self.prices(
                db, series: series, sql: "p.date = ?\(currency == nil ? "" : " AND p.currency = ?")",
                arguments: [date.description] + (currency.map { [$0.code] } ?? []))
        }
    }

    /// Every price of the series in `currency`, keyed by date.
    public func prices(series: String, currency: FiatCurrency) throws -> [PriceDate: DailyPrice] {
        let list = try index.read { db in
            try Self.prices(db, series: series, sql: "p.currency = ?", arguments: [currency.code])
        }
        return Dictionary(list.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: - Rows

    /// Names a series can have.
    static func isValidName(_ name: String) -> Bool {
        guard (1...100).contains(name.count), name.first?.isWhitespace == false, name.last?.isWhitespace == false else { return false }
        return !name.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }
    }

    private static func stored(_ db: Database, series: Int64, currency: FiatCurrency, date: PriceDate) throws -> (e8: Int64, file: String)?
    {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT p.price_e8, i.file FROM price p JOIN price_import i ON i.id = p.import_id
                WHERE p.series = ? AND p.currency = ? AND p.date = ?
                """, arguments: [series, currency.code, date.description])
        return row.map { ($0[0], $0[1]) }
    }

    private static func info(_ db: Database, name: String) throws -> PriceSeriesInfo {
        guard let series = try Row.fetchOne(db, sql: "SELECT id, created FROM price_series WHERE name = ?", arguments: [name]) else {
            throw PriceStoreError.unknownSeries(name, known: try String.fetchAll(db, sql: "SELECT name FROM price_series ORDER BY name"))
        }
        let id: Int64 = series[0]
        var coverage = [PriceCoverage]()
        let ranges = try Row.fetchAll(
            db, sql: "SELECT currency, min(date), max(date), count(*) FROM price WHERE series = ? GROUP BY currency ORDER BY currency",
            arguments: [id])
        for row in ranges {
            let code: String = row[0], first: String = row[1], last: String = row[2]
            guard let currency = FiatCurrency(code: code), let f = PriceDate(first), let l = PriceDate(last) else {
                throw PriceStoreError.corruptRow(
                    table: "price", reason: "series '\(name)': currency '\(code)', dates '\(first)', '\(last)'")
            }
            coverage.append(PriceCoverage(currency: currency, first: f, last: l, count: row[3]))
        }
        let imports = try Row.fetchAll(
            db, sql: "SELECT id, file, sha256, imported, rows, added FROM price_import WHERE series = ? ORDER BY id", arguments: [id]
        ).map { PriceImportInfo(id: $0[0], file: $0[1], sha256: $0[2], imported: $0[3], rows: $0[4], added: $0[5]) }
        return PriceSeriesInfo(name: name, created: series[1], currencies: coverage, imports: imports)
    }

    private static func prices(_ db: Database, series: String, sql condition: String, arguments: [String]) throws -> [DailyPrice] {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM price_series WHERE name = ?", arguments: [series]) else {
            throw PriceStoreError.unknownSeries(series, known: try String.fetchAll(db, sql: "SELECT name FROM price_series ORDER BY name"))
        }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT p.currency, p.date, p.price_e8, p.import_id, i.file, i.sha256
                FROM price p JOIN price_import i ON i.id = p.import_id
                WHERE p.series = ? AND \(condition) ORDER BY p.currency, p.date
                """, arguments: StatementArguments([id as DatabaseValueConvertible] + arguments))
        var out = [DailyPrice]()
        while let row = try rows.next() {
            let code: String = row[0], dateText: String = row[1], e8: Int64 = row[2]
            guard let currency = FiatCurrency(code: code), let date = PriceDate(dateText), let price = FiatPrice(e8: e8) else {
                throw PriceStoreError.corruptRow(table: "price", reason: "series '\(series)': \(code) \(dateText) \(e8)")
            }
            out.append(
                DailyPrice(
                    series: series, currency: currency, date: date, price: price, importID: row[3], sourceFile: row[4], sourceSHA256: row[5]
                ))
        }
        return out
    }
}
