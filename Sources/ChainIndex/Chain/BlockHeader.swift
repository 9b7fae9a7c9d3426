/// The 80-byte block header.
public struct BlockHeader: Sendable, Hashable {
    public var version: Int32
    public var previousHash: Hash256
    public var merkleRoot: Hash256
    public var time: UInt32
    public var bits: UInt32
    public var nonce: UInt32

    public static let size = 80

    public init(version: Int32, previousHash: Hash256, merkleRoot: Hash256, time: UInt32, bits: UInt32, nonce: UInt32) {
        self.version = version; self.previousHash = previousHash; self.merkleRoot = merkleRoot
        self.time = time; self.bits = bits; self.nonce = nonce
    }

    /// Decodes a header at the cursor.
    public init(from cursor: inout ByteCursor) throws(DecodeError) {
        try cursor.need(80)
        version = Int32(bitPattern: try cursor.readUInt32())
        previousHash = try cursor.readHash()
        merkleRoot = try cursor.readHash()
        time = try cursor.readUInt32()
        bits = try cursor.readUInt32()
        nonce = try cursor.readUInt32()
    }

    /// The 80 serialized bytes.
    public var serialized: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(80)
        out.appendLE(UInt32(bitPattern: version))
        out.append(contentsOf: previousHash.bytes)
        out.append(contentsOf: merkleRoot.bytes)
        out.appendLE(time)
        out.appendLE(bits)
        out.appendLE(nonce)
        return out
    }

    /// The block hash: double SHA-256 of the serialized header.
    public var hash: Hash256 { Hashing.sha256d(serialized) }
}

extension Array where Element == UInt8 {
    @inline(__always) public mutating func appendLE(_ v: UInt32) {
        append(UInt8(truncatingIfNeeded: v)); append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v >> 16)); append(UInt8(truncatingIfNeeded: v >> 24))
    }

    @inline(__always) public mutating func appendLE(_ v: UInt64) {
        appendLE(UInt32(truncatingIfNeeded: v)); appendLE(UInt32(truncatingIfNeeded: v >> 32))
    }

    /// Appends a minimal CompactSize.
    public mutating func appendCompactSize(_ n: Int) {
        switch n {
        case 0..<0xfd: append(UInt8(n))
        case 0xfd...0xffff: append(0xfd); append(UInt8(n & 0xff)); append(UInt8(n >> 8))
        case 0x10000...0xffff_ffff: append(0xfe); appendLE(UInt32(n))
        default: append(0xff); appendLE(UInt64(n))
        }
    }
}
