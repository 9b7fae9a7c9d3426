import COpenSSL
import Foundation

/// SHA-256 through OpenSSL, as lowercase hex (how reports, key ids and import runs cite digests).
public enum Digest {
    /// The SHA-256 of `data`, 32 bytes.
    public static func sha256(_ data: Data) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: UInt8.self).baseAddress
            var empty: UInt8 = 0
            withUnsafePointer(to: &empty) { fallback in
                spoor_sha256(base ?? fallback, raw.count, &out)
            }
        }
        return out
    }

    /// The SHA-256 of `data` as 64 lowercase hex digits.
    public static func sha256Hex(_ data: Data) -> String { hex(sha256(data)) }

    /// Bytes as lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
