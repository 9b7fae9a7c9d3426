/// CashAddr, Bitcoin Cash's address encoding
/// (spec: https://github.com/bitcoincashorg/bitcoincash.org/blob/master/spec/cashaddr.md).
///
/// `prefix:payload`: the payload is Bech32's 32-character alphabet over a version byte and a hash,
/// followed by an 8-character (40-bit) BCH checksum over the prefix's low 5 bits, a zero, and the
/// payload. The version byte is `0 | type(4 bits) | size(3 bits)`: type 0 = P2PKH, 1 = P2SH (so a
/// P2SH version byte is 8); size 0…7 = 160, 192, 224, 256, 320, 384, 448, 512 bits.
public enum CashAddr {
    /// Address type of the version byte (bits 3…6).
    public enum AddressType: UInt8, Sendable {
        case p2pkh = 0
        case p2sh = 1
    }

    /// A decoded address: prefix (lower-case), type bits (0…15) and hash.
    public struct Decoded: Equatable, Sendable {
        public var prefix: String
        public var typeBits: UInt8
        public var hash: [UInt8]
    }

    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    private static let charValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in charset.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    /// Hash sizes in bytes for the size bits 0…7.
    private static let hashSizes = [20, 24, 28, 32, 40, 48, 56, 64]

    /// The spec's `PolyMod`: a BCH code over GF(2^5) with a 40-bit result.
    static func polymod<S: Sequence>(_ values: S) -> UInt64 where S.Element == UInt8 {
        var c: UInt64 = 1
        for d in values {
            let c0 = UInt8(truncatingIfNeeded: c >> 35)
            c = ((c & 0x07_ffff_ffff) << 5) ^ UInt64(d)
            if c0 & 0x01 != 0 { c ^= 0x98_f2bc_8e61 }
            if c0 & 0x02 != 0 { c ^= 0x79_b76d_99e2 }
            if c0 & 0x04 != 0 { c ^= 0xf3_3e5f_b3c4 }
            if c0 & 0x08 != 0 { c ^= 0xae_2eab_e2a8 }
            if c0 & 0x10 != 0 { c ^= 0x1e_4f43_e470 }
        }
        return c ^ 1
    }

    private static func expandPrefix(_ prefix: [UInt8]) -> [UInt8] {
        prefix.map { $0 & 0x1f } + [0]
    }

    /// Encodes `hash` with the type bits (0…15) under `prefix`, as `prefix:payload` in lower case.
    /// Returns nil for a hash length the version byte cannot express.
    public static func encode(prefix: String, typeBits: UInt8, hash: [UInt8]) -> String? {
        guard typeBits < 16, let sizeBits = hashSizes.firstIndex(of: hash.count) else { return nil }
        let version = typeBits << 3 | UInt8(sizeBits)
        guard let payload = Bech32.convertBits([version] + hash, from: 8, to: 5, pad: true) else { return nil }
        let p = Array(prefix.lowercased().utf8)
        let mod = polymod(expandPrefix(p) + payload + [0, 0, 0, 0, 0, 0, 0, 0])
        var out = p
        out.append(0x3a)  // ":"
        for v in payload { out.append(charset[Int(v)]) }
        for i in 0..<8 { out.append(charset[Int((mod >> UInt64(5 * (7 - i))) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes a P2PKH or P2SH hash (convenience over ``encode(prefix:typeBits:hash:)``).
    public static func encode(prefix: String, type: AddressType, hash: [UInt8]) -> String? {
        encode(prefix: prefix, typeBits: type.rawValue, hash: hash)
    }

    /// Decodes `text`, with its prefix or, when it has none, under `defaultPrefix`.
    /// Validated per the spec: one case throughout, checksum, version byte's reserved bit and
    /// size bits matching the hash length, zero padding.
    /// - Throws: ``AddressError`` (`mixedCase`, `invalidCharacter`, `invalidChecksum`, `invalidLength`,
    ///   `wrongNetwork` when the prefix is not `defaultPrefix`).
    public static func decode(_ text: String, defaultPrefix: String) throws(AddressError) -> Decoded {
        let chars = Array(text.utf8)
        guard chars.count <= 200 else { throw .invalidLength }
        let hasLower = chars.contains { $0 >= 0x61 && $0 <= 0x7a }
        let hasUpper = chars.contains { $0 >= 0x41 && $0 <= 0x5a }
        if hasLower && hasUpper { throw .mixedCase }
        let lower = chars.map { ($0 >= 0x41 && $0 <= 0x5a) ? $0 + 32 : $0 }
        let prefix: [UInt8], body: ArraySlice<UInt8>
        if let colon = lower.firstIndex(of: 0x3a) {
            prefix = Array(lower[..<colon])
            body = lower[(colon + 1)...]
        } else {
            prefix = Array(defaultPrefix.lowercased().utf8)
            body = lower[...]
        }
        guard !prefix.isEmpty, prefix.allSatisfy({ $0 >= 0x21 && $0 <= 0x7e && $0 != 0x3a }) else { throw .invalidCharacter }
        guard body.count > 8 else { throw .invalidLength }
        var values = [UInt8]()
        values.reserveCapacity(body.count)
        for c in body {
            guard c < 128, charValues[Int(c)] >= 0 else { throw .invalidCharacter }
            values.append(UInt8(charValues[Int(c)]))
        }
        guard polymod(expandPrefix(prefix) + values) == 0 else { throw .invalidChecksum }
        let prefixString = String(decoding: prefix, as: UTF8.self)
        guard let bytes = Bech32.convertBits(values.dropLast(8), from: 5, to: 8, pad: false),
              let version = bytes.first else { throw .invalidLength }
        guard version & 0x80 == 0 else { throw .invalidLength }
        let hash = Array(bytes.dropFirst())
        guard hash.count == hashSizes[Int(version & 0x07)] else { throw .invalidLength }
        return Decoded(prefix: prefixString, typeBits: (version >> 3) & 0x0f, hash: hash)
    }

    /// Whether every character is in the CashAddr alphabet (either case) or is the `:` separator
    /// or a prefix letter: a cheap test before trying ``decode(_:defaultPrefix:)``.
    static func looksLikeCashAddr(_ chars: [UInt8]) -> Bool {
        if chars.contains(0x3a) { return true }
        // Without a prefix: a 160-bit hash takes 42 characters, more than any Base58 address (≤ 35).
        return chars.count >= 42 && chars.allSatisfy { c in
            let l = (c >= 0x41 && c <= 0x5a) ? c + 32 : c
            return l < 128 && charValues[Int(l)] >= 0
        }
    }
}
