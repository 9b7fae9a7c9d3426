import Foundation

/// Splits a JSON file into its top-level values with the line each starts on, without parsing
/// them: the elements of a top-level array (`[ {…}, {…} ]`, pretty-printed or not), or a sequence
/// of values (NDJSON, or objects one after another). Each value is then parsed on its own, so an
/// error names the line where the faulty value starts, and a truncated file is reported at the
/// value it cuts off.
struct JSONSequence {
    /// One top-level value: its bytes and the 1-based line of its first byte.
    struct Value {
        var bytes: ArraySlice<UInt8>
        var line: Int
    }

    let file: String
    let bytes: [UInt8]

    /// Reads the whole file (explorer exports are per address or per block, megabytes at most).
    init(file: String) throws(BlockJSONError) {
        guard let data = FileManager.default.contents(atPath: file) else { throw .unreadable(file: file, reason: "cannot read the file") }
        self.file = file
        self.bytes = [UInt8](data)
    }

    init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
    }

    /// The top-level values in file order.
    func values() throws(BlockJSONError) -> [Value] {
        var i = 0, line = 1
        skipSpace(&i, &line)
        // A UTF-8 byte-order mark is allowed before the first value.
        if bytes.count >= i + 3, bytes[i] == 0xEF, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF { i += 3 }
        skipSpace(&i, &line)
        guard i < bytes.count else { throw .malformed(file: file, line: line, reason: "the file holds no JSON value") }
        var out: [Value] = []
        if bytes[i] == UInt8(ascii: "[") {
            i += 1
            skipSpace(&i, &line)
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { return [] }
            while true {
                let start = i, startLine = line
                try skipValue(&i, &line, startLine: startLine)
                out.append(Value(bytes: bytes[start..<i], line: startLine))
                skipSpace(&i, &line)
                guard i < bytes.count else {
                    throw .malformed(file: file, line: line, reason: "truncated: the array is not closed")
                }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    skipSpace(&i, &line)
                    continue
                }
                guard bytes[i] == UInt8(ascii: "]") else {
                    throw .malformed(file: file, line: line, reason: "expected ',' or ']' after an array element")
                }
                i += 1
                skipSpace(&i, &line)
                guard i == bytes.count else { throw .malformed(file: file, line: line, reason: "text after the closing ']'") }
                return out
            }
        }
        while i < bytes.count {
            let start = i, startLine = line
            try skipValue(&i, &line, startLine: startLine)
            out.append(Value(bytes: bytes[start..<i], line: startLine))
            skipSpace(&i, &line)
        }
        return out
    }

    /// Parses one value with JSONSerialization; an error names the value's line.
    func object(_ value: Value) throws(BlockJSONError) -> Any {
        do { return try JSONSerialization.jsonObject(with: Data(value.bytes), options: [.fragmentsAllowed]) } catch {
            let ns = error as NSError
            let reason = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
            var line = value.line
            if let index = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int {
                line += value.bytes.prefix(index).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            }
            throw .malformed(file: file, line: line, reason: "not JSON: \(reason)")
        }
    }

    private func skipSpace(_ i: inout Int, _ line: inout Int) {
        while i < bytes.count {
            switch bytes[i] {
            case 0x0A: line += 1; i += 1
            case 0x20, 0x09, 0x0D: i += 1
            default: return
            }
        }
    }

    /// Moves past one value: an object or array (brackets balanced outside strings), a string,
    /// or a scalar (up to the next delimiter). Validity is left to the parser.
    private func skipValue(_ i: inout Int, _ line: inout Int, startLine: Int) throws(BlockJSONError) {
        var depth = 0
        var inString = false
        var escaped = false
        let first = bytes[i]
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"") else {
            while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "]"), 0x0A, 0x0D, 0x20, 0x09].contains(bytes[i]) { i += 1 }
            return
        }
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if c == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return }
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                // Depth starts at 1 here and the value ends when it is back at 0.
                depth -= 1
                if depth == 0 { return }
            default: break
            }
        }
        throw .malformed(file: file, line: startLine, reason: "truncated: the value starting here is not complete")
    }
}
