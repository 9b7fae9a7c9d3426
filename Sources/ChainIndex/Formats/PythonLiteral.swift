import Foundation

/// Reads the Python literals that blockchain-etl's CSV exporter writes for nested columns: it
/// writes `str(value)` of a list of dicts (`[{'index': 0, 'value': None, 'addresses': ['1…']}]`).
/// Supported: lists, tuples, dicts, single- or double-quoted strings (with `\\`, `\'`, `\"`, `\n`,
/// `\t`, `\r`, `\xNN`, `\uNNNN` escapes), integers, `None`, `True`, `False`. The result uses the
/// Foundation types `JSONSerialization` gives (`[Any]`, `[String: Any]`, `String`, `NSNumber`,
/// `NSNull`), so the same code reads JSON and CSV rows.
enum PythonLiteral {
    struct Failure: Error { var reason: String }

    static func parse(_ text: String) throws(Failure) -> Any {
        var p = Parser(bytes: Array(text.utf8))
        let value = try p.value()
        p.skipSpace()
        guard p.i == p.bytes.count else { throw Failure(reason: "unexpected text at character \(p.i + 1)") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        func failure(_ what: String) -> Failure {
            Failure(reason: i < bytes.count ? "\(what) at character \(i + 1)" : "\(what): the text ends early (truncated?)")
        }

        mutating func value() throws(Failure) -> Any {
            skipSpace()
            guard i < bytes.count else { throw failure("expected a value") }
            switch bytes[i] {
            case UInt8(ascii: "["), UInt8(ascii: "("):
                return try sequence(close: bytes[i] == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: ")"))
            case UInt8(ascii: "{"): return try dictionary()
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return try string()
            default: return try atom()
            }
        }

        mutating func sequence(close: UInt8) throws(Failure) -> [Any] {
            i += 1
            var out: [Any] = []
            while true {
                skipSpace()
                guard i < bytes.count else { throw failure("unclosed list") }
                if bytes[i] == close { i += 1; return out }
                out.append(try value())
                skipSpace()
                guard i < bytes.count else { throw failure("unclosed list") }
                if bytes[i] == UInt8(ascii: ",") { i += 1 } else if bytes[i] != close { throw failure("expected ',' or a closing bracket") }
            }
        }

        mutating func dictionary() throws(Failure) -> [String: Any] {
            i += 1
            var out: [String: Any] = [:]
            while true {
                skipSpace()
                guard i < bytes.count else { throw failure("unclosed dict") }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return out }
                guard let key = try value() as? String else { throw failure("a dict key must be a string") }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                i += 1
                out[key] = try value()
                skipSpace()
                guard i < bytes.count else { throw failure("unclosed dict") }
                if bytes[i] == UInt8(ascii: ",") { i += 1 } else if bytes[i] != UInt8(ascii: "}") { throw failure("expected ',' or '}'") }
            }
        }

        mutating func string() throws(Failure) -> String {
            let quote = bytes[i]
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                if c == quote { i += 1; return String(decoding: out, as: UTF8.self) }
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < bytes.count else { break }
                    let e = bytes[i + 1]
                    i += 2
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "x"), UInt8(ascii: "u"):
                        let n = e == UInt8(ascii: "x") ? 2 : 4
                        guard i + n <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + n)], as: UTF8.self), radix: 16),
                            let scalar = Unicode.Scalar(v)
                        else { throw failure("bad escape") }
                        out += Array(String(Character(scalar)).utf8)
                        i += n
                    default: out.append(e)
                    }
                    continue
                }
                out.append(c)
                i += 1
            }
            throw failure("unterminated string")
        }

        mutating func atom() throws(Failure) -> Any {
            let start = i
            while i < bytes.count, !",]})\n: ".utf8.contains(bytes[i]) { i += 1 }
            let word = String(decoding: bytes[start..<i], as: UTF8.self)
            switch word {
            case "None": return NSNull()
            case "True": return NSNumber(value: true)
            case "False": return NSNumber(value: false)
            default:
                guard let n = Int64(word) else { i = start; throw failure("unexpected '\(word.prefix(20))'") }
                return NSNumber(value: n)
            }
        }
    }
}
