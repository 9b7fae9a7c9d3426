import ChainIndex
import Foundation

/// Writes tags as CSV or JSON in the columns the readers take, so exports read back unchanged.
///
/// Columns, in order: address, cluster, label, category, source, confidence, context, case_ref,
/// author, created, private. With `hidePrivateSources` (partner-facing output) a private tag's
/// source is written as `private` and its context (the URL where it was found, which would tell
/// the source) is left out.
public enum TagWriter {
    /// The header / key order.
    public static let columns = [
        "address", "cluster", "label", "category", "source", "confidence", "context", "case_ref",
        "author", "created", "private",
    ]

    /// Text written in place of a hidden source.
    public static let hiddenSource = "private"

    /// The tag as it is written: column values, nil for absent ones.
    static func values(_ tag: Tag, hidePrivateSources: Bool) -> [String?] {
        let hide = hidePrivateSources && tag.isPrivate
        return [
            tag.target.address, tag.target.cluster.map(String.init), tag.label, tag.category.rawValue,
            hide ? hiddenSource : tag.source, String(tag.confidence.value), hide ? nil : tag.context, tag.caseRef,
            tag.author, TagTime.format(tag.created), tag.isPrivate ? "true" : "false",
        ]
    }

    /// CSV with a header row, LF line ends; fields quoted where needed (RFC 4180).
    public static func csv(_ tags: [Tag], hidePrivateSources: Bool = false) -> String {
        var out = columns.joined(separator: ",") + "\n"
        for tag in tags {
            out += values(tag, hidePrivateSources: hidePrivateSources).map { CSVRecords.escape($0 ?? "") }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A JSON array with one object per line; absent fields left out, `cluster` and `confidence`
    /// as numbers, `private` as a boolean.
    public static func json(_ tags: [Tag], hidePrivateSources: Bool = false) -> String {
        guard !tags.isEmpty else { return "[]\n" }
        var lines = [String]()
        for tag in tags {
            var members = [String]()
            for (name, value) in zip(columns, values(tag, hidePrivateSources: hidePrivateSources)) {
                guard let value else { continue }
                switch name {
                case "cluster", "confidence": members.append("\(quote(name)):\(value)")
                case "private": members.append("\(quote(name)):\(value)")
                default: members.append("\(quote(name)):\(quote(value))")
                }
            }
            lines.append("{" + members.joined(separator: ",") + "}")
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
