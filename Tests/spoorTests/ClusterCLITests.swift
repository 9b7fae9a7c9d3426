import Foundation
import Testing

/// `spoor cluster …`, `show cluster`, and the cluster/CoinJoin fields of `show address|tx`, on the
/// bundled sample chain.
@Suite(.serialized)
struct ClusterCLITests {
    static var samples: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/chain").path
    }

    /// A fresh index of the sample chain.
    static func importedSamples() throws -> String {
        let data = CLI.temporaryDirectory("spoor-cluster-cli")
        let imported = try CLI.run(["import", "--data", data, samples + "/blocks"])
        #expect(imported.status == 0, "\(imported.stderr)")
        return data
    }

    @Test func clusterThenQuery() throws {
        let data = try Self.importedSamples()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let seller = "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3"  // synthetic watchlist address

        // Before clustering: a clear error, non-zero exit.
        let early = try CLI.run(["show", "cluster", "--data", data, seller])
        #expect(early.status != 0 && early.stderr.contains("not been clustered"))

        let first = try CLI.run(["cluster", "--data", data, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try CLI.json(first.stdout)
        #expect(summary["mode"] as? String == "full")
        #expect((summary["coinJoins"] as? Int ?? 0) > 0)
        #expect((summary["parameters"] as? String ?? "").contains("change/v1"))
        let again = try CLI.json(try CLI.run(["cluster", "--data", data, "--json"]).stdout)
        #expect(again["mode"] as? String == "incremental" && again["transactions"] as? Int == 0)

        // show cluster by address and by id agree.
        let byAddress = try CLI.json(try CLI.run(["show", "cluster", "--data", data, "--json", seller]).stdout)
        let id = try #require(byAddress["id"] as? Int)
        let byId = try CLI.json(try CLI.run(["show", "cluster", "--data", data, "--json", String(id)]).stdout)
        #expect(byId["id"] as? Int == id && byId["size"] as? Int == byAddress["size"] as? Int)
        let members = try #require(byAddress["addresses"] as? [String])
        #expect(members.contains(seller))
        #expect(byAddress["layer"] as? String == "strict")
        #expect((byAddress["total_received"] as? Int ?? 0) > 0)

        // show address carries the cluster of both layers.
        let address = try CLI.json(try CLI.run(["show", "address", "--data", data, "--json", seller]).stdout)
        let clusters = try #require(address["cluster"] as? [String: Any])
        #expect((clusters["strict"] as? [String: Any])?["id"] as? Int == id)
        #expect(clusters["extended"] != nil)

        // explain: linked within the cluster, not linked across clusters.
        if members.count > 1 {
            let linked = try CLI.run(["cluster", "explain", "--data", data, members[0], members[members.count - 1]])
            #expect(linked.status == 0 && linked.stdout.contains("linked in the strict layer"), "\(linked.stdout)\(linked.stderr)")
            #expect(linked.stdout.contains("co_spend") || linked.stdout.contains("same_key"))
        }
        let outsider = "bcrt1q5gsz75pk64w335lsyj538rcyf5fg8z7tynwexz"  // another synthetic seller
        let apart = try CLI.run(["cluster", "explain", "--data", data, seller, outsider])
        #expect(apart.status == 0 && apart.stdout.contains("not linked"))

        // Export: one line per address, every cluster id an address id.
        let csv = try CLI.run(["cluster", "export", "--data", data])
        let lines = csv.stdout.split(separator: "\n")
        let status = try CLI.json(try CLI.run(["status", "--data", data, "--json"]).stdout)
        #expect(lines.first == "address,cluster")
        #expect(lines.count - 1 == status["addresses"] as? Int)
        #expect(lines.contains { $0 == "\(seller),\(id)" })
        let ndjson = try CLI.run(["cluster", "export", "--data", data, "--format", "ndjson", "--layer", "extended"])
        let firstRow = try CLI.json(String(ndjson.stdout.split(separator: "\n")[0]))
        #expect(firstRow["address"] is String && firstRow["cluster"] is Int)

        // show tx says which detector flagged a CoinJoin, and null otherwise.
        let truth = try String(contentsOfFile: Self.samples + "/truth/coinjoins.csv", encoding: .utf8)
        let wabiSabi = try #require(truth.split(separator: "\n").first { $0.hasSuffix(",wasabi2") }?.split(separator: ",").first)
        let flagged = try CLI.json(try CLI.run(["show", "tx", "--data", data, "--json", String(wabiSabi)]).stdout)
        #expect((flagged["coinjoin"] as? [String: Any])?["detector"] as? String == "wasabi2")
        let human = try CLI.run(["show", "tx", "--data", data, String(wabiSabi)])
        #expect(human.stdout.contains("CoinJoin: wasabi2"))
        let block = try CLI.json(try CLI.run(["show", "block", "--data", data, "--json", "150"]).stdout)
        let coinbase = try #require((block["txids"] as? [String])?.first)
        let plain = try CLI.json(try CLI.run(["show", "tx", "--data", data, "--json", coinbase]).stdout)
        #expect(plain["coinjoin"] is NSNull)
    }

    @Test func badArgumentsFailClearly() throws {
        let data = try Self.importedSamples()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try CLI.run(["cluster", "--data", data]).status == 0)
        let invalid = try CLI.run(["cluster", "explain", "--data", data, "bcrt1qnotanaddress", "bcrt1q5gsz75pk64w335lsyj538rcyf5fg8z7tynwexz"])
        #expect(invalid.status != 0 && invalid.stderr.contains("bcrt1qnotanaddress"))
        let layer = try CLI.run(["show", "cluster", "--data", data, "--layer", "loose", "1"])
        #expect(layer.status != 0 && layer.stderr.contains("unknown layer"))
        let missing = try CLI.run(["show", "cluster", "--data", data, "99999999"])
        #expect(missing.status != 0 && missing.stderr.contains("no cluster 99999999"))
        let noIndex = try CLI.run(["cluster", "--data", data + "-none"])
        #expect(noIndex.status != 0 && noIndex.stderr.contains("no index"))
    }

    @Test func killedRunLeavesThePreviousClusteringIntact() throws {
        let data = try Self.importedSamples()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let kill = ["SPOOR_TEST_KILL_BEFORE_CLUSTER_COMMIT": "1"]
        // A first run killed before its commit leaves no clustering at all.
        let first = try CLI.run(["cluster", "--data", data], environment: kill)
        #expect(first.signaled && first.status == SIGKILL)
        #expect(try CLI.run(["cluster", "export", "--data", data]).stderr.contains("not been clustered"))
        // A clustering, then a killed rebuild: everything as before, and the next run is incremental.
        #expect(try CLI.run(["cluster", "--data", data]).status == 0)
        let before = try CLI.run(["cluster", "export", "--data", data, "--layer", "extended"]).stdout
        let runsBefore = try CLI.json(try CLI.run(["cluster", "--data", data, "--json"]).stdout)["run"] as? Int
        let killed = try CLI.run(["cluster", "--data", data, "--rebuild"], environment: kill)
        #expect(killed.signaled && killed.status == SIGKILL)
        #expect(try CLI.run(["cluster", "export", "--data", data, "--layer", "extended"]).stdout == before)
        let next = try CLI.json(try CLI.run(["cluster", "--data", data, "--json"]).stdout)
        #expect(next["mode"] as? String == "incremental" && next["transactions"] as? Int == 0)
        #expect(next["run"] as? Int == (runsBefore ?? -1) + 1)   // the killed run left no record
    }
}
