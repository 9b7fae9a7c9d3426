import Foundation
import Testing

struct ImportCLITests {
    let jeffchan = CLI.fixture("real/mainnet_000000-004312_jeffchan.dat")

    @Test func importThenStatusAndShowGiveDocumentedJSON() throws {
        let data = CLI.temporaryDirectory()
        let imported = try CLI.run(["import", "--data", data, "--json", jeffchan])
        #expect(imported.status == 0, "\(imported.stderr)")
        let summary = try CLI.json(imported.stdout)
        #expect(summary["blocks_added"] as? Int == 4313)
        #expect(summary["transactions_added"] as? Int == 4371)

        let status = try CLI.json(try CLI.run(["status", "--data", data, "--json"]).stdout)
        #expect(status["tip_height"] as? Int == 4312)
        #expect(status["tip_hash"] as? String == "00000000a9da635727dce622d78361b153ce3334e6a60d4377fad529abfc7863")
        #expect(status["blocks"] as? Int == 4313)
        #expect(status["transactions"] as? Int == 4371)
        #expect(status["stale_blocks"] as? Int == 0)

        // Block 170: the first bitcoin payment (Satoshi to Hal Finney), 10 BTC + 40 BTC change.
        let tx = try CLI.json(try CLI.run(["show", "tx", "--data", data, "--json",
                                           "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16"]).stdout)
        #expect(tx["txid"] as? String == "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16")
        #expect(tx["height"] as? Int == 170)
        #expect(tx["fee"] as? Int == 0)
        let inputs = tx["inputs"] as? [[String: Any]] ?? []
        #expect(inputs.count == 1)
        #expect(inputs.first?["prevout"] as? String == "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0")
        #expect(inputs.first?["value"] as? Int == 5_000_000_000)
        let outputs = tx["outputs"] as? [[String: Any]] ?? []
        #expect(outputs.map { $0["value"] as? Int } == [1_000_000_000, 4_000_000_000])
        #expect(outputs.map { $0["type"] as? String } == ["pubkey", "pubkey"])
        #expect(outputs.allSatisfy { $0["address"] is NSNull })
        #expect(outputs[1]["spent_by"] as? String == "a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be:0")
        #expect(outputs[0]["spent_by"] is NSNull)

        // The key paid at block 9 (P2PK) as its P2PKH address, as explorers show it.
        let address = try CLI.json(try CLI.run(["show", "address", "--data", data, "--json", "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S"]).stdout)
        #expect(address["address"] as? String == "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S")
        #expect(address["received"] as? Int == 19_500_000_000)
        #expect(address["sent"] as? Int == 17_700_000_000)
        #expect(address["balance"] as? Int == 1_800_000_000)
        #expect(address["tx_count"] as? Int == 6)
        #expect(address["first_seen"] as? String == "2009-01-09T03:54:39Z")
        #expect(address["last_seen"] as? String == "2009-01-12T20:04:20Z")
    }

    @Test func badInputExitsNonZeroNamingFileAndOffset() throws {
        let data = CLI.temporaryDirectory()
        let dir = CLI.temporaryDirectory("spoor-bad")
        let original = try Data(contentsOf: URL(fileURLWithPath: jeffchan))
        let truncated = dir + "/blk00000.dat"
        try original.prefix(1000).write(to: URL(fileURLWithPath: truncated))
        let result = try CLI.run(["import", "--data", data, truncated])
        #expect(result.status != 0)
        #expect(result.stderr.contains(truncated))
        #expect(result.stderr.contains("offset"))
        // There was no index before the failed import, and there is none after it.
        #expect(!FileManager.default.fileExists(atPath: data + "/index.sqlite"))
    }

    @Test func queriesOnMissingIndexOrUnknownThingsFailCleanly() throws {
        let data = CLI.temporaryDirectory()
        let status = try CLI.run(["status", "--data", data])
        #expect(status.status != 0)
        #expect(status.stderr.contains("no index"))
        #expect(try CLI.run(["import", "--data", data, jeffchan]).status == 0)
        let missing = try CLI.run(["show", "tx", "--data", data, String(repeating: "ab", count: 32)])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("not found"))
        let invalid = try CLI.run(["show", "address", "--data", data, "1BitcoinEaterAddressDontSendf59kuE"])
        #expect(invalid.status != 0)
        let wrongNet = try CLI.run(["show", "address", "--data", data, "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"])
        #expect(wrongNet.status != 0)
    }
}
