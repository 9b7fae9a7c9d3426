/// Why an address string could not be parsed.
public enum AddressError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A character outside the encoding's alphabet (or outside printable ASCII).
    case invalidCharacter
    /// The Base58Check or Bech32/Bech32m checksum does not match.
    case invalidChecksum
    /// The string or its decoded payload has the wrong length (too long, too short, empty data).
    case invalidLength
    /// A well-formed address of another network. `found` names the first network of
    /// ``Network/all`` whose prefix or HRP it carries, or is nil when it matches none.
    case wrongNetwork(expected: String, found: String?)
    /// A segwit address with a witness version above 16.
    case invalidWitnessVersion
    /// A witness program outside 2...40 bytes, not 20 or 32 bytes for version 0, or badly padded.
    case invalidProgramLength
    /// A Bech32 string mixing upper- and lower-case letters.
    case mixedCase
    /// Bech32 used for witness version 1+ or Bech32m for version 0 (BIP 350).
    case wrongEncoding
    /// Neither a Base58 nor a Bech32 address.
    case unknownFormat

    public var description: String {
        switch self {
        case .invalidCharacter: return "invalid character in address"
        case .invalidChecksum: return "invalid address checksum"
        case .invalidLength: return "invalid address length"
        case .wrongNetwork(let expected, let found?):
            return "address is for network '\(found)', expected '\(expected)'"
        case .wrongNetwork(let expected, nil):
            return "address prefix matches no known network, expected '\(expected)'"
        case .invalidWitnessVersion: return "invalid witness version"
        case .invalidProgramLength: return "invalid witness program length"
        case .mixedCase: return "address mixes upper and lower case"
        case .wrongEncoding: return "wrong checksum variant for the witness version (bech32 vs bech32m)"
        case .unknownFormat: return "not a Base58 or Bech32 address"
        }
    }
}

/// An owner-level address identity as stored in the index: a kind, a witness version and up to 40
/// payload bytes (a 20-byte hash, or a witness program).
///
/// Stored inline in five words, so hashing and comparing never touch the heap. The witness version
/// is implied by the kind except for ``Kind/witnessUnknown``: initializers set it to 0 for P2PKH,
/// P2SH, P2WPKH and P2WSH and to 1 for P2TR and the anchor, whatever was passed.
public struct AddressKey: Hashable, Sendable, CustomStringConvertible {
    /// The address template. Raw values are stored in the database: never renumber.
    public enum Kind: UInt8, Sendable {
        case p2pkh = 1, p2sh = 2, p2wpkh = 3, p2wsh = 4, p2tr = 5
        /// A witness program of a version/length without a named template; the version is in
        /// ``AddressKey/witnessVersion`` and the payload is the program.
        case witnessUnknown = 6
        /// Pay-to-anchor (`OP_1 <4e73>`); payload `4e73`.
        case anchor = 7

        /// The script type of outputs paying an address of this kind.
        public var scriptType: ScriptType {
            switch self {
            case .p2pkh: return .pubkeyhash
            case .p2sh: return .scripthash
            case .p2wpkh: return .witnessV0KeyHash
            case .p2wsh: return .witnessV0ScriptHash
            case .p2tr: return .witnessV1Taproot
            case .witnessUnknown: return .witnessUnknown
            case .anchor: return .anchor
            }
        }

        /// The witness version the kind implies, nil for ``witnessUnknown``.
        var impliedWitnessVersion: UInt8? {
            switch self {
            case .p2pkh, .p2sh, .p2wpkh, .p2wsh: return 0
            case .p2tr, .anchor: return 1
            case .witnessUnknown: return nil
            }
        }
    }

    /// Largest payload: the largest witness program (BIP 141).
    public static let maxPayloadLength = 40

    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0, w4: UInt64 = 0
    private var length: UInt8 = 0
    /// The address template.
    public var kind: Kind
    /// The witness version (see the type's note on implied versions).
    public var witnessVersion: UInt8

    /// The payload bytes (hash or witness program).
    public var payload: [UInt8] {
        withUnsafeBytes(of: (w0, w1, w2, w3, w4)) { Array($0.prefix(Int(length))) }
    }

    /// A well-spread 64-bit fingerprint of the whole key (kind, witness version, payload), for
    /// hash filters. Different keys can share a fingerprint; equality is decided on the key.
    public var fingerprint: UInt64 {
        var h: UInt64 = UInt64(kind.rawValue) << 56 | UInt64(witnessVersion) << 48 | UInt64(length)
        for w in [w0, w1, w2, w3, w4] {
            h = AddressKey.mix(h ^ w)
        }
        return h
    }

    /// SplitMix64's finaliser: a cheap, well-spread 64-bit mix.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Builds a key from a payload of at most 40 bytes (a longer payload is a programming error).
    public init(kind: Kind, witnessVersion: UInt8 = 0, payload: UnsafeRawBufferPointer) {
        precondition(payload.count <= AddressKey.maxPayloadLength, "address payload longer than 40 bytes")
        self.kind = kind
        self.witnessVersion = kind.impliedWitnessVersion ?? witnessVersion
        self.length = UInt8(payload.count)
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: payload) }
        (w0, w1, w2, w3, w4) = words
    }

    /// Builds a key from a payload of at most 40 bytes (a longer payload is a programming error).
    public init(kind: Kind, witnessVersion: UInt8 = 0, payload: [UInt8]) {
        self = payload.withUnsafeBytes { AddressKey(kind: kind, witnessVersion: witnessVersion, payload: $0) }
    }

    /// The key of the address an output with this classification pays to, or nil for types that
    /// have no address (nulldata, multisig, nonstandard) or a classification that does not fit
    /// `script`. For `.pubkey` it is the P2PKH address of the key exactly as serialized in the
    /// script (hash160 of those bytes), as block explorers show it.
    public init?(classification: ScriptClassification, script: UnsafeRawBufferPointer) {
        let offset = classification.payloadOffset, count = classification.payloadLength
        guard offset >= 0, count >= 0, offset <= script.count, count <= script.count - offset else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: script[offset..<(offset + count)])
        let kind: Kind
        switch classification.type {
        case .pubkey:
            guard count > 0 else { return nil }
            self.init(kind: .p2pkh, payload: Hashing.hash160(bytes))
            return
        case .pubkeyhash: kind = .p2pkh
        case .scripthash: kind = .p2sh
        case .witnessV0KeyHash: kind = .p2wpkh
        case .witnessV0ScriptHash: kind = .p2wsh
        case .witnessV1Taproot: kind = .p2tr
        case .anchor: kind = .anchor
        case .witnessUnknown: kind = .witnessUnknown
        case .nonstandard, .multisig, .nulldata: return nil
        }
        guard count > 0 && count <= AddressKey.maxPayloadLength else { return nil }
        self.init(kind: kind, witnessVersion: classification.witnessVersion, payload: bytes)
    }

    /// Compact binary form for the database: `[kind, witnessVersion, payload...]`.
    public var storageBytes: [UInt8] {
        [kind.rawValue, witnessVersion] + payload
    }

    /// Reads ``storageBytes`` back; nil for an unknown kind, a payload length the kind cannot have,
    /// or a witness version that does not fit the kind.
    public init?(storageBytes: [UInt8]) {
        guard storageBytes.count >= 2, let kind = Kind(rawValue: storageBytes[0]) else { return nil }
        let version = storageBytes[1]
        let payload = Array(storageBytes.dropFirst(2))
        if let implied = kind.impliedWitnessVersion, implied != version { return nil }
        switch kind {
        case .p2pkh, .p2sh, .p2wpkh: guard payload.count == 20 else { return nil }
        case .p2wsh, .p2tr: guard payload.count == 32 else { return nil }
        case .anchor: guard payload.count == 2 else { return nil }
        case .witnessUnknown:
            guard (1...16).contains(version), (2...AddressKey.maxPayloadLength).contains(payload.count) else { return nil }
        }
        self.init(kind: kind, witnessVersion: version, payload: payload)
    }

    /// The address exactly as Bitcoin Core (v22+) renders it: Base58Check for P2PKH and P2SH,
    /// Bech32 for witness v0, Bech32m for v1+ (taproot, unknown versions and the anchor).
    ///
    /// On a CashAddr chain (Bitcoin Cash) P2PKH and P2SH render as CashAddr with the prefix, as
    /// Bitcoin Cash Node prints them (`bitcoincash:q…`). On a chain without segwit a witness kind is
    /// no address: it renders as `witness-v<version>:<program hex>`, which no parser accepts. The
    /// import never stores such a key there (``WitnessOutputRule``: those outputs get no address),
    /// so this form only shows for keys built by hand and for indexes of `bch`/`doge` imported
    /// before that rule existed (re-import them to drop the keys).
    public func render(on network: Network) -> String {
        if let prefix = network.cashAddrPrefix, kind == .p2pkh || kind == .p2sh,
           let cash = CashAddr.encode(prefix: prefix, type: kind == .p2pkh ? .p2pkh : .p2sh, hash: payload) {
            return cash
        }
        switch kind {
        case .p2pkh: return Base58.encodeCheck([network.pubkeyHashPrefix] + payload)
        case .p2sh: return Base58.encodeCheck([network.scriptHashPrefix] + payload)
        case .p2wpkh, .p2wsh, .p2tr, .anchor, .witnessUnknown:
            guard network.supportsSegwit else { return "witness-v\(witnessVersion):\(Hex.encode(payload))" }
            return Bech32.encodeSegwit(hrp: network.bech32HRP, version: witnessVersion, program: payload)
        }
    }

    /// Parses an address of `network`: Base58Check with the network's P2PKH or P2SH version byte
    /// and a 20-byte hash, or a segwit address with the network's HRP, validated per BIP 173 /
    /// BIP 350 (v0 Bech32 with a 20- or 32-byte program, v1+ Bech32m, programs of 2...40 bytes,
    /// one case throughout, at most 90 characters). No surrounding whitespace is accepted.
    ///
    /// On a CashAddr chain (Bitcoin Cash) a CashAddr with or without its prefix and a legacy Base58
    /// address are both accepted (the same key either way); segwit addresses are not addresses there.
    public static func parse(_ text: String, network: Network) throws(AddressError) -> AddressKey {
        let chars = Array(text.utf8)
        guard !chars.isEmpty else { throw .invalidLength }
        let lower = chars.map { ($0 >= 0x41 && $0 <= 0x5a) ? $0 + 32 : $0 }
        func hasSegwitPrefix(_ n: Network) -> Bool {
            guard n.supportsSegwit else { return false }
            let prefix = Array(n.bech32HRP.utf8) + [0x31]
            return lower.starts(with: prefix)
        }

        if let cashPrefix = network.cashAddrPrefix, CashAddr.looksLikeCashAddr(chars) {
            return try parseCashAddr(text, prefix: cashPrefix, network: network)
        }
        if network.cashAddrPrefix == nil, let colon = lower.firstIndex(of: 0x3a) {
            let prefix = String(decoding: lower[..<colon], as: UTF8.self)
            if let other = Network.all.first(where: { $0.cashAddrPrefix == prefix }) {
                _ = try CashAddr.decode(text, defaultPrefix: prefix)
                throw .wrongNetwork(expected: network.name, found: other.name)
            }
        }
        if hasSegwitPrefix(network) {
            let (_, version, program) = try Bech32.decodeSegwitChecked(text)
            return segwitKey(version: version, program: program)
        }
        if let other = Network.all.first(where: hasSegwitPrefix) {
            _ = try Bech32.decodeSegwitChecked(text)
            throw .wrongNetwork(expected: network.name, found: other.name)
        }
        if chars.allSatisfy(Base58.isAlphabet) {
            return try parseBase58(text, length: chars.count, network: network)
        }
        if chars.contains(0x31) {
            // Perhaps a segwit address of a chain we do not know.
            _ = try Bech32.decodeSegwitChecked(text)
            throw .wrongNetwork(expected: network.name, found: nil)
        }
        throw .unknownFormat
    }

    private static func parseCashAddr(_ text: String, prefix: String, network: Network) throws(AddressError) -> AddressKey {
        let decoded = try CashAddr.decode(text, defaultPrefix: prefix)
        guard decoded.prefix == prefix else {
            let other = Network.all.first { $0.cashAddrPrefix == decoded.prefix }
            throw .wrongNetwork(expected: network.name, found: other?.name)
        }
        guard decoded.hash.count == 20 else { throw .invalidLength }
        switch decoded.typeBits {
        case CashAddr.AddressType.p2pkh.rawValue: return AddressKey(kind: .p2pkh, payload: decoded.hash)
        case CashAddr.AddressType.p2sh.rawValue: return AddressKey(kind: .p2sh, payload: decoded.hash)
        default: throw .unknownFormat
        }
    }

    private static func parseBase58(_ text: String, length: Int, network: Network) throws(AddressError) -> AddressKey {
        // 25 bytes (version, 20-byte hash, checksum) take at most 35 characters.
        guard length <= 50, let bytes = Base58.decode(text) else { throw .invalidLength }
        guard bytes.count >= 4 else { throw .invalidLength }
        let payload = bytes[..<(bytes.count - 4)]
        guard Base58.checksum(payload) == Array(bytes[(bytes.count - 4)...]) else { throw .invalidChecksum }
        guard payload.count == 21, let version = payload.first else { throw .invalidLength }
        let hash = Array(payload.dropFirst())
        if version == network.pubkeyHashPrefix { return AddressKey(kind: .p2pkh, payload: hash) }
        if version == network.scriptHashPrefix { return AddressKey(kind: .p2sh, payload: hash) }
        let other = Network.all.first { $0.pubkeyHashPrefix == version || $0.scriptHashPrefix == version }
        throw .wrongNetwork(expected: network.name, found: other?.name)
    }

    private static func segwitKey(version: UInt8, program: [UInt8]) -> AddressKey {
        switch (version, program.count) {
        case (0, 20): return AddressKey(kind: .p2wpkh, payload: program)
        case (0, 32): return AddressKey(kind: .p2wsh, payload: program)
        case (1, 32): return AddressKey(kind: .p2tr, payload: program)
        case (1, 2) where program == [0x4e, 0x73]: return AddressKey(kind: .anchor, payload: program)
        default: return AddressKey(kind: .witnessUnknown, witnessVersion: version, payload: program)
        }
    }

    /// `kind:hex` (with the version for unknown witness programs), for logs and test output.
    public var description: String {
        switch kind {
        case .witnessUnknown: return "witnessUnknown(v\(witnessVersion)):\(Hex.encode(payload))"
        default: return "\(kind):\(Hex.encode(payload))"
        }
    }
}
