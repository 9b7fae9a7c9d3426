import Foundation
import GRDB
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
        // Bitcoin Cash's block files carry Bitcoin's magic: detection gives Bitcoin; its P2P magic is its own.
        #expect(Network.withMagic([0xf9, 0xbe, 0xb4, 0xd9]) == .mainnet)
        #expect(Network.withMagic([0xe3, 0xe1, 0xf3, 0xe8]) == nil)
        #expect(Network.withNetworkMagic([0xe3, 0xe1, 0xf3, 0xe8]) == .bitcoinCash)
        #expect(Network.withMagic([0xc0, 0xc0, 0xc0, 0xc0]) == .dogecoin)
        #expect(Network.bitcoinCash.genesisHash == Network.mainnet.genesisHash)
        #expect(Network.dogecoin.genesisHash.hex == "1a91e3dace36e2be3bf030a65679fe821aa1d6ef92e7c9902eb318182c355691")
        #expect(!Network.bitcoinCash.supportsSegwit && !Network.dogecoin.supportsSegwit && Network.litecoin.supportsSegwit)
        #expect(Network.mainnet.blockFormat == .bitcoin && Network.bitcoinCash.blockFormat == .bitcoin)
        #expect(Network.litecoin.blockFormat == .litecoinMWEB && Network.dogecoin.blockFormat == .dogecoinAuxPoW)
        #expect(Network.bitcoinCash.witnessOutputs == .nonstandard && Network.dogecoin.witnessOutputs == .v0TypesWithoutAddresses)
        for n in Network.all {
            // Witness outputs have addresses exactly on the chains with segwit addresses.
            #expect((n.witnessOutputs == .segwit) == n.supportsSegwit, "\(n)")
            #expect(n.bech32HRP.isEmpty == !n.supportsSegwit, "\(n)")
        }
    }

    // MARK: Parameters against the node sources

    /// Core's `arith_uint256::GetCompact` of a 256-bit target written as 64 hex digits, as the
    /// sources write `consensus.powLimit`.
    static func compact(_ hex: String) throws -> UInt32 {
        let bytes = try #require(Hex.decode(hex)).drop { $0 == 0 }
        var mantissa = bytes.prefix(3).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } << (8 * UInt32(3 - min(3, bytes.count)))
        var size = UInt32(bytes.count)
        if mantissa & 0x0080_0000 != 0 { mantissa >>= 8; size += 1 }
        return size << 24 | mantissa
    }

    /// Each value as the node's `src/chainparams.cpp` (`CMainParams`) has it; the row's doc comment
    /// names repository and commit.
    @Test func parametersMatchTheNodeSources() throws {
        // litecoin-project/litecoin 17f16cef: BIP34Height 710000, powLimit, pchMessageStart,
        // genesis, PUBKEY_ADDRESS 48, SCRIPT_ADDRESS2 50, bech32_hrp "ltc".
        let ltc = Network.litecoin
        #expect(ltc.bip34Height == 710_000)
        #expect(ltc.powLimitBits == (try Self.compact("00000fffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")))
        #expect(ltc.diskMagic == [0xfb, 0xc0, 0xb6, 0xdb] && ltc.networkMagic == ltc.diskMagic)
        #expect(ltc.genesisHash.hex == "12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2")
        #expect(ltc.pubkeyHashPrefix == 48 && ltc.scriptHashPrefix == 50 && ltc.bech32HRP == "ltc")
        // dogecoin/dogecoin d0902798 (1.14): BIP34Height 1034383, powLimit ~uint256(0) >> 20,
        // pchMessageStart c0c0c0c0, genesis, PUBKEY_ADDRESS 30, SCRIPT_ADDRESS 22, no bech32_hrp.
        let doge = Network.dogecoin
        #expect(doge.bip34Height == 1_034_383)
        #expect(doge.powLimitBits == (try Self.compact("00000fffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")))
        #expect(doge.powLimitBits == 0x1e0fffff)
        #expect(doge.diskMagic == [0xc0, 0xc0, 0xc0, 0xc0] && doge.networkMagic == doge.diskMagic)
        #expect(doge.genesisHash.hex == "1a91e3dace36e2be3bf030a65679fe821aa1d6ef92e7c9902eb318182c355691")
        #expect(doge.pubkeyHashPrefix == 30 && doge.scriptHashPrefix == 22 && doge.bech32HRP.isEmpty)
        // bitcoin-cash-node/bitcoin-cash-node f426b038: BIP34Height 227931, powLimit, diskMagic
        // f9beb4d9 (what `src/node/blockstorage.cpp` writes block records with), netMagic e3e1f3e8,
        // genesis, PUBKEY_ADDRESS 0, SCRIPT_ADDRESS 5, cashaddrPrefix "bitcoincash".
        let bch = Network.bitcoinCash
        #expect(bch.bip34Height == 227_931)
        #expect(bch.powLimitBits == (try Self.compact("00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff")))
        #expect(bch.diskMagic == [0xf9, 0xbe, 0xb4, 0xd9] && bch.networkMagic == [0xe3, 0xe1, 0xf3, 0xe8])
        #expect(bch.genesisHash == Network.mainnet.genesisHash)
        #expect(bch.pubkeyHashPrefix == 0 && bch.scriptHashPrefix == 5 && bch.cashAddrPrefix == "bitcoincash")
        // The encoder itself, on Bitcoin's and regtest's limits.
        #expect(try Self.compact("00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff") == 0x1d00ffff)
        #expect(try Self.compact("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff") == 0x207fffff)
    }

    // MARK: Witness-shaped scripts on chains without segwit

    /// Witness-program-shaped scripts (BIP 173/350 and Core 28 vectors): P2WPKH, P2TR, P2WSH, the
    /// anchor and a version-16 program; then a P2PKH of the P2WPKH's hash as a control.
    static let witnessShaped: [[UInt8]] = [
        "0014751e76e8199196d454941c45d1b3a323f1433bd6",
        "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
        "51024e73",
        "6002751e",
    ].map { Hex.decode($0)! }
    static let controlP2PKH = Hex.decode("76a914751e76e8199196d454941c45d1b3a323f1433bd688ac")!

    /// A one-transaction (coinbase) block paying each script one coin.
    static func blockPaying(_ scripts: [[UInt8]]) -> (block: [UInt8], txid: Hash256) {
        let coinbase = transaction(inputs: [(.zero, 0xffff_ffff, [0x03, 0x60, 0x27, 0x09])],
                                   outputs: scripts.map { (100_000_000, $0) }).full
        let txid = Hashing.sha256d(coinbase)
        return (header(version: 1, previous: .zero, merkle: txid) + [1] + coinbase, txid)
    }

    /// Imports `block` as a record of `network` (given as `--network`) into a new index (a slice at
    /// height 600,000); returns the index directory and its outputs as the query API shows them.
    static func importOutputs(_ block: [UInt8], txid: Hash256, network: Network, dir: TempDir) throws
        -> (index: String, outputs: [TransactionInfo.Output]) {
        let path = try dir.write("\(network.name).dat", RawRecord.make(magic: network.diskMagic, block: block))
        let index = try dir.subdirectory("\(network.name)-index")
        let summary = try Imports.run([path], into: index) { $0.slice = true; $0.startHeight = 600_000; $0.network = network }
        #expect(summary.network == network.name && summary.blocksAdded == 1)
        let store = try IndexStore(dataDirectory: index, create: false)
        return (index, try store.transaction(txid.hex).outputs)
    }

    /// Output rows as stored: type name, whether `address` is set, the kept script.
    static func storedOutputs(_ index: String) throws -> [(type: String, hasAddress: Bool, script: [UInt8]?)] {
        let store = try IndexStore(dataDirectory: index, create: false)
        return try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.type, o.address IS NOT NULL, s.script FROM output o
                LEFT JOIN output_script s ON s.output = o.id ORDER BY o.id
                """).map { row in
                let type = ScriptType(rawValue: UInt8(row[0] as Int))?.coreName ?? "?"
                return (type, row[1] as Bool, (row[2] as Data?).map { [UInt8]($0) })
            }
        }
    }

    @Test func witnessShapedOutputsOnBitcoinCashAreNonstandardWithoutAddress() throws {
        let dir = try TempDir()
        let (block, txid) = Self.blockPaying(Self.witnessShaped + [Self.controlP2PKH])
        // Bitcoin Cash Node's Solver knows no witness template: nonstandard, no address, script kept.
        let (bchIndex, bch) = try Self.importOutputs(block, txid: txid, network: .bitcoinCash, dir: dir)
        let stored = try Self.storedOutputs(bchIndex)
        for (i, script) in Self.witnessShaped.enumerated() {
            #expect(bch[i].type == "nonstandard" && bch[i].address == nil && bch[i].script == Hex.encode(script), "output \(i)")
            #expect(stored[i].type == "nonstandard" && !stored[i].hasAddress && stored[i].script == script, "output \(i)")
        }
        #expect(bch[5].type == "pubkeyhash" && bch[5].address == "bitcoincash:qp63uahgrxged4z5jswyt5dn5v3lzsem6cy4spdc2h")
        #expect(stored[5].hasAddress && stored[5].script == nil)
        #expect(try Imports.count(bchIndex, "address") == 1, "only the P2PKH has an address")
        #expect(try Imports.count(bchIndex, "output_script") == Self.witnessShaped.count)

        // The same block on Bitcoin: Core's witness types with their Bech32/Bech32m addresses.
        let (mainIndex, main) = try Self.importOutputs(block, txid: txid, network: .mainnet, dir: dir)
        #expect(main.map(\.type) == ["witness_v0_keyhash", "witness_v1_taproot", "witness_v0_scripthash", "anchor",
                                     "witness_unknown", "pubkeyhash"])
        #expect(main.map(\.address) == [
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
            "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
            "bc1pfeessrawgf",
            "bc1sw50qgdz25j",
            "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH",
        ])
        #expect(main.allSatisfy { $0.script == nil })
        #expect(try Imports.count(mainIndex, "output_script") == 0)
        #expect(try Imports.count(mainIndex, "address") == 6)

        // A segwit address is refused on the Bitcoin Cash index, naming both networks.
        let store = try IndexStore(dataDirectory: bchIndex, create: false)
        let error = thrownError { _ = try store.address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4") }
        #expect(error.map { "\($0)" }?.contains("address is for network 'main', expected 'bch'") == true, "\(String(describing: error))")
    }

    @Test func witnessShapedOutputsOnDogecoinFollowDogecoinCore() throws {
        let dir = try TempDir()
        let (block, txid) = Self.blockPaying(Self.witnessShaped + [Self.controlP2PKH])
        // Dogecoin Core 1.14's Solver (Core 0.14's): v0 key/script hash keep their type, other
        // witness shapes are nonstandard; ExtractDestination gives none of them an address.
        let (index, doge) = try Self.importOutputs(block, txid: txid, network: .dogecoin, dir: dir)
        #expect(doge.map(\.type) == ["witness_v0_keyhash", "nonstandard", "witness_v0_scripthash", "nonstandard",
                                     "nonstandard", "pubkeyhash"])
        for (i, script) in Self.witnessShaped.enumerated() {
            #expect(doge[i].address == nil && doge[i].script == Hex.encode(script), "output \(i)")
        }
        #expect(doge[5].address == AddressKey(kind: .p2pkh, payload: Array(Self.controlP2PKH[3..<23])).render(on: .dogecoin))
        #expect(doge[5].address?.hasPrefix("D") == true && doge[5].script == nil)
        #expect(try Self.storedOutputs(index).prefix(5).allSatisfy { !$0.hasAddress && $0.script != nil })
        #expect(try Imports.count(index, "address") == 1)
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
        // A witness key built by hand (the import stores none on BCH) renders as no address.
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

    /// Bitcoin Cash Node writes its block records with its `diskMagic`, Bitcoin's `f9 be b4 d9`
    /// (bitcoin-cash-node `src/chainparams.cpp` f426b038, `src/node/blockstorage.cpp` 51d6b49a).
    static let bitcoinDiskMagic: [UInt8] = [0xf9, 0xbe, 0xb4, 0xd9]

    @Test func bitcoinCashFileWithBitcoinsMagicNeedsNetworkBch() throws {
        let dir = try TempDir()
        let (block, txid) = Self.blockPaying([Self.witnessShaped[0], Self.controlP2PKH])
        let path = try dir.write("blk00000.dat", RawRecord.make(magic: Self.bitcoinDiskMagic, block: block))

        // With --network bch: a Bitcoin Cash index, CashAddr addresses, no witness address.
        let bchIndex = try dir.subdirectory("bch-index")
        let bch = try Imports.run([path], into: bchIndex) { $0.slice = true; $0.startHeight = 600_000; $0.network = .bitcoinCash }
        #expect(bch.network == "bch" && bch.blocksAdded == 1)
        #expect(try IndexStore(dataDirectory: bchIndex, create: false).network() == .bitcoinCash)
        let bchOutputs = try IndexStore(dataDirectory: bchIndex, create: false).transaction(txid.hex).outputs
        #expect(bchOutputs.map(\.type) == ["nonstandard", "pubkeyhash"])
        #expect(bchOutputs.map(\.address) == [nil, "bitcoincash:qp63uahgrxged4z5jswyt5dn5v3lzsem6cy4spdc2h"])
        // The index now records `bch`: the same file imports as `bch` without --network.
        let again = try Imports.run([path], into: bchIndex) { $0.slice = true; $0.startHeight = 600_000 }
        #expect(again.network == "bch" && again.blocksAdded == 0)

        // Without --network the magic is taken for Bitcoin: a mainnet index, Bitcoin addresses.
        let mainIndex = try dir.subdirectory("main-index")
        let main = try Imports.run([path], into: mainIndex) { $0.slice = true; $0.startHeight = 600_000 }
        #expect(main.network == "main" && main.blocksAdded == 1)
        #expect(try IndexStore(dataDirectory: mainIndex, create: false).network() == .mainnet)
        let mainOutputs = try IndexStore(dataDirectory: mainIndex, create: false).transaction(txid.hex).outputs
        #expect(mainOutputs.map(\.type) == ["witness_v0_keyhash", "pubkeyhash"])
        #expect(mainOutputs.map(\.address) == ["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"])
        // And a mainnet index then refuses --network bch, before reading any file.
        let error = thrownError { try Imports.run([path], into: mainIndex) { $0.slice = true; $0.network = .bitcoinCash } }
        guard case .store(.networkMismatch("main", "bch"))? = error as? ImportError else {
            Issue.record("got \(String(describing: error))"); return
        }
    }

    @Test func bitcoinCashIndexTakesSharedHistoryAndRefusesOtherMagics() throws {
        let dir = try TempDir()
        let r = try BadInputTests.jeffchanRecords()
        // Bitcoin's first blocks are Bitcoin Cash's too: same genesis, same block-file magic.
        let first = try dir.write("first.dat", BadInputTests.join(r[0...20]))
        let index = try dir.subdirectory("index")
        let summary = try Imports.run([first], into: index) { $0.network = .bitcoinCash }
        #expect(summary.network == "bch" && summary.blocksAdded == 21)
        #expect(try IndexStore(dataDirectory: index, create: false).network() == .bitcoinCash)
        // A Bitcoin node's file of that shared history goes into the index as Bitcoin Cash blocks.
        let shared = try dir.write("shared.dat", BadInputTests.join(r[21...30]))
        let more = try Imports.run([shared], into: index)
        #expect(more.network == "bch" && more.blocksAdded == 10)

        // Records of another disk magic are refused, naming the file, the offset and both networks:
        // Litecoin's after a record with Bitcoin Cash's magic, with --network bch...
        let ltc = try dir.write("ltc.dat", RawRecord.make(magic: Self.bitcoinDiskMagic, block: r[31].block)
                                   + RawRecord.make(magic: Network.litecoin.diskMagic, block: r[32].block))
        let offset = r[31].bytes.count
        let e1 = try Self.refusedImport(index, { $0.network = .bitcoinCash }, paths: [ltc])
        guard case .file(.wrongNetwork(ltc, offset, "bch", "litecoin"))? = e1 as? ImportError else {
            Issue.record("got \(String(describing: e1))"); return
        }
        BadInputTests.expectNames(e1, file: ltc, offset: offset)
        #expect("\(e1!)".contains("'litecoin'") && "\(e1!)".contains("'bch'"))
        // ...and testnet's, with the index's network.
        let test = try dir.write("test.dat", Self.withMagic(Array(r[31...32]), Network.testnet3.diskMagic))
        let e2 = try Self.refusedImport(index, paths: [test])
        guard case .file(.wrongNetwork(test, 0, "bch", "test"))? = e2 as? ImportError else {
            Issue.record("got \(String(describing: e2))"); return
        }
        // The scanner alone, too: a Litecoin record under bch.
        #expect(BlockFiles.scanError(ltc, network: .bitcoinCash) == .wrongNetwork(file: ltc, offset: offset, expected: "bch", found: "litecoin"))
    }

    @Test func otherChainsIntoABitcoinIndexAreRefused() throws {
        let dir = try TempDir()
        let index = try BadInputTests.indexWith0to100(dir)
        let litecoin = Fixture.real("\(Fixture.litecoin).dat")
        let doge = try dir.write("doge.dat", RawRecord.make(magic: Network.dogecoin.diskMagic, block: Self.syntheticDogeBlock()))
        for (path, name) in [(litecoin, "litecoin"), (doge, "doge")] {
            let error = try BadInputTests.failingImport(index, { $0.slice = true }, paths: [path])
            guard case .file(.wrongNetwork(let file, 0, "main", let found))? = error as? ImportError else {
                Issue.record("\(name): got \(String(describing: error))"); continue
            }
            #expect(file == path && found == name)
            #expect("\(error!)".contains("'\(name)'") && "\(error!)".contains("'main'"))
        }
        // Bitcoin Cash's first block after the split, in a file with Bitcoin's magic.
        let bch = try dir.write("bch.dat", RawRecord.make(magic: Self.bitcoinDiskMagic, block: Self.afterSplit(Self.bitcoinCashFirstHeader)))
        let e1 = try BadInputTests.failingImport(index, { $0.slice = true }, paths: [bch])
        guard case .file(.otherChainBlock(bch, 0, Network.bitcoinCashFirstBlock, "main", "bch"))? = e1 as? ImportError else {
            Issue.record("got \(String(describing: e1))"); return
        }
        // Asking for another chain on a Bitcoin index is refused before any file is read.
        let e2 = try BadInputTests.failingImport(index, { $0.slice = true; $0.network = .dogecoin }, paths: [doge])
        guard case .store(.networkMismatch("main", "doge"))? = e2 as? ImportError else { Issue.record("got \(String(describing: e2))"); return }
    }

    // MARK: Bitcoin and Bitcoin Cash after the split

    /// The 80-byte headers of the two blocks 478,559, both children of 478,558 (the last block the
    /// chains share). Fields from a public test vector found by code search (its repository was
    /// not named); the hashes are computed here: Bitcoin Cash's is Bitcoin Cash Node's "UAHF fork
    /// block" checkpoint (`src/chainparams.cpp`, f426b038).
    static let bitcoinCashFirstHeader = Hex.decode(
        "00000020432d350741fbf28f2e1486eabe2c4e143bfe2241af6518010000000000000000"
        + "abaa4bd8a48c1c6bc08ee39b66065e5e9484304cab8b56d5eed3e40b1ac996c899c4805935470118"
        + "22ca4ae8")!
    static let bitcoinFirstHeader = Hex.decode(
        "02000020432d350741fbf28f2e1486eabe2c4e143bfe2241af6518010000000000000000"
        + "188c31adc46b1a62864e9a12560523004fd038d875720b4537504565182ea65fb480805935470118"
        + "babd8db7")!

    /// A record body with `header`: the scanner reads only the header (the transactions are synthetic).
    static func afterSplit(_ header: [UInt8]) -> [UInt8] { header + [1] + dogeCoinbase }

    @Test func firstBlocksAfterTheSplitAreTheOtherChains() throws {
        func header(_ bytes: [UInt8]) throws -> BlockHeader {
            try bytes.withUnsafeBytes { raw in var cursor = ByteCursor(raw); return try BlockHeader(from: &cursor) }
        }
        #expect(Self.bitcoinCashFirstHeader.count == 80 && Self.bitcoinFirstHeader.count == 80)
        #expect(Hashing.sha256d(Self.bitcoinCashFirstHeader).hex == "000000000000000000651ef99cb9fcbe0dadde1d424bd9f15ff20136191a5eec")
        #expect(Hashing.sha256d(Self.bitcoinCashFirstHeader) == Network.bitcoinCashFirstBlock)
        #expect(Hashing.sha256d(Self.bitcoinFirstHeader) == Network.bitcoinFirstBlock)
        #expect(try header(Self.bitcoinCashFirstHeader).previousHash == Network.lastSharedBlock)
        #expect(try header(Self.bitcoinFirstHeader).previousHash == Network.lastSharedBlock)
        #expect(Network.mainnet.otherChainBlocks == [Network.bitcoinCashFirstBlock: "bch"])
        #expect(Network.bitcoinCash.otherChainBlocks == [Network.bitcoinFirstBlock: "main"])
        for n in Network.all where n != .mainnet && n != .bitcoinCash { #expect(n.otherChainBlocks.isEmpty, "\(n)") }

        let dir = try TempDir()
        let (plain, _) = Self.blockPaying([Self.controlP2PKH])
        let first = RawRecord.make(magic: Self.bitcoinDiskMagic, block: plain)
        let bchFile = try dir.write("bch.dat", first + RawRecord.make(magic: Self.bitcoinDiskMagic, block: Self.afterSplit(Self.bitcoinCashFirstHeader)))
        let btcFile = try dir.write("btc.dat", first + RawRecord.make(magic: Self.bitcoinDiskMagic, block: Self.afterSplit(Self.bitcoinFirstHeader)))
        // Detected as Bitcoin, Bitcoin Cash's block shows the file is not (strict and resync alike).
        let expected = BlockFileError.otherChainBlock(file: bchFile, offset: first.count, block: Network.bitcoinCashFirstBlock,
                                                      expected: "main", found: "bch")
        #expect(BlockFiles.scanError(bchFile) == expected)
        #expect(throws: expected) { _ = try BlockFiles.scan(bchFile, resync: true) }
        let text = "\(expected)"
        #expect(text.contains(bchFile) && text.contains("offset \(first.count)") && text.contains("--network bch"))
        // With --network bch it is an ordinary record; Bitcoin's block is refused instead.
        #expect(try BlockFiles.scan(bchFile, network: .bitcoinCash).records.count == 2)
        #expect(BlockFiles.scanError(btcFile, network: .bitcoinCash)
                == .otherChainBlock(file: btcFile, offset: first.count, block: Network.bitcoinFirstBlock, expected: "bch", found: "main"))
        #expect(try BlockFiles.scan(btcFile).records.count == 2)

        // Bitcoin's block into a Bitcoin Cash index: refused, index unchanged.
        let index = try dir.subdirectory("index")
        try Imports.run([try dir.write("base.dat", first)], into: index) { $0.slice = true; $0.startHeight = 600_000; $0.network = .bitcoinCash }
        let error = try Self.refusedImport(index, { $0.slice = true }, paths: [btcFile])
        guard case .file(.otherChainBlock(btcFile, first.count, _, "bch", "main"))? = error as? ImportError else {
            Issue.record("got \(String(describing: error))"); return
        }
    }

    @Test func dogecoinFileIntoALitecoinIndexIsRefused() throws {
        let dir = try TempDir()
        let index = try dir.subdirectory("index")
        try Imports.run([Fixture.real("\(Fixture.litecoin).dat")], into: index)
        let doge = try dir.write("doge.dat", RawRecord.make(magic: Network.dogecoin.diskMagic, block: Self.syntheticDogeBlock()))
        let error = try Self.refusedImport(index, paths: [doge])
        guard case .file(.wrongNetwork(doge, 0, "litecoin", "doge"))? = error as? ImportError else {
            Issue.record("got \(String(describing: error))"); return
        }
    }
}
