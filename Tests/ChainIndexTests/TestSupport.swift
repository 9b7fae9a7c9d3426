import Foundation
import GRDB
import Testing
@testable import ChainIndex

// Shared helpers of the golden-file, bad-input and best-chain tests.
// Provenance of every fixture: Fixtures/SOURCES.md.

/// Fixture files under `Fixtures/` (copied into the test bundle).
enum Fixture {
    static var root: URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures directory missing from the test bundle")
        }
        return url
    }

    /// Path of a block file under `Fixtures/real/`.
    static func real(_ name: String) -> String { root.appendingPathComponent("real").appendingPathComponent(name).path }

    /// URL of an expected dump under `Fixtures/expected/`; `name.gz` is used when only the
    /// compressed form is present.
    static func expected(_ name: String) -> URL {
        let dir = root.appendingPathComponent("expected")
        let plain = dir.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: plain.path) { return plain }
        return dir.appendingPathComponent(name + ".gz")
    }

    static let jeffchan = "mainnet_000000-004312_jeffchan"
    static let floresta = "mainnet_000000-000175_floresta"
    static let litecoin = "litecoin_000000-000256_ltcd"
    static let rpcjson = "mainnet_rpcjson_0_1_50000-50002_bitcoin-etl"
    static let regtest = "regtest_000000-000150_floresta"
    static let synthetic = "synthetic-btcd-fork_0-4_plus_3A-5A"
    /// `spoor synth --blocks 130 --tx-per-block 25 --seed 3 --stale 2`, dumped by the oracle.
    static let synthRegtest = "synth_regtest_seed3"
    static let mainnetSubset = "mainnet_sparse_subset"
    static let testnetSubset = "testnet3_sparse_subset"

    /// Every blk-framed fixture with oracle dumps (base names without `.dat`).
    static let blkFiles = [jeffchan, floresta, litecoin, rpcjson, regtest, synthetic, mainnetSubset, testnetSubset, synthRegtest]
}

/// The project's shared data (present on developer machines and CI, not part of the repo):
/// `$SPOOR_SHARED_DATA`, else `shared/data` beside the package's checkout, else `/work/shared/data`.
enum SharedData {
    static let root: String = {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [ProcessInfo.processInfo.environment["SPOOR_SHARED_DATA"],
                          packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path,
                          "/work/shared/data"].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: "\($0)/real/blk") } ?? "/work/shared/data"
    }()
    static func realBlk(_ name: String) -> String { "\(root)/real/blk/\(name).dat" }
    static func expected(_ name: String) -> URL { URL(fileURLWithPath: "\(root)/expected/\(name)") }
    static let sparseMainnet = "mainnet_sparse_singles"
    static let sparseTestnet = "testnet3_sparse_singles"
    /// Every file of `real/blk/` with its two dumps.
    static let blkNames = [Fixture.jeffchan, Fixture.floresta, Fixture.litecoin, Fixture.rpcjson, Fixture.regtest,
                           Fixture.synthetic, sparseMainnet, sparseTestnet]
    static var blkFilesPresent: Bool {
        blkNames.allSatisfy { name in
            FileManager.default.fileExists(atPath: realBlk(name))
                && FileManager.default.fileExists(atPath: expected(name + ".tx.ndjson.gz").path)
                && FileManager.default.fileExists(atPath: expected(name + ".summary.ndjson").path)
        }
    }
}

// MARK: - Oracle dumps (tools/oracle/dump_blocks.py output)

struct ExpectedTx: Decodable {
    struct Vin: Decodable {
        var prevout: String?
        var coinbase: String?
    }
    struct Vout: Decodable {
        var n: Int
        var value: Int64
        var type: String
        var address: String?
    }
    var block_hash: String
    var height: Int?
    var tx_index: Int
    var txid: String
    var wtxid: String
    var size: Int
    var weight: Int
    var coinbase: Bool
    var vin: [Vin]
    var vout: [Vout]
}

struct ExpectedBlock: Decodable {
    var block_hash: String
    var prev_hash: String
    var network: String
    var height: Int?
    var height_source: String?
    var version: Int64
    var size: Int
    var merkle_ok: Bool
    var txs: Int
}

enum NDJSON {
    /// The bytes of `url`, gunzipped (with the system's `gzip -dc`) when the name ends in `.gz`.
    static func data(_ url: URL) throws -> Data {
        guard url.pathExtension == "gz" else { return try Data(contentsOf: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("gzip -dc \(url.path) exited with \(process.terminationStatus)")
        }
        return data
    }

    /// Decodes one value per non-empty line.
    static func read<T: Decodable>(_ type: T.Type, _ url: URL) throws -> [T] {
        let data = try data(url)
        let decoder = JSONDecoder()
        var out = [T]()
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0a) ?? data.endIndex
            if end > start { out.append(try decoder.decode(T.self, from: data[start..<end])) }
            start = end + 1
        }
        return out
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Block files

/// A block record's full bytes (magic, size, block), as found in a fixture. Records are matched
/// to the oracle's summary lines by position (the summary lists blocks in file order).
struct RawRecord {
    var offset: Int
    var bytes: [UInt8]
    var block: [UInt8] { Array(bytes[8...]) }

    /// A record with the given magic around `block`.
    static func make(magic: [UInt8], block: [UInt8]) -> [UInt8] {
        var out = magic
        out.appendLE(UInt32(block.count))
        return out + block
    }
}

enum BlockFiles {
    /// The records of a plain (non-obfuscated) blk file, split without the code under test:
    /// magic, little-endian size, block; stops at a zero tail.
    static func records(_ path: String) throws -> [RawRecord] {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var out = [RawRecord]()
        var p = 0
        while p + 8 <= data.count, data[p..<(p + 4)] != [0, 0, 0, 0] {
            let size = Int(data[p + 4]) | Int(data[p + 5]) << 8 | Int(data[p + 6]) << 16 | Int(data[p + 7]) << 24
            let record = Array(data[p..<(p + 8 + size)])
            out.append(RawRecord(offset: p, bytes: record))
            p += 8 + size
        }
        return out
    }

    /// Scans a file in strict mode, taking the network from its magic.
    static func scan(_ path: String, network: Network? = nil, resync: Bool = false) throws(BlockFileError)
        -> (file: BlockFile, records: [BlockRecord], network: Network?, skipped: [SkippedRegion]) {
        let file = try BlockFile(path: path)
        var net = network
        var skipped = [SkippedRegion]()
        let records = try BlockFileScanner.scan(file, fileIndex: 0, network: &net, resync: resync, skipped: &skipped)
        return (file, records, net, skipped)
    }

    /// The BlockFileError a scan throws, or nil when it succeeds.
    static func scanError(_ path: String, network: Network? = nil) -> BlockFileError? {
        do { _ = try scan(path, network: network); return nil } catch { return error }
    }
}

// MARK: - Temporary directories

final class TempDir {
    let url: URL
    var path: String { url.path }

    init(_ label: String = "spoor-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` in this directory and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A new subdirectory.
    func subdirectory(_ name: String) throws -> String {
        let path = file(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

// MARK: - Importing and comparing stores

enum Imports {
    /// Opens (creating) the index in `dir` and imports `paths`.
    @discardableResult
    static func run(_ paths: [String], into dir: String, configure: (inout ImportOptions) -> Void = { _ in }) throws -> ImportSummary {
        let store = try IndexStore(dataDirectory: dir, create: true)
        var options = ImportOptions(paths: paths)
        configure(&options)
        return try Importer.run(options, store: store)
    }

    /// Every row of every table of the index, as text (`quote()` of each column), in rowid
    /// order; `exclude` drops tables or `table.column`s.
    static func dump(_ dir: String, exclude: Set<String> = []) throws -> [String: [String]] {
        let store = try IndexStore(dataDirectory: dir, create: false)
        return try store.read { db in
            var out = [String: [String]]()
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
            for t in tables where !exclude.contains(t) {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(t))").map { $0["name"] as String }
                    .filter { !exclude.contains("\(t).\($0)") }
                let expr = columns.map { "quote(\($0))" }.joined(separator: " || '|' || ")
                out[t] = try String.fetchAll(db, sql: "SELECT \(expr) FROM \(t) ORDER BY rowid")
            }
            return out
        }
    }

    /// Describes the first differences between two dumps (empty when equal).
    static func diff(_ a: [String: [String]], _ b: [String: [String]]) -> [String] {
        var out = [String]()
        for t in Set(a.keys).union(b.keys).sorted() {
            let x = a[t] ?? [], y = b[t] ?? []
            if x == y { continue }
            out.append("table \(t): \(x.count) rows vs \(y.count) rows")
            for i in 0..<max(x.count, y.count) where out.count < 12 {
                let l = i < x.count ? x[i] : "<none>", r = i < y.count ? y[i] : "<none>"
                if l != r { out.append("  row \(i): \(l)  ≠  \(r)") }
            }
        }
        return out
    }

    /// Row count of a table.
    static func count(_ dir: String, _ table: String) throws -> Int {
        let store = try IndexStore(dataDirectory: dir, create: false)
        return try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

/// Runs `body`, which must throw, and returns the error.
func thrownError(_ body: () throws -> Void) -> (any Error)? {
    do { try body(); return nil } catch { return error }
}
