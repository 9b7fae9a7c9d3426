import Foundation
import GRDB
import Testing
@testable import ChainIndex

// blockchain-etl exports (`blocks` + `transactions`, JSON lines and CSV) through the same pipeline
// as block files. The fixtures in `Fixtures/etl/` were written by `scripts/blk-to-etl.py`
// (python-bitcoinlib, independent of Spoor) from real fixture blocks: mainnet 0–175 (floresta)
// and blocks 227836 (coinbase sequence 0) and 482683 (2 segwit transactions) of the sparse subset.

struct ETLImportTests {
    static func etl(_ name: String) -> String { Fixture.root.appendingPathComponent("etl").appendingPathComponent(name).path }
    static let florestaBlk = Fixture.real("\(Fixture.floresta).dat")
    /// Provenance differs by design (the export files, not the block file).
    static let exclude: Set<String> = ["import_run", "import_file", "block.import_run"]
    /// Without witnesses, sizes and weights are those of the stripped transactions and blocks.
    static let excludeStripped = exclude.union(["block.size", "tx.size", "tx.weight"])
    static let sparseHashes = ["00000000000000d0dfd4c9d588d325dce4f32c1b31b7c0064cba7025a9b9adcc",
                               "000000000000000000c238240ef6dcb26c37e75e16514e6ffc0aef7eee73e747"]

    static func sliced(_ o: inout ImportOptions) { o.slice = true }

    static func lines(_ path: String) throws -> [String] {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    static func text(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The records of a block file whose block hash is in `hashes`, in file order.
    static func blockFile(from path: String, keeping hashes: [String]) throws -> [UInt8] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var out: [UInt8] = [], i = 0
        while i + 8 <= data.count {
            let size = Int(data[i + 4]) | Int(data[i + 5]) << 8 | Int(data[i + 6]) << 16 | Int(data[i + 7]) << 24
            if size == 0 { break }
            if hashes.contains(Hashing.sha256d(data[(i + 8)..<(i + 88)]).hex) { out += data[i..<(i + 8 + size)] }
            i += 8 + size
        }
        return out
    }

    @Test(arguments: ["floresta-json", "floresta-csv"])
    func sameRowsAsTheBlockFile(export: String) throws {
        let fromBlk = try TempDir(), fromETL = try TempDir()
        try Imports.run([Self.florestaBlk], into: fromBlk.path)
        let summary = try Imports.run([Self.etl(export)], into: fromETL.path)
        #expect(summary.blocksAdded == 176 && summary.transactionsAdded == 177 && summary.formats[Self.etl(export)] == "etl")
        // Blocks 0–175 have no witnesses: every row is the same, sizes and weights included.
        let diff = Imports.diff(try Imports.dump(fromBlk.path, exclude: Self.exclude), try Imports.dump(fromETL.path, exclude: Self.exclude))
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
        // Provenance: both export files with their size and SHA-256.
        let files = try IndexStore(dataDirectory: fromETL.path, create: false).status().importRuns.last?.files ?? []
        let ext = export.hasSuffix("csv") ? "csv" : "json"
        #expect(files.map(\.path).sorted() == ["blocks.\(ext)", "transactions.\(ext)"].map { Self.etl(export) + "/" + $0 })
        for f in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: f.path))
            #expect(f.sha256 == Hex.encode(Hashing.sha256(data)) && f.size == data.count)
        }
    }

    @Test(arguments: ["sparse-json", "sparse-csv"])
    func segwitBlockMatchesTheBlockFileExceptWitnessSizes(export: String) throws {
        let dir = try TempDir(), fromBlk = try TempDir(), fromETL = try TempDir()
        let blk = try dir.write("two.dat", try Self.blockFile(from: Fixture.real("\(Fixture.mainnetSubset).dat"), keeping: Self.sparseHashes))
        try Imports.run([blk], into: fromBlk.path, configure: Self.sliced)
        let summary = try Imports.run([Self.etl(export)], into: fromETL.path) { $0.slice = true; $0.network = .mainnet }
        #expect(summary.blocksAdded == 2 && summary.transactionsAdded == 112)
        let diff = Imports.diff(try Imports.dump(fromBlk.path, exclude: Self.excludeStripped),
                                try Imports.dump(fromETL.path, exclude: Self.excludeStripped))
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
        // The excluded columns differ exactly for the segwit transactions (and the segwit block).
        let sizes = { (path: String) in
            try IndexStore(dataDirectory: path, create: false).read { db in try Row.fetchAll(db, sql: "SELECT size, weight FROM tx ORDER BY id") }
        }
        let full = try sizes(fromBlk.path), stripped = try sizes(fromETL.path)
        let differing = zip(full, stripped).filter { ($0.0["size"] as Int) != ($0.1["size"] as Int) }.count
        #expect(differing == 2)
        #expect(stripped.allSatisfy { ($0["weight"] as Int) == 4 * ($0["size"] as Int) })
    }

    @Test func overlapAfterTheBlockFileAddsNothing() throws {
        let dir = try TempDir()
        try Imports.run([Self.florestaBlk], into: dir.path)
        let before = try Imports.dump(dir.path, exclude: Self.exclude)
        for export in ["floresta-json", "floresta-csv"] {
            let again = try Imports.run([Self.etl(export)], into: dir.path)
            #expect(again.blocksAdded == 0 && again.transactionsAdded == 0 && again.alreadyStored == 176)
        }
        #expect(Imports.diff(before, try Imports.dump(dir.path, exclude: Self.exclude)).isEmpty)
    }

    /// An export starting after the index's tip without `previous_block_hash` takes the previous
    /// hash from the index; into an empty index it cannot be placed.
    @Test func previousHashFromTheIndex() throws {
        let dir = try TempDir()
        let blocks = try Self.lines(Self.etl("floresta-json/blocks.json")), txs = try Self.lines(Self.etl("floresta-json/transactions.json"))
        func part(_ range: ClosedRange<Int>, _ name: String) throws -> [String] {
            let b = try blocks.filter { range.contains(try Self.object($0)["number"] as? Int ?? -1) }
            let t = try txs.filter { range.contains(try Self.object($0)["block_number"] as? Int ?? -1) }
            return [try dir.write("\(name)-blocks.json", Array((b.joined(separator: "\n") + "\n").utf8)),
                    try dir.write("\(name)-transactions.json", Array((t.joined(separator: "\n") + "\n").utf8))]
        }
        let early = try part(0...99, "early"), late = try part(100...175, "late")
        let empty = try TempDir()
        let error = thrownError { try Imports.run(late, into: empty.path) { $0.network = .mainnet } }
        #expect("\(error.map { "\($0)" } ?? "")".hasPrefix("\(late[0]):1: "), "\(String(describing: error))")
        let split = try TempDir(), whole = try TempDir()
        try Imports.run(early, into: split.path)
        #expect(try Imports.run(late, into: split.path).blocksAdded == 76)
        try Imports.run([Self.florestaBlk], into: whole.path)
        #expect(Imports.diff(try Imports.dump(whole.path, exclude: Self.exclude), try Imports.dump(split.path, exclude: Self.exclude)).isEmpty)
    }

    /// BigQuery-style values: integers as text, timestamps as UTC text, the nonce as hex text.
    @Test func bigQueryShapedValues() throws {
        let dir = try TempDir()
        let blocks = try Self.lines(Self.etl("floresta-json/blocks.json")).map { line -> String in
            var o = try Self.object(line)
            let t = o["timestamp"] as? Int ?? 0
            let day = t / 86_400, s = t % 86_400
            let date = Date(timeIntervalSince1970: TimeInterval(day * 86_400))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            o["timestamp"] = String(format: "%04d-%02d-%02d %02d:%02d:%02d UTC", c.year ?? 0, c.month ?? 0, c.day ?? 0, s / 3600, s / 60 % 60, s % 60)
            o["nonce"] = String(o["nonce"] as? Int ?? 0, radix: 16)
            o["number"] = "\(o["number"] as? Int ?? 0)"
            return try Self.text(o)
        }
        let txs = try Self.lines(Self.etl("floresta-json/transactions.json")).map { line -> String in
            var o = try Self.object(line)
            var outputs = o["outputs"] as? [[String: Any]] ?? []
            for i in outputs.indices { outputs[i]["value"] = "\(outputs[i]["value"] as? Int ?? 0)" }
            o["outputs"] = outputs
            o["index"] = nil
            return try Self.text(o)
        }
        let files = [try dir.write("b.json", Array(blocks.joined(separator: "\n").utf8)), try dir.write("t.json", Array(txs.joined(separator: "\n").utf8))]
        let out = try TempDir(), reference = try TempDir()
        try Imports.run(files, into: out.path)
        try Imports.run([Self.florestaBlk], into: reference.path)
        #expect(Imports.diff(try Imports.dump(reference.path, exclude: Self.exclude), try Imports.dump(out.path, exclude: Self.exclude)).isEmpty)
    }

    @Test func detection() throws {
        for name in ["floresta-json", "floresta-csv", "sparse-json", "sparse-csv"] {
            #expect(InputPreparation.detect(Self.etl(name)) == .etl)
            #expect(InputPreparation.detect(Self.etl(name) + "/blocks." + (name.hasSuffix("csv") ? "csv" : "json")) == .etl)
        }
        #expect(InputPreparation.detect(Fixture.real("rpc-json")) == .rpcJSON)
        #expect(InputPreparation.detect(Self.florestaBlk) == .blockFiles)
        // `--format etl` forces it (a file named .dat is still read as an export).
        let dir = try TempDir()
        let b = try dir.write("b.dat", Array(try Data(contentsOf: URL(fileURLWithPath: Self.etl("floresta-json/blocks.json")))))
        let t = try dir.write("t.dat", Array(try Data(contentsOf: URL(fileURLWithPath: Self.etl("floresta-json/transactions.json")))))
        let out = try TempDir()
        #expect(try Imports.run([b, t], into: out.path) { $0.format = .etl }.blocksAdded == 176)
    }

    /// A bad export: the error names the file and line, and nothing is imported.
    @Test(arguments: [
        ("truncated", "transactions", 5, "not JSON"),
        ("missing", "transactions", 3, "missing 'lock_time'"),
        ("wrong-type", "blocks", 4, "'merkle_root' must be text"),
        ("string-value", "transactions", 9, "'value' must be an integer"),
        ("no-block", "transactions", 10, "is not in the blocks table"),
        ("txid", "transactions", 172, "not its 'hash'"),
        ("coinbase", "transactions", 7, "does not hash to its 'hash'"),
        ("header", "blocks", 7, "does not hash to its 'hash'"),
        ("count", "blocks", 2, "'transaction_count' is 5"),
        ("csv-truncated", "transactions", 4, "CSV"),
        ("csv-nested", "transactions", 6, "neither JSON nor a Python list"),
    ])
    func badExport(kind: String, table: String, line: Int, message: String) throws {
        let dir = try TempDir()
        let csv = kind.hasPrefix("csv")
        let source = Self.etl(csv ? "floresta-csv" : "floresta-json"), ext = csv ? "csv" : "json"
        var b = try Self.lines("\(source)/blocks.\(ext)"), t = try Self.lines("\(source)/transactions.\(ext)")
        func edit(_ lines: inout [String], _ l: Int, _ change: (inout [String: Any]) -> Void) throws {
            var o = try Self.object(lines[l - 1])
            change(&o)
            lines[l - 1] = try Self.text(o)
        }
        switch kind {
        case "truncated": t[4] = String(t[4].prefix(100))
        case "missing": try edit(&t, 3) { $0["lock_time"] = nil }
        case "wrong-type": try edit(&b, 4) { $0["merkle_root"] = 5 }
        case "string-value": try edit(&t, 9) { o in
            var outs = o["outputs"] as? [[String: Any]] ?? []; outs[0]["value"] = "fifty"; o["outputs"] = outs }
        case "no-block": try edit(&t, 10) { $0["block_hash"] = String(repeating: "ab", count: 32) }
        case "txid": try edit(&t, 172) { o in
            var ins = o["inputs"] as? [[String: Any]] ?? []; ins[0]["sequence"] = 0; o["inputs"] = ins }
        case "coinbase": try edit(&t, 7) { o in
            var outs = o["outputs"] as? [[String: Any]] ?? []; outs[0]["value"] = 4_999_999_999; o["outputs"] = outs }
        case "header": try edit(&b, 7) { $0["nonce"] = 1 }
        case "count": try edit(&b, 2) { $0["transaction_count"] = 5 }
        case "csv-truncated": t[3] = String(t[3].prefix(300))
        default: t[5] = t[5].replacingOccurrences(of: "'index': 0", with: "'index' 0")
        }
        let files = ["blocks": b, "transactions": t]
        let paths = try ["blocks", "transactions"].map { try dir.write("\($0).\(ext)", Array(((files[$0] ?? []).joined(separator: "\n") + "\n").utf8)) }
        let index = try TempDir()
        try Imports.run([Fixture.real("\(Fixture.rpcjson).dat")], into: index.path, configure: Self.sliced)
        let before = try Imports.dump(index.path)
        do {
            try Imports.run(paths, into: index.path)
            Issue.record("\(kind): imported")
        } catch let error as ImportError {
            #expect("\(error)".hasPrefix("\(dir.file("\(table).\(ext)")):\(line): "), "\(error)")
            #expect("\(error)".contains(message), "\(error)")
        }
        #expect(Imports.diff(before, try Imports.dump(index.path)).isEmpty)
    }

    // Streaming: the converter holds one block's transactions rows, not the export's.

    /// The export's files (blocks and transactions) of a fixture directory.
    static func files(_ export: String) -> [String] { InputPreparation.expandETL(Self.etl(export)) }

    /// The most rows held at once is the largest block's transaction count (2 of 177 rows for
    /// blocks 0–175; 100 of 112 for the sparse pair), and the provenance digests come from the
    /// same single read.
    @Test(arguments: [("floresta-json", 176, 2), ("floresta-csv", 176, 2), ("sparse-json", 2, 100), ("sparse-csv", 2, 100)])
    func convertsOneBlockOfRowsAtATime(export: String, blocks: Int, largest: Int) throws {
        var hashes: [Hash256] = []
        let summary = try ETLExport.stream(files: Self.files(export), indexHash: { _ in nil }) { (b: ETLExport.Block) throws(BlockJSONError) in
            hashes.append(b.hash)
        }
        #expect(summary.blocks == blocks && hashes.count == blocks && Set(hashes).count == blocks)
        #expect(summary.peakBufferedRows == largest)
        #expect(summary.sources.keys.sorted() == Self.files(export))
        for (file, source) in summary.sources {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(source.size == data.count && source.sha256 == Hex.encode(Hashing.sha256(data)))
        }
    }

    /// Tiny read buffers (lines, CRLFs, quoted newlines and a byte order mark split across reads)
    /// give the same rows as whole-file reads.
    @Test func smallReadBuffersGiveTheSameRows() throws {
        let dir = try TempDir()
        let odd = try dir.write("odd.csv", Array(("\u{FEFF}hash,lock_time,outputs,note\r\n\r\n"
            + "aa,0,,\"two\r\nlines, \"\"quoted\"\"\"\r\n"
            + "bb,1,\"[{'value': 1}]\",\"\"\r\n"
            + "cc,2,[],\"\n\nend\"").utf8))
        let paths = [odd] + ["floresta-json", "floresta-csv", "sparse-csv"].flatMap { Self.files($0) }
        for path in paths {
            func rows(_ chunk: Int) throws -> [String] {
                let table = try ETLTable(path, chunkSize: chunk)
                var out: [String] = []
                while let row = try table.next() { out.append("\(row.line) \(try Self.text(row.fields))") }
                return out
            }
            let whole = try rows(1 << 24)
            #expect(!whole.isEmpty)
            for chunk in [1, 2, 3, 7, 64] { #expect(try rows(chunk) == whole, "\(path), \(chunk)-byte reads") }
        }
        let table = try ETLTable(odd, chunkSize: 2)
        var read: [ETLTable.Row] = []
        while let row = try table.next() { read.append(row) }
        #expect(read.map(\.line) == [3, 5, 6])
        #expect(read.map { $0.fields["note"] as? String } == ["two\r\nlines, \"quoted\"", nil, "\n\nend"])
        let size = try Data(contentsOf: URL(fileURLWithPath: odd)).count
        #expect(table.kind == .transactions && table.source?.size == size)
    }

    /// Writes floresta-json with its transactions lines reordered by `reorder` (1-based line numbers).
    static func reordered(_ dir: TempDir, _ reorder: ([String]) -> [String]) throws -> [String] {
        let b = try Self.lines(Self.etl("floresta-json/blocks.json")), t = try Self.lines(Self.etl("floresta-json/transactions.json"))
        return [try dir.write("blocks.json", Array((b.joined(separator: "\n") + "\n").utf8)),
                try dir.write("transactions.json", Array((reorder(t).joined(separator: "\n") + "\n").utf8))]
    }

    /// Blocks in another order, and a block's rows interleaved with another block's (block 170's
    /// second transaction after block 171's): regrouped, the same index as from the block file.
    @Test func blocksOutOfOrderAndSlightlyInterleaved() throws {
        let dir = try TempDir()
        let files = try Self.reordered(dir) { t in
            var t = t
            t.swapAt(171, 172)                 // lines 172 and 173: 170/0, 171/0, 170/1
            t.append(t.remove(at: 5))          // block 5 last
            return t
        }
        var order: [Hash256] = []
        let summary = try ETLExport.stream(files: files, indexHash: { _ in nil }) { (b: ETLExport.Block) throws(BlockJSONError) in
            order.append(b.hash)
        }
        #expect(summary.blocks == 176 && summary.peakBufferedRows == 2)
        let out = try TempDir(), reference = try TempDir()
        #expect(try Imports.run(files, into: out.path).blocksAdded == 176)
        try Imports.run([Self.florestaBlk], into: reference.path)
        #expect(Imports.diff(try Imports.dump(reference.path, exclude: Self.exclude), try Imports.dump(out.path, exclude: Self.exclude)).isEmpty)
    }

    /// An unordered extract (BigQuery's sharded exports): the two sparse blocks' 112 rows shuffled
    /// together still import, the same index as the ordered export, holding the disorder in memory.
    @Test func anUnorderedExtractImports() throws {
        let dir = try TempDir()
        let b = try Self.lines(Self.etl("sparse-json/blocks.json")), t = try Self.lines(Self.etl("sparse-json/transactions.json"))
        #expect(t.count == 112)
        // A fixed shuffle: odd rows backwards, then even rows forwards.
        let shuffled = stride(from: t.count - 1, through: 0, by: -1).filter { $0 % 2 == 1 }.map { t[$0] }
            + stride(from: 0, to: t.count, by: 2).map { t[$0] }
        let files = [try dir.write("blocks.json", Array((b.joined(separator: "\n") + "\n").utf8)),
                     try dir.write("transactions.json", Array((shuffled.joined(separator: "\n") + "\n").utf8))]
        let summary = try ETLExport.stream(files: files, indexHash: { _ in nil }) { (_: ETLExport.Block) throws(BlockJSONError) in }
        #expect(summary.blocks == 2 && summary.peakBufferedRows > 100)
        let out = try TempDir(), ordered = try TempDir()
        try Imports.run(files, into: out.path) { $0.slice = true; $0.network = .mainnet }
        try Imports.run(Self.files("sparse-json"), into: ordered.path) { $0.slice = true; $0.network = .mainnet }
        #expect(Imports.diff(try Imports.dump(ordered.path, exclude: Self.exclude), try Imports.dump(out.path, exclude: Self.exclude)).isEmpty)
    }

    /// More rows waiting for the rest of their blocks than the limit: the error names the row
    /// where that happened.
    @Test func interleavingBeyondTheLimitFailsAtItsRow() throws {
        let dir = try TempDir()
        let files = try Self.reordered(dir) { t in var t = t; t.swapAt(171, 172); return t }
        let error = thrownError {
            try ETLExport.stream(files: files, indexHash: { _ in nil }, parkLimit: 0) { (_: ETLExport.Block) throws(BlockJSONError) in }
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("\(files[1]):172: too many transactions rows wait for the rest of their blocks (1, more than 0; block "), "\(text)")
        #expect(text.contains("has 1 of its 2)") && text.contains("must list each block's transactions together"), "\(text)")
    }

    /// A transaction of a block whose rows ended earlier (here a copy of the genesis coinbase at
    /// the end): the error names that row, and nothing is imported.
    @Test func rowOfAnEndedBlockFailsAtItsRow() throws {
        let dir = try TempDir()
        let files = try Self.reordered(dir) { t in t + [t[0]] }
        let index = try TempDir()
        try Imports.run([Fixture.real("\(Fixture.rpcjson).dat")], into: index.path, configure: Self.sliced)
        let before = try Imports.dump(index.path)
        let error = thrownError { try Imports.run(files, into: index.path) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("\(files[1]):178: a transaction of block 000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f "
            + "(number 0) after that block's transactions ended (line 1 of \(files[1])): "
            + "the export must list each block's transactions together, as bitcoin-etl writes them"), "\(text)")
        #expect(Imports.diff(before, try Imports.dump(index.path)).isEmpty)
    }
}
