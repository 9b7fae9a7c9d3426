/// Base58 and Base58Check, the encoding of legacy (P2PKH, P2SH) addresses and WIF keys.
///
/// Decoding is strict: every character must be in the alphabet (no surrounding whitespace).
public enum Base58 {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// Value of each ASCII character in the alphabet, or -1.
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    /// Whether `c` is a Base58 alphabet character.
    @inline(__always) static func isAlphabet(_ c: UInt8) -> Bool {
        c < 128 && values[Int(c)] >= 0
    }

    /// Encodes bytes; each leading zero byte becomes a leading `1`.
    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        // log(256) / log(58) < 1.38: enough base-58 digits for the remaining bytes.
        var digits = [UInt8](repeating: 0, count: (bytes.count - zeros) * 138 / 100 + 1)
        var used = 0
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            var i = 0
            while i < used || carry != 0 {
                let k = digits.count - 1 - i
                carry += 256 * Int(digits[k])
                digits[k] = UInt8(carry % 58)
                carry /= 58
                i += 1
            }
            used = i
        }
        var out = [UInt8](repeating: alphabet[0], count: zeros)
        out.reserveCapacity(zeros + used)
        for d in digits[(digits.count - used)...] { out.append(alphabet[Int(d)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a Base58 string; nil if it contains a character outside the alphabet.
    /// Each leading `1` becomes a leading zero byte.
    public static func decode(_ s: String) -> [UInt8]? {
        let chars = Array(s.utf8)
        let ones = chars.prefix(while: { $0 == alphabet[0] }).count
        // log(58) / log(256) < 0.733: enough bytes for the remaining digits.
        var bytes = [UInt8](repeating: 0, count: (chars.count - ones) * 733 / 1000 + 1)
        var used = 0
        for c in chars[ones...] {
            guard c < 128 else { return nil }
            let v = values[Int(c)]
            guard v >= 0 else { return nil }
            var carry = Int(v)
            var i = 0
            while i < used || carry != 0 {
                let k = bytes.count - 1 - i
                carry += 58 * Int(bytes[k])
                bytes[k] = UInt8(carry & 0xff)
                carry >>= 8
                i += 1
            }
            used = i
        }
        return [UInt8](repeating: 0, count: ones) + bytes[(bytes.count - used)...]
    }

    /// The first four bytes of SHA-256d of `payload`, the Base58Check checksum.
    static func checksum<C: Collection>(_ payload: C) -> [UInt8] where C.Element == UInt8 {
        Array(Hashing.sha256d(payload).bytes.prefix(4))
    }

    /// Encodes `payload` (version byte included) followed by its 4-byte checksum.
    public static func encodeCheck(_ payload: [UInt8]) -> String {
        encode(payload + checksum(payload))
    }

    /// Decodes a Base58Check string and returns the payload without its checksum; nil if the
    /// string is not Base58, is shorter than a checksum, or the checksum does not match.
    public static func decodeCheck(_ s: String) -> [UInt8]? {
        guard let bytes = decode(s), bytes.count >= 4 else { return nil }
        let payload = bytes[..<(bytes.count - 4)]
        guard checksum(payload) == Array(bytes[(bytes.count - 4)...]) else { return nil }
        return Array(payload)
    }
}
