/// Bech32 (BIP 173) and Bech32m (BIP 350): the encodings of segwit addresses.
public enum Bech32 {
    /// The checksum flavour: Bech32 for witness v0, Bech32m for v1 and later.
    public enum Variant: Sendable {
        case bech32, bech32m

        /// The constant the polymod of a valid string equals.
        var constant: UInt32 {
            switch self {
            case .bech32: return 1
            case .bech32m: return 0x2bc8_30a3
            }
        }
    }

    /// BIP 173's limit on the length of a whole string.
    static let maxLength = 90

    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    /// 5-bit value of each (lower-case) ASCII character of the charset, or -1.
    private static let charValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in charset.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    private static func polymod<S: Sequence>(_ values: S, _ start: UInt32 = 1) -> UInt32 where S.Element == UInt8 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var chk = start
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1ff_ffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> UInt32(i)) & 1 != 0 {
                chk ^= generator[i]
            }
        }
        return chk
    }

    /// The HRP's characters' high bits, a zero, then their low bits (BIP 173 `hrp_expand`).
    private static func hrpExpand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    @inline(__always) private static func lowercased(_ c: UInt8) -> UInt8 {
        (c >= 0x41 && c <= 0x5a) ? c + 32 : c
    }

    /// Encodes `hrp` (lower-cased) and 5-bit values (each 0...31) with a checksum of `variant`.
    public static func encode(hrp: String, data5: [UInt8], variant: Variant) -> String {
        let h = hrp.utf8.map(lowercased)
        let data = data5.map { $0 & 31 }
        let mod = polymod(hrpExpand(h) + data + [0, 0, 0, 0, 0, 0]) ^ variant.constant
        var out = h
        out.append(0x31)  // "1"
        out.reserveCapacity(h.count + 1 + data.count + 6)
        for v in data { out.append(charset[Int(v)]) }
        for i in 0..<6 { out.append(charset[Int((mod >> UInt32(5 * (5 - i))) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a Bech32 or Bech32m string whose checksum is valid: the lower-cased HRP, the 5-bit
    /// data without the checksum, and which variant's checksum it carries. Nil for anything invalid
    /// under BIP 173 (length over 90, characters outside 33...126, mixed case, no separator, empty
    /// HRP, fewer than 6 checksum characters, a non-charset data character, a bad checksum).
    public static func decode(_ s: String) -> (hrp: String, data5: [UInt8], variant: Variant)? {
        try? decodeChecked(s)
    }

    /// ``decode(_:)`` that says why a string is rejected.
    static func decodeChecked(_ s: String) throws(AddressError) -> (hrp: String, data5: [UInt8], variant: Variant) {
        let chars = Array(s.utf8)
        guard chars.count <= maxLength else { throw .invalidLength }
        var hasLower = false, hasUpper = false
        for c in chars {
            guard c >= 33 && c <= 126 else { throw .invalidCharacter }
            if c >= 0x61 && c <= 0x7a { hasLower = true }
            if c >= 0x41 && c <= 0x5a { hasUpper = true }
        }
        guard !(hasLower && hasUpper) else { throw .mixedCase }
        guard let separator = chars.lastIndex(of: 0x31) else { throw .unknownFormat }
        guard separator > 0 else { throw .unknownFormat }
        guard chars.count - separator - 1 >= 6 else { throw .invalidLength }
        let hrp = chars[..<separator].map(lowercased)
        var data = [UInt8]()
        data.reserveCapacity(chars.count - separator - 1)
        for c in chars[(separator + 1)...] {
            let v = charValues[Int(lowercased(c))]
            guard v >= 0 else { throw .invalidCharacter }
            data.append(UInt8(v))
        }
        let variant: Variant
        switch polymod(hrpExpand(hrp) + data) {
        case Variant.bech32.constant: variant = .bech32
        case Variant.bech32m.constant: variant = .bech32m
        default: throw .invalidChecksum
        }
        return (String(decoding: hrp, as: UTF8.self), Array(data.dropLast(6)), variant)
    }

    /// Regroups bits: `from`-bit values into `to`-bit values. With `pad`, a final partial group
    /// is zero-padded; without, leftover bits must be fewer than `from` and all zero (else nil).
    static func convertBits<C: Collection>(_ values: C, from: Int, to: Int, pad: Bool) -> [UInt8]? where C.Element == UInt8 {
        var acc = 0, bits = 0
        let maxValue = (1 << to) - 1
        var out = [UInt8]()
        out.reserveCapacity(values.count * from / to + 1)
        for v in values {
            guard Int(v) >> from == 0 else { return nil }
            acc = (acc << from | Int(v)) & ((1 << (from + to - 1)) - 1)
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8((acc >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8((acc << (to - bits)) & maxValue)) }
        } else if bits >= from || (acc << (to - bits)) & maxValue != 0 {
            return nil
        }
        return out
    }

    /// Encodes a segwit address: Bech32 for version 0, Bech32m for versions 1...16.
    public static func encodeSegwit(hrp: String, version: UInt8, program: [UInt8]) -> String {
        let data5 = [version] + (convertBits(program, from: 8, to: 5, pad: true) ?? [])
        return encode(hrp: hrp, data5: data5, variant: version == 0 ? .bech32 : .bech32m)
    }

    /// Decodes a segwit address for `hrp` with BIP 173 / BIP 350's full validation: valid checksum,
    /// matching HRP (case-insensitive), witness version 0...16, program of 2...40 bytes (20 or 32
    /// for version 0), no excess or non-zero padding, Bech32 for version 0 and Bech32m otherwise.
    public static func decodeSegwit(hrp: String, _ s: String) -> (version: UInt8, program: [UInt8])? {
        guard let decoded = try? decodeSegwitChecked(s),
              decoded.hrp == String(decoding: hrp.utf8.map(lowercased), as: UTF8.self) else { return nil }
        return (decoded.version, decoded.program)
    }

    /// Segwit decoding for any HRP, saying why a string is rejected.
    static func decodeSegwitChecked(_ s: String) throws(AddressError) -> (hrp: String, version: UInt8, program: [UInt8]) {
        let (hrp, data5, variant) = try decodeChecked(s)
        guard let version = data5.first else { throw .invalidLength }
        guard version <= 16 else { throw .invalidWitnessVersion }
        guard let program = convertBits(data5.dropFirst(), from: 5, to: 8, pad: false),
              program.count >= 2 && program.count <= 40 else { throw .invalidProgramLength }
        if version == 0 && program.count != 20 && program.count != 32 { throw .invalidProgramLength }
        guard variant == (version == 0 ? .bech32 : .bech32m) else { throw .wrongEncoding }
        return (hrp, version, program)
    }
}
