import Foundation
import Testing

/// `--fiat` on `trace`, `exposure`, `screen` and `payments`, on the sample chain with the synthetic
/// sample series (`samples/prices.csv`), checked against values computed here from the CSV.
@Suite(.serialized)
struct FiatCLITests {
    /// USD cents of `satoshis` at the sample series' price of the UTC date of `time`: price (whole
    /// cents per BTC, as in the file) × satoshis / 10^8, rounded half to even.
    static func expectedCents(satoshis: Int64, time: String) throws -> Int64 {
        let rows = try String(contentsOfFile: PriceCLITests.samplePrices, encoding: .utf8).split(separator: "\n")
        let date = String(time.prefix(10))
        let row = try #require(rows.first { $0.hasPrefix("\(date),USD,") })
        let price = try #require(Int64(row.split(separator: ",")[2].replacingOccurrences(of: ".", with: "")))
        let (q, r) = (satoshis * price).quotientAndRemainder(dividingBy: 100_000_000)
        return 2 * r > 100_000_000 || (2 * r == 100_000_000 && q % 2 == 1) ? q + 1 : q
    }

    /// `1234.56` from cents; `cents(of:)` the reverse, for summing amounts exactly.
    static func text(_ cents: Int64) -> String { "\(cents / 100)." + String(format: "%02lld", cents % 100) }
    static func cents(of text: String?) -> Int64? { text.flatMap { Int64($0.replacingOccurrences(of: ".", with: "")) } }

    /// The prepared sample index with the sample series imported as `synthetic-usd-eur`.
    static func prepared() throws -> (data: String, payment: TraceCLITests.Payment, coin: String) {
        let prepared = try TraceCLITests.prepared()
        let imported = try CLI.run(
            ["price", "import", "--data", prepared.data, "--series", "synthetic-usd-eur", PriceCLITests.samplePrices])
        #expect(imported.status == 0, "\(imported.stderr)")
        return prepared
    }

    /// A second USD series holding only 2024-01-01 (the sample chain's payments run into 2024-01-02).
    static func importGapSeries(_ data: String) throws {
        let file = data + "/one-day.csv"
        try "date,currency,price\n2024-01-01,USD,40000.00\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["price", "import", "--data", data, "--series", "one-day", file]).status == 0)
    }

    @Test func traceAndExposureShowTheValueAtTheTransactionDate() throws {
        let (data, payment, coin) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let target = "\(payment.txid):\(payment.vout)"
        // The first truth payment: 256856 sat on 2024-01-01 at 30000.00 USD = 77.0568 → 77.06 USD.
        #expect(payment.txid == "033677418f2502952bbf57fff8dfe7fd82ae71a94f01b9d3922cc4e2abfd9b05")

        let run = try CLI.run(["trace", "--data", data, "--json", "--hops", "3", "--fiat", "USD", coin])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try CLI.json(run.stdout)
        let nodes = try #require(result["nodes"] as? [[String: Any]])
        let node = try #require(nodes.first { $0["outpoint"] as? String == target })
        let amount = try #require(node["amount"] as? Int)
        let fiat = try #require(node["amount_fiat"] as? [String: Any])
        let expected = try Self.expectedCents(satoshis: Int64(amount), time: try #require(node["time"] as? String))
        #expect(amount == 256_856 && expected == 7_706)
        #expect(fiat["amount"] as? String == Self.text(expected) && fiat["price"] as? String == "30000.00")
        #expect(fiat["date"] as? String == "2024-01-01" && fiat["series"] as? String == "synthetic-usd-eur")
        // Every node's value at its own date.
        for n in nodes {
            let value = try #require(n["value_fiat"] as? [String: Any])
            let cents = try Self.expectedCents(satoshis: Int64(n["value"] as? Int ?? -1), time: n["time"] as? String ?? "")
            #expect(value["amount"] as? String == Self.text(cents))
        }
        let reached = try #require((result["reached_by_category_fiat"] as? [String: Any])?["abuse_seller"] as? [String: Any])
        #expect(reached["amount"] as? String == "77.06" && reached["missing"] as? Int == 0)
        let series = try #require(result["fiat_series"] as? [String: Any])
        #expect(series["name"] as? String == "synthetic-usd-eur" && series["currency"] as? String == "USD")
        #expect(series["first_date"] as? String == "2024-01-01" && series["last_date"] as? String == "2024-02-29")
        #expect(((series["sources"] as? [[String: Any]])?.first?["sha256"] as? String)?.count == 64)
        #expect(series["dates_without_price"] as? [String] == [])

        // Without --fiat the keys are there, null.
        let plain = try CLI.json(try CLI.run(["trace", "--data", data, "--json", "--hops", "3", coin]).stdout)
        #expect(plain["fiat_series"] is NSNull && (plain["nodes"] as? [[String: Any]])?.first?["amount_fiat"] is NSNull)

        // Human output: the value next to the BTC amount, and the series named.
        let human = try CLI.run(["trace", "--data", data, "--hops", "3", "--fiat", "USD", coin])
        #expect(human.stdout.contains("0.00256856 BTC (77.06 USD)"), "\(human.stdout)")
        #expect(human.stdout.contains("USD values: price series 'synthetic-usd-eur'"))
        #expect(try CLI.run(["trace", "--data", data, "--dot", "--fiat", "USD", coin]).status == 2)

        // Exposure: the same payment is the abuse seller's indirect exposure.
        let exposure = try CLI.json(try CLI.run(["exposure", "--data", data, "--json", "--hops", "3", "--fiat", "USD", coin]).stdout)
        let sent = try #require((exposure["sent"] as? [[String: Any]])?.first { $0["category"] as? String == "abuse_seller" })
        #expect((sent["indirect_fiat"] as? [String: Any])?["amount"] as? String == "77.06")
        #expect((sent["direct_fiat"] as? [String: Any])?["amount"] as? String == "0.00")
        #expect(exposure["fiat_series"] is [String: Any])
        let exposureText = try CLI.run(["exposure", "--data", data, "--hops", "3", "--fiat", "USD", coin]).stdout
        #expect(exposureText.contains("77.06 USD") && exposureText.contains("USD values: price series"))

        // A series without the chain's dates: every value is missing and said so, never summed from the rest.
        let empty = data + "/old.csv"
        try "date,currency,price\n2023-06-01,USD,25000.00\n".write(toFile: empty, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["price", "import", "--data", data, "--series", "old", empty]).status == 0)
        let ambiguous = try CLI.run(["trace", "--data", data, "--fiat", "USD", coin])
        #expect(ambiguous.status != 0 && ambiguous.stderr.contains("several price series"))
        let old = try CLI.json(
            try CLI.run(["trace", "--data", data, "--json", "--hops", "3", "--fiat", "USD", "--price-series", "old", coin]).stdout)
        let oldNode = try #require((old["nodes"] as? [[String: Any]])?.first { $0["outpoint"] as? String == target })
        #expect(oldNode["amount_fiat"] is NSNull)
        let oldReached = try #require((old["reached_by_category_fiat"] as? [String: Any])?["abuse_seller"] as? [String: Any])
        #expect(oldReached["amount"] is NSNull && oldReached["missing"] as? Int == 1)
        #expect((old["fiat_series"] as? [String: Any])?["dates_without_price"] as? [String] == ["2024-01-01"])
        let oldText = try CLI.run(["trace", "--data", data, "--hops", "3", "--fiat", "USD", "--price-series", "old", coin]).stdout
        #expect(oldText.contains("0.00256856 BTC (no USD price for 2024-01-01)"), "\(oldText)")
        #expect(oldText.contains("no USD price in series 'old' for 1 date(s) of this report: 2024-01-01"))
    }

    @Test func paymentsTotalsAreSumsOfPaymentValues() throws {
        let (data, _, _) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let run = try CLI.run(["payments", "--data", data, "--json", "--fiat", "USD", PaymentsCLITests.seller])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try CLI.json(run.stdout)
        let payments = try #require(report["payments"] as? [[String: Any]])
        var sum: Int64 = 0
        for p in payments {
            let fiat = try #require(p["amount_fiat"] as? [String: Any])
            let cents = try Self.expectedCents(satoshis: Int64(p["amount"] as? Int ?? -1), time: p["time"] as? String ?? "")
            #expect(fiat["amount"] as? String == Self.text(cents))
            sum += cents
        }
        // 49496 sat on 2024-01-01 at 30000.00 USD = 14.8488 → 14.85.
        #expect(payments.first?["txid"] as? String == "88ee88a3a852c94efa2a1c4bafcd0d51c0acfa55de1dac5abfa94d49bdb5d2ab")
        #expect((payments.first?["amount_fiat"] as? [String: Any])?["amount"] as? String == "14.85")
        let total = try #require(report["total_received_fiat"] as? [String: Any])
        #expect(total["amount"] as? String == Self.text(sum) && total["parts"] as? Int == payments.count)
        let payers = try #require(report["by_payer"] as? [[String: Any]])
        #expect(payers.compactMap { Self.cents(of: ($0["amount_fiat"] as? [String: Any])?["amount"] as? String) }.reduce(0, +) == sum)
        let months = try #require(report["by_month"] as? [[String: Any]])
        #expect(months.compactMap { Self.cents(of: ($0["amount_fiat"] as? [String: Any])?["amount"] as? String) }.reduce(0, +) == sum)
        #expect((report["fiat_series"] as? [String: Any])?["name"] as? String == "synthetic-usd-eur")

        // Human output and CSV.
        let human = try CLI.run(["payments", "--data", data, "--fiat", "USD", PaymentsCLITests.seller]).stdout
        #expect(human.contains("0.00049496 BTC (14.85 USD)") && human.contains("(\(Self.text(sum)) USD)"))
        #expect(human.contains("USD values: price series 'synthetic-usd-eur'"))
        let csv = try CLI.run(["payments", "--data", data, "--csv", "--fiat", "USD", PaymentsCLITests.seller]).stdout.split(separator: "\n")
        #expect(csv.first?.hasSuffix(",sources,fiat_currency,amount_fiat,fiat_date,fiat_price,fiat_series") == true)
        #expect(csv.dropFirst().first?.hasSuffix(",USD,14.85,2024-01-01,30000.00,synthetic-usd-eur") == true)
        let plainCSV = try CLI.run(["payments", "--data", data, "--csv", PaymentsCLITests.seller]).stdout
        #expect(!plainCSV.contains("fiat"))

        // A series without 2024-01-02: those payments have no value, and every total over them says so.
        try Self.importGapSeries(data)
        let gap = try CLI.json(try CLI.run(["payments", "--data", data, "--json", "--fiat", "USD", "--price-series", "one-day",
                                            PaymentsCLITests.seller]).stdout)
        let gapTotal = try #require(gap["total_received_fiat"] as? [String: Any])
        let late = (gap["payments"] as? [[String: Any]] ?? []).filter { ($0["time"] as? String)?.hasPrefix("2024-01-02") == true }
        #expect(!late.isEmpty && late.allSatisfy { $0["amount_fiat"] is NSNull })
        #expect(gapTotal["amount"] is NSNull && gapTotal["missing"] as? Int == late.count)
        #expect(gapTotal["missing_dates"] as? [String] == ["2024-01-02"])
        #expect((gap["fiat_series"] as? [String: Any])?["dates_without_price"] as? [String] == ["2024-01-02"])
        let gapText = try CLI.run(
            ["payments", "--data", data, "--fiat", "USD", "--price-series", "one-day", PaymentsCLITests.seller]).stdout
        #expect(gapText.contains("no USD price for \(late.count) of \(payments.count) parts (2024-01-02)"), "\(gapText)")
        let gapCSV = try CLI.run(["payments", "--data", data, "--csv", "--fiat", "USD", "--price-series", "one-day",
                                  PaymentsCLITests.seller]).stdout
        #expect(gapCSV.contains(",USD,,2024-01-02,,one-day"))
    }

    @Test func screeningGainsFiatColumns() throws {
        let (data, payment, _) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tx = try CLI.json(try CLI.run(["show", "tx", "--data", data, "--json", payment.path[1]]).stdout)
        let payer = try #require((tx["inputs"] as? [[String: Any]])?.first?["address"] as? String)
        let input = data + "/screen.csv"
        try "address\n\(payer)\n".write(toFile: input, atomically: true, encoding: .utf8)

        let json = try CLI.json(try CLI.run(["screen", "--data", data, "--json", "--fiat", "USD", input]).stdout)
        let row = try #require((json["rows"] as? [[String: Any]])?.first)
        #expect((json["fiat_series"] as? [String: Any])?["name"] as? String == "synthetic-usd-eur")
        let sentIndirect = try #require(row["sent_indirect"] as? Int)
        let sentFiat = try #require(row["sent_indirect_fiat"] as? [String: Any])
        #expect(sentIndirect == 256_856 && sentFiat["amount"] as? String == "77.06")
        let totalFiat = try #require(row["total_received_fiat"] as? [String: Any])
        #expect(totalFiat["satoshis"] as? Int == row["total_received"] as? Int && totalFiat["missing"] as? Int == 0)
        // The satoshi figures do not change with --fiat.
        let plainOutput = try CLI.run(["screen", "--data", data, "--json", input]).stdout
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(plainOutput.utf8)) as? [[String: Any]])
        #expect(plain.first?["sent_indirect"] as? Int == sentIndirect && plain.first?["sent_indirect_fiat"] is NSNull)

        let csv = try CLI.run(["screen", "--data", data, "--fiat", "USD", input])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first?.hasSuffix(",truncated,fiat_currency,total_received_fiat,received_direct_fiat,received_indirect_fiat,"
                                       + "sent_direct_fiat,sent_indirect_fiat,fiat_missing,fiat_missing_dates") == true)
        #expect(lines.last?.contains(",USD,") == true && lines.last?.contains(",77.06,0,") == true, "\(csv.stdout)")
        #expect(csv.stderr.contains("USD values: price series 'synthetic-usd-eur'"))

        try Self.importGapSeries(data)
        let gap = try CLI.run(["screen", "--data", data, "--fiat", "USD", "--price-series", "one-day", input])
        let gapRow = try #require(gap.stdout.split(separator: "\n").last)
        // The seller's output is dated 2024-01-01 (priced); the payer's coins: see fiat_missing.
        #expect(gapRow.contains(",102.74,"), "\(gap.stdout)")
        #expect(gap.stderr.contains("price series 'one-day'"))
    }
}
