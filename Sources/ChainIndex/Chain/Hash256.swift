/// A 32-byte hash (txid, block hash, merkle root) in Bitcoin's internal byte order.
///
/// Stored as four little-endian words so that equality and hashing are cheap. ``hex`` renders
/// the reversed (display) order that Bitcoin Core and explorers show.
public struct Hash256: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    public static let zero = Hash256(w0: 0, w1: 0, w2: 0, w3: 0)

    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// Loads 32 bytes in internal order from `pointer`.
    @inline(__always) public init(loadingFrom pointer: UnsafeRawPointer) {
        w0 = UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        w1 = UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        w2 = UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        w3 = UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// Builds a hash from 32 bytes in internal order; nil for any other length.
    public init?<C: Collection>(internalBytes bytes: C) where C.Element == UInt8 {
        guard bytes.count == 32 else { return nil }
        let array = Array(bytes)
        self = array.withUnsafeBytes { Hash256(loadingFrom: $0.baseAddress!) }
    }

    /// Parses the 64-character display (reversed) hex form; nil if malformed.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 32 else { return nil }
        self.init(internalBytes: bytes.reversed())
    }

    /// The 32 bytes in internal order.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { storeBytes(to: $0.baseAddress!) }
        return out
    }

    @inline(__always) public func storeBytes(to pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: w0.littleEndian, toByteOffset: 0, as: UInt64.self)
        pointer.storeBytes(of: w1.littleEndian, toByteOffset: 8, as: UInt64.self)
        pointer.storeBytes(of: w2.littleEndian, toByteOffset: 16, as: UInt64.self)
        pointer.storeBytes(of: w3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// Display hex (byte-reversed), as Bitcoin Core prints txids and block hashes.
    public var hex: String { Hex.encode(bytes.reversed()) }

    public var description: String { hex }

    public static func < (a: Hash256, b: Hash256) -> Bool {
        (a.w3, a.w2, a.w1, a.w0) < (b.w3, b.w2, b.w1, b.w0)
    }
}

/// Lower-case hexadecimal encoding and decoding.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode<C: Sequence>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex text (either case); nil on odd length or a non-hex character.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
