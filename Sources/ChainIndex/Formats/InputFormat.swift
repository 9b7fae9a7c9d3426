import Foundation

/// What `spoor import` reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// Decide per path from its content (`blk` records, or JSON starting with `{` or `[`).
    case auto
    /// Bitcoin Core block files (`blk*.dat`, a `blocks/` directory).
    case blockFiles = "blk"
    /// Bitcoin Core `getblock <hash> 2|3` JSON (one per file, an array, or NDJSON).
    case rpcJSON = "rpc-json"
    /// blockchain-etl `blocks` and `transactions` tables (JSON lines or CSV), given together.
    case etl
    /// Explorer JSON: Esplora's transaction objects (one, an array, or one per line), with
    /// each input's `prevout`.
    case esplora
}

/// A JSON input converted to block records for the import pipeline.
struct ConvertedInput {
    /// The block file written for the pipeline (temporary).
    var blockFile: String
    /// The JSON file as given, with its size and SHA-256 (recorded as the import's source).
    var source: SourceFile
    var blocks: Int
}

/// A source file as the import run records it.
public struct SourceFile: Sendable, Equatable {
    public var path: String
    public var size: Int
    public var sha256: String
}

/// Turns JSON inputs into temporary block files so they go through exactly the same pipeline
/// (best chain, validation, store) as block files; everything is checked before the pipeline
/// starts, so a bad JSON file names its line and nothing is imported.
enum InputPreparation {
    /// The paths for the pipeline, with the JSON sources they stand for.
    struct Prepared {
        var paths: [String]
        var sources: [String: SourceFile]
        var temporaryDirectory: String?
        var formats: [String: InputFormat]
    }

    /// - Parameter index: the index imported into, for the previous block of a blockchain-etl
    ///   export that starts after the index's tip and carries no `previous_block_hash`.
    /// - Parameter kinds: each path's format when the caller has detected it already.
    static func prepare(
        _ paths: [String], format: InputFormat, network: Network?,
        index: IndexStore? = nil, kinds: [InputFormat]? = nil
    ) throws(BlockJSONError) -> Prepared {
        var out = Prepared(paths: [], sources: [:], temporaryDirectory: nil, formats: [:])
        var jsonFiles: [String] = [], etlFiles: [String] = []
        for (i, path) in paths.enumerated() {
            let kind = kinds?[i] ?? (format == .auto ? detect(path) : format)
            out.formats[path] = kind
            switch kind {
            case .rpcJSON: jsonFiles += expand(path)
            case .etl: etlFiles += expandETL(path)
            default: out.paths.append(path)
            }
        }
        guard !jsonFiles.isEmpty || !etlFiles.isEmpty else { return out }
        // Rebuild and check every block before anything is written to the index. When the network
        // is known, NDJSON is streamed into its temporary block file one line at a time.
        var converted: [(file: String, blocks: [RPCBlockJSON.Block], source: SourceFile)] = []
        var streamed: [(path: String, source: SourceFile)] = []
        var network = network
        for file in jsonFiles {
            if network == nil { network = firstLineNetwork(file) }
            if let network {
                let dir = try temporaryDirectory(&out)
                let path = (dir as NSString).appendingPathComponent(String(format: "streamed%05d.blk", streamed.count))
                if try stream(file, to: path, magic: network.magic) {
                    streamed.append((path, try source(file)))
                    continue
                }
            }
            let blocks = try RPCBlockJSON.blocks(file: file)
            for b in blocks { try check(b, file: file) }
            converted.append((file, blocks, try source(file)))
        }
        for s in streamed {
            out.paths.append(s.path)
            out.sources[s.path] = s.source
        }
        guard !converted.isEmpty || !etlFiles.isEmpty else { return out }
        if !etlFiles.isEmpty {
            // Each export file stands for one temporary block file holding the blocks of its rows
            // (empty for a transactions file), so every export file is recorded as a source. The
            // blocks are streamed into those files as they are rebuilt (one block's rows in memory).
            try Self.prepareETL(
                etlFiles, first: jsonFiles.first ?? etlFiles[0], earlier: converted.flatMap { $0.blocks }, network: &network,
                index: index, out: &out)
        }
        let first = jsonFiles.first ?? etlFiles[0]
        let magic = try self.network(network, converted.flatMap { $0.blocks }, first: first).magic
        let dir = try temporaryDirectory(&out)
        for (i, c) in converted.enumerated() {
            var bytes: [UInt8] = []
            for b in c.blocks {
                bytes += magic
                bytes.appendLE(UInt32(b.bytes.count))
                bytes += b.bytes
            }
            let path = (dir as NSString).appendingPathComponent(String(format: "converted%05d.blk", i))
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw .unreadable(file: path, reason: "cannot write a temporary block file")
            }
            out.paths.append(path)
            out.sources[path] = c.source
        }
        return out
    }

    /// The network of an NDJSON file whose first record is a genesis block or its child, else nil.
    static func firstLineNetwork(_ file: String) -> Network? {
        guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
        defer { try? handle.close() }
        var head = [UInt8]()
        while head.count < 1 << 26 {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            head += chunk
            if head.contains(0x0A) { break }
        }
        guard let end = head.firstIndex(of: 0x0A),
              let object = try? JSONSerialization.jsonObject(with: Data(head[..<end])) as? [String: Any]
        else { return nil }
        let hash = (object["hash"] as? String).flatMap(Hash256.init(hex:))
        let previous = (object["previousblockhash"] as? String).flatMap(Hash256.init(hex:))
        return Network.all.first { $0.genesisHash == hash || $0.genesisHash == previous }
    }

    /// The temporary directory of this import (made on first use).
    static func temporaryDirectory(_ out: inout Prepared) throws(BlockJSONError) -> String {
        if let dir = out.temporaryDirectory { return dir }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-json-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw .unreadable(file: dir, reason: "cannot create a temporary directory: \(error)")
        }
        out.temporaryDirectory = dir
        return dir
    }

    /// Streams an NDJSON file into a block file, checking each block; false (nothing written) when
    /// the file is not NDJSON.
    static func stream(_ file: String, to path: String, magic: [UInt8]) throws(BlockJSONError) -> Bool {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw .unreadable(file: path, reason: "cannot write a temporary block file")
        }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        let isNDJSON = try RPCBlockJSON.streamNDJSON(file: file) { (b: RPCBlockJSON.Block) throws(BlockJSONError) in
            try check(b, file: file)
            buffer += magic
            buffer.appendLE(UInt32(b.bytes.count))
            buffer += b.bytes
            if buffer.count >= 1 << 22 {
                handle.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !isNDJSON {
            try? FileManager.default.removeItem(atPath: path)
            return false
        }
        handle.write(Data(buffer))
        return true
    }

    /// The file's SHA-256 and size, as the import records it.
    /// The file is memory-mapped and hashed in place (no copy of a large export on the heap).
    static func source(_ file: String) throws(BlockJSONError) -> SourceFile {
        if let map = try? MappedFile(path: file), map.count > 0 {
            let digest = Hex.encode(Hashing.sha256(map.bytes).bytes)
            map.release(0..<map.count)
            return SourceFile(path: file, size: map.count, sha256: digest)
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw .unreadable(file: file, reason: "cannot read the file") }
        return SourceFile(path: file, size: data.count, sha256: Hex.encode(Hashing.sha256(data)))
    }

    /// The hash of the index's chain block at `height`, if the index has one.
    static func chainHash(_ index: IndexStore?, height: Int) -> Hash256? {
        guard let index, let stored = try? index.storedBlocks() else { return nil }
        return stored.first { $0.inChain && $0.height == height }?.hash
    }

    /// From the content: a blockchain-etl row (JSON line with `merkle_root`, `lock_time`, … or a
    /// CSV header naming them) is `etl`; other JSON starting with `{` or `[` is `rpc-json`;
    /// anything else is block files. A directory with `blk*.dat` is block files; otherwise it is
    /// what its `*.json`/`*.ndjson`/`*.jsonl`/`*.csv` files are (searched recursively for
    /// blockchain-etl's partitioned output).
    static func detect(_ path: String) -> InputFormat {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .blockFiles }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            if names.contains(where: { $0.hasPrefix("blk") && $0.hasSuffix(".dat") }) { return .blockFiles }
            let files = expandETL(path)
            if files.contains(where: { detectFile($0) == .etl }) { return .etl }
            if let first = expand(path).first, detectFile(first) == .esplora { return .esplora }
            return names.contains(where: { $0.hasSuffix(".json") || $0.hasSuffix(".ndjson") || $0.hasSuffix(".jsonl") })
                ? .rpcJSON : .blockFiles
        }
        return detectFile(path)
    }

    static let etlMarkers = ["merkle_root", "coinbase_param", "lock_time", "spent_transaction_hash", "virtual_size", "transaction_count"]

    static func detectFile(_ path: String) -> InputFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .blockFiles }
        defer { try? handle.close() }
        // One read serves both: 64 KiB for the explorer markers, its first 4 KiB for the rest.
        let read = [UInt8](handle.readData(ofLength: 1 << 16))
        let head = read.prefix(4096)
        guard let start = head.firstIndex(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) else { return .blockFiles }
        let firstLine = String(decoding: head[start...].prefix { $0 != 0x0A }, as: UTF8.self)
        if head[start] == UInt8(ascii: "{") || head[start] == UInt8(ascii: "[") {
            if isEsplora(head: read) { return .esplora }
        }
        if head[start] == UInt8(ascii: "{") {
            return etlMarkers.contains(where: { firstLine.contains("\"\($0)\"") }) ? .etl : .rpcJSON
        }
        if head[start] == UInt8(ascii: "[") { return .rpcJSON }
        let columns = Set(firstLine.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"\r")) })
        return columns.contains("hash") && etlMarkers.contains(where: { columns.contains($0) }) ? .etl : .blockFiles
    }

    /// Esplora's lower-case field names (`scriptpubkey`, `scriptsig`; Bitcoin Core writes
    /// `scriptPubKey`, `scriptSig`) next to a `vin` array, within the first 64 KiB.
    static func isEsplora(head bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes, as: UTF8.self)
        return head.contains("\"vin\"") && (head.contains("\"scriptpubkey\"") || head.contains("\"scriptsig\""))
    }

    /// A blockchain-etl export path: a file as given, or a directory's `*.json`, `*.jsonl`,
    /// `*.ndjson` and `*.csv` files at any depth, in path order.
    static func expandETL(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let all = (FileManager.default.subpaths(atPath: path) ?? []).filter {
            $0.hasSuffix(".json") || $0.hasSuffix(".ndjson") || $0.hasSuffix(".jsonl") || $0.hasSuffix(".csv")
        }
        return all.sorted().map { (path as NSString).appendingPathComponent($0) }
    }

    /// A directory's JSON files in name order; a file as given.
    static func expand(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".ndjson") || $0.hasSuffix(".jsonl") }.sorted()
        return names.map { (path as NSString).appendingPathComponent($0) }
    }

    /// The whole block parses and its merkle root matches (so the pipeline cannot fail on it later
    /// with an offset in a temporary file).
    static func check(_ b: RPCBlockJSON.Block, file: String) throws(BlockJSONError) {
        let parsed = b.bytes.withUnsafeBytes { try? BlockParser.parse($0, computeWtxids: false) }
        guard let parsed else {
            throw .mismatch(file: file, line: b.line, reason: "block \(b.hash.hex) does not parse from its transactions' hex")
        }
        guard parsed.merkleMatches, !parsed.merkleMutated else {
            throw .mismatch(file: file, line: b.line, reason: "block \(b.hash.hex): its transactions do not give its 'merkleroot'")
        }
    }

    /// JSON carries no network magic: the given or stored network, else the one whose genesis
    /// block is among (or is the parent of) the blocks.
    static func network(_ given: Network?, _ blocks: [RPCBlockJSON.Block], first: String) throws(BlockJSONError) -> Network {
        if let given { return given }
        for b in blocks {
            let previous = Array(b.bytes[4..<36])
            for n in Network.all where n.genesisHash == b.hash || n.genesisHash.bytes == previous { return n }
        }
        throw .malformed(
            file: first, line: 1,
            reason:
                "JSON and blockchain-etl exports carry no network: pass --network (main, test, testnet4, signet, regtest, litecoin, bch, doge)"
        )
    }

    /// Streams a blockchain-etl export into one temporary block file per export file (a blocks
    /// file's blocks; empty for a transactions file), each block rebuilt and checked as soon as its
    /// transactions rows have been read, so memory holds one block's rows, not the export. Without
    /// a network, it is the one whose genesis block is among the `earlier` (JSON) blocks or the
    /// export's (or is the parent of one); when there is none the export is still checked but
    /// nothing is written, and the import then stops asking for `--network`. On an error the
    /// temporary directory is removed.
    private static func prepareETL(
        _ files: [String], first: String, earlier: [RPCBlockJSON.Block], network: inout Network?, index: IndexStore?,
        out: inout Prepared
    ) throws(BlockJSONError) {
        let plan = try ETLExport.Plan(files: files) { height in Self.chainHash(index, height: height) }
        if network == nil { network = (try? self.network(nil, earlier, first: first)) ?? plan.network }
        guard let magic = network?.magic else {
            try ETLExport.stream(plan) { (b: ETLExport.Block) throws(BlockJSONError) in
                try check(RPCBlockJSON.Block(bytes: b.bytes, hash: b.hash, line: b.line), file: b.file)
            }
            return
        }
        let dir = try temporaryDirectory(&out)
        let paths = files.indices.map { (dir as NSString).appendingPathComponent(String(format: "etl%05d.blk", $0)) }
        let pathOf = Dictionary(zip(files, paths), uniquingKeysWith: { a, _ in a })
        do throws(BlockJSONError) {
            try ETLBlockWriter.create(paths)
            let writer = ETLBlockWriter(magic: magic)
            let summary = try ETLExport.stream(plan) { (b: ETLExport.Block) throws(BlockJSONError) in
                try check(RPCBlockJSON.Block(bytes: b.bytes, hash: b.hash, line: b.line), file: b.file)
                guard let path = pathOf[b.file] else { throw .unreadable(file: b.file, reason: "not among the export's files") }
                try writer.append(b.bytes, to: path)
            }
            try writer.close()
            for (file, path) in zip(files, paths) {
                out.paths.append(path)
                if let read = summary.sources[file] { out.sources[path] = read } else { out.sources[path] = try source(file) }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: dir)
            out.temporaryDirectory = nil
            throw error
        }
    }
}
