import Foundation

/// `NAME.sig.json`: the digests of a report's files and an Ed25519 signature over them.
///
/// The signed message is the canonical JSON of ``Signed`` (every field but the signature: sorted
/// keys, two-space indent, no escaped slashes, trailing newline), so every field is covered, and
/// the file itself must be exactly the canonical encoding of the whole, so that no byte of it can
/// change unnoticed.
public struct SignatureFile: Codable, Equatable, Sendable {
    /// What is signed.
    public struct Signed: Codable, Equatable, Sendable {
        /// `spoor-report-signature/1`.
        public var format: String
        /// `Ed25519` (RFC 8032, pure).
        public var algorithm: String
        /// File names (not paths) of the report's files, in the same directory as this file.
        public var jsonFile: String
        /// SHA-256 of the JSON file's bytes, lowercase hex.
        public var jsonSHA256: String
        public var htmlFile: String
        public var htmlSHA256: String
        /// The PDF, when one was printed.
        public var pdfFile: String?
        public var pdfSHA256: String?
        /// SHA-256 of the 32 raw public key bytes, lowercase hex.
        public var keyID: String
        /// The public key (SubjectPublicKeyInfo PEM).
        public var publicKeyPEM: String
        /// When it was signed, UTC.
        public var signed: String

        enum CodingKeys: String, CodingKey {
            case format, algorithm, signed
            case jsonFile = "json_file", jsonSHA256 = "json_sha256", htmlFile = "html_file", htmlSHA256 = "html_sha256"
            case pdfFile = "pdf_file", pdfSHA256 = "pdf_sha256", keyID = "key_id", publicKeyPEM = "public_key_pem"
        }
    }

    public static let format = "spoor-report-signature/1"

    public var signed: Signed
    /// The 64-byte signature, lowercase hex.
    public var signature: String

    public init(signed: Signed, signature: String) {
        self.signed = signed
        self.signature = signature
    }

    public func encode(to encoder: any Encoder) throws {
        try signed.encode(to: encoder)
        var c = encoder.container(keyedBy: SignatureKey.self)
        try c.encode(signature, forKey: .signature)
    }

    public init(from decoder: any Decoder) throws {
        signed = try Signed(from: decoder)
        signature = try decoder.container(keyedBy: SignatureKey.self).decode(String.self, forKey: .signature)
    }

    enum SignatureKey: String, CodingKey { case signature }

    /// The bytes the signature covers.
    public func message() throws -> Data { try CanonicalJSON.encode(signed) }
}

/// The one JSON encoding of reports and signature files: sorted keys, pretty, unescaped slashes,
/// trailing newline.
public enum CanonicalJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0a)
        return data
    }
}
