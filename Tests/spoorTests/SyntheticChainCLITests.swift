import Foundation
import Testing

/// `spoor synth` then `spoor import` end to end: the index agrees with the generator's ground
/// truth (counts, stale blocks, every seller payment), whatever the file layout.
struct SyntheticChainCLITests {
    struct Payment: Decodable {
        var seller: Int
        var txid: String
        var vout: Int
        var value: Int
        var height: Int
    }

    @Test(arguments: [
        ["--stale", "3"],
        ["--stale", "4", "--shuffle", "--xor", "--pad", "--pad-chunk", "1048576", "--max-file-size", "1048576"],
    ])
    func importMatchesTheGroundTruth(layout: [String]) throws {
        let chain = CLI.temporaryDirectory("spoor-synth")
        let generated = try CLI.run(["synth", "--out", chain, "--blocks", "220", "--tx-per-block", "40", "--seed", "5"] + layout)
        #expect(generated.status == 0, "\(generated.stderr)")
        let truth = try CLI.json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: chain + "/truth/summary.json")), as: UTF8.self))

        let data = CLI.temporaryDirectory("spoor-synth-index")
        let imported = try CLI.run(["import", "--data", data, "--json", chain + "/blocks"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let summary = try CLI.json(imported.stdout)
        #expect(summary["blocks_added"] as? Int == truth["blocks"] as? Int)
        #expect(summary["transactions_added"] as? Int == truth["transactions"] as? Int)
        #expect(summary["inputs_added"] as? Int == truth["inputs"] as? Int)
        #expect(summary["outputs_added"] as? Int == truth["outputs"] as? Int)
        #expect(summary["stale_blocks"] as? Int == truth["staleBlocks"] as? Int)
        #expect(summary["unresolved_inputs"] as? Int == 0)
        #expect(summary["tip_height"] as? Int == (truth["blocks"] as? Int).map { $0 - 1 })

        // Every buyer→seller payment of the truth is in the index: same output, value and height.
        let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: chain + "/truth/payments.ndjson")), as: UTF8.self)
            .split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines.prefix(40) {
            let payment = try JSONDecoder().decode(Payment.self, from: Data(line.utf8))
            let tx = try CLI.json(try CLI.run(["show", "tx", "--data", data, "--json", payment.txid]).stdout)
            #expect(tx["height"] as? Int == payment.height)
            let outputs = tx["outputs"] as? [[String: Any]] ?? []
            #expect(outputs.count > payment.vout)
            if outputs.count > payment.vout {
                #expect(outputs[payment.vout]["value"] as? Int == payment.value)
            }
            #expect(tx["fee"] as? Int ?? -1 > 0, "payment \(payment.txid) has no positive fee")
        }

        // The watchlist's synthetic seller addresses are known to the index.
        let watchlist = String(decoding: try Data(contentsOf: URL(fileURLWithPath: chain + "/watchlist.csv")), as: UTF8.self)
            .split(separator: "\n").dropFirst()
        let seller = try #require(watchlist.first { $0.contains("abuse_seller") }?.split(separator: ",").first.map(String.init))
        let address = try CLI.json(try CLI.run(["show", "address", "--data", data, "--json", seller]).stdout)
        #expect(address["address"] as? String == seller)
        #expect(address["received"] as? Int ?? 0 > 0)
    }
}
