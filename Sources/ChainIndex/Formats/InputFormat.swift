import Foundation

/// What `spoor import` reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// Decide per path from its content (`blk` records, or JSON starting with `{` or `[`).
    case auto
    /// Bitcoin Core block files (`blk*.dat`, a `blocks/` directory).
    case blockFiles = "blk"
    /// Bitcoin Core `getblock <hash> 2|3` JSON (one per file, an array, or NDJSON).
    case rpcJSON = "rpc-json"
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

    static func prepare(_ paths: [String], format: InputFormat, network: Network?) throws(BlockJSONError) -> Prepared {
        var out = Prepared(paths: [], sources: [:], temporaryDirectory: nil, formats: [:])
        var jsonFiles: [String] = []
        for path in paths {
            let kind = format == .auto ? detect(path) : format
            out.formats[path] = kind
            if kind == .rpcJSON { jsonFiles += expand(path) } else { out.paths.append(path) }
        }
        guard !jsonFiles.isEmpty else { return out }
        // Rebuild and check every block before writing anything.
        var converted: [(file: String, blocks: [RPCBlockJSON.Block], source: SourceFile)] = []
        for file in jsonFiles {
            let blocks = try RPCBlockJSON.blocks(file: file)
            for b in blocks { try check(b, file: file) }
            guard let data = FileManager.default.contents(atPath: file) else { throw .unreadable(file: file, reason: "cannot read the file") }
            converted.append((file, blocks, SourceFile(path: file, size: data.count, sha256: Hex.encode(Hashing.sha256(data)))))
        }
        let magic = try self.network(network, converted.flatMap { $0.blocks }, first: jsonFiles[0]).magic
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-json-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw .unreadable(file: dir, reason: "cannot create a temporary directory: \(error)")
        }
        out.temporaryDirectory = dir
        for (i, c) in converted.enumerated() {
            var bytes: [UInt8] = []
            for b in c.blocks {
                bytes += magic
                bytes.appendLE(UInt32(b.bytes.count))
                bytes += b.bytes
            }
            let path = (dir as NSString).appendingPathComponent(String(format: "json%05d.blk", i))
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw .unreadable(file: path, reason: "cannot write a temporary block file")
            }
            out.paths.append(path)
            out.sources[path] = c.source
        }
        return out
    }

    /// JSON when the first non-space byte is `{` or `[`; a directory holding `*.json` /
    /// `*.ndjson` and no `blk*.dat` is JSON too.
    static func detect(_ path: String) -> InputFormat {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .blockFiles }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            if names.contains(where: { $0.hasPrefix("blk") && $0.hasSuffix(".dat") }) { return .blockFiles }
            return names.contains(where: { $0.hasSuffix(".json") || $0.hasSuffix(".ndjson") || $0.hasSuffix(".jsonl") }) ? .rpcJSON : .blockFiles
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .blockFiles }
        defer { try? handle.close() }
        let head = handle.readData(ofLength: 64)
        let first = head.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .rpcJSON : .blockFiles
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
        guard let parsed else { throw .mismatch(file: file, line: b.line, reason: "block \(b.hash.hex) does not parse from its transactions' hex") }
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
        throw .malformed(file: first, line: 1, reason: "JSON carries no network: pass --network (main, test, testnet4, signet, regtest, litecoin)")
    }
}
