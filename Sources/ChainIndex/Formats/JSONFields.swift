import Foundation

/// Typed reads of one JSON object: a blockchain-etl row (or nested input/output object), or an
/// explorer transaction (and its inputs and outputs). Accepts the shapes real exports use: integers as JSON numbers or as decimal text (BigQuery writes INT64 and
/// NUMERIC as strings; CSV has only text), booleans as `true`/`True`, timestamps as Unix seconds
/// or UTC text (`2009-01-03 18:15:05 UTC`, `2009-01-03T18:15:05Z`). Every failure names the
/// file, the line and the field.
struct JSONFields {
    var fields: [String: Any]
    var file: String
    var line: Int
    /// Prefix for messages about a nested object, e.g. "input 2 of transaction …: ".
    var context = ""

    func fail(_ reason: String) -> BlockJSONError { .malformed(file: file, line: line, reason: context + reason) }

    /// The value, nil when absent or null.
    func raw(_ key: String) -> Any? {
        guard let v = fields[key], !(v is NSNull) else { return nil }
        return v
    }

    func has(_ key: String) -> Bool { raw(key) != nil }

    func string(_ key: String) throws(BlockJSONError) -> String {
        guard let v = raw(key) else { throw fail("missing '\(key)'") }
        guard let s = v as? String else { throw fail("'\(key)' must be text, not \(Self.describe(v))") }
        return s
    }

    func hash(_ key: String) throws(BlockJSONError) -> Hash256 {
        guard let h = Hash256(hex: try string(key)) else { throw fail("'\(key)' is not a 64-digit hex hash") }
        return h
    }

    /// An array of hex strings; absent or null is empty (an explorer input's `witness`).
    func hexArray(_ key: String) throws(BlockJSONError) -> [[UInt8]] {
        guard let v = raw(key) else { return [] }
        guard let items = v as? [Any] else { throw fail("'\(key)' must be an array of hex strings") }
        var out: [[UInt8]] = []
        for item in items {
            guard let s = item as? String, let bytes = Hex.decode(s) else { throw fail("'\(key)' must be an array of hex strings") }
            out.append(bytes)
        }
        return out
    }

    func hex(_ key: String) throws(BlockJSONError) -> [UInt8] {
        guard let v = raw(key) else { throw fail("missing '\(key)'") }
        guard let s = v as? String, let bytes = Hex.decode(s) else { throw fail("'\(key)' is not hex") }
        return bytes
    }

    /// An integer in `range`, from a JSON number or decimal text (a zero fraction is allowed).
    func integer(_ key: String, in range: ClosedRange<Int64> = Int64.min...Int64.max) throws(BlockJSONError) -> Int64 {
        guard let v = raw(key) else { throw fail("missing '\(key)'") }
        guard let n = Self.integer(v) else { throw fail("'\(key)' must be an integer, not \(Self.describe(v))") }
        guard range.contains(n) else { throw fail("'\(key)' \(n) is out of range") }
        return n
    }

    func optionalInteger(_ key: String, in range: ClosedRange<Int64> = Int64.min...Int64.max) throws(BlockJSONError) -> Int64? {
        has(key) ? try integer(key, in: range) : nil
    }

    func bool(_ key: String) throws(BlockJSONError) -> Bool? {
        guard let v = raw(key) else { return nil }
        if let s = v as? String {
            switch s.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: throw fail("'\(key)' must be true or false, not '\(s.prefix(20))'")
            }
        }
        guard let n = v as? NSNumber else { throw fail("'\(key)' must be true or false, not \(Self.describe(v))") }
        return n.boolValue
    }

    /// A nested list of objects (`inputs`, `outputs`).
    func objects(_ key: String) throws(BlockJSONError) -> [[String: Any]] {
        guard let v = raw(key) else { throw fail("missing '\(key)'") }
        guard let list = v as? [Any] else { throw fail("'\(key)' must be a list, not \(Self.describe(v))") }
        var out: [[String: Any]] = []
        for (i, item) in list.enumerated() {
            guard let o = item as? [String: Any] else { throw fail("'\(key)' item \(i) is not an object") }
            out.append(o)
        }
        return out
    }

    /// Unix seconds from a number, decimal text, or UTC date-time text.
    func unixTime(_ key: String) throws(BlockJSONError) -> Int64 {
        guard let v = raw(key) else { throw fail("missing '\(key)'") }
        if let n = Self.integer(v) { return n }
        if let s = v as? String, let t = Self.parseUTC(s) { return t }
        throw fail("'\(key)' must be Unix seconds or a UTC date-time, not \(Self.describe(v))")
    }

    static func integer(_ v: Any) -> Int64? {
        if let s = v as? String {
            var t = Substring(s.trimmingCharacters(in: .whitespaces))
            if let dot = t.firstIndex(of: ".") {
                guard t[t.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return nil }
                t = t[..<dot]
            }
            return Int64(t)
        }
        guard let n = v as? NSNumber else { return nil }
        if let exact = Int64(exactly: n.doubleValue), Double(n.int64Value) == n.doubleValue { return exact }
        return nil
    }

    /// `YYYY-MM-DD[ T]HH:MM:SS[.fraction][ UTC| Z|+00:00]` as Unix seconds (UTC only).
    static func parseUTC(_ text: String) -> Int64? {
        var s = text.trimmingCharacters(in: .whitespaces)
        for suffix in [" UTC", "UTC", "Z", "+00:00", "+0000"] where s.hasSuffix(suffix) { s.removeLast(suffix.count); break }
        let digits = Array(s.utf8)
        guard digits.count >= 19, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"),
            digits[10] == UInt8(ascii: " ") || digits[10] == UInt8(ascii: "T"), digits[13] == UInt8(ascii: ":"),
            digits[16] == UInt8(ascii: ":")
        else { return nil }
        if digits.count > 19 {
            guard digits[19] == UInt8(ascii: "."), digits[20...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        }
        func number(_ r: Range<Int>) -> Int64? { Int64(String(decoding: digits[r], as: UTF8.self)) }
        guard let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10), let h = number(11..<13), let mi = number(14..<16),
            let se = number(17..<19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61
        else { return nil }
        return CivilDate.days(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + se
    }

    static func describe(_ v: Any) -> String {
        switch v {
        case is String: return "text"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        case let n as NSNumber: return "the number \(n)"
        default: return "\(type(of: v))"
        }
    }
}
