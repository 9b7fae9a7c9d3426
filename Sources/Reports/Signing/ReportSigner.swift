import Foundation

/// Signs the files of a report with the unit's key.
public struct ReportSigner: Sendable {
    public let key: Ed25519PrivateKey

    public init(key: Ed25519PrivateKey) { self.key = key }

    /// Digests the report's JSON and HTML (and PDF when `includePDF`), signs them, and writes
    /// `NAME.sig.json`.
    /// - Returns: the signature file written.
    /// - Throws: ``SigningError/io(path:reason:)`` when a file cannot be read or written.
    @discardableResult
    public func sign(_ files: ReportFiles, includePDF: Bool = false, now: Date = Date()) throws -> SignatureFile {
        func digest(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else { throw SigningError.io(path: path, reason: "cannot read") }
            return Digest.sha256Hex(data)
        }
        let signed = SignatureFile.Signed(
            format: SignatureFile.format, algorithm: "Ed25519",
            jsonFile: ReportFiles.fileName(files.json), jsonSHA256: try digest(files.json),
            htmlFile: ReportFiles.fileName(files.html), htmlSHA256: try digest(files.html),
            pdfFile: includePDF ? ReportFiles.fileName(files.pdf) : nil, pdfSHA256: includePDF ? try digest(files.pdf) : nil,
            keyID: key.publicKey.keyID, publicKeyPEM: try key.publicKey.pem(), signed: UTCText.time(now))
        var file = SignatureFile(signed: signed, signature: "")
        file.signature = Digest.hex(try key.sign(try file.message()))
        do {
            try CanonicalJSON.encode(file).write(to: URL(fileURLWithPath: files.signature), options: .atomic)
        } catch { throw SigningError.io(path: files.signature, reason: "\(error)") }
        return file
    }
}
