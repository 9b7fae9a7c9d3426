import ChainIndex
import Foundation

/// SHA-256 as lowercase hex (how reports, key ids and import runs cite digests): ChainIndex's
/// OpenSSL-backed ``Hashing`` and ``Hex``, under the names the report code uses.
public enum Digest {
    /// The SHA-256 of `data`, 32 bytes.
    public static func sha256(_ data: Data) -> [UInt8] { Hashing.sha256(data) }

    /// The SHA-256 of `data` as 64 lowercase hex digits.
    public static func sha256Hex(_ data: Data) -> String { Hex.encode(sha256(data)) }

    /// Bytes as lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
}
