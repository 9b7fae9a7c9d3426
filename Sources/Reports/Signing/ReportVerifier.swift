import ChainIndex
import Foundation

/// The outcome of `spoor report verify`: every check, each with what it found.
public struct ReportVerification: Encodable, Equatable, Sendable {
    /// One check.
    public struct Check: Encodable, Equatable, Sendable {
        /// `signature_file`, `json_sha256`, `html_sha256`, `pdf_sha256`, `key_id`, `signature`, `signing_key`.
        public var name: String
        public var ok: Bool
        public var detail: String
    }

    public var files: [String]
    public var checks: [Check]
    /// Key id of the key that signed.
    public var keyID: String?

    /// True when every check passed.
    public var ok: Bool { checks.allSatisfy(\.ok) }
    /// The checks that failed.
    public var failures: [Check] { checks.filter { !$0.ok } }

    enum CodingKeys: String, CodingKey { case files, checks, ok, keyID = "key_id" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(files, forKey: .files)
        try c.encode(checks, forKey: .checks)
        try c.encode(ok, forKey: .ok)
        try c.encodeIfPresent(keyID, forKey: .keyID)
    }
}

/// Checks a report's digests and signature.
public enum ReportVerifier {
    /// Verifies the report `path` belongs to (any of its files).
    /// - Parameter trustedKey: the unit's public key; when given, a signature by any other key fails
    ///   `signing_key` (anyone can sign with a key of their own: the key id must be the unit's).
    public static func verify(_ path: String, trustedKey: Ed25519PublicKey? = nil) -> ReportVerification {
        let files = ReportFiles(anyPath: path)
        var result = ReportVerification(files: [files.json, files.html, files.signature], checks: [], keyID: nil)
        func check(_ name: String, _ ok: Bool, _ detail: String) { result.checks.append(.init(name: name, ok: ok, detail: detail)) }

        guard let sigData = FileManager.default.contents(atPath: files.signature) else {
            check("signature_file", false, "\(files.signature) cannot be read")
            return result
        }
        let sig: SignatureFile
        do { sig = try JSONDecoder().decode(SignatureFile.self, from: sigData) } catch {
            check("signature_file", false, "\(files.signature) is not a signature file: \(error)")
            return result
        }
        let canonical = (try? CanonicalJSON.encode(sig)) == sigData
        check(
            "signature_file", canonical && sig.signed.format == SignatureFile.format,
            canonical ? "format \(sig.signed.format)" : "\(files.signature) was edited (not the canonical encoding of its own content)")

        let dir = URL(fileURLWithPath: files.signature).deletingLastPathComponent()
        func digestCheck(_ name: String, _ file: String, _ expected: String) {
            let path = dir.appendingPathComponent(file).path
            guard let data = FileManager.default.contents(atPath: path) else {
                check(name, false, "\(path) cannot be read")
                return
            }
            let actual = Digest.sha256Hex(data)
            check(name, actual == expected, actual == expected ? "\(file) \(actual)" : "\(file) has SHA-256 \(actual), signed \(expected)")
        }
        digestCheck("json_sha256", sig.signed.jsonFile, sig.signed.jsonSHA256)
        digestCheck("html_sha256", sig.signed.htmlFile, sig.signed.htmlSHA256)
        if let pdf = sig.signed.pdfFile, let digest = sig.signed.pdfSHA256 {
            result.files.append(dir.appendingPathComponent(pdf).path)
            digestCheck("pdf_sha256", pdf, digest)
        }

        let key: Ed25519PublicKey
        do { key = try Ed25519PublicKey(pem: sig.signed.publicKeyPEM, path: files.signature) } catch {
            check("signature", false, "\(error)")
            return result
        }
        result.keyID = key.keyID
        check(
            "key_id", key.keyID == sig.signed.keyID,
            key.keyID == sig.signed.keyID ? key.keyID : "the public key's id is \(key.keyID), the file says \(sig.signed.keyID)")
        let valid = (try? sig.message()).map { message in hexBytes(sig.signature).map { key.verify($0, of: message) } ?? false } ?? false
        check("signature", valid, valid ? "valid Ed25519 signature by key \(key.keyID)" : "the Ed25519 signature does not verify")
        if let trustedKey {
            check(
                "signing_key", trustedKey == key,
                trustedKey == key
                    ? "the unit's key \(key.keyID)"
                    : "signed by key \(key.keyID), not the unit's key \(trustedKey.keyID)")
        }
        return result
    }

    /// Lowercase hex to bytes; nil for anything else (upper case would make two encodings of one value).
    static func hexBytes(_ text: String) -> [UInt8]? {
        guard !text.utf8.contains(where: { (65...70).contains($0) }) else { return nil }
        return Hex.decode(text)
    }
}
