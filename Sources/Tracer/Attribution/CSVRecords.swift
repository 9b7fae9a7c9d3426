import Foundation

/// An RFC 4180 CSV tokenizer that remembers where each record starts.
///
/// Fields are separated by `,` and records by LF or CRLF; a field in double quotes may hold commas,
/// line breaks and doubled quotes (`""`). Blank lines are skipped. Line numbers are physical lines
/// (1-based), so a record after a quoted field with line breaks reports the line it really starts on.
struct CSVRecords {
    struct Record {
        /// Physical line the record starts on.
        var line: Int
        var fields: [String]
    }

    /// A broken record: where it starts and what is wrong.
    struct Failure {
        var line: Int
        var message: String
    }

    /// Splits `bytes` (UTF-8, already validated) into records. A record with a quoting error is
    /// reported and skipped up to the end of its physical line; an unterminated quote ends the scan.
    static func parse(_ bytes: [UInt8]) -> (records: [Record], failures: [Failure]) {
        var records = [Record](), failures = [Failure]()
        var p = 0, line = 1
        let n = bytes.count
        if n >= 3, bytes[0] == 0xef, bytes[1] == 0xbb, bytes[2] == 0xbf { p = 3 }  // UTF-8 byte-order mark

        record: while p < n {
            let startLine = line
            var fields = [String]()
            var field = [UInt8]()
            // Blank line (LF or CRLF): no record.
            if bytes[p] == 0x0a { p += 1; line += 1; continue }
            if bytes[p] == 0x0d, p + 1 < n, bytes[p + 1] == 0x0a { p += 2; line += 1; continue }

            func skipRestOfLine() {
                while p < n, bytes[p] != 0x0a { p += 1 }
                if p < n { p += 1; line += 1 }
            }

            while true {
                // One field.
                if p < n, bytes[p] == 0x22 {
                    p += 1
                    while true {
                        guard p < n else {
                            failures.append(Failure(line: startLine, message: "unterminated quoted field"))
                            break record
                        }
                        let c = bytes[p]
                        if c == 0x22 {
                            if p + 1 < n, bytes[p + 1] == 0x22 { field.append(0x22); p += 2; continue }
                            p += 1
                            break
                        }
                        if c == 0x0a { line += 1 }
                        field.append(c)
                        p += 1
                    }
                    // After a closing quote: a separator, a line end or the end of the input.
                    if p < n, bytes[p] != 0x2c, bytes[p] != 0x0a, !(bytes[p] == 0x0d && p + 1 < n && bytes[p + 1] == 0x0a),
                        !(bytes[p] == 0x0d && p + 1 == n)
                    {
                        failures.append(Failure(line: startLine, message: "unexpected character after a closing quote"))
                        skipRestOfLine()
                        continue record
                    }
                } else {
                    while p < n, bytes[p] != 0x2c, bytes[p] != 0x0a {
                        if bytes[p] == 0x0d, p + 1 == n || bytes[p + 1] == 0x0a { break }
                        if bytes[p] == 0x22 {
                            failures.append(
                                Failure(
                                    line: startLine, message: "quote inside an unquoted field (quote the whole field and double the quote)")
                            )
                            skipRestOfLine()
                            continue record
                        }
                        field.append(bytes[p])
                        p += 1
                    }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                if p < n, bytes[p] == 0x2c { p += 1; continue }
                if p < n, bytes[p] == 0x0d { p += 1 }
                if p < n, bytes[p] == 0x0a { p += 1; line += 1 }
                break
            }
            records.append(Record(line: startLine, fields: fields))
        }
        return (records, failures)
    }

    /// One CSV field: quoted when it holds a comma, quote, CR or LF, or starts or ends with a space.
    static func escape(_ value: String) -> String {
        let needsQuotes =
            value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
