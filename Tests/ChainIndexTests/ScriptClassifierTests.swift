import Testing
import ChainIndex

/// Script hex → bytes (test inputs are literals; a typo fails the test rather than trapping).
private func script(_ hex: String) throws -> [UInt8] {
    try #require(Hex.decode(hex), "bad hex \(hex)")
}

private func classify(_ hex: String) throws -> ScriptClassification {
    ScriptClassifier.classify(try script(hex))
}

/// The payload the classification points at.
private func payloadHex(_ hex: String) throws -> String {
    let bytes = try script(hex)
    let c = ScriptClassifier.classify(bytes)
    return Hex.encode(bytes[c.payloadOffset..<(c.payloadOffset + c.payloadLength)])
}

/// Public keys used to build scripts: the genesis coinbase key (uncompressed and compressed) and G.
private let genesisKey =
    "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f"
private let genesisKeyCompressed = "03678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb6"
private let generatorG = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"

struct ScriptClassifierTests {
    @Test func coreNames() {
        // Bitcoin Core's GetTxnOutputType strings, in TxoutType order.
        let names = ["nonstandard", "pubkey", "pubkeyhash", "scripthash", "multisig", "nulldata",
                     "witness_v0_keyhash", "witness_v0_scripthash", "witness_v1_taproot", "witness_unknown", "anchor"]
        #expect(ScriptType.allCases.map(\.coreName) == names)
        #expect(ScriptType.allCases.map(\.rawValue) == Array(0...10))
        for t in ScriptType.allCases { #expect(ScriptType(coreName: t.coreName) == t) }
        #expect(ScriptType(coreName: "witness_v0_keyhash") == .witnessV0KeyHash)
        #expect(ScriptType(coreName: "p2pkh") == nil)
    }

    @Test func payToPubkeyUncompressed() throws {
        // The genesis block's coinbase output.
        let hex = "41" + genesisKey + "ac"
        #expect(try classify(hex) == ScriptClassification(type: .pubkey, witnessVersion: 0, payloadOffset: 1, payloadLength: 65))
        #expect(try payloadHex(hex) == genesisKey)
    }

    @Test func payToPubkeyCompressed() throws {
        let hex = "21" + genesisKeyCompressed + "ac"
        #expect(try classify(hex) == ScriptClassification(type: .pubkey, payloadOffset: 1, payloadLength: 33))
        #expect(try payloadHex(hex) == genesisKeyCompressed)
    }

    @Test func payToPubkeyNeedsAValidSizeForItsPrefix() throws {
        // Hybrid prefix 06 with 65 bytes is a valid size (Core's CPubKey::ValidSize).
        #expect(try classify("4106" + genesisKey.dropFirst(2) + "ac").type == .pubkey)
        // 33 bytes starting 04, 65 bytes starting 02, and prefix 05: nonstandard.
        #expect(try classify("2104" + genesisKeyCompressed.dropFirst(2) + "ac").type == .nonstandard)
        #expect(try classify("4102" + genesisKey.dropFirst(2) + "ac").type == .nonstandard)
        #expect(try classify("2105" + genesisKeyCompressed.dropFirst(2) + "ac").type == .nonstandard)
        // Wrong final opcode.
        #expect(try classify("21" + genesisKeyCompressed + "ad").type == .nonstandard)
    }

    @Test func payToPubkeyHash() throws {
        // key_io_valid.json: 1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo.
        let hex = "76a914a31c06bd463e3923bc1aadbde48b16976c08071788ac"
        #expect(try classify(hex) == ScriptClassification(type: .pubkeyhash, payloadOffset: 3, payloadLength: 20))
        #expect(try payloadHex(hex) == "a31c06bd463e3923bc1aadbde48b16976c080717")
        #expect(try classify("76a914a31c06bd463e3923bc1aadbde48b16976c08071788ad").type == .nonstandard)
    }

    @Test func payToScriptHash() throws {
        // key_io_valid.json: 36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm.
        let hex = "a914373b819a068f32b7a6b38b6b38729647cfde01c287"
        #expect(try classify(hex) == ScriptClassification(type: .scripthash, payloadOffset: 2, payloadLength: 20))
        #expect(try payloadHex(hex) == "373b819a068f32b7a6b38b6b38729647cfde01c2")
        #expect(try classify("a914373b819a068f32b7a6b38b6b38729647cfde01c288").type == .nonstandard)
    }

    @Test func witnessV0KeyHash() throws {
        // BIP 173: BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4.
        let hex = "0014751e76e8199196d454941c45d1b3a323f1433bd6"
        #expect(try classify(hex) == ScriptClassification(type: .witnessV0KeyHash, payloadOffset: 2, payloadLength: 20))
        #expect(try payloadHex(hex) == "751e76e8199196d454941c45d1b3a323f1433bd6")
    }

    @Test func witnessV0ScriptHash() throws {
        // BIP 173: tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7.
        let hex = "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"
        #expect(try classify(hex) == ScriptClassification(type: .witnessV0ScriptHash, payloadOffset: 2, payloadLength: 32))
        #expect(try payloadHex(hex) == "1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262")
    }

    @Test func witnessV1Taproot() throws {
        // BIP 350: bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0.
        let hex = "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        #expect(try classify(hex) == ScriptClassification(type: .witnessV1Taproot, witnessVersion: 1, payloadOffset: 2, payloadLength: 32))
    }

    @Test func witnessUnknownVersions() throws {
        // BIP 350: v2 with 16 bytes, v16 with 2 bytes, v1 with 40 bytes.
        #expect(try classify("5210751e76e8199196d454941c45d1b3a323")
                == ScriptClassification(type: .witnessUnknown, witnessVersion: 2, payloadOffset: 2, payloadLength: 16))
        #expect(try classify("6002751e")
                == ScriptClassification(type: .witnessUnknown, witnessVersion: 16, payloadOffset: 2, payloadLength: 2))
        #expect(try classify("5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6")
                == ScriptClassification(type: .witnessUnknown, witnessVersion: 1, payloadOffset: 2, payloadLength: 40))
        // key_io_valid.json: bc1z2rksukkjr8 (v2, 2 bytes).
        #expect(try classify("520250ed").type == .witnessUnknown)
    }

    @Test func payToAnchor() throws {
        #expect(try classify("51024e73") == ScriptClassification(type: .anchor, witnessVersion: 1, payloadOffset: 2, payloadLength: 2))
        // Same program under another version, or another 2-byte v1 program, is witness_unknown.
        #expect(try classify("52024e73").type == .witnessUnknown)
        #expect(try classify("51024e74").type == .witnessUnknown)
    }

    @Test func witnessProgramBoundaries() throws {
        // v0 with 25 bytes (or any size but 20/32) is nonstandard, not witness_unknown.
        #expect(try classify("0019" + String(repeating: "ab", count: 25)) == .nonstandard)
        #expect(try classify("0002abcd") == .nonstandard)
        // A 1-byte or 41-byte push is not a witness program.
        #expect(try classify("5101ab").type == .nonstandard)
        #expect(try classify("5129" + String(repeating: "ab", count: 41)).type == .nonstandard)
        // The push must be direct and fill the script.
        #expect(try classify("514c20" + String(repeating: "ab", count: 32)).type == .nonstandard)
        #expect(try classify("5120" + String(repeating: "ab", count: 32) + "00").type == .nonstandard)
        // OP_1NEGATE (0x4f) and OP_RESERVED (0x50) are not version opcodes.
        #expect(try classify("4f20" + String(repeating: "ab", count: 32)).type == .nonstandard)
        #expect(try classify("5020" + String(repeating: "ab", count: 32)).type == .nonstandard)
    }

    @Test func bareMultisigOneOfTwo() throws {
        let hex = "51" + "21" + genesisKeyCompressed + "21" + generatorG + "52" + "ae"
        #expect(try classify(hex) == ScriptClassification(type: .multisig))
    }

    @Test func bareMultisigFromTestnet() throws {
        // A 2-of-2 output script spent in Core's blockfilters.json (testnet3).
        let hex = "5221033423007d8f263819a2e42becaaf5b06f34cb09919e06304349d950668209eaed21021d69e2b68c3960903b702af7829fadcd80bd89b158150c85c4a75b2c8cb9c39452ae"
        #expect(try classify(hex).type == .multisig)
    }

    @Test func multisigRules() throws {
        let k = "21" + generatorG
        let u = "41" + genesisKey
        // Mixed compressed and uncompressed keys, 2-of-3.
        #expect(try classify("52" + k + u + k + "53ae").type == .multisig)
        // A key of invalid size (33 bytes with prefix 04) → nonstandard.
        #expect(try classify("51" + k + "2104" + genesisKeyCompressed.dropFirst(2) + "52ae").type == .nonstandard)
        // m > n, n ≠ number of keys, m = 0.
        #expect(try classify("53" + k + k + "52ae").type == .nonstandard)
        #expect(try classify("51" + k + k + "53ae").type == .nonstandard)
        #expect(try classify("00" + k + "51ae").type == .nonstandard)
        // Trailing bytes before OP_CHECKMULTISIG, or missing it.
        #expect(try classify("51" + k + "5151ae").type == .nonstandard)
        #expect(try classify("51" + k + "51ac").type == .nonstandard)
        // 16 keys with OP_16.
        #expect(try classify("51" + String(repeating: k, count: 16) + "60ae").type == .multisig)
        // 17...20 keys: n as a minimal one-byte push (Core's GetScriptNumber).
        #expect(try classify("51" + String(repeating: k, count: 20) + "0114ae").type == .multisig)
        #expect(try classify("0111" + String(repeating: k, count: 17) + "0111ae").type == .multisig)
        // 21 keys is over MAX_PUBKEYS_PER_MULTISIG.
        #expect(try classify("51" + String(repeating: k, count: 21) + "0115ae").type == .nonstandard)
        // A non-minimal push of a small number is rejected.
        #expect(try classify("0101" + k + "51ae").type == .nonstandard)
        #expect(try classify("51" + k + k + "0102ae").type == .nonstandard)
        // A key pushed with OP_PUSHDATA1 still counts (ValidSize looks at the data only).
        #expect(try classify("51" + "4c21" + generatorG + "51ae").type == .multisig)
        // Truncated key push.
        #expect(try classify("51" + "21" + generatorG.dropLast(2) + "51ae").type == .nonstandard)
    }

    @Test func nullData() throws {
        // OP_RETURN alone, with a direct push, with OP_PUSHDATA1, with small-integer opcodes.
        #expect(try classify("6a") == ScriptClassification(type: .nulldata))
        #expect(try classify("6a0b68656c6c6f20776f726c64").type == .nulldata)
        #expect(try classify("6a4c50" + String(repeating: "00", count: 80)).type == .nulldata)
        #expect(try classify("6a00514f60").type == .nulldata)
        // OP_RESERVED (0x50) counts as push-only, as in Core's IsPushOnly.
        #expect(try classify("6a50").type == .nulldata)
    }

    @Test func nullDataNeedsPushesOnly() throws {
        // OP_RETURN followed by a non-push (OP_DUP), or by a truncated push → nonstandard.
        #expect(try classify("6a76") == .nonstandard)
        #expect(try classify("6a0b68656c6c6f61") == .nonstandard)
        #expect(try classify("6a04deadbeef76") == .nonstandard)
        #expect(try classify("6a4d0100") == .nonstandard)
        #expect(try classify("6a4e0100") == .nonstandard)
    }

    @Test func nonstandard() throws {
        #expect(ScriptClassifier.classify([UInt8]()) == .nonstandard)
        #expect(ScriptClassifier.classify(UnsafeRawBufferPointer(start: nil, count: 0)) == .nonstandard)
        #expect(try classify("51") == .nonstandard)          // OP_TRUE
        #expect(try classify("00") == .nonstandard)
        #expect(try classify("ae") == .nonstandard)          // lone OP_CHECKMULTISIG
        #expect(try classify("ac") == .nonstandard)
        #expect(try classify("4c") == .nonstandard)          // truncated OP_PUSHDATA1
        #expect(try classify("a820" + String(repeating: "ab", count: 32) + "87") == .nonstandard)  // OP_SHA256 <h> OP_EQUAL
        #expect(ScriptClassifier.classify([0x00]).payloadLength == 0)
    }

    @Test func bufferAndArrayAgree() throws {
        let bytes = try script("0014751e76e8199196d454941c45d1b3a323f1433bd6")
        // Classify a slice inside a larger buffer: offsets are relative to the slice.
        let padded = [0xff, 0xff] + bytes + [0xff]
        let c = padded.withUnsafeBytes { ScriptClassifier.classify(UnsafeRawBufferPointer(rebasing: $0[2..<(2 + bytes.count)])) }
        #expect(c == ScriptClassifier.classify(bytes))
    }

    // MARK: Witness-shaped scripts on chains without segwit

    /// ``WitnessOutputRule``: Bitcoin Core's classification on segwit chains; Dogecoin Core 1.14
    /// (Core 0.14's Solver) keeps only the v0 key/script hash templates; Bitcoin Cash Node keeps
    /// none. Non-witness types are never changed, and witness types have addresses only on segwit.
    @Test func witnessOutputRules() throws {
        let h20 = "751e76e8199196d454941c45d1b3a323f1433bd6", h32 = String(repeating: "ab", count: 32)
        let rows: [(hex: String, segwit: ScriptType, doge: ScriptType, bch: ScriptType)] = [
            ("0014" + h20, .witnessV0KeyHash, .witnessV0KeyHash, .nonstandard),
            ("0020" + h32, .witnessV0ScriptHash, .witnessV0ScriptHash, .nonstandard),
            ("5120" + h32, .witnessV1Taproot, .nonstandard, .nonstandard),
            ("51024e73", .anchor, .nonstandard, .nonstandard),
            ("6002751e", .witnessUnknown, .nonstandard, .nonstandard),
            ("5214" + h20, .witnessUnknown, .nonstandard, .nonstandard),
            ("0003aabbcc", .nonstandard, .nonstandard, .nonstandard),       // v0 of another size
            ("76a914" + h20 + "88ac", .pubkeyhash, .pubkeyhash, .pubkeyhash),
            ("a914" + h20 + "87", .scripthash, .scripthash, .scripthash),
            ("21" + genesisKeyCompressed + "ac", .pubkey, .pubkey, .pubkey),
            ("5121" + generatorG + "51ae", .multisig, .multisig, .multisig),
            ("6a04deadbeef", .nulldata, .nulldata, .nulldata),
        ]
        for row in rows {
            let bytes = try script(row.hex)
            let core = ScriptClassifier.classify(bytes)
            #expect(core.type == row.segwit, "\(row.hex)")
            for (rule, expected) in [(WitnessOutputRule.segwit, row.segwit), (.v0TypesWithoutAddresses, row.doge), (.nonstandard, row.bch)] {
                let (c, address) = rule.classify(bytes)
                #expect(c.type == expected, "\(row.hex) under \(rule)")
                #expect(c == rule.apply(core), "\(row.hex) under \(rule)")
                // Unchanged types keep Core's payload; a downgraded one is plain nonstandard.
                #expect(c == (expected == core.type ? core : .nonstandard), "\(row.hex) under \(rule)")
                let coreAddress = bytes.withUnsafeBytes { AddressKey(classification: core, script: $0) }
                if rule == .segwit || !expected.isWitness {
                    #expect(address == (expected == core.type ? coreAddress : nil), "\(row.hex) under \(rule)")
                } else {
                    #expect(address == nil, "\(row.hex) under \(rule): a witness type without segwit has no address")
                }
            }
        }
    }

    @Test func witnessTypesAreTheWitnessTemplates() {
        let witness: Set<ScriptType> = [.witnessV0KeyHash, .witnessV0ScriptHash, .witnessV1Taproot, .witnessUnknown, .anchor]
        for t in ScriptType.allCases { #expect(t.isWitness == witness.contains(t), "\(t)") }
        #expect(!WitnessOutputRule.nonstandard.hasAddress(.witnessV0KeyHash) && WitnessOutputRule.segwit.hasAddress(.anchor))
        #expect(WitnessOutputRule.v0TypesWithoutAddresses.hasAddress(.pubkeyhash))
    }
}
