import Foundation

/// The unit's report signing key pair, as PEM files in `<data>/keys/`: `report-signing.key`
/// (private, mode 0600, directory 0700) and `report-signing.pub`.
public struct KeyStore: Sendable {
    public let directory: URL

    /// The key files of data directory `data`.
    public init(dataDirectory data: String) {
        directory = URL(fileURLWithPath: data).appendingPathComponent("keys")
    }

    public var privateKeyPath: String { directory.appendingPathComponent("report-signing.key").path }
    public var publicKeyPath: String { directory.appendingPathComponent("report-signing.pub").path }

    /// Makes a new key pair and writes it.
    /// - Parameter force: replace an existing pair (without it an existing file is an error).
    /// - Returns: the public key.
    /// - Throws: ``SigningError/keyExists(path:)``, ``SigningError/io(path:reason:)``.
    @discardableResult
    public func create(force: Bool = false) throws -> Ed25519PublicKey {
        let fm = FileManager.default
        for p in [privateKeyPath, publicKeyPath] where fm.fileExists(atPath: p) {
            guard force else { throw SigningError.keyExists(path: p) }
        }
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw SigningError.io(path: directory.path, reason: "\(error)") }
        let key = try Ed25519PrivateKey()
        try Self.writeOwnerOnly(Data(try key.pem().utf8), to: privateKeyPath)
        do {
            try Data(try key.publicKey.pem().utf8).write(to: URL(fileURLWithPath: publicKeyPath), options: .atomic)
        } catch let e as SigningError { throw e } catch { throw SigningError.io(path: publicKeyPath, reason: "\(error)") }
        return key.publicKey
    }

    /// Reads the private key, refusing a file others can read.
    public func privateKey() throws -> Ed25519PrivateKey {
        let fm = FileManager.default
        guard fm.fileExists(atPath: privateKeyPath) else { throw SigningError.noKey(path: privateKeyPath) }
        if let mode = (try? fm.attributesOfItem(atPath: privateKeyPath))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw SigningError.keyPermissions(path: privateKeyPath, mode: String(mode, radix: 8))
        }
        guard let text = try? String(contentsOfFile: privateKeyPath, encoding: .utf8) else {
            throw SigningError.io(path: privateKeyPath, reason: "cannot read")
        }
        return try Ed25519PrivateKey(pem: text, path: privateKeyPath)
    }

    /// Reads the public key, nil when there is none.
    public func publicKey() throws -> Ed25519PublicKey? {
        guard let text = try? String(contentsOfFile: publicKeyPath, encoding: .utf8) else { return nil }
        return try Ed25519PublicKey(pem: text, path: publicKeyPath)
    }

    /// Creates `path` with mode 0600 from the start (no window in which others could read it).
    static func writeOwnerOnly(_ data: Data, to path: String) throws {
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw SigningError.io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { raw in raw.baseAddress.map { write(fd, $0, raw.count) } ?? 0 }
        guard written == data.count else { throw SigningError.io(path: path, reason: "short write") }
    }
}
