/// Errors raised while decoding Bitcoin's wire serialization.
///
/// Offsets are relative to the start of the buffer being decoded (a block); callers that know
/// the file position add their base offset when they wrap the error (see ``BlockFileError``).
public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A read needed `needed` bytes at `offset` but only `available` remained.
    case truncated(needed: Int, available: Int, offset: Int)
    /// A CompactSize that could have been encoded in fewer bytes (rejected as Core does).
    case nonMinimalCompactSize(value: UInt64, offset: Int)
    /// A count or length larger than anything a valid block can hold.
    case oversized(what: String, value: UInt64, limit: UInt64, offset: Int)
    /// The segwit marker was followed by a flag other than 1.
    case invalidSegwitFlag(flag: UInt8, offset: Int)
    /// A segwit-serialized transaction declared witness data but every witness was empty.
    case superfluousWitness(offset: Int)
    /// Bytes were left over after the last transaction of a block.
    case trailingBytes(count: Int, offset: Int)
    /// Chain-specific data this parser recognises but does not accept there (e.g. a Litecoin
    /// transaction carrying an MWEB transaction inside a block's transaction list).
    case unsupportedExtension(what: String, offset: Int)

    public var offset: Int {
        switch self {
        case .truncated(_, _, let o), .nonMinimalCompactSize(_, let o), .oversized(_, _, _, let o),
             .invalidSegwitFlag(_, let o), .superfluousWitness(let o), .trailingBytes(_, let o),
             .unsupportedExtension(_, let o):
            return o
        }
    }

    public var description: String {
        switch self {
        case .truncated(let needed, let available, let offset):
            return "truncated data at offset \(offset): needed \(needed) bytes, \(available) available"
        case .nonMinimalCompactSize(let value, let offset):
            return "non-minimal CompactSize encoding of \(value) at offset \(offset)"
        case .oversized(let what, let value, let limit, let offset):
            return "\(what) of \(value) exceeds the limit \(limit) at offset \(offset)"
        case .invalidSegwitFlag(let flag, let offset):
            return "invalid segwit flag 0x\(String(flag, radix: 16)) at offset \(offset)"
        case .superfluousWitness(let offset):
            return "segwit serialization with no witness data at offset \(offset)"
        case .trailingBytes(let count, let offset):
            return "\(count) unexpected trailing bytes at offset \(offset)"
        case .unsupportedExtension(let what, let offset):
            return "unsupported \(what) at offset \(offset)"
        }
    }
}

/// A bounds-checked little-endian reader over raw bytes. It never copies and never traps on
/// short input: every read checks the remaining length first and throws ``DecodeError/truncated(needed:available:offset:)``.
public struct ByteCursor {
    public let base: UnsafeRawPointer
    public let count: Int
    /// Current read position, relative to `base`.
    public var position: Int

    public init(_ buffer: UnsafeRawBufferPointer, position: Int = 0) {
        // An empty buffer may have a nil base address; any non-nil pointer works since nothing is read.
        self.base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        self.count = buffer.count
        self.position = position
    }

    @inline(__always) public var remaining: Int { count - position }

    @inline(__always) public mutating func need(_ n: Int) throws(DecodeError) {
        if n > count - position {
            throw .truncated(needed: n, available: count - position, offset: position)
        }
    }

    @inline(__always) public mutating func skip(_ n: Int) throws(DecodeError) {
        try need(n)
        position += n
    }

    @inline(__always) public mutating func readUInt8() throws(DecodeError) -> UInt8 {
        try need(1)
        let v = base.load(fromByteOffset: position, as: UInt8.self)
        position += 1
        return v
    }

    @inline(__always) public mutating func readUInt16() throws(DecodeError) -> UInt16 {
        try need(2)
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt16.self)
        position += 2
        return UInt16(littleEndian: v)
    }

    @inline(__always) public mutating func readUInt32() throws(DecodeError) -> UInt32 {
        try need(4)
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: v)
    }

    @inline(__always) public mutating func readUInt64() throws(DecodeError) -> UInt64 {
        try need(8)
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return UInt64(littleEndian: v)
    }

    @inline(__always) public mutating func readHash() throws(DecodeError) -> Hash256 {
        try need(32)
        let h = Hash256(loadingFrom: base + position)
        position += 32
        return h
    }

    /// Reads a CompactSize (Bitcoin's variable-length integer), rejecting non-minimal encodings
    /// and values above `limit`.
    @inline(__always) public mutating func readCompactSize(limit: UInt64, what: String) throws(DecodeError) -> Int {
        let start = position
        let first = try readUInt8()
        let value: UInt64
        switch first {
        case 0..<0xfd:
            value = UInt64(first)
        case 0xfd:
            value = UInt64(try readUInt16())
            if value < 0xfd { throw .nonMinimalCompactSize(value: value, offset: start) }
        case 0xfe:
            value = UInt64(try readUInt32())
            if value <= 0xffff { throw .nonMinimalCompactSize(value: value, offset: start) }
        default:
            value = try readUInt64()
            if value <= 0xffff_ffff { throw .nonMinimalCompactSize(value: value, offset: start) }
        }
        if value > limit { throw .oversized(what: what, value: value, limit: limit, offset: start) }
        return Int(value)
    }
}
