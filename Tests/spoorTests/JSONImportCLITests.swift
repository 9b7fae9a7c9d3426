import Foundation
import Testing

/// `spoor import` on Bitcoin Core getblock JSON: detected and named, `--format` forces a reading.
struct JSONImportCLITests {
    @Test func detectsAndSaysWhatItRead() throws {
        let data = CLI.temporaryDirectory("spoor-json-cli")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let dir = CLI.fixture("real/rpc-json")
        let r = try CLI.run(["import", "--data", data, "--slice", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("read \(dir) as Bitcoin Core getblock JSON"))
        #expect(r.stdout.contains("imported 5 blocks, 7 transactions"))
        let summary = try CLI.json(try CLI.run(["import", "--data", data, "--slice", "--json", dir]).stdout)
        #expect((summary["formats"] as? [String: String])?[dir] == "rpc-json")
        #expect(summary["already_stored"] as? Int == 5 && summary["blocks_added"] as? Int == 0)
        // Forcing JSON on a block file: an error naming the file and line, non-zero exit.
        let blk = CLI.fixture("real/mainnet_rpcjson_0_1_50000-50002_bitcoin-etl.dat")
        let forced = try CLI.run(["import", "--data", data, "--format", "rpc-json", blk])
        #expect(forced.status != 0 && forced.stderr.contains("\(blk):1: not JSON"))
        let unknown = try CLI.run(["import", "--data", data, "--format", "xml", blk])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown format"))
    }
}
