import Foundation

/// Why a key could not be made, read or used.
public enum SigningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// OpenSSL refused an Ed25519 operation (`operation` names it).
    case openssl(operation: String)
    /// A key file exists and `--force` was not given.
    case keyExists(path: String)
    /// No key pair in the data directory (`spoor keys init` makes one).
    case noKey(path: String)
    /// A file is not a PEM Ed25519 key of the expected kind.
    case badKey(path: String, reason: String)
    /// A private key file readable by others than its owner.
    case keyPermissions(path: String, mode: String)
    /// A file could not be read or written.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .openssl(let op): return "OpenSSL Ed25519 \(op) failed"
        case .keyExists(let p):
            return "\(p) exists; use --force to replace the key pair (reports signed with the old key still verify with it)"
        case .noKey(let p): return "no signing key at \(p); run `spoor keys init`"
        case .badKey(let p, let r): return "\(p): not an Ed25519 key: \(r)"
        case .keyPermissions(let p, let m): return "\(p): private key has mode \(m); it must be readable by its owner only (chmod 600)"
        case .io(let p, let r): return "\(p): \(r)"
        }
    }
}
