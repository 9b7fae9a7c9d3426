/// The result of classifying a scriptPubKey. A plain value: classifying allocates nothing.
///
/// `payloadOffset` / `payloadLength` locate, within the classified script, the part that identifies
/// the owner: the 20-byte hash (P2PKH, P2SH, P2WPKH), the witness program (P2WSH, P2TR, unknown
/// witness versions, the anchor's `4e73`), or the public key bytes (P2PK). Both are 0 when the type
/// has no such payload (nulldata, multisig, nonstandard).
public struct ScriptClassification: Sendable, Equatable {
    /// The template the script matches.
    public var type: ScriptType
    /// The witness version (0...16) for witness types; 0 for every other type.
    public var witnessVersion: UInt8
    /// Byte offset of the payload inside the script.
    public var payloadOffset: Int
    /// Length of the payload in bytes.
    public var payloadLength: Int

    /// Builds a classification from its parts.
    @inlinable
    public init(type: ScriptType, witnessVersion: UInt8 = 0, payloadOffset: Int = 0, payloadLength: Int = 0) {
        self.type = type
        self.witnessVersion = witnessVersion
        self.payloadOffset = payloadOffset
        self.payloadLength = payloadLength
    }

    /// A nonstandard script: no payload.
    public static let nonstandard = ScriptClassification(type: .nonstandard)
}

/// Classifies output scripts exactly as Bitcoin Core's `Solver` (script/solver.cpp) does.
///
/// The rules, in Core's order: P2SH (the exact 23-byte pattern); a witness program (BIP 141:
/// `OP_0` or `OP_1`...`OP_16` followed by a single direct push of 2...40 bytes filling the script):
/// v0 with 20 bytes is a key hash, v0 with 32 a script hash, other v0 sizes nonstandard, v1 with
/// 32 bytes taproot, `OP_1 <4e73>` the pay-to-anchor, anything else `witness_unknown`;
/// `OP_RETURN` followed only by pushes (`IsPushOnly`) is nulldata; then P2PK with a key of valid
/// size, P2PKH, and bare multisig (`MatchMultisig`). Everything else, including the empty script,
/// is nonstandard.
///
/// The classifier runs on every output during import: it only reads bytes and never allocates.
public enum ScriptClassifier {
    /// Classifies the script in `script` (which may be empty, with a nil base address).
    public static func classify(_ script: UnsafeRawBufferPointer) -> ScriptClassification {
        guard let base = script.baseAddress, script.count > 0 else { return .nonstandard }
        return classify(Script(base: base, count: script.count))
    }

    /// Classifies the script in `script`.
    public static func classify(_ script: [UInt8]) -> ScriptClassification {
        script.withUnsafeBytes { classify($0) }
    }

    // MARK: - Implementation

    private static let opReturn: UInt8 = 0x6a
    private static let op1: UInt8 = 0x51
    private static let op16: UInt8 = 0x60
    private static let opPushData1: UInt8 = 0x4c
    private static let opPushData2: UInt8 = 0x4d
    private static let opPushData4: UInt8 = 0x4e
    private static let opCheckSig: UInt8 = 0xac
    private static let opCheckMultiSig: UInt8 = 0xae
    /// Core's MAX_PUBKEYS_PER_MULTISIG.
    private static let maxPubkeysPerMultisig = 20

    /// A non-empty script: a base pointer and a length, read byte by byte.
    private struct Script {
        let base: UnsafeRawPointer
        let count: Int
        @inline(__always) subscript(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
    }

    /// One decoded instruction: the opcode and, for pushes, where the pushed bytes are.
    private struct Op {
        var opcode: UInt8
        var dataStart: Int
        var dataLength: Int
    }

    @inline(__always)
    private static func classify(_ s: Script) -> ScriptClassification {
        let n = s.count
        let first = s[0]

        // P2SH: OP_HASH160 <20> OP_EQUAL.
        if n == 23 && first == 0xa9 && s[1] == 0x14 && s[22] == 0x87 {
            return ScriptClassification(type: .scripthash, payloadOffset: 2, payloadLength: 20)
        }

        // Witness program (CScript::IsWitnessProgram).
        if n >= 4 && n <= 42 && (first == 0 || (first >= op1 && first <= op16)) && Int(s[1]) + 2 == n {
            let version: UInt8 = first == 0 ? 0 : first - (op1 - 1)
            let length = n - 2
            if version == 0 {
                if length == 20 {
                    return ScriptClassification(type: .witnessV0KeyHash, payloadOffset: 2, payloadLength: 20)
                }
                if length == 32 {
                    return ScriptClassification(type: .witnessV0ScriptHash, payloadOffset: 2, payloadLength: 32)
                }
                return .nonstandard
            }
            if version == 1 && length == 32 {
                return ScriptClassification(type: .witnessV1Taproot, witnessVersion: 1, payloadOffset: 2, payloadLength: 32)
            }
            if version == 1 && n == 4 && s[2] == 0x4e && s[3] == 0x73 {
                return ScriptClassification(type: .anchor, witnessVersion: 1, payloadOffset: 2, payloadLength: 2)
            }
            return ScriptClassification(type: .witnessUnknown, witnessVersion: version, payloadOffset: 2, payloadLength: length)
        }

        // Provably unspendable data carrier: OP_RETURN followed only by pushes.
        if first == opReturn {
            return isPushOnly(s, from: 1) ? ScriptClassification(type: .nulldata) : .nonstandard
        }

        // P2PK: <65-byte or 33-byte key> OP_CHECKSIG, the key of a valid size for its prefix.
        if n == 67 && first == 65 && s[66] == opCheckSig && keySize(prefix: s[1]) == 65 {
            return ScriptClassification(type: .pubkey, payloadOffset: 1, payloadLength: 65)
        }
        if n == 35 && first == 33 && s[34] == opCheckSig && keySize(prefix: s[1]) == 33 {
            return ScriptClassification(type: .pubkey, payloadOffset: 1, payloadLength: 33)
        }

        // P2PKH: OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG.
        if n == 25 && first == 0x76 && s[1] == 0xa9 && s[2] == 0x14 && s[23] == 0x88 && s[24] == opCheckSig {
            return ScriptClassification(type: .pubkeyhash, payloadOffset: 3, payloadLength: 20)
        }

        if s[n - 1] == opCheckMultiSig && matchMultisig(s) {
            return ScriptClassification(type: .multisig)
        }
        return .nonstandard
    }

    /// CPubKey::GetLen: the serialized size a key with this first byte must have (0 if none).
    @inline(__always)
    private static func keySize(prefix: UInt8) -> Int {
        switch prefix {
        case 2, 3: return 33
        case 4, 6, 7: return 65
        default: return 0
        }
    }

    /// CPubKey::ValidSize applied to a push's data.
    @inline(__always)
    private static func isValidKey(_ s: Script, _ op: Op) -> Bool {
        op.dataLength > 0 && keySize(prefix: s[op.dataStart]) == op.dataLength
    }

    /// GetScriptOp: decodes the instruction at `pc` and advances past it; nil if it runs past the end.
    @inline(__always)
    private static func nextOp(_ s: Script, _ pc: inout Int) -> Op? {
        let n = s.count
        guard pc < n else { return nil }
        let opcode = s[pc]
        pc += 1
        guard opcode <= opPushData4 else { return Op(opcode: opcode, dataStart: pc, dataLength: 0) }
        var size: Int
        switch opcode {
        case opPushData1:
            guard n - pc >= 1 else { return nil }
            size = Int(s[pc])
            pc += 1
        case opPushData2:
            guard n - pc >= 2 else { return nil }
            size = Int(s[pc]) | Int(s[pc + 1]) << 8
            pc += 2
        case opPushData4:
            guard n - pc >= 4 else { return nil }
            size = Int(s[pc]) | Int(s[pc + 1]) << 8 | Int(s[pc + 2]) << 16 | Int(s[pc + 3]) << 24
            pc += 4
        default:
            size = Int(opcode)
        }
        guard n - pc >= size else { return nil }
        let op = Op(opcode: opcode, dataStart: pc, dataLength: size)
        pc += size
        return op
    }

    /// CScript::IsPushOnly(pc): every instruction from `start` decodes and is at most OP_16.
    private static func isPushOnly(_ s: Script, from start: Int) -> Bool {
        var pc = start
        while pc < s.count {
            guard let op = nextOp(s, &pc), op.opcode <= op16 else { return false }
        }
        return true
    }

    /// Core's GetScriptNumber in solver.cpp: OP_1...OP_16, or a minimally pushed minimal CScriptNum,
    /// within `min...max`.
    private static func scriptNumber(_ s: Script, _ op: Op, min: Int, max: Int) -> Int? {
        let value: Int
        if op.opcode >= op1 && op.opcode <= op16 {
            value = Int(op.opcode - (op1 - 1))
        } else if op.opcode > 0 && op.opcode <= opPushData4 {
            let length = op.dataLength
            // CheckMinimalPush: the pushes of this length that are minimal.
            if length == 0 { return nil }  // would have to be OP_0
            if length == 1 {
                let b = s[op.dataStart]
                if (b >= 1 && b <= 16) || b == 0x81 { return nil }  // would have to be OP_N / OP_1NEGATE
            }
            if length <= 75 {
                guard Int(op.opcode) == length else { return nil }
            } else if length <= 255 {
                guard op.opcode == opPushData1 else { return nil }
            } else if length <= 65535 {
                guard op.opcode == opPushData2 else { return nil }
            }
            // CScriptNum(data, fRequireMinimal: true) with the default 4-byte limit.
            guard length <= 4 else { return nil }
            let last = s[op.dataStart + length - 1]
            if last & 0x7f == 0 && (length <= 1 || s[op.dataStart + length - 2] & 0x80 == 0) { return nil }
            var magnitude = 0
            for i in 0..<length {
                magnitude |= Int(s[op.dataStart + i]) << (8 * i)
            }
            let signBit = 0x80 << (8 * (length - 1))
            value = magnitude & signBit != 0 ? -(magnitude & ~signBit) : magnitude
        } else {
            return nil
        }
        guard value >= min && value <= max else { return nil }
        return value
    }

    /// Core's MatchMultisig: `<m> <key>... <n> OP_CHECKMULTISIG` with 1 <= m <= n <= 20, n keys of
    /// valid size, and nothing after. The caller has checked the last byte is OP_CHECKMULTISIG.
    private static func matchMultisig(_ s: Script) -> Bool {
        var pc = 0
        guard let mOp = nextOp(s, &pc),
              let required = scriptNumber(s, mOp, min: 1, max: maxPubkeysPerMultisig) else { return false }
        var keys = 0
        var stop: Op?
        while let op = nextOp(s, &pc) {
            if isValidKey(s, op) {
                keys += 1
            } else {
                stop = op
                break
            }
        }
        guard let nOp = stop,
              let total = scriptNumber(s, nOp, min: required, max: maxPubkeysPerMultisig),
              keys == total else { return false }
        return pc + 1 == s.count
    }
}
