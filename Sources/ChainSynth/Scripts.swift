import ChainIndex

/// The output script types the synthetic wallets use.
enum AddrType: UInt8, CaseIterable, Sendable {
    case p2pkh = 0
    case p2shP2wpkh = 1
    case p2wpkh = 2
    case p2tr = 3
    /// 2-of-3 multisig in P2WSH (exchange cold storage).
    case p2wsh = 4

    var name: String {
        switch self {
        case .p2pkh: return "p2pkh"
        case .p2shP2wpkh: return "p2sh-p2wpkh"
        case .p2wpkh: return "p2wpkh"
        case .p2tr: return "p2tr"
        case .p2wsh: return "p2wsh"
        }
    }

    /// Length of the scriptPubKey.
    var scriptLength: Int {
        switch self {
        case .p2pkh: return 25
        case .p2shP2wpkh: return 23
        case .p2wpkh: return 22
        case .p2tr, .p2wsh: return 34
        }
    }

    /// Serialized size of an output paying to this type.
    var outputSize: Int { 8 + 1 + scriptLength }

    /// Length of the scriptSig that spends it (fake but realistic-size signature data).
    var scriptSigLength: Int {
        switch self {
        case .p2pkh: return 1 + 72 + 1 + 33          // <sig> <pubkey>
        case .p2shP2wpkh: return 23                   // <0014{keyhash}>
        case .p2wpkh, .p2tr, .p2wsh: return 0
        }
    }

    /// Non-witness size of an input spending it.
    var inputBaseSize: Int { 32 + 4 + 1 + scriptSigLength + 4 }

    /// Witness bytes of an input spending it (in a transaction with witness data).
    var witnessSize: Int {
        switch self {
        case .p2pkh: return 1                                    // empty stack
        case .p2wpkh, .p2shP2wpkh: return 1 + 1 + 72 + 1 + 33    // [sig, pubkey]
        case .p2tr: return 1 + 1 + 64                            // [schnorr sig] (key path)
        case .p2wsh: return 1 + 1 + (1 + 72) * 2 + 1 + 105       // [empty, sig, sig, 2-of-3 script]
        }
    }

    var isWitness: Bool { self != .p2pkh }

    /// Minimum value an output of this type may carry (Core's dust threshold at 3 sat/vB).
    var dustLimit: Int64 {
        switch self {
        case .p2pkh: return 546
        case .p2shP2wpkh: return 540
        case .p2wpkh: return 294
        case .p2tr, .p2wsh: return 330
        }
    }
}

/// One address of one entity: (entity, per-entity index, type). Its keys and hashes are derived
/// from these three numbers and the seed, so nothing but the reference has to be stored.
struct AddrRef: Equatable, Sendable {
    var entity: Int32
    var index: UInt32
    var type: AddrType
}

/// The hash or key an output script commits to: 20 bytes (P2PKH, P2SH, P2WPKH) or 32 (P2WSH, P2TR).
struct Payload {
    var bytes: [UInt8]
}

/// Deterministic key material per address, from the seed.
struct KeyDeriver {
    let seed: UInt64

    @inline(__always) func generator(_ ref: AddrRef, salt: UInt64) -> SplitMix64 {
        let a = SplitMix64.mix(seed ^ 0x5350_4f4f_524b_4559)            // "SPOORKEY"
        let b = SplitMix64.mix(UInt64(UInt32(bitPattern: ref.entity)) << 32 | UInt64(ref.index))
        let c = SplitMix64.mix(salt &+ 0x9e37_79b9_7f4a_7c15)
        return SplitMix64(seed: a ^ b &+ c)
    }

    /// A 33-byte compressed-pubkey-shaped key (not checked to be on the curve).
    func publicKey(_ ref: AddrRef, salt: UInt64 = 0, into out: inout [UInt8]) {
        var g = generator(ref, salt: salt)
        let w0 = g.next()
        out.append(0x02 | UInt8(w0 & 1))
        out.appendLE(w0)
        out.appendLE(g.next()); out.appendLE(g.next()); out.appendLE(g.next())
    }

    func publicKey(_ ref: AddrRef, salt: UInt64 = 0) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(33)
        publicKey(ref, salt: salt, into: &out)
        return out
    }

    /// The 2-of-3 multisig witness script of a P2WSH address (105 bytes).
    func witnessScript(_ ref: AddrRef) -> [UInt8] {
        var s = [UInt8](); s.reserveCapacity(105)
        s.append(0x52)
        for k in 0..<3 {
            s.append(33)
            publicKey(ref, salt: UInt64(k), into: &s)
        }
        s.append(0x53); s.append(0xae)
        return s
    }

    func keyHash(_ ref: AddrRef) -> [UInt8] { Hashing.hash160(publicKey(ref)) }

    func payload(_ ref: AddrRef) -> Payload {
        switch ref.type {
        case .p2pkh, .p2wpkh:
            return Payload(bytes: keyHash(ref))
        case .p2shP2wpkh:
            return Payload(bytes: Hashing.hash160([0x00, 0x14] + keyHash(ref)))
        case .p2tr:
            var g = generator(ref, salt: 0x7470)     // the (tweaked) x-only output key
            var out = [UInt8](); out.reserveCapacity(32)
            out.appendLE(g.next()); out.appendLE(g.next()); out.appendLE(g.next()); out.appendLE(g.next())
            return Payload(bytes: out)
        case .p2wsh:
            return Payload(bytes: Hashing.sha256(witnessScript(ref)))
        }
    }
}

enum Script {
    /// The scriptPubKey for a payload of the given type.
    static func scriptPubKey(_ type: AddrType, _ payload: Payload) -> [UInt8] {
        var s = [UInt8](); s.reserveCapacity(type.scriptLength)
        switch type {
        case .p2pkh:
            s.append(0x76); s.append(0xa9); s.append(0x14); s.append(contentsOf: payload.bytes); s.append(0x88); s.append(0xac)
        case .p2shP2wpkh:
            s.append(0xa9); s.append(0x14); s.append(contentsOf: payload.bytes); s.append(0x87)
        case .p2wpkh:
            s.append(0x00); s.append(0x14); s.append(contentsOf: payload.bytes)
        case .p2wsh:
            s.append(0x00); s.append(0x20); s.append(contentsOf: payload.bytes)
        case .p2tr:
            s.append(0x51); s.append(0x20); s.append(contentsOf: payload.bytes)
        }
        return s
    }

    /// OP_RETURN with one push of `data` (at most 75 bytes).
    static func nullData(_ data: [UInt8]) -> [UInt8] {
        precondition(data.count <= 75)
        return [0x6a, UInt8(data.count)] + data
    }

    /// A script number push as BIP34 requires for the coinbase height.
    static func heightPush(_ height: Int) -> [UInt8] {
        if height == 0 { return [0x00] }
        if height <= 16 { return [0x50 + UInt8(height)] }
        var bytes = [UInt8]()
        var v = height
        while v > 0 { bytes.append(UInt8(v & 0xff)); v >>= 8 }
        if bytes.last! & 0x80 != 0 { bytes.append(0) }
        return [UInt8(bytes.count)] + bytes
    }
}

/// Exact transaction sizes, computed before the transaction is built (fees depend on them).
struct TxSize {
    var base = 4 + 4            // version, lock time
    var witness = 0
    var hasWitness = false
    var inputs = 0
    var outputs = 0

    mutating func addInput(_ type: AddrType) {
        base += type.inputBaseSize
        witness += type.witnessSize
        if type.isWitness { hasWitness = true }
        inputs += 1
    }

    mutating func addOutput(scriptLength: Int) {
        base += 8 + compactSizeLength(scriptLength) + scriptLength
        outputs += 1
    }

    mutating func addOutput(_ type: AddrType) { addOutput(scriptLength: type.scriptLength) }

    var totalBase: Int { base + compactSizeLength(inputs) + compactSizeLength(outputs) }
    var weight: Int { hasWitness ? totalBase * 4 + 2 + witness : totalBase * 4 }
    var vsize: Int { (weight + 3) / 4 }
}

@inline(__always) func compactSizeLength(_ n: Int) -> Int {
    n < 0xfd ? 1 : (n <= 0xffff ? 3 : (n <= 0xffff_ffff ? 5 : 9))
}

extension AddrType {
    /// The index's address kind for this type (P2SH-P2WPKH is a P2SH address).
    var addressKind: AddressKey.Kind {
        switch self {
        case .p2pkh: return .p2pkh
        case .p2shP2wpkh: return .p2sh
        case .p2wpkh: return .p2wpkh
        case .p2tr: return .p2tr
        case .p2wsh: return .p2wsh
        }
    }
}

extension Payload {
    /// The address as Bitcoin Core renders it on `network`.
    func render(_ type: AddrType, on network: Network) -> String {
        AddressKey(kind: type.addressKind, payload: bytes).render(on: network)
    }
}
