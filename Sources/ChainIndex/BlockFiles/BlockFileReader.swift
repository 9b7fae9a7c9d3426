import Foundation

/// Where one block record sits in a block file, with its decoded header.
public struct BlockRecord: Sendable {
    /// Index of the file in the import's file list.
    public var fileIndex: Int
    /// Offset of the record's magic bytes in the file.
    public var recordOffset: Int
    /// Offset of the serialized block (recordOffset + 8).
    public var dataOffset: Int { recordOffset + 8 }
    public var size: Int
    public var header: BlockHeader
    public var hash: Hash256
}

/// One Bitcoin Core block file (`blkNNNNN.dat`), memory-mapped, optionally XOR-obfuscated
/// (Bitcoin Core 28+: the byte at file offset `i` is XORed with `key[i % 8]`).
///
/// Layout: a sequence of records `magic(4) size(4, little-endian) block(size)`; a file may end
/// with a zero-filled tail (Core preallocates files in 16 MiB chunks).
public final class BlockFile: @unchecked Sendable {
    public let path: String
    public let map: MappedFile
    /// The 8-byte obfuscation key, or nil for plain files (an all-zero key is plain).
    public let xorKey: [UInt8]?
    /// For a block file made from a JSON input: the JSON file, recorded as the import's source.
    public var source: SourceFile?
    /// How its blocks are serialized: set by ``BlockFileScanner/scan(_:fileIndex:network:resync:skipped:)``
    /// from the network of its records (Bitcoin's until then).
    public var blockFormat: BlockFormat = .bitcoin
    /// How its outputs' witness-shaped scripts are classified (``Network/witnessOutputs``): set
    /// with ``blockFormat`` from the network of its records (Bitcoin's until then).
    public var witnessOutputs: WitnessOutputRule = .segwit

    public init(path: String, xorKey: [UInt8]? = nil) throws(BlockFileError) {
        self.path = path
        self.map = try MappedFile(path: path)
        if let xorKey, xorKey.count != 8 { throw .invalidXorKey(file: path, size: xorKey.count) }
        self.xorKey = (xorKey?.allSatisfy { $0 == 0 } ?? true) ? nil : xorKey
    }

    public var size: Int { map.count }

    /// The byte at `offset`, de-obfuscated.
    @inline(__always) func byte(at offset: Int) -> UInt8 {
        let b = map.bytes[offset]
        guard let xorKey else { return b }
        return b ^ xorKey[offset & 7]
    }

    /// `count` bytes from `offset`, de-obfuscated, as a new array (for small reads only).
    func read(_ offset: Int, _ count: Int) -> [UInt8] {
        var out = Array(map.bytes[offset..<(offset + count)])
        if let xorKey {
            for i in 0..<count { out[i] ^= xorKey[(offset + i) & 7] }
        }
        return out
    }

    /// Calls `body` with the record's block bytes: a slice of the map for plain files, a
    /// de-obfuscated copy of the one block for XOR-obfuscated files.
    public func withBlockBytes<R>(_ record: BlockRecord, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let slice = UnsafeRawBufferPointer(rebasing: map.bytes[record.dataOffset..<(record.dataOffset + record.size)])
        guard xorKey != nil else { return try body(slice) }
        let copy = read(record.dataOffset, record.size)
        return try copy.withUnsafeBytes { try body($0) }
    }

    /// Reads and parses the block of `record`, checking its merkle root.
    /// - Throws: ``BlockFileError/malformedBlock(file:offset:cause:)``, ``BlockFileError/merkleMismatch(file:offset:block:header:computed:)``
    ///   or ``BlockFileError/mutatedBlock(file:offset:block:)``.
    /// - Parameter format: the chain's block format; by default the file's ``blockFormat``.
    public func parseBlock(_ record: BlockRecord, computeWtxids: Bool = true, format: BlockFormat? = nil) throws(BlockFileError) -> ParsedBlock {
        let format = format ?? blockFormat
        let result: Result<ParsedBlock, DecodeError> = withBlockBytes(record) { bytes in
            do throws(DecodeError) {
                return .success(try BlockParser.parse(bytes, format: format, computeWtxids: computeWtxids))
            } catch { return .failure(error) }
        }
        switch result {
        case .failure(let cause):
            throw .malformedBlock(file: path, offset: record.dataOffset, cause: cause)
        case .success(let block):
            if !block.merkleMatches {
                throw .merkleMismatch(file: path, offset: record.recordOffset, block: block.hash,
                                      header: block.header.merkleRoot, computed: block.computedMerkleRoot)
            }
            if block.merkleMutated {
                throw .mutatedBlock(file: path, offset: record.recordOffset, block: block.hash)
            }
            return block
        }
    }
}

/// Something the scanner skipped in resync mode, reported to the user.
public struct SkippedRegion: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var offset: Int
    public var length: Int
    public var reason: String
    public var description: String { "\(file): skipped \(length) bytes at offset \(offset): \(reason)" }
}

/// Finds the block records in a block file by reading only record headers and block headers.
public enum BlockFileScanner {
    /// Largest serialized block the consensus rules allow.
    /// The record size limit before the network is known (the largest any supported network allows).
    public static let maxBlockSize = Network.all.map(\.maxBlockSize).max() ?? 4_000_000

    /// Scans `file` for records, comparing each record's magic with the network's
    /// ``Network/diskMagic``.
    /// - Parameters:
    ///   - network: the expected network; when nil it is taken from the first record's magic
    ///     (``Network/withMagic(_:)``: `f9 be b4 d9` is Bitcoin mainnet, never Bitcoin Cash, whose
    ///     files carry the same magic) and written back.
    ///   - resync: instead of failing on a bad record, scan forward byte by byte for the next magic
    ///     (as Core's `-reindex` reader does) and report the skipped bytes.
    /// - Throws: ``BlockFileError`` naming the file and offset of the first bad record (strict mode);
    ///   in both modes ``BlockFileError/wrongNetwork(file:offset:expected:found:)`` for a record with
    ///   another network's disk magic and ``BlockFileError/otherChainBlock(file:offset:block:expected:found:)``
    ///   for a block of another chain with the same disk magic (``Network/otherChainBlocks``).
    public static func scan(_ file: BlockFile, fileIndex: Int, network: inout Network?, resync: Bool,
                            skipped: inout [SkippedRegion]) throws(BlockFileError) -> [BlockRecord] {
        let n = file.size
        var records = [BlockRecord]()
        var p = 0
        // A preallocated tail is zero on disk; in an obfuscated file it reads back as the key
        // (Core preallocates without obfuscating), so either form ends the file.
        func allZero(from start: Int) -> Bool {
            let raw = file.map.bytes
            var plain = true, onDisk = true
            var i = start
            while i < n && (plain || onDisk) {
                if raw[i] != 0 { onDisk = false }
                if file.byte(at: i) != 0 { plain = false }
                i += 1
            }
            return plain || onDisk
        }
        // Finds the next offset > start where a known magic begins; nil if none.
        func nextMagic(after start: Int) -> Int? {
            var i = start + 1
            while i + 4 <= n {
                let m = [file.byte(at: i), file.byte(at: i + 1), file.byte(at: i + 2), file.byte(at: i + 3)]
                if let network {
                    if m == network.diskMagic { return i }
                } else if Network.withMagic(m) != nil {
                    return i
                }
                i += 1
            }
            return nil
        }
        func skip(_ reason: String) {
            let next = nextMagic(after: p) ?? n
            if next > p, !(allZero(from: p)) {
                skipped.append(SkippedRegion(file: file.path, offset: p, length: next - p, reason: reason))
            }
            p = next
        }
        while p < n {
            if n - p < 8 {
                if allZero(from: p) { break }
                if resync { skip("incomplete record header"); continue }
                throw .truncatedRecord(file: file.path, offset: p, claimed: 8, available: n - p)
            }
            let magic = file.read(p, 4)
            let raw = file.map.bytes
            if magic == [0, 0, 0, 0] || (raw[p] | raw[p + 1] | raw[p + 2] | raw[p + 3]) == 0 {
                if allZero(from: p) { break }  // preallocated zero tail
                if resync { skip("zero bytes followed by data"); continue }
                throw .badMagic(file: file.path, offset: p, found: magic)
            }
            if let expected = network {
                if magic != expected.diskMagic {
                    if let other = Network.withMagic(magic) {
                        throw .wrongNetwork(file: file.path, offset: p, expected: expected.name, found: other.name)
                    }
                    if resync { skip("unknown magic \(Hex.encode(magic))"); continue }
                    throw .badMagic(file: file.path, offset: p, found: magic)
                }
            } else if let detected = Network.withMagic(magic) {
                network = detected
            } else {
                if resync { skip("unknown magic \(Hex.encode(magic))"); continue }
                throw .badMagic(file: file.path, offset: p, found: magic)
            }
            let sizeBytes = file.read(p + 4, 4)
            let size = Int(sizeBytes[0]) | Int(sizeBytes[1]) << 8 | Int(sizeBytes[2]) << 16 | Int(sizeBytes[3]) << 24
            if size < BlockHeader.size + 1 || size > (network?.maxBlockSize ?? maxBlockSize) {
                if resync { skip("invalid record size \(size)"); continue }
                throw .invalidRecordSize(file: file.path, offset: p, size: size)
            }
            if size > n - p - 8 {
                if resync { skip("record claims \(size) bytes, only \(n - p - 8) left"); continue }
                throw .truncatedRecord(file: file.path, offset: p, claimed: size, available: n - p - 8)
            }
            let headerBytes = file.read(p + 8, BlockHeader.size)
            let header: BlockHeader = headerBytes.withUnsafeBytes { raw in
                var cursor = ByteCursor(raw)
                // 80 bytes are present, so decoding cannot fail.
                return (try? BlockHeader(from: &cursor)) ?? BlockHeader(version: 0, previousHash: .zero, merkleRoot: .zero, time: 0, bits: 0, nonce: 0)
            }
            let hash = headerBytes.withUnsafeBytes { Hashing.sha256d($0.baseAddress!, 80) }
            // The magic cannot tell Bitcoin from Bitcoin Cash; a block only the other chain has can.
            if let network, let other = network.otherChainBlocks[hash] {
                throw .otherChainBlock(file: file.path, offset: p, block: hash, expected: network.name, found: other)
            }
            records.append(BlockRecord(fileIndex: fileIndex, recordOffset: p, size: size, header: header, hash: hash))
            p += 8 + size
        }
        if let network { file.blockFormat = network.blockFormat; file.witnessOutputs = network.witnessOutputs }
        return records
    }
}

/// The block files of an import: a Bitcoin Core `blocks/` directory or explicit files.
public struct BlockFileSet: Sendable {
    public var files: [BlockFile]

    /// Collects block files. A directory contributes its `blk*.dat` files in numeric order and
    /// its `xor.dat` key (Bitcoin Core 28+); a file is taken as given, with the `xor.dat` of its
    /// directory when it is named `blk*.dat`. `xorKey` overrides both.
    /// - Throws: ``BlockFileError`` for a missing or unreadable path, or an `xor.dat` that is not 8 bytes.
    public static func open(paths: [String], xorKey: [UInt8]? = nil) throws(BlockFileError) -> BlockFileSet {
        var files = [BlockFile]()
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .unreadable(file: path, reason: "no such file or directory")
            }
            if isDirectory.boolValue {
                let names: [String]
                do { names = try fm.contentsOfDirectory(atPath: path) } catch {
                    throw .unreadable(file: path, reason: "\(error.localizedDescription)")
                }
                let blockFiles = names.filter { $0.hasPrefix("blk") && $0.hasSuffix(".dat") }.sorted()
                if blockFiles.isEmpty { throw .noBlockFiles(path: path) }
                var key = xorKey
                if key == nil { key = try readXorKey(directory: path) }
                for name in blockFiles {
                    files.append(try BlockFile(path: (path as NSString).appendingPathComponent(name), xorKey: key))
                }
            } else {
                let name = (path as NSString).lastPathComponent
                var key = xorKey
                if key == nil, name.hasPrefix("blk") {
                    key = try readXorKey(directory: (path as NSString).deletingLastPathComponent)
                }
                files.append(try BlockFile(path: path, xorKey: key))
            }
        }
        return BlockFileSet(files: files)
    }

    /// Reads `xor.dat` from a blocks directory; nil when there is none.
    public static func readXorKey(directory: String) throws(BlockFileError) -> [UInt8]? {
        let dir = directory.isEmpty ? "." : directory
        let path = (dir as NSString).appendingPathComponent("xor.dat")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "cannot read xor key")
        }
        if data.count != 8 { throw .invalidXorKey(file: path, size: data.count) }
        return Array(data)
    }
}
