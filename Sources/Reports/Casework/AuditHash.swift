import ChainIndex
import Foundation

/// The hash of an audit entry: hex SHA-256 over a canonical serialization of its fields.
///
/// Byte layout (UTF-8), one line per field after a version line, each field written as its
/// byte length in decimal, a colon, the bytes, and a line feed:
///
/// ```
/// spoor-audit-v1\n
/// <len>:<sequence in decimal>\n
/// <len>:<time, ISO 8601 UTC with seconds, e.g. 2026-03-01T09:30:00Z>\n
/// <len>:<actor>\n
/// <len>:<action>\n
/// <len>:<entity>\n
/// <len>:<details (canonical JSON)>\n
/// <len>:<previous hash, 64 lowercase hex digits>\n
/// ```
///
/// Length prefixes make the encoding unambiguous whatever the fields contain (colons, line feeds),
/// and it can be recomputed outside Spoor with any SHA-256 tool.
public enum AuditHash {
    /// The previous hash of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The canonical bytes hashed for an entry.
    public static func canonical(
        sequence: Int64, time: String, actor: String, action: String, entity: String, details: String,
        previousHash: String
    ) -> [UInt8] {
        var out = Array("spoor-audit-v1\n".utf8)
        for field in [String(sequence), time, actor, action, entity, details, previousHash] {
            let bytes = Array(field.utf8)
            out += Array("\(bytes.count):".utf8)
            out += bytes
            out.append(0x0A)
        }
        return out
    }

    /// Hex SHA-256 of ``canonical(sequence:time:actor:action:entity:details:previousHash:)``.
    public static func hash(
        sequence: Int64, time: String, actor: String, action: String, entity: String, details: String,
        previousHash: String
    ) -> String {
        let digest = Hashing.sha256(
            canonical(
                sequence: sequence, time: time, actor: actor, action: action, entity: entity, details: details,
                previousHash: previousHash))
        return digest.map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// Details as canonical JSON: an object with sorted keys, no whitespace, slashes unescaped.
    public static func canonicalJSON(_ details: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(details), as: UTF8.self)
    }
}
