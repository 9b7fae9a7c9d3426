import Foundation
import Testing

@testable import Reports

struct SigningTests {
    /// A signed report of a small document in a fresh directory.
    func signedReport() throws -> (ReportFiles, KeyStore) {
        let dir = try temporaryDirectory("sign")
        let keys = KeyStore(dataDirectory: dir.path)
        try keys.create()
        let files = ReportFiles(base: dir.appendingPathComponent("report").path)
        try Data("{\"a\": 1}\n".utf8).write(to: URL(fileURLWithPath: files.json))
        try Data("<html><body>report</body></html>\n".utf8).write(to: URL(fileURLWithPath: files.html))
        try ReportSigner(key: try keys.privateKey()).sign(files)
        return (files, keys)
    }

    @Test func keysInitMakesOwnerOnlyKeyAndRefusesToOverwrite() throws {
        let dir = try temporaryDirectory("keys")
        let keys = KeyStore(dataDirectory: dir.path)
        let pub = try keys.create()
        let mode = try FileManager.default.attributesOfItem(atPath: keys.privateKeyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: SigningError.keyExists(path: keys.privateKeyPath)) { try keys.create() }
        #expect(try keys.privateKey().publicKey == pub)
        #expect(try keys.publicKey() == pub)
        #expect(pub.keyID.count == 64)
        let replaced = try keys.create(force: true)
        #expect(replaced != pub)
        // A private key others can read is refused.
        chmod(keys.privateKeyPath, 0o644)
        #expect(throws: SigningError.self) { try keys.privateKey() }
    }

    @Test func ed25519MatchesRFC8032() throws {
        // RFC 8032 section 7.1, test 2: the private key, its public key and the signature of 0x72.
        let pem =
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n-----END PRIVATE KEY-----\n"
        let key = try Ed25519PrivateKey(pem: pem)
        #expect(Digest.hex(key.publicKey.raw) == "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
        let sig = try key.sign(Data([0x72]))
        #expect(
            Digest.hex(sig) == "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")
        #expect(key.publicKey.verify(sig, of: Data([0x72])))
        #expect(!key.publicKey.verify(sig, of: Data([0x73])))
    }

    @Test func verifyPassesOnAnUntouchedReport() throws {
        let (files, keys) = try signedReport()
        for path in [files.json, files.html, files.signature] {
            let v = ReportVerifier.verify(path, trustedKey: try keys.publicKey())
            #expect(v.ok, "\(v.failures)")
        }
    }

    /// Flips one byte of `path` at `offset`.
    func flip(_ path: String, at offset: Int) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[offset] ^= 0x01
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test func verifyDetectsOneByteChangeInHTML() throws {
        let (files, _) = try signedReport()
        try flip(files.html, at: 15)
        let v = ReportVerifier.verify(files.json)
        #expect(v.failures.map(\.name) == ["html_sha256"])
    }

    @Test func verifyDetectsOneByteChangeInJSON() throws {
        let (files, _) = try signedReport()
        try flip(files.json, at: 3)
        #expect(ReportVerifier.verify(files.html).failures.map(\.name) == ["json_sha256"])
    }

    @Test func verifyDetectsEveryOneByteChangeInTheSignatureFile() throws {
        let (files, _) = try signedReport()
        let original = try Data(contentsOf: URL(fileURLWithPath: files.signature))
        for offset in 0..<original.count {
            var data = original
            data[offset] ^= 0x01
            try data.write(to: URL(fileURLWithPath: files.signature))
            #expect(!ReportVerifier.verify(files.signature).ok, "byte \(offset) changed unnoticed")
        }
        // The signature itself: a changed signature names the signature check.
        var sig = try JSONDecoder().decode(SignatureFile.self, from: original)
        sig.signature = String(sig.signature.dropLast()) + (sig.signature.hasSuffix("0") ? "1" : "0")
        try CanonicalJSON.encode(sig).write(to: URL(fileURLWithPath: files.signature))
        #expect(ReportVerifier.verify(files.signature).failures.map(\.name) == ["signature"])
    }

    @Test func verifyNamesAnotherKey() throws {
        let (files, _) = try signedReport()
        let other = try Ed25519PrivateKey().publicKey
        #expect(ReportVerifier.verify(files.json, trustedKey: other).failures.map(\.name) == ["signing_key"])
    }
}
