import Foundation
import Testing

/// `spoor price import|list|show` end to end on the sample chain's index and the synthetic
/// sample series (`samples/prices.csv`).
@Suite(.serialized)
struct PriceCLITests {
    static var samplePrices: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/prices.csv").path
    }

    @Test func importListShow() throws {
        let data = try ClusterCLITests.importedSamples()
        defer { try? FileManager.default.removeItem(atPath: data) }

        let first = try CLI.run(["price", "import", "--data", data, "--series", "synthetic-usd-eur", Self.samplePrices, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let imported = try CLI.json(first.stdout)
        #expect(imported["added"] as? Int == 120 && imported["already_imported"] as? Bool == false)
        #expect(imported["series"] as? String == "synthetic-usd-eur" && imported["currencies"] as? [String] == ["EUR", "USD"])
        let sha256 = try #require(imported["sha256"] as? String)

        // The same file again: a no-op, said so.
        let again = try CLI.run(["price", "import", "--data", data, "--series", "synthetic-usd-eur", Self.samplePrices])
        #expect(again.status == 0 && again.stdout.contains("already imported into series 'synthetic-usd-eur'"), "\(again.stdout)")
        #expect(again.stdout.contains("nothing changed"))

        let list = try CLI.run(["price", "list", "--data", data])
        #expect(list.status == 0)
        #expect(list.stdout.contains("synthetic-usd-eur: 120 prices"))
        #expect(list.stdout.contains("USD 2024-01-01..2024-02-29 (60 days)") && list.stdout.contains(sha256))
        let listJSON = try JSONSerialization.jsonObject(with: Data(try CLI.run(["price", "list", "--data", data, "--json"]).stdout.utf8))
        let series = try #require((listJSON as? [[String: Any]])?.first)
        #expect(series["prices"] as? Int == 120 && (series["imports"] as? [Any])?.count == 1)

        // One date: both currencies, or one, valued exactly (1.5 BTC × 30125.50 = 45188.25 USD).
        let show = try CLI.run(["price", "show", "--data", data, "2024-01-02"])
        #expect(show.status == 0 && show.stdout.contains("2024-01-02 EUR 27112.95") && show.stdout.contains("2024-01-02 USD 30125.50"))
        let valued = try CLI.run(["price", "show", "--data", data, "2024-01-02", "--currency", "USD", "--sats", "150000000", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(valued.stdout.utf8)) as? [[String: Any]])
        let value = try #require(entries.first?["value"] as? [String: Any])
        #expect(entries.count == 1 && value["amount"] as? String == "45188.25" && value["price"] as? String == "30125.50")
        #expect(value["series"] as? String == "synthetic-usd-eur" && value["source_sha256"] as? String == sha256)

        // No price for the date: a clear "no price", non-zero, never a neighbouring day.
        let missing = try CLI.run(["price", "show", "--data", data, "2024-03-01", "--currency", "USD"])
        #expect(missing.status != 0 && missing.stderr.contains("no price for 2024-03-01 USD in series 'synthetic-usd-eur'"))
        let unknown = try CLI.run(["price", "show", "--data", data, "2024-01-02", "--series", "nope"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no price series 'nope'"))
        let badDate = try CLI.run(["price", "show", "--data", data, "2024-02-30"])
        #expect(badDate.status != 0 && badDate.stderr.contains("bad date '2024-02-30'"))
    }

    @Test func aBadFileIsRefusedWithEveryLine() throws {
        let data = try ClusterCLITests.importedSamples()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let dir = CLI.temporaryDirectory("spoor-prices")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/bad.csv"
        try "date,currency,price\n2024-01-01,USD,42000.00\n2024-01-02,usd,42000.00\n2024-01-03,USD,42000.123456789\n2024-01-01,USD,1\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["price", "import", "--data", data, bad])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("bad.csv:3: bad currency 'usd'"), "\(refused.stderr)")
        #expect(refused.stderr.contains("bad.csv:4: bad price '42000.123456789'"))
        #expect(refused.stderr.contains("bad.csv:5: second price for 2024-01-01 USD in this file (first on line 2)"))
        #expect(!refused.stderr.contains("bad.csv:2:") && refused.stderr.contains("3 problems in \(bad); nothing was imported"))
        #expect(try CLI.run(["price", "list", "--data", data]).stdout.contains("no price series"))
    }
}
