import ChainIndex
import Foundation
import GRDB
import Testing

@testable import Tracer

/// The sample chain (`samples/chain/blocks`) imported once into a real index; each test works on
/// its own copy, in a directory removed when the test ends.
enum PriceTestIndex {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let samplePrices = repository.appendingPathComponent("samples/prices.csv").path

    static let template: Result<String, any Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-prices-template-\(UUID().uuidString)").path
        let store = try IndexStore(dataDirectory: dir, create: true)
        _ = try Importer.run(ImportOptions(paths: [repository.appendingPathComponent("samples/chain/blocks").path]), store: store)
        try store.checkpoint()
        return dir
    }

    /// A fresh copy of the sample index.
    final class Copy {
        let path: String
        let index: IndexStore

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-prices-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: IndexStore.databasePath(dataDirectory: try template.get()), toPath: IndexStore.databasePath(dataDirectory: path))
            index = try IndexStore(dataDirectory: path, create: false)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// Writes `text` to `name` in the copy's directory and returns its path.
        func write(_ name: String, _ text: String) throws -> String {
            let file = (path as NSString).appendingPathComponent(name)
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }

        /// Every row of the price tables as text, for comparing before and after.
        func dump() throws -> [String] {
            try index.read { db in
                try String.fetchAll(db, sql: "SELECT 's|' || id || '|' || name || '|' || created FROM price_series ORDER BY id")
                    + String.fetchAll(
                        db,
                        sql: """
                            SELECT 'i|' || id || '|' || series || '|' || file || '|' || sha256 || '|' || imported || '|' ||
                                   rows || '|' || added
                            FROM price_import ORDER BY id
                            """)
                    + String.fetchAll(
                        db,
                        sql: """
                            SELECT 'p|' || series || '|' || currency || '|' || date || '|' || price_e8 || '|' || import_id
                            FROM price ORDER BY series, currency, date
                            """)
            }
        }
    }
}

struct PriceSeriesTests {
    /// A price on a date, for valuing amounts without a store.
    static func price(_ text: String, _ currency: String = "USD", on date: String = "2024-01-01") throws -> DailyPrice {
        DailyPrice(
            series: "test", currency: try #require(FiatCurrency(code: currency)), date: try #require(PriceDate(date)),
            price: try FiatPrice.parse(text), importID: 1, sourceFile: "test.csv", sourceSHA256: "00")
    }

    // MARK: - The sample series on the sample chain

    @Test func sampleSeriesValuesTheSampleChainAtBlockTime() throws {
        let copy = try PriceTestIndex.Copy()
        let store = try PriceStore(index: copy.index)
        let result = try store.importFile(PriceTestIndex.samplePrices, series: "synthetic-usd-eur")
        #expect(!result.alreadyImported && result.rows == 120 && result.added == 120 && result.unchanged == 0)
        #expect(result.currencies.map(\.code) == ["EUR", "USD"])
        #expect(result.first == PriceDate("2024-01-01") && result.last == PriceDate("2024-02-29"))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: PriceTestIndex.samplePrices)))
        #expect(result.sha256 == Hex.encode(Hashing.sha256(bytes)))

        // Block 1 (2024-01-01T00:00:00Z) pays its 50 BTC coinbase; the genesis block is dated 2011.
        let coinbase = try copy.index.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT b.height, b.time, o.value FROM block b JOIN tx t ON t.block = b.id JOIN output o ON o.id = t.output_first
                    WHERE b.height IN (0, 1, 259) AND b.in_chain = 1 AND t.id = b.tx_first ORDER BY b.height
                    """)
        }
        #expect(coinbase.count == 3)
        let (genesisTime, block1Time, block1Value): (Int64, Int64, Int64) = (coinbase[0][1], coinbase[1][1], coinbase[1][2])
        #expect(block1Time == 1_704_067_200 && block1Value == 5_000_000_000)

        let usd = try FiatConverter(store: copy.index, series: "synthetic-usd-eur", currency: "USD")
        let eur = try FiatConverter(store: copy.index, series: nil, currency: "EUR")  // the only series holding EUR
        // 50 BTC × 30000.00 = 1500000.00 USD; × 27000.00 = 1350000.00 EUR.
        let value = try #require(usd.value(satoshis: block1Value, at: block1Time))
        #expect(value.text == "1500000.00" && value.minorUnits == 150_000_000 && value.currency.code == "USD")
        #expect(value.date == PriceDate("2024-01-01") && value.price.e8 == 3_000_000_000_000)
        #expect(
            value.series == "synthetic-usd-eur" && value.sourceSHA256 == result.sha256 && value.sourceFile == PriceTestIndex.samplePrices)
        #expect(eur.value(satoshis: block1Value, at: block1Time)?.text == "1350000.00")
        // Block 259 is on 2024-01-02 (USD 30125.50): 1 BTC = 30125.50, 1 sat = 0.00030125 → 0.00.
        let block259Time: Int64 = coinbase[2][1]
        #expect(PriceDate(unixTime: block259Time) == PriceDate("2024-01-02"))
        #expect(usd.value(satoshis: 100_000_000, at: block259Time)?.text == "30125.50")
        // No price for the genesis block's date: nil, not a neighbouring day.
        #expect(usd.value(satoshis: 5_000_000_000, at: genesisTime) == nil)
        #expect(usd.annotation(satoshis: 5_000_000_000, at: genesisTime) == "no USD price for 2011-02-02")
        #expect(usd.annotation(satoshis: block1Value, at: block1Time) == "1500000.00 USD")

        // The citation names the series, its range, the file and its SHA-256.
        #expect(
            usd.series.currencies.map(\.description) == ["EUR 2024-01-01..2024-02-29 (60 days)", "USD 2024-01-01..2024-02-29 (60 days)"])
        #expect(usd.description.contains("series 'synthetic-usd-eur': USD 2024-01-01..2024-02-29 (60 days)"))
        #expect(!usd.description.contains("EUR"))
        #expect(usd.description.contains(PriceTestIndex.samplePrices) && usd.description.contains(result.sha256))
        #expect(usd.description.hasSuffix("rounded half to even to 0.01 USD"))
    }

    // MARK: - Bad files

    @Test func everyBadLineIsReportedWithItsLine() throws {
        let copy = try PriceTestIndex.Copy()
        let store = try PriceStore(index: copy.index)
        let path = try copy.write(
            "bad.csv",
            """
            currency,price,date
            USD,42000.00,2024-01-01
            USD,42000.00,2024-02-30
            usd,42000.00,2024-01-03
            USD,-1,2024-01-04
            USD,0.000000001,2024-01-05
            USD,,2024-01-06
            USD,42000
            USD,1,2024-01-08,extra
            USD,42001.00,2024-01-01
            EURO,1e4,24-01-09
            USD,0.00,2024-01-10
            USD,"1,000.00",2024-01-11
            USD,92233720368.54775808,2024-01-12
            EUR,42000.00,2024-01-01

            """)
        let error = try #require(throws: PriceFileError.self) { try store.importFile(path) }
        let expected: [(Int, PriceProblem)] = [
            (3, .badDate("2024-02-30")),
            (4, .badCurrency("usd")),
            (5, .badPrice("-1", .notADecimal)),
            (6, .badPrice("0.000000001", .tooManyFractionDigits(9))),
            (7, .missingField("price")),
            (8, .missingField("date")),
            (9, .extraFields(found: 4)),
            (10, .duplicateRow(date: "2024-01-01", currency: "USD", firstLine: 2)),
            (11, .badDate("24-01-09")),
            (11, .badCurrency("EURO")),
            (11, .badPrice("1e4", .notADecimal)),
            (12, .badPrice("0.00", .notPositive)),
            (13, .badPrice("1,000.00", .notADecimal)),
            (14, .badPrice("92233720368.54775808", .tooLarge)),
        ]
        #expect(error.issues == expected.map { PriceIssue(path: path, line: $0.0, problem: $0.1) })
        #expect(error.description.hasPrefix("\(path):3: bad date '2024-02-30'"))
        #expect(try copy.dump().isEmpty)
    }

    @Test func headerProblemsAreReportedAlone() throws {
        let copy = try PriceTestIndex.Copy()
        let store = try PriceStore(index: copy.index)
        let cases: [(String, [PriceIssue])] = [
            ("date,currency,price,source\n2024-01-01,USD,1\n", [PriceIssue(path: "", line: 1, problem: .unknownColumn("source"))]),
            ("date,price\n2024-01-01,1\n", [PriceIssue(path: "", line: 1, problem: .missingColumn("currency"))]),
            ("Date,Currency,Price,date\nx\n", [PriceIssue(path: "", line: 1, problem: .duplicateColumn("date"))]),
            ("", [PriceIssue(path: "", line: nil, problem: .missingHeader)]),
            ("date,currency,price\n", [PriceIssue(path: "", line: nil, problem: .noRows)]),
            ("date,currency,price\n2024-01-01,USD,\"1\n", [PriceIssue(path: "", line: 2, problem: .syntax("unterminated quoted field"))]),
        ]
        for (index, (text, issues)) in cases.enumerated() {
            let path = try copy.write("header\(index).csv", text)
            let error = try #require(throws: PriceFileError.self) { try store.importFile(path) }
            #expect(error.issues == issues.map { PriceIssue(path: path, line: $0.line, problem: $0.problem) }, "case \(index)")
        }
        // A byte that is not UTF-8 on line 3.
        let latin1 = (copy.path as NSString).appendingPathComponent("latin1.csv")
        try Data(Array("date,currency,price\n2024-01-01,USD,1\n".utf8) + [0x32, 0xFF, 0x0a]).write(to: URL(fileURLWithPath: latin1))
        let notUTF8 = try #require(throws: PriceFileError.self) { try store.importFile(latin1) }
        #expect(notUTF8.issues == [PriceIssue(path: latin1, line: 3, problem: .notUTF8)])
        #expect(try copy.dump().isEmpty)
        let missing = copy.path + "/absent.csv"
        let unreadable = try #require(throws: PriceFileError.self) { try store.importFile(missing) }
        #expect(unreadable.issues.count == 1 && unreadable.issues.first?.line == nil)
    }

    @Test func headerColumnsAreMatchedByNameAndFieldsTrimmed() throws {
        let copy = try PriceTestIndex.Copy()
        let store = try PriceStore(index: copy.index)
        let path = try copy.write("order.csv", "Price, DATE ,currency\r\n 42000.5 ,2024-01-01, USD\r\n\r\n100,2024-01-02,JPY\r\n")
        let result = try store.importFile(path)
        #expect(result.series == "order" && result.added == 2)
        let prices = try store.prices(series: "order", on: try #require(PriceDate("2024-01-01")))
        #expect(prices.map(\.price.e8) == [4_200_050_000_000])
        #expect(try store.prices(series: "order", on: try #require(PriceDate("2024-01-02"))).first?.currency.minorUnitDigits == 0)
    }

    // MARK: - All or nothing, re-import

    @Test func aBadLineOrAConflictWithTheSeriesImportsNothing() throws {
        let copy = try PriceTestIndex.Copy()
        let store = try PriceStore(index: copy.index)
        // One bad line among good ones: nothing at all, not even the series.
        let oneBad = try copy.write("one-bad.csv", "date,currency,price\n2024-01-01,USD,1.00\n2024-01-02,USD,x\n2024-01-03,USD,3.00\n")
        let error = try #require(throws: PriceFileError.self) { try store.importFile(oneBad, series: "s") }
        #expect(error.issues == [PriceIssue(path: oneBad, line: 3, problem: .badPrice("x", .notADecimal))])
        #expect(try copy.dump().isEmpty)
        #expect(throws: PriceStoreError.unknownSeries("s", known: [])) { try store.series(named: "s") }

        // A second file for the series: a changed price on line 3 refuses the whole file, the new date
        // on line 4 included; an equal price (line 2) alone would be fine.
        let first = try copy.write("first.csv", "date,currency,price\n2024-01-01,USD,42000.00\n2024-01-02,USD,42100.00\n")
        try store.importFile(first, series: "s")
        let before = try copy.dump()
        let second = try copy.write(
            "second.csv", "date,currency,price\n2024-01-01,USD,42000\n2024-01-02,USD,42100.01\n2024-01-03,USD,42200.00\n")
        let conflict = try #require(throws: PriceFileError.self) { try store.importFile(second, series: "s") }
        #expect(
            conflict.issues == [
                PriceIssue(
                    path: second, line: 3,
                    problem: .conflictsWithStored(
                        date: "2024-01-02", currency: "USD", price: "42100.01", stored: "42100.00", series: "s", storedFile: first))
            ])
        #expect(
            conflict.description
                == "\(second):3: price 42100.01 for 2024-01-02 USD differs from 42100.00 already in series 's' (imported from \(first))")
        #expect(try copy.dump() == before)
        // The same file into another series is fine: series are independent.
        #expect(try store.importFile(second, series: "other").added == 3)
    }

    @Test func reimportingTheSameFileIsANoOp() throws {
        let copy = try PriceTestIndex.Copy()
        let store = try PriceStore(index: copy.index)
        let first = try store.importFile(PriceTestIndex.samplePrices, series: "synthetic-usd-eur")
        let before = try copy.dump()
        let again = try store.importFile(PriceTestIndex.samplePrices, series: "synthetic-usd-eur")
        #expect(again.alreadyImported && again.added == 0 && again.importID == first.importID && again.imported == first.imported)
        #expect(again.description.contains("already imported into series 'synthetic-usd-eur' as import #\(first.importID)"))
        #expect(try copy.dump() == before)

        // Other bytes overlapping at equal prices: a new import adding only the new day.
        let overlap = try copy.write("more.csv", "date,currency,price\n2024-02-29,USD,37404.50\n2024-03-01,USD,37530.00\n")
        let more = try store.importFile(overlap, series: "synthetic-usd-eur")
        #expect(!more.alreadyImported && more.added == 1 && more.unchanged == 1)
        let info = try store.series(named: "synthetic-usd-eur")
        #expect(info.imports.map(\.added) == [120, 1] && info.priceCount == 121)
        #expect(info.coverage(try #require(FiatCurrency(code: "USD")))?.description == "USD 2024-01-01..2024-03-01 (61 days)")
        // The price added by the second file cites the second file.
        let march = try FiatConverter(prices: store, series: nil, currency: "USD").value(
            satoshis: 100_000_000, on: try #require(PriceDate("2024-03-01")))
        #expect(march?.sourceFile == overlap && march?.text == "37530.00")
    }

    @Test func seriesNamesAndConverterErrors() throws {
        let copy = try PriceTestIndex.Copy()
        let store = try PriceStore(index: copy.index)
        #expect(throws: PriceStoreError.noSeriesForCurrency("USD", known: [])) {
            try FiatConverter(store: copy.index, series: nil, currency: "USD")
        }
        let a = try copy.write("a.csv", "date,currency,price\n2024-01-01,USD,1\n2024-01-01,EUR,1\n")
        let b = try copy.write("b.csv", "date,currency,price\n2024-01-01,USD,2\n")
        try store.importFile(a)
        try store.importFile(b)
        #expect(throws: PriceStoreError.ambiguousSeries(currency: "USD", candidates: ["a", "b"])) {
            try FiatConverter(store: copy.index, series: nil, currency: "USD")
        }
        #expect(throws: PriceStoreError.currencyNotInSeries(currency: "EUR", series: "b", available: ["USD"])) {
            try FiatConverter(store: copy.index, series: "b", currency: "EUR")
        }
        #expect(throws: PriceStoreError.unknownSeries("c", known: ["a", "b"])) {
            try FiatConverter(store: copy.index, series: "c", currency: "USD")
        }
        #expect(throws: PriceStoreError.badCurrency("usd")) { try FiatConverter(store: copy.index, series: "a", currency: "usd") }
        #expect(try FiatConverter(store: copy.index, series: nil, currency: "EUR").series.name == "a")
        for bad in ["", " x", "x ", "a\u{7}b", String(repeating: "x", count: 101)] {
            #expect(throws: PriceStoreError.badSeriesName(bad)) { try store.importFile(a, series: bad) }
        }
    }

    // MARK: - Exact values

    @Test func roundingIsHalfToEvenAtTheCentBoundary() throws {
        // 10000 USD/BTC: 1 sat = 0.0001 USD, so 50 sats are exactly half a cent.
        let p = try Self.price("10000")
        let cases: [(Int64, String)] = [
            (49, "0.00"), (50, "0.00"), (51, "0.01"),  // 0.0049, 0.0050 (0 is even), 0.0051
            (150, "0.02"), (250, "0.02"), (350, "0.04"),  // 0.015 → 0.02, 0.025 → 0.02, 0.035 → 0.04
            (-150, "-0.02"), (-250, "-0.02"), (-50, "0.00"),  // symmetric; no "-0.00"
            (0, "0.00"), (100_000_000, "10000.00"),
        ]
        for (sats, text) in cases { #expect(p.value(satoshis: sats).text == text, "\(sats) sats") }
        #expect(p.value(satoshis: -150).minorUnits == -2)

        // 1 BTC at prices with half a cent: 42000.015 → .02 (1 is odd), 42000.025 → .02, 42000.035 → .04.
        // (In binary floating point 42000.015 is 42000.01499999999941792339086532592773..., which would round down.)
        for (price, text) in [
            ("42000.015", "42000.02"), ("42000.025", "42000.02"), ("42000.035", "42000.04"), ("42000.00500001", "42000.01"),
        ] {
            #expect(try Self.price(price).value(satoshis: 100_000_000).text == text, "\(price)")
        }
        // 42000 USD/BTC: 250 sats = 0.105 → 0.10; 750 sats = 0.315 → 0.32.
        #expect(try Self.price("42000").value(satoshis: 250).text == "0.10")
        #expect(try Self.price("42000").value(satoshis: 750).text == "0.32")
        // Eight fraction digits of the price count: 12345.67891234 × 0.5 BTC = 6172.83945617 → 6172.84.
        #expect(try Self.price("12345.67891234").value(satoshis: 50_000_000).text == "6172.84")
    }

    @Test func minorUnitsFollowTheCurrency() throws {
        // JPY has no minor unit: 6500000 JPY/BTC × 150 sats = 9.75 → 10; × 100 sats = 6.5 → 6; × 300 sats = 19.5 → 20.
        let jpy = try Self.price("6500000", "JPY")
        #expect(jpy.value(satoshis: 150).text == "10" && jpy.value(satoshis: 100).text == "6" && jpy.value(satoshis: 300).text == "20")
        // KWD has three: 13000.0005 KWD/BTC × 1 BTC = 13000.0005 → 13000.000 (0 even); 13000.0015 → 13000.002.
        #expect(try Self.price("13000.0005", "KWD").value(satoshis: 100_000_000).text == "13000.000")
        #expect(try Self.price("13000.0015", "KWD").value(satoshis: 100_000_000).text == "13000.002")
        #expect(try Self.price("13000.0015", "KWD").value(satoshis: 100_000_000).description == "13000.002 KWD")
    }

    @Test func amountsBeyond64BitsStayExact() throws {
        // The largest price (Int64.max × 10⁻⁸) × 21,000,000 BTC: 21 × 9223372036854775807 cents.
        let p = try Self.price("92233720368.54775807")
        let value = p.value(satoshis: 2_100_000_000_000_000)
        #expect(value.text == "1936908127739502919.47" && value.minorUnits == nil)
        // 2⁶³ × (2⁶³ − 1) / 10¹⁴ = 850705917302346158566202 remainder 79821087277056 (> half): rounds up.
        #expect(p.value(satoshis: Int64.min).text == "-8507059173023461585662.03")
        #expect(p.value(satoshis: 1).text == "922.34")  // 922.3372036854775807
    }

    @Test func pricesParseExactly() throws {
        for (text, e8) in [("1", 100_000_000), ("0.00000001", 1), ("42000.5", 4_200_050_000_000), ("007.10", 710_000_000)]
            as [(String, Int64)]
        {
            #expect(try FiatPrice.parse(text).e8 == e8, "\(text)")
        }
        let bad: [(String, FiatPrice.ParseError)] = [
            ("", .notADecimal), (".5", .notADecimal), ("5.", .notADecimal), ("+5", .notADecimal), ("5 000", .notADecimal),
            ("1.2.3", .notADecimal), ("١٢", .notADecimal), ("0", .notPositive), ("0.000000000", .tooManyFractionDigits(9)),
            ("100000000000", .tooLarge),
        ]
        for (text, error) in bad { #expect(throws: error, "\(text)") { try FiatPrice.parse(text) } }
        #expect(try FiatPrice.parse("42000.5").text() == "42000.50")
        #expect(try FiatPrice.parse("42000.12345").text() == "42000.12345")
        #expect(try FiatPrice.parse("6500000").text(minimumFractionDigits: 0) == "6500000")
        #expect(try FiatPrice.parse("6500000").description == "6500000.00000000")
    }

    // MARK: - Dates

    @Test func theUTCDateOfTheBlockTimeIsUsed() throws {
        let p = try Self.price("10000", on: "2024-01-01")
        let copy = try PriceTestIndex.Copy()
        let store = try PriceStore(index: copy.index)
        try store.importFile(try copy.write("d.csv", "date,currency,price\n2024-01-01,USD,10000\n2024-01-03,USD,30000\n"))
        let usd = try FiatConverter(store: copy.index, series: "d", currency: "USD")
        #expect(usd.value(satoshis: 100_000_000, at: 1_704_067_200)?.text == "10000.00")  // 2024-01-01T00:00:00Z
        #expect(usd.value(satoshis: 100_000_000, at: 1_704_153_599)?.text == "10000.00")  // 2024-01-01T23:59:59Z
        #expect(usd.value(satoshis: 100_000_000, at: 1_704_153_600) == nil)  // 2024-01-02: no price, not 01-01's or 01-03's
        #expect(usd.value(satoshis: 100_000_000, at: 1_704_239_999) == nil)
        #expect(usd.value(satoshis: 100_000_000, at: 1_704_240_000)?.text == "30000.00")  // 2024-01-03T00:00:00Z
        #expect(usd.value(satoshis: 100_000_000, at: 1_704_067_199) == nil)  // 2023-12-31T23:59:59Z
        #expect(usd.series.coverage(p.currency)?.missingDays == 1)
    }

    @Test func datesParseStrictlyAndAgreeWithTheCalendar() throws {
        for good in ["2024-02-29", "2000-02-29", "1970-01-01", "0001-01-01", "9999-12-31"] {
            #expect(PriceDate(good)?.description == good)
        }
        for bad in [
            "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "2024-1-01", "2024/01/01", "2024-01-01T00:00:00Z",
            " 2024-01-01", "0000-01-01", "2024-04-31", "２０２４-01-01",
        ] {
            #expect(PriceDate(bad) == nil, "\(bad)")
        }
        #expect(PriceDate(unixTime: 0).description == "1970-01-01")
        #expect(PriceDate(unixTime: -1).description == "1969-12-31")
        #expect(PriceDate(unixTime: 1_296_688_602).description == "2011-02-02")  // regtest genesis
        #expect(PriceDate(unixTime: Int64(UInt32.max)).description == "2106-02-07")
        // Every day from 1970 to 2106 against Foundation's Gregorian calendar in UTC.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var day: Int64 = 0
        while day * 86_400 <= Int64(UInt32.max) {
            let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(day * 86_400 + 43_210)))
            let text = String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
            let date = PriceDate(unixTime: day * 86_400 + 43_210)
            #expect(date.description == text)
            #expect(PriceDate(text) == date)
            day += 1
        }
    }
}
