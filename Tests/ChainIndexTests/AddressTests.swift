import Foundation
import Testing
import ChainIndex

/// URL of a file under `Fixtures/vectors/` (see `Fixtures/vectors/SOURCES.md` for provenance).
private func vectorURL(_ name: String) throws -> URL {
    let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return fixtures.appendingPathComponent("vectors").appendingPathComponent(name)
}

private func loadJSON(_ name: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(contentsOf: vectorURL(name)))
}

/// The shape of `bech32/bip173_bech32.json` and `bech32/bip350_bech32m.json`.
private struct BIPBech32Vectors: Decodable {
    struct InvalidString: Decodable { let string: String; let reason: String }
    struct ValidAddress: Decodable { let address: String; let scriptPubKey: String }
    struct InvalidAddress: Decodable { let address: String; let reason: String }
    let validStrings: [String]
    let invalidStrings: [InvalidString]
    let validSegwitAddresses: [ValidAddress]
    let invalidSegwitAddresses: [InvalidAddress]

    enum CodingKeys: String, CodingKey {
        case validStrings = "valid_strings", invalidStrings = "invalid_strings"
        case validSegwitAddresses = "valid_segwit_addresses", invalidSegwitAddresses = "invalid_segwit_addresses"
    }

    static func load(_ name: String) throws -> BIPBech32Vectors {
        try JSONDecoder().decode(BIPBech32Vectors.self, from: Data(contentsOf: vectorURL(name)))
    }
}

/// One entry of Bitcoin Core's `key_io_valid.json`.
private struct KeyIOEntry {
    let string: String
    let hex: String
    let chain: String
    let isPrivkey: Bool
    let tryCaseFlip: Bool

    static func loadAll() throws -> [KeyIOEntry] {
        let rows = try #require(try loadJSON("bitcoin-core/key_io_valid.json") as? [[Any]])
        return try rows.map { row in
            let string = try #require(row[0] as? String)
            let hex = try #require(row[1] as? String)
            let meta = try #require(row[2] as? [String: Any])
            return KeyIOEntry(
                string: string, hex: hex, chain: try #require(meta["chain"] as? String),
                isPrivkey: try #require(meta["isPrivkey"] as? Bool),
                tryCaseFlip: (meta["tryCaseFlip"] as? Bool) ?? false)
        }
    }
}

/// Core's chain names in key_io vectors → our networks.
private func network(forCoreChain chain: String) -> Network? {
    switch chain {
    case "main": return .mainnet
    case "test": return .testnet3
    case "testnet4": return .testnet4
    case "signet": return .signet
    case "regtest": return .regtest
    default: return nil
    }
}

/// The network whose bech32 HRP is `hrp` (first match in `Network.all`).
private func network(forHRP hrp: String) -> Network? {
    Network.all.first { $0.bech32HRP == hrp }
}

/// Swaps the case of ASCII letters, as Core's key_io test does for `tryCaseFlip`.
private func caseFlipped(_ s: String) -> String {
    String(decoding: s.utf8.map { c -> UInt8 in
        if c >= 0x61 && c <= 0x7a { return c - 32 }
        if c >= 0x41 && c <= 0x5a { return c + 32 }
        return c
    }, as: UTF8.self)
}

/// The HRP part of a bech32 string: everything before the last "1", lower-cased.
private func hrpOf(_ s: String) -> String {
    guard let sep = s.lastIndex(of: "1") else { return "" }
    return s[..<sep].lowercased()
}

/// The scriptPubKey of a witness program, built from BIP 141's definition.
private func witnessScript(version: UInt8, program: [UInt8]) -> [UInt8] {
    [version == 0 ? 0 : 0x50 + version, UInt8(program.count)] + program
}

private func addressKey(forScript script: [UInt8]) -> AddressKey? {
    script.withUnsafeBytes { AddressKey(classification: ScriptClassifier.classify($0), script: $0) }
}

struct AddressTests {
    // MARK: Bech32 / Bech32m strings (BIP 173, BIP 350)

    @Test func bip173ValidStringsDecodeAsBech32AndReencode() throws {
        let v = try BIPBech32Vectors.load("bech32/bip173_bech32.json")
        #expect(v.validStrings.count == 7)
        for s in v.validStrings {
            let decoded = try #require(Bech32.decode(s), "\(s)")
            #expect(decoded.variant == .bech32, "\(s)")
            #expect(Bech32.encode(hrp: decoded.hrp, data5: decoded.data5, variant: decoded.variant) == s.lowercased())
        }
    }

    @Test func bip350ValidStringsDecodeAsBech32mAndReencode() throws {
        let v = try BIPBech32Vectors.load("bech32/bip350_bech32m.json")
        #expect(v.validStrings.count == 7)
        for s in v.validStrings {
            let decoded = try #require(Bech32.decode(s), "\(s)")
            #expect(decoded.variant == .bech32m, "\(s)")
            #expect(Bech32.encode(hrp: decoded.hrp, data5: decoded.data5, variant: decoded.variant) == s.lowercased())
        }
    }

    @Test func invalidBech32AndBech32mStringsAreRejected() throws {
        let v173 = try BIPBech32Vectors.load("bech32/bip173_bech32.json")
        let v350 = try BIPBech32Vectors.load("bech32/bip350_bech32m.json")
        #expect(v173.invalidStrings.count == 12 && v350.invalidStrings.count == 14)
        for item in v173.invalidStrings + v350.invalidStrings {
            #expect(Bech32.decode(item.string) == nil, "\(item.string.debugDescription): \(item.reason)")
        }
    }

    @Test func checksumVariantsAreNotInterchangeable() throws {
        // Each BIP's valid strings, with the other variant's constant, must not verify as that variant.
        let v173 = try BIPBech32Vectors.load("bech32/bip173_bech32.json")
        for s in v173.validStrings {
            let d = try #require(Bech32.decode(s))
            let asM = Bech32.encode(hrp: d.hrp, data5: d.data5, variant: .bech32m)
            #expect(asM != s.lowercased())
            #expect(Bech32.decode(asM)?.variant == .bech32m)
        }
    }

    // MARK: Segwit addresses (BIP 173, BIP 350)

    @Test func bip350ValidSegwitAddresses() throws {
        let v = try BIPBech32Vectors.load("bech32/bip350_bech32m.json")
        #expect(v.validSegwitAddresses.count == 8)
        for item in v.validSegwitAddresses {
            let hrp = hrpOf(item.address)
            let expectedScript = try #require(Hex.decode(item.scriptPubKey))
            let decoded = try #require(Bech32.decodeSegwit(hrp: hrp, item.address), "\(item.address)")
            #expect(witnessScript(version: decoded.version, program: decoded.program) == expectedScript, "\(item.address)")
            #expect(Bech32.encodeSegwit(hrp: hrp, version: decoded.version, program: decoded.program)
                    == item.address.lowercased())

            // Through the classifier and AddressKey.
            let net = try #require(network(forHRP: hrp))
            let key = try #require(addressKey(forScript: expectedScript), "\(item.address)")
            #expect(key.render(on: net) == item.address.lowercased())
            #expect(try AddressKey.parse(item.address, network: net) == key)
        }
    }

    @Test func bip173ValidSegwitAddresses() throws {
        // v0 addresses stay valid; BIP 173's bech32 v1+ addresses are invalid since BIP 350.
        let v = try BIPBech32Vectors.load("bech32/bip173_bech32.json")
        #expect(v.validSegwitAddresses.count == 6)
        var v0 = 0, superseded = 0
        for item in v.validSegwitAddresses {
            let hrp = hrpOf(item.address)
            let script = try #require(Hex.decode(item.scriptPubKey))
            let net = try #require(network(forHRP: hrp))
            if script[0] == 0 {
                v0 += 1
                let decoded = try #require(Bech32.decodeSegwit(hrp: hrp, item.address))
                #expect(witnessScript(version: decoded.version, program: decoded.program) == script)
                #expect(Bech32.encodeSegwit(hrp: hrp, version: decoded.version, program: decoded.program)
                        == item.address.lowercased())
                #expect(try AddressKey.parse(item.address, network: net) == addressKey(forScript: script))
            } else {
                superseded += 1
                #expect(Bech32.decodeSegwit(hrp: hrp, item.address) == nil, "\(item.address)")
                #expect(throws: AddressError.wrongEncoding) { try AddressKey.parse(item.address, network: net) }
                // The same program renders with bech32m instead.
                let k = try #require(addressKey(forScript: script))
                #expect(k.render(on: net) != item.address.lowercased())
                #expect(try AddressKey.parse(k.render(on: net), network: net) == k)
            }
        }
        #expect(v0 == 3 && superseded == 3)
    }

    @Test func invalidSegwitAddressesAreRejected() throws {
        let v173 = try BIPBech32Vectors.load("bech32/bip173_bech32.json")
        let v350 = try BIPBech32Vectors.load("bech32/bip350_bech32m.json")
        #expect(v173.invalidSegwitAddresses.count == 10 && v350.invalidSegwitAddresses.count == 15)
        for item in v173.invalidSegwitAddresses + v350.invalidSegwitAddresses {
            for hrp in ["bc", "tb", "bcrt"] {
                #expect(Bech32.decodeSegwit(hrp: hrp, item.address) == nil, "\(item.address): \(item.reason)")
            }
            for net in Network.all {
                #expect(throws: AddressError.self, "\(item.address): \(item.reason)") {
                    try AddressKey.parse(item.address, network: net)
                }
            }
        }
    }

    @Test func segwitErrorsSayWhy() {
        // A few BIP 350 invalid vectors, each with the specific error its reason names.
        let cases: [(String, AddressError)] = [
            ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", .wrongEncoding),
            ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", .wrongEncoding),
            ("BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", .invalidWitnessVersion),
            ("bc1pw5dgrnzv", .invalidProgramLength),
            ("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", .invalidProgramLength),
            ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", .invalidChecksum),
            ("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", .invalidCharacter),
            ("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", .mixedCase),
            ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
             .wrongNetwork(expected: "main", found: "test")),
            ("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
             .wrongNetwork(expected: "main", found: nil)),
        ]
        for (address, expected) in cases {
            #expect(throws: expected, "\(address)") { try AddressKey.parse(address, network: .mainnet) }
        }
    }

    // MARK: Base58

    @Test func base58EncodeDecodeVectors() throws {
        let rows = try #require(try loadJSON("bitcoin-core/base58_encode_decode.json") as? [[String]])
        #expect(rows.count == 21)
        for row in rows {
            let bytes = try #require(Hex.decode(row[0]))
            #expect(Base58.encode(bytes) == row[1], "\(row[0])")
            #expect(Base58.decode(row[1]) == bytes, "\(row[1])")
        }
    }

    @Test func base58RejectsCharactersOutsideTheAlphabet() {
        for s in ["0", "O", "I", "l", "3SEo3LWLoPn0C", "é", " 2g", "2g "] {
            #expect(Base58.decode(s) == nil, "\(s)")
        }
    }

    @Test func base58CheckRoundTripAndCorruption() throws {
        // Core's P2PKH vector: version 0 + hash160 from key_io_valid.json.
        let address = "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo"
        let payload = try #require(Base58.decodeCheck(address))
        #expect(payload == [0x00] + (Hex.decode("a31c06bd463e3923bc1aadbde48b16976c080717") ?? []))
        #expect(Base58.encodeCheck(payload) == address)
        #expect(Base58.decodeCheck("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mp") == nil)
        #expect(Base58.decodeCheck("1") == nil)
        #expect(Base58.decodeCheck("") == nil)
    }

    // MARK: Bitcoin Core key_io vectors

    @Test func coreKeyIOValidAddresses() throws {
        let entries = try KeyIOEntry.loadAll().filter { !$0.isPrivkey }
        #expect(entries.count == 54)
        for e in entries {
            let net = try #require(network(forCoreChain: e.chain), "chain \(e.chain)")
            let script = try #require(Hex.decode(e.hex))
            let key = try #require(addressKey(forScript: script), "\(e.string) \(e.hex)")
            #expect(key.render(on: net) == e.string, "\(e.hex)")
            #expect(try AddressKey.parse(e.string, network: net) == key, "\(e.string)")
            #expect(AddressKey(storageBytes: key.storageBytes) == key)

            // Core: the case-flipped string is valid exactly when tryCaseFlip is set.
            let flipped = caseFlipped(e.string)
            if e.tryCaseFlip {
                #expect(try AddressKey.parse(flipped, network: net) == key, "\(flipped)")
            } else {
                #expect(throws: AddressError.self, "\(flipped)") { try AddressKey.parse(flipped, network: net) }
            }

            // Testnet4 and testnet3 share their prefixes and HRP.
            if net == .testnet4 {
                #expect(try AddressKey.parse(e.string, network: .testnet3) == key)
            }

            // On another network: rejected as wrong network, naming one whose prefix/HRP it carries.
            let other: Network = net == .mainnet ? .regtest : .mainnet
            do {
                _ = try AddressKey.parse(e.string, network: other)
                Issue.record("\(e.string) parsed on \(other.name)")
            } catch {
                guard case .wrongNetwork(let expected, let found) = error else {
                    Issue.record("\(e.string) on \(other.name): \(error)")
                    continue
                }
                #expect(expected == other.name)
                let foundNet = try #require(found.flatMap(Network.named), "\(e.string)")
                #expect(key.render(on: foundNet) == e.string)
            }
        }
    }

    @Test func coreKeyIOPrivateKeysAreNotAddresses() throws {
        let entries = try KeyIOEntry.loadAll().filter(\.isPrivkey)
        #expect(entries.count == 16)
        for e in entries {
            for net in Network.all {
                #expect(throws: AddressError.self, "\(e.string)") { try AddressKey.parse(e.string, network: net) }
            }
        }
    }

    @Test func coreKeyIOInvalidStringsAreRejectedOnEveryNetwork() throws {
        let rows = try #require(try loadJSON("bitcoin-core/key_io_invalid.json") as? [[String]])
        #expect(rows.count == 70)
        for row in rows {
            let s = try #require(row.first)
            for net in Network.all {
                #expect(throws: AddressError.self, "\(s.debugDescription) on \(net.name)") {
                    try AddressKey.parse(s, network: net)
                }
            }
        }
    }

    // MARK: AddressKey

    @Test func anchorAndOtherNetworksRender() throws {
        // P2A: OP_1 <4e73>; the address Core documents for it on mainnet.
        let anchor = try #require(addressKey(forScript: [0x51, 0x02, 0x4e, 0x73]))
        #expect(anchor.kind == .anchor && anchor.witnessVersion == 1 && anchor.payload == [0x4e, 0x73])
        #expect(anchor.render(on: .mainnet) == "bc1pfeessrawgf")
        #expect(try AddressKey.parse("bc1pfeessrawgf", network: .mainnet) == anchor)
        #expect(try AddressKey.parse("tb1pfees9rn5nz", network: .signet) == anchor)

        // Litecoin: BIP 173's P2WPKH program and a P2PKH hash with Litecoin's prefixes
        // (expected strings computed independently with a Python bech32/base58 implementation).
        let program = try #require(Hex.decode("751e76e8199196d454941c45d1b3a323f1433bd6"))
        let wpkh = AddressKey(kind: .p2wpkh, payload: program)
        #expect(wpkh.render(on: .litecoin) == "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9")
        #expect(try AddressKey.parse("ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9", network: .litecoin) == wpkh)
        let pkh = AddressKey(kind: .p2pkh, payload: program)
        #expect(pkh.render(on: .litecoin) == "LVuDpNCSSj6pQ7t9Pv6d6sUkLKoqDEVUnJ")
        #expect(try AddressKey.parse("LVuDpNCSSj6pQ7t9Pv6d6sUkLKoqDEVUnJ", network: .litecoin) == pkh)
    }

    @Test func addressKeyStorageAndIdentity() throws {
        let hash = [UInt8](repeating: 0xab, count: 20)
        let a = AddressKey(kind: .p2pkh, payload: hash)
        #expect(a.payload == hash)
        #expect(a.storageBytes == [1, 0] + hash)
        #expect(AddressKey(storageBytes: a.storageBytes) == a)
        #expect(a != AddressKey(kind: .p2sh, payload: hash))
        #expect(a != AddressKey(kind: .p2wpkh, payload: hash))
        #expect(Set([a, AddressKey(kind: .p2pkh, payload: hash)]).count == 1)

        let program40 = (0..<40).map { UInt8($0) }
        let unknown = AddressKey(kind: .witnessUnknown, witnessVersion: 16, payload: program40)
        #expect(unknown.payload == program40)
        #expect(AddressKey(storageBytes: unknown.storageBytes) == unknown)
        #expect(unknown != AddressKey(kind: .witnessUnknown, witnessVersion: 15, payload: program40))

        // Taproot's version is implied by its kind.
        let tr = AddressKey(kind: .p2tr, payload: [UInt8](repeating: 7, count: 32))
        #expect(tr.witnessVersion == 1)
        #expect(tr == AddressKey(kind: .p2tr, witnessVersion: 1, payload: [UInt8](repeating: 7, count: 32)))

        // Malformed storage is rejected.
        #expect(AddressKey(storageBytes: []) == nil)
        #expect(AddressKey(storageBytes: [0, 0] + hash) == nil)       // no kind 0
        #expect(AddressKey(storageBytes: [8, 0] + hash) == nil)       // no kind 8
        #expect(AddressKey(storageBytes: [1, 0] + hash.dropLast()) == nil)
        #expect(AddressKey(storageBytes: [1, 0] + hash + [0]) == nil)
        #expect(AddressKey(storageBytes: [4, 0] + hash) == nil)       // p2wsh needs 32 bytes
        #expect(AddressKey(storageBytes: [7, 1, 0x4e]) == nil)        // anchor needs 2 bytes
        #expect(AddressKey(storageBytes: [5, 0] + [UInt8](repeating: 7, count: 32)) == nil)  // p2tr v0
        #expect(AddressKey(storageBytes: [6, 0, 1, 2]) == nil)        // unknown v0
        #expect(AddressKey(storageBytes: [6, 17, 1, 2]) == nil)       // version 17
        #expect(AddressKey(storageBytes: [6, 2, 1]) == nil)           // 1-byte program
    }

    @Test func addressKeyFromClassificationChecksBounds() {
        let script: [UInt8] = [0x00, 0x14] + [UInt8](repeating: 1, count: 20)
        let bogus = ScriptClassification(type: .witnessV0KeyHash, witnessVersion: 0, payloadOffset: 10, payloadLength: 20)
        script.withUnsafeBytes { buf in
            #expect(AddressKey(classification: bogus, script: buf) == nil)
            #expect(AddressKey(classification: .nonstandard, script: buf) == nil)
            #expect(AddressKey(classification: ScriptClassification(type: .multisig), script: buf) == nil)
            #expect(AddressKey(classification: ScriptClassification(type: .nulldata), script: buf) == nil)
        }
    }

    @Test func parseRejectsJunk() {
        #expect(throws: AddressError.invalidLength) { try AddressKey.parse("", network: .mainnet) }
        #expect(throws: AddressError.unknownFormat) { try AddressKey.parse("not an address", network: .mainnet) }
        #expect(throws: AddressError.self) { try AddressKey.parse(" 1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", network: .mainnet) }
        #expect(throws: AddressError.invalidChecksum) {
            try AddressKey.parse("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mp", network: .mainnet)
        }
        // A testnet P2PKH address (Core key_io vector) on mainnet names testnet.
        #expect(throws: AddressError.wrongNetwork(expected: "main", found: "test")) {
            try AddressKey.parse("mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ", network: .mainnet)
        }
        // Base58Check with a version byte no network uses (a WIF key's 0x80, with 32+1 bytes) → length.
        #expect(throws: AddressError.invalidLength) {
            try AddressKey.parse(Base58.encodeCheck([0x80] + [UInt8](repeating: 1, count: 33)), network: .mainnet)
        }
        // 21-byte payloads whose version byte no network uses.
        for version: UInt8 in [0x01, 0x80, 0x99, 0xff] {
            #expect(throws: AddressError.wrongNetwork(expected: "main", found: nil)) {
                try AddressKey.parse(Base58.encodeCheck([version] + [UInt8](repeating: 1, count: 20)), network: .mainnet)
            }
        }
        // Litecoin's P2SH prefix (0x32) on mainnet names litecoin.
        #expect(throws: AddressError.wrongNetwork(expected: "main", found: "litecoin")) {
            try AddressKey.parse(Base58.encodeCheck([0x32] + [UInt8](repeating: 1, count: 20)), network: .mainnet)
        }
        #expect(!AddressError.mixedCase.description.isEmpty)
    }

    // MARK: PublicKey

    /// The key in the genesis block's coinbase output.
    private static let genesisKeyHex =
        "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f"

    @Test func genesisKeyOwnerAddresses() throws {
        let bytes = try #require(Hex.decode(Self.genesisKeyHex))
        let key = try #require(PublicKey(bytes))
        #expect(key.uncompressed == bytes)
        // y ends in 0x5f (odd) → prefix 03.
        #expect(Hex.encode(key.compressed) == "03678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb6")

        // Expected strings computed independently with Python (hashlib ripemd160, `base58`,
        // `ecdsa` for the compressed point, and a BIP 173 encoder).
        let rendered = key.ownerAddressKeys.map { $0.render(on: .mainnet) }
        #expect(rendered == [
            "1FYPDCP1uVnPgEE3gaDMbAApdv9XYX7Si5",          // P2PKH(compressed)
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",          // P2PKH(uncompressed): the genesis address
            "bc1qn7qnytxgsc3v5nxt9ff2y83g3pe84ff42stydj",  // P2WPKH(compressed)
            "3Qw5A3CNngBRLUsrpHfg1mrL6wsYoM8XGQ",          // P2SH-P2WPKH(compressed)
        ])

        // The genesis output script, P2PK: its address is the uncompressed key's P2PKH.
        let script = [0x41] + bytes + [0xac]
        #expect(ScriptClassifier.classify(script).type == .pubkey)
        #expect(addressKey(forScript: script)?.render(on: .mainnet) == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    }

    @Test func publicKeyFormsAgree() throws {
        let bytes = try #require(Hex.decode(Self.genesisKeyHex))
        let key = try #require(PublicKey(bytes))
        #expect(PublicKey(key.compressed) == key)
        // Hybrid: 06 for even y, 07 for odd y. The genesis key's y is odd.
        #expect(PublicKey([0x07] + bytes.dropFirst()) == key)
        #expect(PublicKey([0x06] + bytes.dropFirst()) == nil)
        // The generator G, compressed (even y).
        let g = try #require(Hex.decode("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"))
        let gKey = try #require(PublicKey(g))
        #expect(gKey.compressed == g)
        #expect(Hex.encode(gKey.uncompressed) ==
                "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
    }

    @Test func invalidPublicKeysAreRejected() throws {
        // x = 5: 5^3 + 7 = 132 is not a square mod p (checked in Python), so no point has this x.
        let offCurve: [UInt8] = [0x02] + [UInt8](repeating: 0, count: 31) + [0x05]
        #expect(PublicKey(offCurve) == nil)
        #expect(PublicKey([0x03] + offCurve.dropFirst()) == nil)
        let bytes = try #require(Hex.decode(Self.genesisKeyHex))
        #expect(PublicKey(Array(bytes.dropLast())) == nil)            // 64 bytes
        #expect(PublicKey([0x05] + bytes.dropFirst()) == nil)         // bad prefix
        var badY = bytes
        badY[64] ^= 1                                                 // off the curve
        #expect(PublicKey(badY) == nil)
        #expect(PublicKey([UInt8]()) == nil)
        #expect(PublicKey([0x04] + [UInt8](repeating: 0, count: 64)) == nil)  // the point at infinity is no key
    }

    // MARK: Chains without segwit

    /// A segwit address is no address on Bitcoin Cash or Dogecoin: parsing fails with an error
    /// that names the chain whose HRP it carries (or says none matches), never a key.
    @Test func segwitAddressesFailClearlyOnChainsWithoutSegwit() throws {
        let program = try #require(Hex.decode("751e76e8199196d454941c45d1b3a323f1433bd6"))
        let taproot = try #require(Hex.decode("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"))
        let cases: [(text: String, found: String?)] = [
            ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "main"),
            ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "main"),
            ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "main"),
            ("bc1pfeessrawgf", "main"),
            (Bech32.encodeSegwit(hrp: "tb", version: 0, program: program), "test"),
            (Bech32.encodeSegwit(hrp: "ltc", version: 1, program: taproot), "litecoin"),
            // Dogecoin's 1.21 development branch names the HRP "doge"; the chain has no segwit.
            (Bech32.encodeSegwit(hrp: "doge", version: 0, program: program), nil),
        ]
        for network in [Network.bitcoinCash, .dogecoin] {
            for (text, found) in cases {
                let expected = AddressError.wrongNetwork(expected: network.name, found: found)
                #expect(throws: expected, "\(text) on \(network.name)") { try AddressKey.parse(text, network: network) }
                let message = expected.description
                #expect(message.contains("'\(network.name)'") && (found.map { message.contains("'\($0)'") } ?? true), "\(message)")
            }
        }
    }
}
