import Foundation
import Testing

/// `spoor tag import|export|list` end to end on the sample chain, and tags in `show cluster`.
@Suite(.serialized)
struct TagCLITests {
    static let seller = "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3"  // synthetic watchlist address

    @Test func importExportListAndConflicts() throws {
        let data = try ClusterCLITests.importedSamples()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let watchlist = ClusterCLITests.samples + "/watchlist.csv"
        let rows = try String(contentsOfFile: watchlist, encoding: .utf8).split(separator: "\n").count - 1

        let first = try CLI.run(["tag", "import", "--data", data, watchlist])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\(rows) imported, 0 duplicates skipped"))
        let again = try CLI.run(["tag", "import", "--data", data, watchlist])
        #expect(again.stdout.contains("0 imported, \(rows) duplicates skipped"))

        // A file with bad rows: every bad row named with its line, nothing imported.
        let dir = CLI.temporaryDirectory("spoor-tags")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/bad.csv"
        try """
            address,label,category,source,confidence
            bcrt1q5gsz75pk64w335lsyj538rcyf5fg8z7tynwexz,good row,exchange,test,50
            bcrt1q5gsz75pk64w335lsyj538rcyf5fg8z7tynwexx,bad checksum,exchange,test,50
            bcrt1q5gsz75pk64w335lsyj538rcyf5fg8z7tynwexz,bad category,bakery,test,50
            1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2,mainnet address,exchange,test,50

            """.write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["tag", "import", "--data", data, bad])
        #expect(refused.status != 0)
        for line in [3, 4, 5] { #expect(refused.stderr.contains("bad.csv:\(line):"), "line \(line) not reported: \(refused.stderr)") }
        #expect(!refused.stderr.contains("bad.csv:2:"))
        let listed = try JSONSerialization.jsonObject(with: Data(try CLI.run(["tag", "list", "--data", data, "--json"]).stdout.utf8)) as? [Any]
        #expect(listed?.count == rows)

        // Export round trip: CSV with every tag.
        let exported = try CLI.run(["tag", "export", "--data", data])
        #expect(exported.status == 0 && exported.stdout.split(separator: "\n").count == rows + 1)
        #expect(exported.stdout.contains(Self.seller))

        // A private exchange tag on the seller's own address: shown as a conflict on its cluster,
        // and its source hidden in partner-facing output.
        let privateFile = dir + "/private.csv"
        try "address,label,category,source,confidence,context\n\(Self.seller),Synthetic Exchange,exchange,informant-7,60,https://example.invalid/leak\n"
            .write(toFile: privateFile, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["tag", "import", "--data", data, "--private", privateFile]).status == 0)
        #expect(try CLI.run(["cluster", "--data", data]).status == 0)
        let cluster = try CLI.json(try CLI.run(["show", "cluster", "--data", data, "--json", Self.seller]).stdout)
        let conflicts = try #require(cluster["tag_conflicts"] as? [[String: Any]])
        #expect(conflicts.contains { ($0["rule"] as? String) == "actor_and_service" })
        let human = try CLI.run(["show", "cluster", "--data", data, Self.seller])
        #expect(human.stdout.contains("CONFLICT (actor_and_service)"))
        let partner = try CLI.run(["tag", "export", "--data", data, "--hide-private"])
        #expect(!partner.stdout.contains("informant-7") && !partner.stdout.contains("example.invalid"))
        #expect(partner.stdout.contains("Synthetic Exchange"))
        let internal_ = try CLI.run(["tag", "list", "--data", data, Self.seller])
        #expect(internal_.stdout.contains("informant-7"))
    }
}
