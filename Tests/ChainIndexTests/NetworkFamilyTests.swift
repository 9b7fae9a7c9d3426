import Foundation
import Testing
@testable import ChainIndex

/// Bitcoin Cash, Dogecoin and Litecoin MWEB as rows of the network table: addresses, the block
/// formats (AuxPoW, MWEB extension data), and one chain per index.
///
/// Data: the Litecoin blocks are real (`Fixtures/real/litecoin_000000-000256_ltcd.dat`, pre-MWEB).
/// The Dogecoin header and AuxPoW bytes are real (block 5,462,519, copied from doged-io/doged
/// `src/test/dogecoin_auxpow_serialize_tests.cpp` at f5fd74d88c8c81a89799aa1ddecaaf7e7b6cdf06, MIT);
/// the transactions after them are synthetic. The MWEB block is synthetic, built here from Litecoin
/// Core's serialization (no public MWEB-era raw block was found).
struct NetworkFamilyTests {
    // MARK: Builders

    /// Core's `WriteVarInt` (base-128, MSB first, +1 per continuation), as MWEB uses it.
    static func varInt(_ value: UInt64) -> [UInt8] {
        var out = [UInt8]()
        var n = value
        while true {
            out.append(UInt8(n & 0x7f) | (out.isEmpty ? 0 : 0x80))
            if n <= 0x7f { break }
            n = (n >> 7) - 1
        }
        return out.reversed()
    }

    static func vector(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.appendCompactSize(bytes.count)
        return out + bytes
    }

    static func filler(_ count: Int, _ seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    /// A transaction's parts: the txid serialization and, with `flag`, the extended form.
    static func transaction(inputs: [(Hash256, UInt32, [UInt8])], outputs: [(Int64, [UInt8])],
                            mwebFlag: Bool = false, mwebPresence: UInt8 = 0) -> (full: [UInt8], stripped: [UInt8]) {
        var body = [UInt8]()
        body.appendCompactSize(inputs.count)
        for (prev, index, script) in inputs {
            body += prev.bytes
            body.appendLE(index)
            body += vector(script)
            body.appendLE(UInt32(0xffff_ffff))
        }
        body.appendCompactSize(outputs.count)
        for (value, script) in outputs {
            body.appendLE(UInt64(bitPattern: value))
            body += vector(script)
        }
        var version = [UInt8](); version.appendLE(UInt32(2))
        let lock: [UInt8] = [0, 0, 0, 0]
        let stripped = version + body + lock
        guard mwebFlag else { return (stripped, stripped) }
        return (version + [0x00, 0x08] + body + [mwebPresence] + lock, stripped)
    }

    static func header(version: UInt32, previous: Hash256, merkle: Hash256, time: UInt32 = 1_700_000_000) -> [UInt8] {
        BlockHeader(version: Int32(bitPattern: version), previousHash: previous, merkleRoot: merkle,
                    time: time, bits: 0x1e0fffff, nonce: 7).serialized
    }

    static func parse(_ bytes: [UInt8], _ format: BlockFormat) throws -> ParsedBlock {
        try bytes.withUnsafeBytes { buffer in try BlockParser.parse(buffer, format: format) }
    }

    static func decodeError(_ bytes: [UInt8], _ format: BlockFormat) -> DecodeError? {
        bytes.withUnsafeBytes { buffer in
            do throws(DecodeError) { _ = try BlockParser.parse(buffer, format: format); return nil } catch { return error }
        }
    }

    // MARK: Network rows

    @Test func rowsOfTheNetworkTable() {
        #expect(Network.named("bch") == .bitcoinCash && Network.named("bitcoincash") == .bitcoinCash)
        #expect(Network.named("doge") == .dogecoin && Network.named("Dogecoin") == .dogecoin)
        #expect(Network.withMagic([0xe3, 0xe1, 0xf3, 0xe8]) == .bitcoinCash)
        #expect(Network.withMagic([0xc0, 0xc0, 0xc0, 0xc0]) == .dogecoin)
        #expect(Network.bitcoinCash.genesisHash == Network.mainnet.genesisHash)
        #expect(Network.dogecoin.genesisHash.hex == "1a91e3dace36e2be3bf030a65679fe821aa1d6ef92e7c9902eb318182c355691")
        #expect(!Network.bitcoinCash.supportsSegwit && !Network.dogecoin.supportsSegwit && Network.litecoin.supportsSegwit)
        #expect(Network.mainnet.blockFormat == .bitcoin && Network.bitcoinCash.blockFormat == .bitcoin)
        #expect(Network.litecoin.blockFormat == .litecoinMWEB && Network.dogecoin.blockFormat == .dogecoinAuxPoW)
    }

    // MARK: Bitcoin Cash addresses

    @Test func bitcoinCashRendersCashAddrAndAcceptsLegacy() throws {
        for (legacy, cash) in CashAddrVectorTests.legacyPairs {
            let key = try AddressKey.parse(legacy, network: .bitcoinCash)
            #expect(key == (try AddressKey.parse(legacy, network: .mainnet)))
            #expect(key.render(on: .bitcoinCash) == cash)
            #expect(key.render(on: .mainnet) == legacy)
            let body = String(cash.dropFirst("bitcoincash:".count))
            for form in [cash, cash.uppercased(), body, body.uppercased()] {
                #expect(try AddressKey.parse(form, network: .bitcoinCash) == key, "\(form)")
            }
            // A CashAddr is not a Bitcoin address.
            #expect(throws: AddressError.wrongNetwork(expected: "main", found: "bch")) { try AddressKey.parse(cash, network: .mainnet) }
        }
    }

    @Test func bitcoinCashRejectsOtherPrefixesAndWitnessAddresses() throws {
        #expect(throws: AddressError.wrongNetwork(expected: "bch", found: nil)) {
            try AddressKey.parse("bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t", network: .bitcoinCash)
        }
        // A 24-byte hash is a valid CashAddr but no P2PKH/P2SH address.
        #expect(throws: AddressError.invalidLength) {
            try AddressKey.parse("bitcoincash:q9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2ws4mr9g0", network: .bitcoinCash)
        }
        #expect(throws: AddressError.self) { try AddressKey.parse("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", network: .bitcoinCash) }
        let witness = AddressKey(kind: .p2wpkh, payload: [UInt8](repeating: 0xab, count: 20))
        let shown = witness.render(on: .bitcoinCash)
        #expect(shown == "witness-v0:" + String(repeating: "ab", count: 20))
        #expect(throws: AddressError.self) { try AddressKey.parse(shown, network: .bitcoinCash) }
        // A legacy Base58 address of another chain names it.
        #expect(throws: AddressError.wrongNetwork(expected: "bch", found: "litecoin")) {
            try AddressKey.parse(AddressKey(kind: .p2pkh, payload: [UInt8](repeating: 1, count: 20)).render(on: .litecoin), network: .bitcoinCash)
        }
    }

    @Test func dogecoinAddressesRoundTrip() throws {
        let hash = [UInt8](repeating: 0x5a, count: 20)
        let p2pkh = AddressKey(kind: .p2pkh, payload: hash), p2sh = AddressKey(kind: .p2sh, payload: hash)
        #expect(p2pkh.render(on: .dogecoin).hasPrefix("D"))
        #expect(["9", "A"].contains(p2sh.render(on: .dogecoin).prefix(1)))
        #expect(try AddressKey.parse(p2pkh.render(on: .dogecoin), network: .dogecoin) == p2pkh)
        #expect(try AddressKey.parse(p2sh.render(on: .dogecoin), network: .dogecoin) == p2sh)
        #expect(throws: AddressError.wrongNetwork(expected: "main", found: "doge")) {
            try AddressKey.parse(p2pkh.render(on: .dogecoin), network: .mainnet)
        }
        // Legacy Bitcoin addresses starting with "1" are not mistaken for a segwit prefix of a chain without one.
        #expect(try AddressKey.parse("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu", network: .mainnet).kind == .p2pkh)
    }

    // MARK: Dogecoin AuxPoW

    /// Header and AuxPoW of Dogecoin block 5,462,519 (real; see the type's note).
    static let dogeHeaderAndAuxPow = Hex.decode(
        "040162005e840cdf3fec777d0d634c8e9c92f6a2ea8930fd8b48a0dbb5f2357a9f4f1d"
        + "e657c1358bd1f89e699d7c07dcc44de34c7bf1a27ea28edd2d6cb884f7d15288e2dae7"
        + "3667d901011a0000000001000000010000000000000000000000000000000000000000"
        + "000000000000000000000000ffffffff6403f6992a2cfabe6d6dd81f3988043c358152"
        + "86caf34112119f102a40f5254b38ccd8a26034e20a5b0208000000f09f909f092f4632"
        + "506f6f6c2f610000000000000000000000000000000000000000000000000000000000"
        + "0000000000000500db3784010000000002a62e8f25000000001976a914f2910ecaf7bb"
        + "8d18ed71f0904e0e7456f29ce18288ac0000000000000000266a24aa21a9ed801e68db"
        + "7a74fb3b4d488c0434637c970f57e7f163928f7f70379e8105cbc97e2d571a42601f1e"
        + "481b6c99ed95f6fe403cd27fbbc50946e730b79e64e30000000000000008b464254251"
        + "342ff2fde346bc0cd59c9b2408d80a445b939d88c38b04f68e6f156f898d3a5f1d5817"
        + "64292bf9627aa94d3610bda497d085ce5e724d37218511f677afd5410d3d222bb16e3c"
        + "9f6812bc99033358e80ab5e34c635c524af1b4c27136f4be10555a7994fc90e0c01484"
        + "0e50dc26466ccff91ce2882ebe3fa0a6c307092a3b4cd9ffcef9f5c4d662a18b54ddad"
        + "38a8384888ece87bc0244dadffbbcad0f02d09a1155ea29b3c93afadd8341a23452966"
        + "d43af767876ace612015e7b1ef572ff80f874d6f1b8fe9debbbc9bff2f82b45336c1df"
        + "916400cd08e6817e2612653f629a170b856a787a1dd4f4de70c44905760cf2287bee56"
        + "fda72472118e00000000031fe0dfb97e716ec277ac600ff9c485831f2ef52a4478a797"
        + "704b06dfb838192f4bd17ef3ab1e19336a217f754ef38b3e96b9da39c79bfce6b51e9d"
        + "42ce34bbd1e8c100c21e0533acf748e8372ca702edea7ce12e4a5ec5067f4587b05963"
        + "e3df0000000014000020914f47f57dbd460a348179763e195fbae41090f7e87a1836e6"
        + "0b9f876e32a6ea4093045657cce77921dcb897ea71bbeff7fa6ace8e7c4020b9f3b7ca"
        + "f3be35cb11e83667db555c195945a9ff")!

    static let dogeCoinbase = transaction(inputs: [(.zero, 0xffff_ffff, [0x03, 0xf7, 0x99, 0x53])],
                                          outputs: [(1_000_000 * 100_000_000, [0x51])]).full

    @Test func realDogecoinAuxPowHeaderIsSkippedExactly() throws {
        let real = Self.dogeHeaderAndAuxPow
        let block = try Self.parse(real + [1] + Self.dogeCoinbase, .dogecoinAuxPoW)
        #expect(block.hash.hex == "26e1a3ef7e6e34ece7bb9e09324dca34678af1bcfcdb7a810e53cb12249c0a6a")
        #expect(block.header.version == 0x0062_0104)
        #expect(block.header.previousHash.hex == "e61d4f9f7a35f2b5dba0488bfd3089eaa2f6929c8e4c630d7d77ec3fdf0c845e")
        #expect(block.header.merkleRoot.hex == "e28852d1f784b86c2ddd8ea27ea2f17b4ce34dc4dc077c9d699ef8d18b35c157")
        #expect(block.header.time == 1_731_651_546 && block.header.bits == 0x1a0101d9 && block.header.nonce == 0)
        #expect(block.auxPowBytes == real.count - 80 && block.hasAuxPow)
        #expect(block.transactions.count == 1 && block.transactions[0].txid == Hashing.sha256d(Self.dogeCoinbase))
        // The last 80 AuxPoW bytes are the parent (Litecoin) header the source test names.
        let parent = try Array(real.suffix(80)).withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            return try BlockHeader(from: &cursor)
        }
        #expect(parent.version == 0x2000_0014 && parent.time == 1_731_651_601 && parent.bits == 0x195c55db && parent.nonce == 4_289_283_417)
        #expect(parent.previousHash.hex == "eaa6326e879f0be636187ae8f79010e4ba5f193e767981340a46bd7df5474f91")
        #expect(parent.merkleRoot.hex == "cb35bef3cab7f3b920407c8ece6afaf7efbb71ea97b8dc2179e7cc5756049340")
        // Read as a Bitcoin block, the AuxPoW would be taken for transactions: it must not parse.
        #expect(Self.decodeError(real + [1] + Self.dogeCoinbase, .bitcoin) != nil)
    }

    /// The real AuxPoW under a synthetic header whose merkle root commits to the synthetic coinbase.
    static func syntheticDogeBlock() -> [UInt8] {
        let auxPow = Array(dogeHeaderAndAuxPow[80...])
        let previous = Hash256(hex: "26e1a3ef7e6e34ece7bb9e09324dca34678af1bcfcdb7a810e53cb12249c0a6a")!
        return header(version: 0x0062_0104, previous: previous, merkle: Hashing.sha256d(dogeCoinbase)) + auxPow + [1] + dogeCoinbase
    }

    @Test func dogecoinBlocksInABlockFileParseAndCount() throws {
        let dir = try TempDir()
        let merged = Self.syntheticDogeBlock()
        let plain = Self.header(version: 1, previous: .zero, merkle: Hashing.sha256d(Self.dogeCoinbase)) + [1] + Self.dogeCoinbase
        let path = try dir.write("doge.dat", RawRecord.make(magic: Network.dogecoin.magic, block: merged)
                                   + RawRecord.make(magic: Network.dogecoin.magic, block: plain))
        let scanned = try BlockFiles.scan(path)
        #expect(scanned.network == .dogecoin && scanned.file.blockFormat == .dogecoinAuxPoW)
        let blocks = try scanned.records.map { try scanned.file.parseBlock($0) }
        #expect(blocks.map(\.hasAuxPow) == [true, false])
        #expect(blocks.filter(\.hasAuxPow).count == 1)
        #expect(blocks.allSatisfy { $0.merkleMatches && $0.transactions.count == 1 })
        #expect(blocks[0].hash == Hashing.sha256d(Array(merged.prefix(80))))
        #expect(blocks[0].size == merged.count)
    }

    @Test func everyTruncationOfAnAuxPowBlockFailsCleanly() {
        let block = Self.syntheticDogeBlock()
        for n in 0..<block.count {
            #expect(Self.decodeError(Array(block.prefix(n)), .dogecoinAuxPoW) != nil, "prefix \(n)")
        }
    }

    @Test func auxPowBitMeansNothingOnBitcoin() throws {
        // Version 0x20000100 is a plain BIP9 version on Bitcoin; the Bitcoin path must not look for AuxPoW.
        let coinbase = Self.dogeCoinbase
        let bytes = Self.header(version: 0x2000_0100, previous: .zero, merkle: Hashing.sha256d(coinbase)) + [1] + coinbase
        let block = try Self.parse(bytes, .bitcoin)
        #expect(!block.hasAuxPow && block.merkleMatches)
    }

    // MARK: Litecoin

    @Test func realLitecoinSamplesParseTheSameWithTheMWEBFormat() throws {
        let scanned = try BlockFiles.scan(Fixture.real("\(Fixture.litecoin).dat"))
        #expect(scanned.network == .litecoin && scanned.file.blockFormat == .litecoinMWEB)
        #expect(scanned.records.count == 257)
        for record in scanned.records {
            let ltc = try scanned.file.parseBlock(record)
            let btc = try scanned.file.parseBlock(record, format: .bitcoin)
            #expect(ltc.merkleMatches && !ltc.hasHogEx && !ltc.hasMWEB)
            #expect(ltc.hash == btc.hash && ltc.transactions.map(\.txid) == btc.transactions.map(\.txid))
            #expect(ltc.outputs.count == btc.outputs.count && ltc.inputs.count == btc.inputs.count)
        }
    }

    /// A synthetic MWEB extension block exercising every optional field; returns its bytes
    /// (without the presence byte).
    static func mwebBlock() -> [UInt8] {
        var b = varInt(2_265_984) + filler(5 * 32, 1) + varInt(1_000_000) + varInt(70_000)
        b.appendCompactSize(2)  // inputs
        b += [0x01] + filler(32 + 33 + 33, 2) + filler(33, 3) + filler(64, 4)
        b += [0x03] + filler(32 + 33 + 33, 5) + filler(33, 6) + vector([1, 2, 3]) + filler(64, 7)
        b.appendCompactSize(2)  // outputs
        b += filler(99, 8) + [0x01] + filler(33 + 1 + 8 + 16, 9) + filler(675 + 64, 10)
        b += filler(99, 11) + [0x03] + filler(58, 12) + vector([9, 9]) + filler(675 + 64, 13)
        b.appendCompactSize(2)  // kernels
        b += [0x3f] + varInt(123_456) + varInt(5_000_000_000)
        b.appendCompactSize(1)
        b += varInt(42_000) + vector([0x00, 0x14] + filler(20, 14))
        b += varInt(2_266_000) + filler(33, 15) + vector([0xee]) + filler(33 + 64, 16)
        b += [0x00] + filler(33 + 64, 17)
        return b
    }

    static func mwebEraBlock(presence: UInt8, extension ext: [UInt8], hogExPresence: UInt8 = 0) -> (block: [UInt8], hogExTxid: Hash256) {
        let coinbase = transaction(inputs: [(.zero, 0xffff_ffff, [0x03, 0x80, 0x93, 0x22])], outputs: [(1_250_000_000, [0x51])]).full
        let previousHogEx = Hash256(hex: String(repeating: "ab", count: 32))!
        let hogEx = transaction(inputs: [(previousHogEx, 0, [])], outputs: [(5_000_000_000, [0x58, 0x20] + filler(32, 18))],
                                mwebFlag: true, mwebPresence: hogExPresence)
        let hogExTxid = Hashing.sha256d(hogEx.stripped)
        let root = Merkle.root([Hashing.sha256d(coinbase), hogExTxid])
        let block = header(version: 0x2000_0000, previous: .zero, merkle: root) + [2] + coinbase + hogEx.full + [presence] + ext
        return (block, hogExTxid)
    }

    @Test func syntheticMWEBBlockIsSkippedExactlyAndCounted() throws {
        let ext = Self.mwebBlock()
        let (bytes, hogExTxid) = Self.mwebEraBlock(presence: 1, extension: ext)
        let block = try Self.parse(bytes, .litecoinMWEB)
        #expect(block.transactions.count == 2 && block.hasHogEx && block.mwebBytes == ext.count && block.hasMWEB)
        #expect(block.merkleMatches, "the HogEx txid excludes the MWEB flag and presence byte")
        #expect(block.transactions[1].txid == hogExTxid && !block.transactions[1].hasWitness)
        #expect(block.outputs.count == 2 && block.inputs.count == 2)
        // A HogEx block without extension data (presence byte 0).
        let empty = try Self.parse(Self.mwebEraBlock(presence: 0, extension: []).block, .litecoinMWEB)
        #expect(empty.hasHogEx && !empty.hasMWEB && empty.merkleMatches)
        // As Bitcoin, the MWEB flag is an invalid segwit flag; a byte more or less is an error too.
        #expect(Self.decodeError(bytes, .bitcoin) == .invalidSegwitFlag(flag: 8, offset: 80 + 1 + 65 + 5))
        #expect(Self.decodeError(bytes + [0], .litecoinMWEB) == .trailingBytes(count: 1, offset: bytes.count))
        // An MWEB transaction inside the transaction list is refused, not mis-parsed.
        let embedded = Self.mwebEraBlock(presence: 1, extension: ext, hogExPresence: 1).block
        guard case .unsupportedExtension? = Self.decodeError(embedded, .litecoinMWEB) else {
            Issue.record("an embedded MWEB transaction was accepted"); return
        }
    }

    @Test func mwebBlockInABlockFileAndEveryTruncation() throws {
        let (bytes, _) = Self.mwebEraBlock(presence: 1, extension: Self.mwebBlock())
        let dir = try TempDir()
        let path = try dir.write("ltc.dat", RawRecord.make(magic: Network.litecoin.magic, block: bytes))
        let scanned = try BlockFiles.scan(path)
        let block = try scanned.file.parseBlock(scanned.records[0])
        #expect(block.hasMWEB && block.mwebBytes == Self.mwebBlock().count)
        for n in 0..<bytes.count {
            #expect(Self.decodeError(Array(bytes.prefix(n)), .litecoinMWEB) != nil, "prefix \(n)")
        }
    }

    // MARK: One index, one chain

    /// Runs an import that must fail and leave the index exactly as it was; returns its error.
    static func refusedImport(_ index: String, _ configure: (inout ImportOptions) -> Void = { _ in }, paths: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) throws -> (any Error)? {
        let before = try Imports.dump(index)
        let error = thrownError { try Imports.run(paths, into: index, configure: configure) }
        #expect(error != nil, "the import succeeded", sourceLocation: sourceLocation)
        let d = Imports.diff(before, try Imports.dump(index))
        #expect(d.isEmpty, "the failed import changed the index:\n\(d.joined(separator: "\n"))", sourceLocation: sourceLocation)
        return error
    }

    static func withMagic(_ records: [RawRecord], _ magic: [UInt8]) -> [UInt8] {
        records.flatMap { RawRecord.make(magic: magic, block: $0.block) }
    }

    @Test func bitcoinCashIndexRecordsItsChainAndRefusesBitcoinFiles() throws {
        let dir = try TempDir()
        let r = try BadInputTests.jeffchanRecords()
        // Bitcoin's first blocks are Bitcoin Cash's too: same genesis, other magic.
        let bch = try dir.write("bch.dat", Self.withMagic(Array(r[0...20]), Network.bitcoinCash.magic))
        let index = try dir.subdirectory("index")
        let summary = try Imports.run([bch], into: index)
        #expect(summary.network == "bch" && summary.blocksAdded == 21)
        #expect(try IndexStore(dataDirectory: index, create: false).network() == .bitcoinCash)
        let btc = try dir.write("btc.dat", BadInputTests.join(r[21...30]))
        let error = try Self.refusedImport(index, paths: [btc])
        guard case .file(.wrongNetwork(let file, let offset, let expected, let found))? = error as? ImportError else {
            Issue.record("got \(String(describing: error))"); return
        }
        #expect(file == btc && offset == 0 && expected == "bch" && found == "main")
        BadInputTests.expectNames(error, file: btc, offset: 0)
    }

    @Test func otherChainsIntoABitcoinIndexAreRefused() throws {
        let dir = try TempDir()
        let index = try BadInputTests.indexWith0to100(dir)
        let r = try BadInputTests.jeffchanRecords()
        let bch = try dir.write("bch.dat", Self.withMagic(Array(r[101...110]), Network.bitcoinCash.magic))
        let litecoin = Fixture.real("\(Fixture.litecoin).dat")
        let doge = try dir.write("doge.dat", RawRecord.make(magic: Network.dogecoin.magic, block: Self.syntheticDogeBlock()))
        for (path, name) in [(bch, "bch"), (litecoin, "litecoin"), (doge, "doge")] {
            let error = try BadInputTests.failingImport(index, { $0.slice = true }, paths: [path])
            guard case .file(.wrongNetwork(let file, 0, "main", let found))? = error as? ImportError else {
                Issue.record("\(name): got \(String(describing: error))"); continue
            }
            #expect(file == path && found == name)
            #expect("\(error!)".contains("'\(name)'") && "\(error!)".contains("'main'"))
        }
        // Asking for another chain on a Bitcoin index is refused before any file is read.
        let e2 = try BadInputTests.failingImport(index, { $0.slice = true; $0.network = .dogecoin }, paths: [doge])
        guard case .store(.networkMismatch("main", "doge"))? = e2 as? ImportError else { Issue.record("got \(String(describing: e2))"); return }
    }

    @Test func dogecoinFileIntoALitecoinIndexIsRefused() throws {
        let dir = try TempDir()
        let index = try dir.subdirectory("index")
        try Imports.run([Fixture.real("\(Fixture.litecoin).dat")], into: index)
        let doge = try dir.write("doge.dat", RawRecord.make(magic: Network.dogecoin.magic, block: Self.syntheticDogeBlock()))
        let error = try Self.refusedImport(index, paths: [doge])
        guard case .file(.wrongNetwork(doge, 0, "litecoin", "doge"))? = error as? ImportError else {
            Issue.record("got \(String(describing: error))"); return
        }
    }
}
