import COpenSSL

/// Hash functions used by the chain format, backed by OpenSSL's libcrypto (which uses the CPU's
/// SHA extensions where present).
public enum Hashing {
    /// SHA-256 of the bytes.
    public static func sha256(_ data: UnsafeRawBufferPointer) -> Hash256 {
        var out = Hash256.zero
        withUnsafeMutableBytes(of: &out) { o in
            spoor_sha256(data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count,
                         o.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return out.fromLittleEndianStorage()
    }

    public static func sha256<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        Array(bytes).withUnsafeBytes { sha256($0).bytes }
    }

    /// Double SHA-256 (hash256), the txid / block-hash / merkle function.
    @inline(__always) public static func sha256d(_ pointer: UnsafeRawPointer, _ count: Int) -> Hash256 {
        var out = Hash256.zero
        withUnsafeMutableBytes(of: &out) { o in
            spoor_sha256d(pointer.assumingMemoryBound(to: UInt8.self), count,
                          o.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return out.fromLittleEndianStorage()
    }

    public static func sha256d<C: Collection>(_ bytes: C) -> Hash256 where C.Element == UInt8 {
        Array(bytes).withUnsafeBytes { sha256d($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, $0.count) }
    }

    /// Double SHA-256 of three concatenated pieces without copying them (a segwit transaction's
    /// txid skips the marker, flag and witnesses).
    public static func sha256d(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ c: UnsafeRawBufferPointer) -> Hash256 {
        var out = Hash256.zero
        withUnsafeMutableBytes(of: &out) { o in
            spoor_sha256d_3(a.baseAddress?.assumingMemoryBound(to: UInt8.self), a.count,
                            b.baseAddress?.assumingMemoryBound(to: UInt8.self), b.count,
                            c.baseAddress?.assumingMemoryBound(to: UInt8.self), c.count,
                            o.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return out.fromLittleEndianStorage()
    }

    /// RIPEMD-160(SHA-256(data)), the hash behind P2PKH, P2WPKH and P2SH addresses.
    /// HASH160 of a pay-to-witness-key-hash program (`0x00 0x14` ‖ `keyHash`, 20 bytes read from
    /// `keyHash`) into `out` (20 bytes), without allocating: the script hash of a P2SH-P2WPKH
    /// address.
    public static func wrappedKeyHash160(_ keyHash: UnsafeRawPointer, into out: UnsafeMutableRawPointer) {
        var program = (UInt64(0), UInt64(0), UInt64(0))   // 24 bytes; 22 used
        withUnsafeMutableBytes(of: &program) { p in
            p[0] = 0x00
            p[1] = 0x14
            (p.baseAddress! + 2).copyMemory(from: keyHash, byteCount: 20)
            var sha = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &sha) { s in
                spoor_sha256(p.baseAddress!.assumingMemoryBound(to: UInt8.self), 22, s.baseAddress!.assumingMemoryBound(to: UInt8.self))
                let ok = spoor_ripemd160(s.baseAddress!.assumingMemoryBound(to: UInt8.self), 32, out.assumingMemoryBound(to: UInt8.self))
                precondition(ok == 1, "OpenSSL RIPEMD-160 is unavailable")
            }
        }
    }

    public static func hash160<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        let sha = sha256(bytes)
        var out = [UInt8](repeating: 0, count: 20)
        let ok = sha.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                spoor_ripemd160(s.baseAddress, s.count, o.baseAddress)
            }
        }
        precondition(ok == 1, "OpenSSL RIPEMD-160 is unavailable")
        return out
    }
}

extension Hash256 {
    /// Words were written as raw memory; on little-endian hosts this is the identity.
    @inline(__always) func fromLittleEndianStorage() -> Hash256 {
        Hash256(w0: UInt64(littleEndian: w0), w1: UInt64(littleEndian: w1),
                w2: UInt64(littleEndian: w2), w3: UInt64(littleEndian: w3))
    }
}
