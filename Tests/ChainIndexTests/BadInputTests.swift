import Foundation
import Testing
@testable import ChainIndex

/// Malformed and hostile input: every error names the file and the byte offset, nothing traps,
/// and a failed import leaves the index exactly as it was.
struct BadInputTests {
    static let mainMagic: [UInt8] = [0xf9, 0xbe, 0xb4, 0xd9]
    static let testMagic: [UInt8] = [0x0b, 0x11, 0x09, 0x07]

    static func jeffchanRecords() throws -> [RawRecord] {
        try BlockFiles.records(Fixture.real("\(Fixture.jeffchan).dat"))
    }

    static func jeffchanSummary() throws -> [ExpectedBlock] {
        try NDJSON.read(ExpectedBlock.self, Fixture.expected("\(Fixture.jeffchan).summary.ndjson"))
    }

    /// Concatenated record bytes.
    static func join(_ records: some Sequence<RawRecord>) -> [UInt8] { records.flatMap(\.bytes) }

    /// Asserts that an error's text names the file and the offset.
    static func expectNames(_ error: (any Error)?, file: String, offset: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = error.map { "\($0)" } ?? "<no error>"
        #expect(text.contains(file), "error does not name \(file): \(text)", sourceLocation: sourceLocation)
        #expect(text.contains("offset \(offset)"), "error does not name offset \(offset): \(text)", sourceLocation: sourceLocation)
    }

    // MARK: - The three real negative files

    @Test("litecoinblockv4: record claims 70012 bytes, 70011 present → truncatedRecord at 0")
    func litecoinTruncated() throws {
        let path = Fixture.real("hadoopcryptoledger_litecoinblockv4.blk")
        let error = BlockFiles.scanError(path)
        #expect(error == .truncatedRecord(file: path, offset: 0, claimed: 70012, available: 70011))
        Self.expectNames(error, file: path, offset: 0)
        let dir = try TempDir()
        let importError = thrownError { try Imports.run([path], into: dir.path) }
        guard case .file(let e)? = importError as? ImportError else { Issue.record("got \(String(describing: importError))"); return }
        #expect(e == .truncatedRecord(file: path, offset: 0, claimed: 70012, available: 70011))
    }

    @Test("reqseekversion1: junk at 0 → badMagic; resync finds exactly the one block at offset 6")
    func reqseekVersion1() throws {
        let path = Fixture.real("hadoopcryptoledger_reqseekversion1.blk")
        let error = BlockFiles.scanError(path)
        #expect(error == .badMagic(file: path, offset: 0, found: [0xe0, 0xba, 0x18, 0xf9]))
        Self.expectNames(error, file: path, offset: 0)

        let scanned = try BlockFiles.scan(path, resync: true)
        #expect(scanned.network == .mainnet)
        #expect(scanned.records.count == 1)
        #expect(scanned.records.first?.recordOffset == 6)
        #expect(scanned.records.first?.hash.hex == GoldenBlockTests.Subset.v1Unknown)
        #expect(scanned.skipped.map(\.offset) == [0] && scanned.skipped.map(\.length) == [6])
        #expect(scanned.skipped.first?.file == path)

        let dir = try TempDir()
        let summary = try Imports.run([path], into: dir.path) { $0.resync = true; $0.slice = true }
        #expect(summary.blocksAdded == 1 && summary.transactionsAdded == 2)
        #expect(summary.skipped.count == 1)
    }

    @Test("nbitcoin incompleteblk: strict error at 70449; resync reads 300–599 once, 598 again as a duplicate")
    func nbitcoinIncomplete() throws {
        let path = Fixture.real("nbitcoin_incompleteblk.dat")
        let error = BlockFiles.scanError(path)
        #expect(error == .badMagic(file: path, offset: 70_449, found: [0x00, 0xf9, 0xbe, 0xb4]))
        Self.expectNames(error, file: path, offset: 70_449)

        let expected = try Self.jeffchanSummary()
        let scanned = try BlockFiles.scan(path, resync: true)
        #expect(scanned.records.count == 301)
        #expect(scanned.records.prefix(300).map(\.hash.hex) == expected[300...599].map(\.block_hash))
        #expect(scanned.records.last?.recordOffset == 70_450)
        #expect(scanned.records.last?.hash.hex == expected[598].block_hash)
        #expect(scanned.skipped == [SkippedRegion(file: path, offset: 70_449, length: 1, reason: scanned.skipped.first?.reason ?? "")])

        let dir = try TempDir()
        let summary = try Imports.run([path], into: dir.path) { $0.resync = true; $0.slice = true; $0.startHeight = 300 }
        #expect(summary.blocksScanned == 301)
        #expect(summary.blocksAdded == 300)
        #expect(summary.duplicateBlocks == 1)
        #expect(summary.transactionsAdded == 309)
        let store = try IndexStore(dataDirectory: dir.path, create: false)
        #expect(try store.status().blocks == 300)
        for h in [300, 301, 450, 598, 599] {
            let b = try store.block(expected[h].block_hash)
            #expect(b.height == h, "block \(h): stored height \(String(describing: b.height))")
        }
    }

    // MARK: - Truncation at every byte

    @Test("Every truncation of a real block record throws truncatedRecord naming the file and offset")
    func everyTruncationOfARecord() throws {
        let records = try Self.jeffchanRecords()
        let subset = try BlockFiles.records(Fixture.real("\(Fixture.mainnetSubset).dat"))
        let segwit = subset[2]   // 482683, segwit transactions
        #expect(segwit.bytes.count == 9288 + 8)
        let dir = try TempDir()
        // (prefix of complete records, record to truncate)
        let cases: [(prefix: [UInt8], record: RawRecord)] = [([], records[170]), (records[0].bytes, segwit)]
        for (prefix, record) in cases {
            let path = dir.file("truncated.dat")
            let whole = Data(prefix + record.bytes)
            var failures = [String]()
            for length in 1..<record.bytes.count {
                try whole.prefix(prefix.count + length).write(to: URL(fileURLWithPath: path))
                let error = BlockFiles.scanError(path)
                let claimed = length >= 8 ? record.bytes.count - 8 : 8
                let available = length >= 8 ? length - 8 : length
                if error != .truncatedRecord(file: path, offset: prefix.count, claimed: claimed, available: available) {
                    failures.append("length \(length): \(error.map { "\($0)" } ?? "no error")")
                }
            }
            #expect(failures.isEmpty, "\(failures.count) truncations misreported, first: \(failures.prefix(5))")
        }
    }

    @Test("Every truncation of a block's bytes makes BlockParser.parse throw DecodeError.truncated")
    func everyTruncationOfABlock() throws {
        let jeff = try Self.jeffchanRecords()
        let main = try BlockFiles.records(Fixture.real("\(Fixture.mainnetSubset).dat"))
        let test = try BlockFiles.records(Fixture.real("\(Fixture.testnetSubset).dat"))
        // 170: first block with a spend; 482683 and testnet 924634: segwit.
        for block in [jeff[170].block, main[2].block, test[5].block] {
            var failures = [String]()
            for length in 0..<block.count {
                let result: Result<ParsedBlock, DecodeError> = Array(block[..<length]).withUnsafeBytes { bytes in
                    do throws(DecodeError) { return .success(try BlockParser.parse(bytes)) } catch { return .failure(error) }
                }
                switch result {
                case .success: failures.append("length \(length): parsed")
                case .failure(.truncated(_, _, let offset)):
                    if offset > length { failures.append("length \(length): truncated at offset \(offset) beyond the data") }
                case .failure(let e): failures.append("length \(length): \(e)")
                }
            }
            #expect(failures.isEmpty, "\(failures.count) of \(block.count) truncations, first: \(failures.prefix(5))")
            // The full block parses.
            _ = try block.withUnsafeBytes { try BlockParser.parse($0) }
        }
    }

    // MARK: - Framing errors

    @Test("Another network's magic in a mainnet file → wrongNetwork naming 'test'")
    func wrongMagic() throws {
        let r = try Self.jeffchanRecords()
        let dir = try TempDir()
        var second = r[1].bytes
        second.replaceSubrange(0..<4, with: Self.testMagic)
        let path = try dir.write("mixed.dat", r[0].bytes + second + r[2].bytes)
        let error = BlockFiles.scanError(path)
        #expect(error == .wrongNetwork(file: path, offset: r[0].bytes.count, expected: "main", found: "test"))
        Self.expectNames(error, file: path, offset: r[0].bytes.count)
        #expect("\(error!)".contains("'test'"))

        // A whole mainnet file read as testnet.
        let plain = try dir.write("main.dat", Self.join(r[0..<3]))
        #expect(BlockFiles.scanError(plain, network: .testnet3) == .wrongNetwork(file: plain, offset: 0, expected: "test", found: "main"))
    }

    @Test("Garbage between two records → badMagic at the garbage's offset")
    func garbageBetweenRecords() throws {
        let r = try Self.jeffchanRecords()
        let dir = try TempDir()
        let at = r[0].bytes.count + r[1].bytes.count
        let path = try dir.write("garbage.dat", r[0].bytes + r[1].bytes + [0xde, 0xad, 0xbe, 0xef, 0x01] + r[2].bytes)
        let error = BlockFiles.scanError(path)
        #expect(error == .badMagic(file: path, offset: at, found: [0xde, 0xad, 0xbe, 0xef]))
        Self.expectNames(error, file: path, offset: at)

        // Zero bytes followed by more records are not a preallocated tail.
        let zeros = try dir.write("zeros.dat", r[0].bytes + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + r[1].bytes)
        #expect(BlockFiles.scanError(zeros) == .badMagic(file: zeros, offset: r[0].bytes.count, found: [0, 0, 0, 0]))

        // With resync the garbage is skipped and reported.
        let scanned = try BlockFiles.scan(path, resync: true)
        #expect(scanned.records.map(\.recordOffset) == [0, r[0].bytes.count, at + 5])
        #expect(scanned.skipped.map(\.offset) == [at] && scanned.skipped.map(\.length) == [5])
    }

    @Test("A zero-filled tail after the last record is accepted")
    func zeroTail() throws {
        let r = try Self.jeffchanRecords()
        let dir = try TempDir()
        for tail in [1, 5, 8, 4096, 100_003] {
            let path = try dir.write("tail\(tail).dat", Self.join(r[0..<10]) + [UInt8](repeating: 0, count: tail))
            let scanned = try BlockFiles.scan(path)
            #expect(scanned.records.count == 10, "tail \(tail)")
            #expect(scanned.skipped.isEmpty)
        }
        let data = try TempDir()
        let summary = try Imports.run([dir.file("tail4096.dat")], into: data.path)
        #expect(summary.blocksAdded == 10 && summary.tipHeight == 9)
    }

    // MARK: - Malformed blocks

    /// Block 170 of jeffchan with `bytes` replaced at `range`, written after blocks 0–169, so the
    /// record is not at offset 0. Returns the path, the record offset and the data offset.
    static func writeModified170(_ dir: TempDir, _ name: String, _ change: (inout [UInt8]) -> Void) throws -> (path: String, record: Int, data: Int) {
        let r = try jeffchanRecords()
        var block = r[170].block
        change(&block)
        let prefix = join(r[0..<170])
        let path = try dir.write(name, prefix + RawRecord.make(magic: mainMagic, block: block))
        return (path, prefix.count, prefix.count + 8)
    }

    static func parseLast(_ path: String) throws -> BlockFileError? {
        let scanned = try BlockFiles.scan(path)
        do { _ = try scanned.file.parseBlock(scanned.records.last!); return nil } catch { return error }
    }

    @Test("Oversized CompactSize transaction counts → malformedBlock with the absolute offset")
    func oversizedCompactSize() throws {
        let dir = try TempDir()
        for (name, encoding, value) in [("fe", [0xfe, 0xff, 0xff, 0xff, 0xff] as [UInt8], UInt64(0xffff_ffff)),
                                        ("ff", [0xff] + [UInt8](repeating: 0xff, count: 8), UInt64.max)] {
            let f = try Self.writeModified170(dir, "oversized-\(name).dat") { $0.replaceSubrange(80..<81, with: encoding) }
            let error = try Self.parseLast(f.path)
            guard case .malformedBlock(let file, let offset, .oversized(let what, let v, _, let at))? = error else {
                Issue.record("\(name): got \(String(describing: error))"); continue
            }
            #expect(file == f.path && offset == f.data && what == "transaction count" && v == value && at == 80)
            Self.expectNames(error, file: f.path, offset: f.data + 80)

            // The importer reports the same, before writing anything.
            let data = try TempDir()
            let importError = thrownError { try Imports.run([f.path], into: data.path) }
            guard case .file(let e)? = importError as? ImportError else { Issue.record("got \(String(describing: importError))"); continue }
            #expect(e == error)
            #expect(try Imports.count(data.path, "block") == 0)
        }
    }

    @Test("Non-minimal CompactSize (fd 0200, fd 0700) inside a block → malformedBlock with the absolute offset")
    func nonMinimalCompactSize() throws {
        let dir = try TempDir()
        // The transaction count (2) at block offset 80, and the coinbase scriptSig length (7) at 122.
        for (at, value) in [(80, UInt64(2)), (122, UInt64(7))] {
            let f = try Self.writeModified170(dir, "nonminimal-\(at).dat") { block in
                #expect(UInt64(block[at]) == value)
                block.replaceSubrange(at..<(at + 1), with: [0xfd, UInt8(value), 0x00])
            }
            let error = try Self.parseLast(f.path)
            #expect(error == .malformedBlock(file: f.path, offset: f.data, cause: .nonMinimalCompactSize(value: value, offset: at)))
            Self.expectNames(error, file: f.path, offset: f.data + at)
        }
    }

    @Test("One flipped byte in a transaction → merkleMismatch naming the file and record offset")
    func merkleMismatch() throws {
        let dir = try TempDir()
        let expected = try Self.jeffchanSummary()
        // The last byte of the block is in the last transaction's lock time.
        let f = try Self.writeModified170(dir, "flipped.dat") { $0[$0.count - 4] ^= 0x01 }
        let error = try Self.parseLast(f.path)
        guard case .merkleMismatch(let file, let offset, let block, let header, let computed)? = error else {
            Issue.record("got \(String(describing: error))"); return
        }
        #expect(file == f.path && offset == f.record)
        #expect(block.hex == expected[170].block_hash)
        #expect(header != computed)
        Self.expectNames(error, file: f.path, offset: f.record)
    }

    @Test("A block with its last transaction repeated (same merkle root, CVE-2012-2459) is rejected")
    func duplicatedLastTransaction() throws {
        let r = try Self.jeffchanRecords()
        let expected = try Self.jeffchanSummary()
        #expect(expected[586].txs == 3)
        // Block 586: header, tx count 3, three legacy transactions. Repeat the third one: the
        // merkle tree pairs an odd level's last node with itself, so the root does not change.
        var block = r[586].block
        #expect(block[80] == 3)
        let txs = try NDJSON.read(ExpectedTx.self, Fixture.expected("\(Fixture.jeffchan).tx.ndjson.gz")).filter { $0.height == 586 }
        let lastSize = try #require(txs.last?.size)
        let last = Array(block.suffix(lastSize))
        block[80] = 4
        block += last
        let dir = try TempDir()
        let prefix = Self.join(r[0..<586])
        let path = try dir.write("mutated.dat", prefix + RawRecord.make(magic: Self.mainMagic, block: block))
        let error = try Self.parseLast(path)
        guard case .mutatedBlock(let file, let offset, let hash)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(file == path && offset == prefix.count && hash.hex == expected[586].block_hash)
        Self.expectNames(error, file: path, offset: prefix.count)

        let data = try TempDir()
        let importError = thrownError { try Imports.run([path], into: data.path) }
        guard case .file(.mutatedBlock)? = importError as? ImportError else { Issue.record("got \(String(describing: importError))"); return }
        #expect(try Imports.count(data.path, "tx") == 0)
    }

    // MARK: - Files and keys

    @Test("xor.dat of 7 bytes → invalidXorKey naming xor.dat")
    func invalidXorKey() throws {
        let dir = try TempDir()
        let blocks = try dir.subdirectory("blocks")
        let r = try Self.jeffchanRecords()
        try Data(Self.join(r[0..<3])).write(to: URL(fileURLWithPath: blocks + "/blk00000.dat"))
        try Data([1, 2, 3, 4, 5, 6, 7]).write(to: URL(fileURLWithPath: blocks + "/xor.dat"))
        let xorPath = blocks + "/xor.dat"
        for paths in [[blocks], [blocks + "/blk00000.dat"]] {
            let error = thrownError { _ = try BlockFileSet.open(paths: paths) }
            #expect(error as? BlockFileError == .invalidXorKey(file: xorPath, size: 7), "\(paths)")
            #expect("\(error!)".contains(xorPath))
        }
        let data = try TempDir()
        let importError = thrownError { try Imports.run([blocks], into: data.path) }
        guard case .file(.invalidXorKey(let file, 7))? = importError as? ImportError else {
            Issue.record("got \(String(describing: importError))"); return
        }
        #expect(file == xorPath)
    }

    @Test("Unreadable input: a directory as a block file, a missing path → unreadable naming the path")
    func unreadable() throws {
        let dir = try TempDir()
        let asFile = try dir.subdirectory("not-a-file")
        #expect(thrownError { _ = try BlockFile(path: asFile) } as? BlockFileError == .unreadable(file: asFile, reason: "is a directory"))

        let missing = dir.file("missing/blk00000.dat")
        let error = thrownError { _ = try BlockFileSet.open(paths: [missing]) }
        guard case .unreadable(let file, _)? = error as? BlockFileError else { Issue.record("got \(String(describing: error))"); return }
        #expect(file == missing)
        #expect("\(error!)".contains(missing))

        // A blocks directory whose blk00000.dat is a directory.
        let blocks = try dir.subdirectory("blocks")
        let inner = try dir.subdirectory("blocks/blk00000.dat")
        let data = try TempDir()
        let importError = thrownError { try Imports.run([blocks], into: data.path) }
        guard case .file(.unreadable(let f, _))? = importError as? ImportError else { Issue.record("got \(String(describing: importError))"); return }
        #expect(f == inner)
        let missingImport = thrownError { try Imports.run([missing], into: data.path) }
        guard case .file(.unreadable(let f2, _))? = missingImport as? ImportError else { Issue.record("got \(String(describing: missingImport))"); return }
        #expect(f2 == missing)

        // chmod 000 only prevents reading when not running as root.
        let locked = try dir.write("blk00001.dat", Self.join(try Self.jeffchanRecords()[0..<2]))
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
        if !FileManager.default.isReadableFile(atPath: locked) {
            #expect(thrownError { _ = try BlockFile(path: locked) } as? BlockFileError != nil)
        }
    }

    @Test("An XOR-obfuscated copy (xor.dat beside blk00000.dat) imports identically to the plain file")
    func xorObfuscatedImport() throws {
        let dir = try TempDir()
        let plain = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixture.real("\(Fixture.jeffchan).dat"))))
        let key: [UInt8] = [0x5a, 0x13, 0xc7, 0x01, 0xfe, 0x88, 0x42, 0x9d]
        var obfuscated = plain
        for i in obfuscated.indices { obfuscated[i] ^= key[i % 8] }
        let blocks = try dir.subdirectory("blocks")
        try Data(obfuscated).write(to: URL(fileURLWithPath: blocks + "/blk00000.dat"))
        try Data(key).write(to: URL(fileURLWithPath: blocks + "/xor.dat"))

        let set = try BlockFileSet.open(paths: [blocks])
        #expect(set.files.count == 1 && set.files[0].xorKey == key)
        var net: Network?
        var skipped = [SkippedRegion]()
        let xorRecords = try BlockFileScanner.scan(set.files[0], fileIndex: 0, network: &net, resync: false, skipped: &skipped)
        let plainRecords = try BlockFiles.scan(Fixture.real("\(Fixture.jeffchan).dat")).records
        #expect(xorRecords.map(\.hash) == plainRecords.map(\.hash))
        #expect(xorRecords.map(\.recordOffset) == plainRecords.map(\.recordOffset))

        let a = try dir.subdirectory("index-plain"), b = try dir.subdirectory("index-xor")
        try Imports.run([Fixture.real("\(Fixture.jeffchan).dat")], into: a)
        let summary = try Imports.run([blocks], into: b)
        #expect(summary.blocksAdded == 4313 && summary.transactionsAdded == 4371)
        let exclude: Set<String> = ["import_run", "import_file"]
        let d = Imports.diff(try Imports.dump(a, exclude: exclude), try Imports.dump(b, exclude: exclude))
        #expect(d.isEmpty, "\(d.joined(separator: "\n"))")
        #expect(try Imports.count(b, "tx") == 4371)
    }

    // MARK: - Failed imports leave the index unchanged

    /// An index holding jeffchan 0–100, in `dir/index`.
    static func indexWith0to100(_ dir: TempDir) throws -> String {
        let r = try jeffchanRecords()
        let file = try dir.write("base.dat", join(r[0...100]))
        let index = try dir.subdirectory("index")
        let summary = try Imports.run([file], into: index)
        #expect(summary.blocksAdded == 101)
        return index
    }

    /// Runs a failing import into `index` and checks every table is unchanged; returns the error.
    static func failingImport(_ index: String, _ configure: (inout ImportOptions) -> Void = { _ in }, paths: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) throws -> (any Error)? {
        let before = try Imports.dump(index)
        let statusBefore = try IndexStore(dataDirectory: index, create: false).status()
        let error = thrownError { try Imports.run(paths, into: index, configure: configure) }
        #expect(error != nil, "the import succeeded", sourceLocation: sourceLocation)
        let d = Imports.diff(before, try Imports.dump(index))
        #expect(d.isEmpty, "the failed import changed the index:\n\(d.joined(separator: "\n"))", sourceLocation: sourceLocation)
        let statusAfter = try IndexStore(dataDirectory: index, create: false).status()
        #expect(statusAfter.blocks == statusBefore.blocks && statusAfter.tipHash == statusBefore.tipHash
                && statusAfter.importRuns.count == statusBefore.importRuns.count, sourceLocation: sourceLocation)
        #expect(before["block"]?.count == 101, sourceLocation: sourceLocation)
        return error
    }

    @Test("Merkle mismatch in block 150 of 0–200: the import fails, naming file and offset; index unchanged")
    func merkleMismatchLeavesIndex() throws {
        let dir = try TempDir()
        let index = try Self.indexWith0to100(dir)
        var r = try Self.jeffchanRecords()
        r[150].bytes[r[150].bytes.count - 4] ^= 0x01
        let offset = Self.join(r[0..<150]).count
        let path = try dir.write("bad150.dat", Self.join(r[0...200]))
        let error = try Self.failingImport(index, paths: [path])
        guard case .file(.merkleMismatch(let file, let o, _, _, _))? = error as? ImportError else { Issue.record("got \(String(describing: error))"); return }
        #expect(file == path && o == offset)
        Self.expectNames(error, file: path, offset: offset)
    }

    @Test("Missing parent (block 120 dropped from 0–200, chain mode) → ChainPlanError.missingParent; index unchanged")
    func missingParentLeavesIndex() throws {
        let dir = try TempDir()
        let index = try Self.indexWith0to100(dir)
        let r = try Self.jeffchanRecords()
        let expected = try Self.jeffchanSummary()
        let path = try dir.write("gap.dat", Self.join(r[0..<120]) + Self.join(r[121...200]))
        let orphanOffset = Self.join(r[0..<120]).count
        let error = try Self.failingImport(index, paths: [path])
        guard case .plan(.missingParent(let file, let offset, let block, let parent))? = error as? ImportError else {
            Issue.record("got \(String(describing: error))"); return
        }
        #expect(file == path && offset == orphanOffset)
        #expect(block.hex == expected[121].block_hash && parent.hex == expected[120].block_hash)
        Self.expectNames(error, file: path, offset: orphanOffset)

        // Also into an empty index.
        let fresh = try dir.subdirectory("fresh")
        let e2 = thrownError { try Imports.run([path], into: fresh) }
        guard case .plan(.missingParent(_, let o2, _, _))? = e2 as? ImportError else { Issue.record("got \(String(describing: e2))"); return }
        #expect(o2 == orphanOffset)
    }

    @Test("Truncated last record after 0–200: the import fails, naming file and offset; index unchanged")
    func truncatedFileLeavesIndex() throws {
        let dir = try TempDir()
        let index = try Self.indexWith0to100(dir)
        let r = try Self.jeffchanRecords()
        let offset = Self.join(r[0...200]).count
        let path = try dir.write("cut.dat", Self.join(r[0...200]) + r[201].bytes.prefix(100))
        let error = try Self.failingImport(index, paths: [path])
        guard case .file(.truncatedRecord(let file, let o, let claimed, let available))? = error as? ImportError else {
            Issue.record("got \(String(describing: error))"); return
        }
        #expect(file == path && o == offset && claimed == r[201].bytes.count - 8 && available == 92)
        Self.expectNames(error, file: path, offset: offset)
    }

    @Test("Testnet data into a mainnet index → wrongNetwork naming file and offset; index unchanged")
    func wrongNetworkLeavesIndex() throws {
        let dir = try TempDir()
        let index = try Self.indexWith0to100(dir)
        let testnet = Fixture.real("\(Fixture.testnetSubset).dat")
        let error = try Self.failingImport(index, { $0.slice = true }, paths: [testnet])
        guard case .file(.wrongNetwork(let file, let offset, let expected, let found))? = error as? ImportError else {
            Issue.record("got \(String(describing: error))"); return
        }
        #expect(file == testnet && offset == 0 && expected == "main" && found == "test")
        // Asking for testnet explicitly is refused before any file is read: the index holds mainnet.
        let e2 = try Self.failingImport(index, { $0.slice = true; $0.network = .testnet3 }, paths: [testnet])
        guard case .store(.networkMismatch("main", "test"))? = e2 as? ImportError else { Issue.record("got \(String(describing: e2))"); return }
        // A mainnet file whose third record carries testnet magic.
        let r = try Self.jeffchanRecords()
        var third = r[102].bytes
        third.replaceSubrange(0..<4, with: Self.testMagic)
        let path = try dir.write("mixed.dat", Self.join(r[0...101]) + third)
        let e3 = try Self.failingImport(index, paths: [path])
        let text = e3.map { "\($0)" } ?? ""
        #expect(text.contains("'test'"), "\(text)")
        Self.expectNames(e3, file: path, offset: Self.join(r[0...101]).count)
    }
}
