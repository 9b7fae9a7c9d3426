import ArgumentParser
import ChainIndex
import Foundation
import Tracer

/// `spoor price`: daily fiat price series (import, list, show). The work is done by
/// `Tracer.PriceStore` and `FiatConverter`; these commands parse options and print.
struct PriceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price", abstract: "Daily BTC price series for fiat values: import, list, show.",
        subcommands: [PriceImportCommand.self, PriceListCommand.self, PriceShowCommand.self])
}

/// `--fiat CURRENCY [--price-series NAME]` for commands that print amounts: include with
/// `@OptionGroup var prices: PriceOptions` and build the converter with ``converter(index:)``.
struct PriceOptions: ParsableArguments {
    @Option(name: .customLong("fiat"), help: "Show fiat values in this currency (ISO 4217 code, e.g. USD) next to satoshis.")
    var fiat: String?
    @Option(name: .customLong("price-series"), help: "Price series for --fiat (default: the only series holding the currency).")
    var priceSeries: String?

    /// The converter the options ask for; nil when `--fiat` is not given. Prints a clear error and
    /// exits non-zero when the series or currency does not exist, or `--price-series` comes alone.
    /// The converter: nil without `--fiat`. A malformed, unknown or ambiguous currency or series
    /// (and `--price-series` without `--fiat`) is a usage error: the message on standard error and
    /// exit status 2; an unreadable price table exits 1.
    func converter(index: IndexStore) throws -> FiatConverter? {
        guard let fiat else {
            if priceSeries != nil { throw fail("--price-series needs --fiat CURRENCY", code: 2) }
            return nil
        }
        do {
            return try FiatConverter(store: index, series: priceSeries, currency: fiat)
        } catch let error as PriceStoreError {
            throw fail("\(error)", code: error.isUsageError ? 2 : 1)
        } catch {
            throw fail("\(error)")
        }
    }
}

/// Opens the prices of the index in `data`, printing the error and exiting non-zero on failure.
private func openPrices(_ data: String) throws -> PriceStore {
    do {
        return try PriceStore(index: IndexStore(dataDirectory: data, create: false))
    } catch {
        throw fail("\(error)")
    }
}

struct PriceImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a daily price series from CSV (date,currency,price), all or nothing.",
        discussion:
            "Columns date (YYYY-MM-DD, a UTC day), currency (ISO 4217 code) and price (of one BTC, a positive decimal with at "
            + "most 8 fraction digits). If any line is bad, every problem is printed as FILE:LINE: reason and nothing is imported. "
            + "Importing the same bytes into the same series again changes nothing. See docs/prices.md."
    )
    @OptionGroup var options: DataOptions
    @Argument(help: "Price file (CSV).") var file: String
    @Option(help: "Series name (default: the file's base name without extension).") var series: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try openPrices(options.data)
        let result: PriceImportResult
        do {
            result = try store.importFile(file, series: series)
        } catch let error as PriceFileError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            let n = error.issues.count
            throw fail("\(n) problem\(n == 1 ? "" : "s") in \(file); nothing was imported")
        } catch {
            throw fail("\(error)")
        }
        if json { try printJSON(result); return }
        print(result.description)
    }
}

struct PriceListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the price series: currencies, date ranges, counts and source files.")
    @OptionGroup var options: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try openPrices(options.data)
        let all: [PriceSeriesInfo]
        do { all = try store.allSeries() } catch { throw fail("\(error)") }
        if json { try printJSON(all); return }
        if all.isEmpty { print("no price series (import one with `spoor price import FILE`)") }
        for s in all {
            print("\(s.name): \(s.priceCount) prices, created \(s.created)")
            for c in s.currencies { print("  \(c.description)") }
            for i in s.imports {
                print("  import #\(i.id) \(i.file) sha256 \(i.sha256) at \(i.imported): \(i.rows) rows, \(i.added) added")
            }
        }
    }
}

struct PriceShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show the prices of one UTC date, and optionally value an amount at them.",
        discussion: "Exits non-zero with 'no price' when the series has no price for the date: no other day's price is used.")
    @OptionGroup var options: DataOptions
    @Argument(help: "UTC date, YYYY-MM-DD.") var date: String
    @Option(help: "Series (default: the only series, or the only one holding --currency).") var series: String?
    @Option(help: "Only this currency (ISO 4217 code).") var currency: String?
    @Option(help: "Also value this many satoshis at each price.") var sats: Int64?
    @Flag(help: "Print JSON.") var json = false

    struct Entry: Encodable {
        var price: DailyPrice
        var value: FiatValue?
    }

    func run() throws {
        guard let day = PriceDate(date) else { throw fail("bad date '\(date)' (expected YYYY-MM-DD)") }
        let store = try openPrices(options.data)
        let prices: [DailyPrice]
        let seriesName: String
        do {
            let fiat = try currency.map { code in
                guard let c = FiatCurrency(code: code) else { throw PriceStoreError.badCurrency(code) }
                return c
            }
            seriesName = try resolveSeries(store, currency: fiat)
            prices = try store.prices(series: seriesName, on: day, currency: fiat)
        } catch {
            throw fail("\(error)")
        }
        guard !prices.isEmpty else {
            throw fail("no price for \(day)\(currency.map { " \($0)" } ?? "") in series '\(seriesName)'")
        }
        let entries = prices.map { Entry(price: $0, value: sats.map($0.value(satoshis:))) }
        if json { try printJSON(entries); return }
        for e in entries {
            let p = e.price
            var line =
                "\(p.date) \(p.currency) \(p.price.text(minimumFractionDigits: p.currency.minorUnitDigits)) per BTC "
                + "(series \(p.series), import #\(p.importID) \(p.sourceFile) sha256 \(p.sourceSHA256))"
            if let v = e.value { line += "\n  \(btc(v.satoshis)) BTC = \(v.description)" }
            print(line)
        }
    }

    /// The named series, or the only series holding `currency` (or the only series at all).
    private func resolveSeries(_ store: PriceStore, currency: FiatCurrency?) throws -> String {
        if let series { return try store.series(named: series).name }
        if let currency { return try store.series(named: nil, holding: currency).name }
        let all = try store.allSeries()
        guard all.count == 1, let only = all.first else {
            throw ValidationError(
                all.isEmpty
                    ? "no price series imported yet (run `spoor price import`)"
                    : "several price series (\(all.map(\.name).joined(separator: ", "))): name one with --series")
        }
        return only.name
    }
}
