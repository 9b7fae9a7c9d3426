import Foundation
import Testing

/// `spoor trace`, `exposure` and `screen` end to end on the sample chain with its synthetic watchlist.
@Suite(.serialized)
struct TraceCLITests {
    struct Payment: Decodable {
        var txid: String
        var vout: Int
        var path: [String]
    }

    /// A clustered, tagged index of the samples, and the first truth payment with a 2-transaction path.
    static func prepared() throws -> (data: String, payment: Payment, coin: String) {
        let data = try ClusterCLITests.importedSamples()
        #expect(try CLI.run(["cluster", "--data", data]).status == 0)
        #expect(try CLI.run(["tag", "import", "--data", data, ClusterCLITests.samples + "/watchlist.csv"]).status == 0)
        let lines = try String(contentsOfFile: ClusterCLITests.samples + "/truth/payments.ndjson", encoding: .utf8).split(separator: "\n")
        let payments = try lines.map { try JSONDecoder().decode(Payment.self, from: Data($0.utf8)) }
        // A payment two transactions from the buyer's coin, to a seller whose cluster the watchlist tags.
        var chosen: Payment?
        for p in payments where p.path.count == 3 {
            let tx = try CLI.json(try CLI.run(["show", "tx", "--data", data, "--json", p.txid]).stdout)
            guard let outputs = tx["outputs"] as? [[String: Any]], p.vout < outputs.count, let address = outputs[p.vout]["address"] as? String
            else { continue }
            let info = try CLI.json(try CLI.run(["show", "address", "--data", data, "--json", address]).stdout)
            if let tags = info["cluster_tags"] as? [[String: Any]], tags.contains(where: { $0["category"] as? String == "abuse_seller" }) {
                chosen = p
                break
            }
        }
        let payment = try #require(chosen)
        let next = try CLI.json(try CLI.run(["show", "tx", "--data", data, "--json", payment.path[1]]).stdout)
        let inputs = try #require(next["inputs"] as? [[String: Any]])
        let coin = try #require(inputs.compactMap { $0["prevout"] as? String }.first { $0.hasPrefix(payment.path[0]) })
        return (data, payment, coin)
    }

    @Test func traceFromABuyerReachesTheSeller() throws {
        let (data, payment, coin) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let target = "\(payment.txid):\(payment.vout)"
        let r = try CLI.run(["trace", "--data", data, "--json", "--hops", "3", coin])
        #expect(r.status == 0, "\(r.stderr)")
        let result = try CLI.json(r.stdout)
        let nodes = try #require(result["nodes"] as? [[String: Any]])
        #expect(nodes.contains { $0["outpoint"] as? String == target })
        #expect((result["parameters"] as? [String: Any])?["model"] as? String == "haircut")
        #expect(result["tip_hash"] is String)
        // Human output names the model, the layer and the tip.
        let human = try CLI.run(["trace", "--data", data, "--hops", "3", coin])
        #expect(human.stdout.contains("model haircut, strict layer") && human.stdout.contains("index tip"))
        // All three models side by side.
        let all = try CLI.json(try CLI.run(["trace", "--data", data, "--json", "--model", "all", coin]).stdout)
        #expect((all["results"] as? [Any])?.count == 3)
        #expect(all["comparison"] is [String: Any])
        // DOT, both views.
        #expect(try CLI.run(["trace", "--data", data, "--dot", coin]).stdout.hasPrefix("digraph trace {"))
        #expect(try CLI.run(["trace", "--data", data, "--dot", "--view", "tx", coin]).stdout.contains(" -> "))
        // Backward from the payment: where the seller's money came from reaches the buyer's coin.
        let back = try CLI.json(try CLI.run(["trace", "--data", data, "--json", "--backward", "--hops", "3", target]).stdout)
        let backNodes = try #require(back["nodes"] as? [[String: Any]])
        #expect(backNodes.contains { $0["outpoint"] as? String == coin })
    }

    @Test func exposureAndScreening() throws {
        let (data, payment, coin) = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        // The buyer's coin sent money to an abuse seller within 2 hops.
        let exposure = try CLI.json(try CLI.run(["exposure", "--data", data, "--json", "--hops", "3", coin]).stdout)
        let sent = try #require(exposure["sent"] as? [[String: Any]])
        #expect(sent.contains { $0["category"] as? String == "abuse_seller" && ($0["min_hops"] as? Int ?? 99) <= 2 })
        // Screening: the payer's address, a clean line, an invalid line.
        let tx = try CLI.json(try CLI.run(["show", "tx", "--data", data, "--json", payment.path[1]]).stdout)
        let payer = try #require((tx["inputs"] as? [[String: Any]])?.first?["address"] as? String)
        let dir = CLI.temporaryDirectory("spoor-screen")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.csv"
        try "reference,address\ncase-1,\(payer)\ncase-2,not-an-address\n".write(toFile: input, atomically: true, encoding: .utf8)
        let screened = try CLI.run(["screen", "--data", data, input])
        #expect(screened.status == 3)
        #expect(screened.stderr.contains("in.csv:3:"))
        let rows = screened.stdout.split(separator: "\n")
        #expect(rows.count == 2 && rows[0].hasPrefix("line,address,status"))
        #expect(rows[1].hasPrefix("2,\(payer),ok,"))
        let json = try JSONSerialization.jsonObject(with: Data(try CLI.run(["screen", "--data", data, "--json", input]).stdout.utf8)) as? [[String: Any]]
        let row = try #require(json?.first)
        #expect((row["sent_direct"] as? Int ?? 0) + (row["sent_indirect"] as? Int ?? 0) > 0)
    }

    @Test func badSubjectsFailClearly() throws {
        let data = try ClusterCLITests.importedSamples()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let early = try CLI.run(["trace", "--data", data, "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3"])
        #expect(early.status != 0 && early.stderr.contains("not been clustered"))
        #expect(try CLI.run(["cluster", "--data", data]).status == 0)
        let nonsense = try CLI.run(["trace", "--data", data, "hello"])
        #expect(nonsense.status != 0 && nonsense.stderr.contains("'hello' is not an address"))
        let model = try CLI.run(["trace", "--data", data, "--model", "lifo", "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3"])
        #expect(model.status != 0 && model.stderr.contains("unknown model"))
        let missing = try CLI.run(["trace", "--data", data, String(repeating: "ab", count: 32) + ":0"])
        #expect(missing.status != 0 && missing.stderr.contains("not in the index"))
    }
}
