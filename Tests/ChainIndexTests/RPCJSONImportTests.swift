import Foundation
import Testing
@testable import ChainIndex

// Bitcoin Core `getblock <hash> 2` JSON through the same pipeline as block files: the five real
// responses (blocks 0, 1, 50000–50002; pre-v22 shape with `addresses` arrays) against the block
// file built from the same blocks by an independent script (`mainnet_rpcjson_…dat`).

struct RPCJSONImportTests {
    static var jsonDirectory: String { Fixture.real("rpc-json") }
    static var jsonFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: jsonDirectory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            .map { jsonDirectory + "/" + $0 }
    }
    static let blockFile = Fixture.real("\(Fixture.rpcjson).dat")
    /// Tables that must be identical whatever the source format (provenance differs by design).
    static let exclude: Set<String> = ["import_run", "import_file", "block.import_run"]

    static func sliced(_ o: inout ImportOptions) { o.slice = true }

    @Test func sameRowsAsTheBlockFile() throws {
        #expect(Self.jsonFiles.count == 5)
        let fromBlk = try TempDir(), fromJSON = try TempDir()
        try Imports.run([Self.blockFile], into: fromBlk.path, configure: Self.sliced)
        let summary = try Imports.run([Self.jsonDirectory], into: fromJSON.path, configure: Self.sliced)
        #expect(summary.blocksAdded == 5 && summary.transactionsAdded == 7)
        let diff = Imports.diff(try Imports.dump(fromBlk.path, exclude: Self.exclude), try Imports.dump(fromJSON.path, exclude: Self.exclude))
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
        // Provenance names the JSON files themselves, with their SHA-256.
        let files = try IndexStore(dataDirectory: fromJSON.path, create: false).status().importRuns.last?.files ?? []
        #expect(files.map(\.path).sorted() == Self.jsonFiles)
        for f in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: f.path))
            #expect(f.sha256 == Hex.encode(Hashing.sha256(data)) && f.size == data.count)
        }
    }

    @Test func ndjsonArraysAndWrappersGiveTheSameBlocks() throws {
        let dir = try TempDir()
        let objects = try Self.jsonFiles.map { try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: $0))) }
        let lines = try objects.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let ndjson = try dir.write("blocks.ndjson", Array((lines.joined(separator: "\n") + "\n").utf8))
        let array = try dir.write("blocks.json", Array(try JSONSerialization.data(withJSONObject: objects)))
        let wrapped = try dir.write("wrapped.json", Array(try JSONSerialization.data(withJSONObject: ["result": objects[0], "error": NSNull(), "id": 1])))
        let reference = try TempDir()
        try Imports.run([Self.blockFile], into: reference.path, configure: Self.sliced)
        for input in [ndjson, array] {
            let out = try TempDir()
            try Imports.run([input], into: out.path, configure: Self.sliced)
            #expect(Imports.diff(try Imports.dump(reference.path, exclude: Self.exclude), try Imports.dump(out.path, exclude: Self.exclude)).isEmpty)
        }
        let one = try TempDir()
        #expect(try Imports.run([wrapped], into: one.path, configure: Self.sliced).blocksAdded == 1)
        // With the network known, NDJSON is streamed (one line at a time): the same rows.
        let streamed = try TempDir()
        try Imports.run([ndjson], into: streamed.path) { $0.slice = true; $0.network = .mainnet }
        #expect(Imports.diff(try Imports.dump(reference.path, exclude: Self.exclude), try Imports.dump(streamed.path, exclude: Self.exclude)).isEmpty)
        let files = try IndexStore(dataDirectory: streamed.path, create: false).status().importRuns.last?.files ?? []
        #expect(files.map(\.path) == [ndjson])
    }

    @Test func overlappingJSONAfterTheBlockFileAddsNothing() throws {
        let dir = try TempDir()
        try Imports.run([Self.blockFile], into: dir.path, configure: Self.sliced)
        let before = try Imports.dump(dir.path, exclude: Self.exclude)
        let again = try Imports.run([Self.jsonDirectory], into: dir.path, configure: Self.sliced)
        #expect(again.blocksAdded == 0 && again.alreadyStored == 5)
        #expect(Imports.diff(before, try Imports.dump(dir.path, exclude: Self.exclude)).isEmpty)
    }

    /// A bad JSON file: the error names the file and line, and nothing is imported.
    @Test(arguments: [
        ("truncated", 3, "not JSON"),
        ("no-hex", 2, "has no valid 'hex'"),
        ("wrong-type", 2, "non-string 'bits'"),
        ("bad-merkle", 4, "hashes to"),
        ("swapped-tx", 5, "is not transaction"),
    ])
    func badJSON(kind: String, line: Int, message: String) throws {
        let dir = try TempDir()
        var lines = try Self.jsonFiles.map {
            String(decoding: try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: $0)))),
                   as: UTF8.self)
        }
        func edit(_ i: Int, _ change: (inout [String: Any]) -> Void) throws {
            var o = try #require(try JSONSerialization.jsonObject(with: Data(lines[i].utf8)) as? [String: Any])
            change(&o)
            lines[i] = String(decoding: try JSONSerialization.data(withJSONObject: o), as: UTF8.self)
        }
        switch kind {
        case "truncated": lines[2] = String(lines[2].prefix(lines[2].count / 2))
        case "no-hex": try edit(1) { o in var txs = o["tx"] as? [[String: Any]] ?? []; txs[0]["hex"] = nil; o["tx"] = txs }
        case "wrong-type": try edit(1) { $0["bits"] = 486_604_799 }
        case "bad-merkle": try edit(3) { $0["merkleroot"] = String(repeating: "0", count: 64) }
        default:
            try edit(4) { o in
                var txs = o["tx"] as? [[String: Any]] ?? []
                if txs.count > 1 { txs[0]["hex"] = txs[1]["hex"] } else { txs[0]["txid"] = String(repeating: "1", count: 64) }
                o["tx"] = txs
            }
        }
        let file = try dir.write("bad.ndjson", Array((lines.joined(separator: "\n") + "\n").utf8))
        let index = try TempDir()
        try Imports.run([Self.blockFile], into: index.path, configure: Self.sliced)
        let before = try Imports.dump(index.path)
        do {
            try Imports.run([file], into: index.path, configure: Self.sliced)
            Issue.record("\(kind): imported")
        } catch let error as ImportError {
            #expect("\(error)".hasPrefix("\(file):\(line): "), "\(error)")
            #expect("\(error)".contains(message), "\(error)")
        }
        #expect(Imports.diff(before, try Imports.dump(index.path)).isEmpty)
    }

    @Test func theNetworkMustBeKnown() throws {
        // Blocks 50000–50002 alone carry no network; an empty index cannot tell it.
        let dir = try TempDir(), index = try TempDir()
        let late = try Self.jsonFiles.filter { !$0.contains("0019d6689c") && !$0.contains("839a8e6886") }.map {
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: $0)), as: UTF8.self)
        }
        let file = try dir.write("late.json", Array("[\(late.joined(separator: ","))]".utf8))
        #expect(throws: ImportError.self) { try Imports.run([file], into: index.path, configure: Self.sliced) }
        let given = try Imports.run([file], into: index.path) { $0.slice = true; $0.network = .mainnet }
        #expect(given.blocksAdded == 3)
    }
}
