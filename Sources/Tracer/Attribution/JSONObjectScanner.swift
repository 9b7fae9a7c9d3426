/// A small JSON parser for tag files that records the line where each top-level object starts
/// (Foundation's decoders report none) and keeps numbers as their source text (so `1.0` and `1`
/// stay distinct).
///
/// The input is either an array of objects or a stream of objects separated by whitespace
/// (NDJSON / JSON Lines). After a syntax error in a stream the scan resumes at the next line that
/// starts with `{`; in an array it stops there.
struct JSONObjectScanner {
    /// A JSON value; numbers as written.
    indirect enum Value {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        case array([Value])
        case object([(key: String, value: Value)])
    }

    /// A top-level element and the line it starts on.
    struct Element {
        var line: Int
        var value: Value
    }

    struct Failure: Error {
        var line: Int
        var message: String

        /// The failure reported on the line where its element starts, naming the line where the
        /// problem was found when that is another.
        func at(_ start: Int) -> Failure {
            line == start ? self : Failure(line: start, message: "\(message) (line \(line))")
        }
    }

    /// Deepest nesting accepted (untrusted input must not exhaust the stack).
    static let maxDepth = 64

    private let b: [UInt8]
    private var p = 0
    private var line = 1

    private init(_ bytes: [UInt8]) {
        b = bytes
        if b.count >= 3, b[0] == 0xef, b[1] == 0xbb, b[2] == 0xbf { p = 3 }
    }

    /// The top-level elements of `bytes` (UTF-8) and the syntax errors met.
    static func scan(_ bytes: [UInt8]) -> (elements: [Element], failures: [Failure]) {
        var s = JSONObjectScanner(bytes)
        var elements = [Element](), failures = [Failure]()
        s.skipWhitespace()
        guard s.p < s.b.count else { return ([], []) }
        if s.b[s.p] == 0x5b {  // [
            s.p += 1
            s.skipWhitespace()
            if s.peek == 0x5d {
                s.p += 1
            } else {
                while true {
                    let start = s.line
                    do throws(Failure) {
                        elements.append(Element(line: start, value: try s.value(depth: 1)))
                    } catch {
                        failures.append(error.at(start))
                        return (elements, failures)
                    }
                    s.skipWhitespace()
                    if s.peek == 0x2c { s.p += 1; s.skipWhitespace(); continue }
                    if s.peek == 0x5d { s.p += 1; break }
                    failures.append(Failure(line: s.line, message: "expected ',' or ']' after an array element"))
                    return (elements, failures)
                }
            }
            s.skipWhitespace()
            if s.p < s.b.count { failures.append(Failure(line: s.line, message: "unexpected text after the closing ']'")) }
            return (elements, failures)
        }
        while s.p < s.b.count {
            let start = s.line, startOffset = s.p
            do throws(Failure) {
                elements.append(Element(line: start, value: try s.value(depth: 1)))
            } catch {
                failures.append(error.at(start))
                // Resume after the broken object's first line (the error may lie in a later object).
                (s.p, s.line) = (startOffset, start)
                s.resync()
            }
            s.skipWhitespace()
        }
        return (elements, failures)
    }

    private var peek: UInt8? { p < b.count ? b[p] : nil }

    private mutating func skipWhitespace() {
        while p < b.count {
            switch b[p] {
            case 0x0a: line += 1; p += 1
            case 0x20, 0x09, 0x0d: p += 1
            default: return
            }
        }
    }

    /// Moves to the start of the next line whose first non-blank character is `{`.
    private mutating func resync() {
        while p < b.count {
            while p < b.count, b[p] != 0x0a { p += 1 }
            guard p < b.count else { return }
            p += 1
            line += 1
            var q = p
            while q < b.count, b[q] == 0x20 || b[q] == 0x09 { q += 1 }
            if q < b.count, b[q] == 0x7b { p = q; return }
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> Value {
        skipWhitespace()
        guard let c = peek else { throw Failure(line: line, message: "unexpected end of input") }
        guard depth <= Self.maxDepth else { throw Failure(line: line, message: "nesting deeper than \(Self.maxDepth)") }
        switch c {
        case 0x7b: return try object(depth: depth)
        case 0x5b:
            p += 1
            var items = [Value]()
            skipWhitespace()
            if peek == 0x5d { p += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                if peek == 0x2c { p += 1; continue }
                if peek == 0x5d { p += 1; return .array(items) }
                throw Failure(line: line, message: "expected ',' or ']' in an array")
            }
        case 0x22: return .string(try string())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6e: try literal("null"); return .null
        case 0x2d, 0x30...0x39: return .number(try number())
        default: throw Failure(line: line, message: "unexpected character '\(Unicode.Scalar(c))'")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> Value {
        p += 1  // {
        var members = [(key: String, value: Value)]()
        skipWhitespace()
        if peek == 0x7d { p += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard peek == 0x22 else { throw Failure(line: line, message: "expected a quoted field name") }
            let key = try string()
            skipWhitespace()
            guard peek == 0x3a else { throw Failure(line: line, message: "expected ':' after field name \"\(key)\"") }
            p += 1
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            if peek == 0x2c { p += 1; continue }
            if peek == 0x7d { p += 1; return .object(members) }
            throw Failure(line: line, message: "expected ',' or '}' in an object")
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let w = Array(word.utf8)
        guard p + w.count <= b.count, Array(b[p..<(p + w.count)]) == w else {
            throw Failure(line: line, message: "invalid literal (expected \(word))")
        }
        p += w.count
    }

    private mutating func number() throws(Failure) -> String {
        let start = p
        func digits() -> Int {
            let s = p
            while p < b.count, b[p] >= 0x30, b[p] <= 0x39 { p += 1 }
            return p - s
        }
        if peek == 0x2d { p += 1 }
        let intStart = p
        guard digits() > 0 else { throw Failure(line: line, message: "invalid number") }
        if b[intStart] == 0x30, p - intStart > 1 { throw Failure(line: line, message: "invalid number (leading zero)") }
        if peek == 0x2e {
            p += 1
            guard digits() > 0 else { throw Failure(line: line, message: "invalid number") }
        }
        if peek == 0x65 || peek == 0x45 {
            p += 1
            if peek == 0x2b || peek == 0x2d { p += 1 }
            guard digits() > 0 else { throw Failure(line: line, message: "invalid number") }
        }
        return String(decoding: b[start..<p], as: UTF8.self)
    }

    private mutating func string() throws(Failure) -> String {
        p += 1  // opening quote
        var out = [UInt8]()
        while true {
            guard p < b.count else { throw Failure(line: line, message: "unterminated string") }
            let c = b[p]
            p += 1
            switch c {
            case 0x22: return String(decoding: out, as: UTF8.self)
            case 0x5c:
                guard p < b.count else { throw Failure(line: line, message: "unterminated string") }
                let e = b[p]
                p += 1
                switch e {
                case 0x22, 0x5c, 0x2f: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0c)
                case 0x6e: out.append(0x0a)
                case 0x72: out.append(0x0d)
                case 0x74: out.append(0x09)
                case 0x75:
                    var scalar = try hex4()
                    if (0xd800...0xdbff).contains(scalar) {
                        guard p + 1 < b.count, b[p] == 0x5c, b[p + 1] == 0x75 else {
                            throw Failure(line: line, message: "unpaired surrogate in \\u escape")
                        }
                        p += 2
                        let low = try hex4()
                        guard (0xdc00...0xdfff).contains(low) else {
                            throw Failure(line: line, message: "unpaired surrogate in \\u escape")
                        }
                        scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw Failure(line: line, message: "invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw Failure(line: line, message: "invalid escape in string")
                }
            case 0x00..<0x20:
                throw Failure(line: line, message: "control character in string (line breaks must be written \\n)")
            default: out.append(c)
            }
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard p + 4 <= b.count else { throw Failure(line: line, message: "invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[p]
            p += 1
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: throw Failure(line: line, message: "invalid \\u escape")
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
