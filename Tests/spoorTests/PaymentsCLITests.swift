import Foundation
import Testing

/// `spoor payments SELLER` end to end on the bundled sample chain: refused before clustering;
/// JSON, CSV and human output agree; every truth payment into the seller's cluster is listed.
@Suite(.serialized)
struct PaymentsCLITests {
    static let seller = TagCLITests.seller  // synthetic watchlist address of synthetic-seller-1

    @Test func paymentsOfAWatchlistSeller() throws {
        let data = try ClusterCLITests.importedSamples()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let early = try CLI.run(["payments", "--data", data, Self.seller])
        #expect(early.status != 0 && early.stderr.contains("not been clustered"), "\(early.stderr)")

        #expect(try CLI.run(["cluster", "--data", data]).status == 0)
        #expect(try CLI.run(["tag", "import", "--data", data, ClusterCLITests.samples + "/watchlist.csv"]).status == 0)

        let run = try CLI.run(["payments", "--data", data, "--json", Self.seller])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try CLI.json(run.stdout)
        #expect(report["layer"] as? String == "strict")
        let clusters = try #require(report["seller_clusters"] as? [[String: Any]])
        #expect(clusters.count == 1)
        let cluster = try #require(clusters.first?["id"] as? Int)
        let tags = clusters.first?["tags"] as? [[String: Any]] ?? []
        #expect(tags.contains { $0["category"] as? String == "abuse_seller" })
        let payments = try #require(report["payments"] as? [[String: Any]])
        let count = try #require(report["payment_count"] as? Int)
        #expect(count > 0 && payments.count == count)
        #expect(report["total_received"] as? Int == payments.reduce(0) { $0 + ($1["amount"] as? Int ?? 0) })
        let byPayer = try #require(report["by_payer"] as? [[String: Any]])
        #expect(byPayer.reduce(0) { $0 + ($1["amount"] as? Int ?? 0) } == report["total_received"] as? Int)
        for p in payments {
            #expect((p["sources"] as? [[String: Any]])?.isEmpty == false)
            #expect((p["time"] as? String)?.hasSuffix("Z") == true)
        }

        // Every truth payment whose output address is in this cluster is listed with its amount.
        let members = try #require(try CLI.json(try CLI.run(["show", "cluster", "--data", data, "--json", "--limit", "100000",
                                                             String(cluster)]).stdout)["addresses"] as? [String])
        let truthFile = ClusterCLITests.samples + "/truth/payments.ndjson"
        let truthLines = try String(contentsOfFile: truthFile, encoding: .utf8).split(separator: "\n")
        var expected = 0
        for line in truthLines {
            let t = try CLI.json(String(line))
            guard let txid = t["txid"] as? String, let vout = t["vout"] as? Int, let value = t["value"] as? Int else { continue }
            let tx = try CLI.json(try CLI.run(["show", "tx", "--data", data, "--json", txid]).stdout)
            let outputs = tx["outputs"] as? [[String: Any]] ?? []
            guard let address = outputs.first(where: { $0["n"] as? Int == vout })?["address"] as? String, members.contains(address) else {
                continue
            }
            expected += 1
            let listed = payments.first { $0["txid"] as? String == txid }
            let paid = listed?["outputs"] as? [[String: Any]] ?? []
            #expect(paid.contains { $0["vout"] as? Int == vout && $0["value"] as? Int == value }, "\(txid):\(vout) not listed")
        }
        #expect(expected > 0)

        // CSV: a header and one row per payment.
        let csv = try CLI.run(["payments", "--data", data, "--csv", Self.seller])
        #expect(csv.status == 0)
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.first?.hasPrefix("txid,vouts,height,time,amount_sat") == true && rows.count == count + 1)

        // --limit lists fewer payments; totals stay complete.
        let limited = try CLI.json(try CLI.run(["payments", "--data", data, "--json", "--limit", "1", String(cluster)]).stdout)
        #expect((limited["payments"] as? [Any])?.count == 1)
        #expect(limited["payment_count"] as? Int == count && limited["total_received"] as? Int == report["total_received"] as? Int)
        #expect(limited["payments_truncated"] as? Bool == (count > 1))

        // Human output: header, payments, totals.
        let human = try CLI.run(["payments", "--data", data, Self.seller])
        #expect(human.status == 0)
        for text in ["seller cluster \(cluster) (strict layer)", "abuse_seller", "payment(s)", "per payer:", "per month (UTC):"] {
            #expect(human.stdout.contains(text), "missing '\(text)' in \(human.stdout)")
        }
        let extended = try CLI.json(try CLI.run(["payments", "--data", data, "--json", "--layer", "extended", Self.seller]).stdout)
        #expect(extended["layer"] as? String == "extended")

        // Usage and lookup errors.
        #expect(try CLI.run(["payments", "--data", data, "--layer", "loose", Self.seller]).status != 0)
        #expect(try CLI.run(["payments", "--data", data, "--json", "--csv", Self.seller]).status == 2)
        let unknown = try CLI.run(["payments", "--data", data, "bcrt1q5gsz75pk64w335lsyj538rcyf5fg8z7tynwexx"])
        #expect(unknown.status == 1 && unknown.stderr.hasPrefix("error: "))
    }
}
