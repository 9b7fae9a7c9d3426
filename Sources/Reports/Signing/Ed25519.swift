import COpenSSL
import Foundation

/// An Ed25519 public key (RFC 8032), 32 raw bytes.
public struct Ed25519PublicKey: Equatable, Sendable {
    public let raw: [UInt8]

    /// A key from its 32 raw bytes; nil for any other length.
    public init?(raw: [UInt8]) {
        guard raw.count == 32 else { return nil }
        self.raw = raw
    }

    /// Reads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    /// - Throws: ``SigningError/badKey(path:reason:)`` when the text is not an Ed25519 public key.
    public init(pem: String, path: String = "public key") throws {
        var out = [UInt8](repeating: 0, count: 32)
        let bytes = Array(pem.utf8)
        let ok = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) { spoor_ed25519_from_pem($0, buf.count, 0, &out) }
            } ?? 0
        }
        guard ok == 1 else { throw SigningError.badKey(path: path, reason: "expected a PEM Ed25519 PUBLIC KEY") }
        raw = out
    }

    /// The key as PEM (SubjectPublicKeyInfo).
    public func pem() throws -> String { try Ed25519PEM.write(raw, isPrivate: false) }

    /// The key id: SHA-256 of the 32 raw public key bytes, lowercase hex.
    public var keyID: String { Digest.sha256Hex(Data(raw)) }

    /// True when `signature` (64 bytes) is this key's signature of `message`.
    public func verify(_ signature: [UInt8], of message: Data) -> Bool {
        guard signature.count == 64 else { return false }
        let bytes = [UInt8](message)
        return bytes.withUnsafeBufferPointer { m in
            var empty: UInt8 = 0
            return withUnsafePointer(to: &empty) { fallback in
                spoor_ed25519_verify(raw, m.baseAddress ?? fallback, m.count, signature) == 1
            }
        }
    }
}

/// An Ed25519 private key (RFC 8032), 32 raw bytes, with its public key.
public struct Ed25519PrivateKey: Sendable {
    private let raw: [UInt8]
    public let publicKey: Ed25519PublicKey

    /// A new random key pair (OpenSSL `EVP_PKEY_ED25519`).
    public init() throws {
        var priv = [UInt8](repeating: 0, count: 32), pub = [UInt8](repeating: 0, count: 32)
        guard spoor_ed25519_keygen(&priv, &pub) == 1, let key = Ed25519PublicKey(raw: pub) else {
            throw SigningError.openssl(operation: "key generation")
        }
        raw = priv
        publicKey = key
    }

    /// Reads a PEM `PRIVATE KEY` (PKCS#8).
    public init(pem: String, path: String = "private key") throws {
        var priv = [UInt8](repeating: 0, count: 32), pub = [UInt8](repeating: 0, count: 32)
        let bytes = Array(pem.utf8)
        let ok = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) { spoor_ed25519_from_pem($0, buf.count, 1, &priv) }
            } ?? 0
        }
        guard ok == 1 else { throw SigningError.badKey(path: path, reason: "expected a PEM Ed25519 PRIVATE KEY") }
        guard spoor_ed25519_public(priv, &pub) == 1, let key = Ed25519PublicKey(raw: pub) else {
            throw SigningError.openssl(operation: "public key derivation")
        }
        raw = priv
        publicKey = key
    }

    /// The key as PEM (unencrypted PKCS#8): keep the file owner-only.
    public func pem() throws -> String { try Ed25519PEM.write(raw, isPrivate: true) }

    /// The 64-byte signature of `message`.
    public func sign(_ message: Data) throws -> [UInt8] {
        var sig = [UInt8](repeating: 0, count: 64)
        let bytes = [UInt8](message)
        let ok = bytes.withUnsafeBufferPointer { m in
            var empty: UInt8 = 0
            return withUnsafePointer(to: &empty) { fallback in spoor_ed25519_sign(raw, m.baseAddress ?? fallback, m.count, &sig) }
        }
        guard ok == 1 else { throw SigningError.openssl(operation: "signing") }
        return sig
    }
}

/// PEM encoding of raw Ed25519 keys through OpenSSL.
enum Ed25519PEM {
    static func write(_ raw: [UInt8], isPrivate: Bool) throws -> String {
        var out = [CChar](repeating: 0, count: 512)
        let n = spoor_ed25519_to_pem(raw, isPrivate ? 1 : 0, &out, out.count)
        guard n > 0 else { throw SigningError.openssl(operation: "PEM encoding") }
        return String(decoding: out.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
