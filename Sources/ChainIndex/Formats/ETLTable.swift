import COpenSSL
import Foundation

/// One file of a blockchain-etl export, read one row at a time: JSON lines (one object a line, as
/// bitcoin-etl's `JsonLinesItemExporter` and BigQuery's `NEWLINE_DELIMITED_JSON` write them) or
/// CSV with a header row (as bitcoin-etl's `CsvItemExporter` writes it: nested `inputs` and
/// `outputs` as Python `str()` of the list, or as JSON text; an empty field for an empty list).
/// Every row keeps the line it starts on, for errors. Only the current row (and a read buffer) is
/// in memory, never the file.
final class ETLTable {
    enum Kind: String { case blocks, transactions }

    struct Row {
        var fields: [String: Any]
        var line: Int
    }

    let file: String
    /// Blocks or transactions, from the first row's fields.
    private(set) var kind: Kind = .blocks
    private let lines: ETLLineReader
    /// The CSV header's column names; nil for JSON lines.
    private var columns: [String]?
    private var records = ETLCSVRecords()
    private var lineNumber = 0
    /// The first row, read by `init` to find the kind and returned by the first `next()`.
    private var pending: Row?

    /// The file's size and SHA-256, once every row has been read (for provenance: the bytes
    /// converted are the bytes recorded, without a second pass over the file).
    var source: SourceFile? { lines.source }

    /// Opens `file` and reads its first row; its kind (blocks or transactions) comes from that row.
    /// `chunkSize`: the bytes read at a time (tests use small ones).
    init(_ file: String, chunkSize: Int = ETLLineReader.defaultChunkSize) throws(BlockJSONError) {
        self.file = file
        lines = try ETLLineReader(file, chunkSize: chunkSize)
        let first = try lines.firstNonSpace()
        if first != UInt8(ascii: "{") {
            guard let header = try records.next(lines, file: file) else { throw Self.empty(file) }
            columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let head = try readRow() else { throw Self.empty(file) }
        guard let kind = Self.kind(of: head.fields) else {
            throw .malformed(
                file: file, line: head.line,
                reason: "neither a blockchain-etl blocks row ('merkle_root') nor a transactions row ('inputs', 'outputs')")
        }
        self.kind = kind
        pending = head
    }

    /// The kind of `file` (its first row is read, then the file is closed).
    static func kind(ofFile file: String) throws(BlockJSONError) -> Kind { try ETLTable(file).kind }

    /// The next row in file order, nil after the last.
    func next() throws(BlockJSONError) -> Row? {
        if let row = pending {
            pending = nil
            return row
        }
        return try readRow()
    }

    static func kind(of fields: [String: Any]) -> Kind? {
        if fields["merkle_root"] != nil { return .blocks }
        if fields["outputs"] != nil || fields["lock_time"] != nil { return .transactions }
        return nil
    }

    private static func empty(_ file: String) -> BlockJSONError {
        .malformed(file: file, line: 1, reason: "no rows: an empty blockchain-etl export")
    }

    private func readRow() throws(BlockJSONError) -> Row? {
        if let columns { return try csvRow(columns) }
        return try jsonRow()
    }

    /// The next non-blank line parsed as a JSON object.
    private func jsonRow() throws(BlockJSONError) -> Row? {
        while let (slice, _) = try lines.next() {
            lineNumber += 1
            guard slice.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(slice)) } catch {
                let ns = error as NSError
                let why = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
                throw .malformed(file: file, line: lineNumber, reason: "not JSON (truncated line?): \(why)")
            }
            guard let fields = object as? [String: Any] else {
                throw .malformed(file: file, line: lineNumber, reason: "a row must be a JSON object")
            }
            return Row(fields: fields, line: lineNumber)
        }
        return nil
    }

    /// The next CSV record as a row keyed by the header's names.
    private func csvRow(_ names: [String]) throws(BlockJSONError) -> Row? {
        guard let record = try records.next(lines, file: file) else { return nil }
        guard record.fields.count == names.count else {
            throw .malformed(
                file: file, line: record.line,
                reason: "\(record.fields.count) CSV fields where the header has \(names.count) (truncated line?)")
        }
        var row: [String: Any] = [:]
        for (name, value) in zip(names, record.fields) {
            if name == "inputs" || name == "outputs" {
                row[name] = try Self.nested(value, name: name, file: file, line: record.line)
            } else if !value.isEmpty {
                row[name] = value
            }
        }
        return Row(fields: row, line: record.line)
    }

    /// A nested column: JSON text, or the Python `str()` of a list that bitcoin-etl writes.
    private static func nested(_ text: String, name: String, file: String, line: Int) throws(BlockJSONError) -> Any {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return [Any]() }
        if let json = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) { return json }
        do { return try PythonLiteral.parse(trimmed) } catch {
            throw .malformed(file: file, line: line, reason: "'\(name)' is neither JSON nor a Python list literal: \(error.reason)")
        }
    }
}

/// RFC 4180 records read from physical lines: a record may span lines inside quotes and is
/// numbered by its first line; CRLF or LF; blank lines are skipped.
struct ETLCSVRecords {
    /// The number of the last physical line read.
    private var line = 0
    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")

    /// The next record's fields and first line, nil at the end of the file.
    mutating func next(_ lines: ETLLineReader, file: String) throws(BlockJSONError) -> (fields: [String], line: Int)? {
        var fields: [String] = [], field: [UInt8] = []
        var quoted = false, quoteLine = 1, recordLine = line + 1
        while let (bytes, terminated) = try lines.next() {
            line += 1
            Self.scan(bytes, terminated: terminated, line: line, fields: &fields, field: &field, quoted: &quoted, quoteLine: &quoteLine)
            if quoted {
                if terminated { field.append(0x0A) }
                continue
            }
            guard terminated else { break }
            fields.append(String(decoding: field, as: UTF8.self))
            if fields.count == 1 && fields[0].isEmpty {
                fields = []
                field = []
                recordLine = line + 1
                continue
            }
            return (fields, recordLine)
        }
        if quoted { throw .malformed(file: file, line: quoteLine, reason: "unterminated quoted CSV field (truncated line?)") }
        guard !field.isEmpty || !fields.isEmpty else { return nil }
        fields.append(String(decoding: field, as: UTF8.self))
        if fields.count == 1 && fields[0].isEmpty { return nil }
        return (fields, recordLine)
    }

    /// One physical line (without its LF) into the record being built. A quote opens a quoted
    /// field only at the field's start; `""` inside quotes is a quote; a CR before the LF is dropped.
    private static func scan(
        _ bytes: ArraySlice<UInt8>, terminated: Bool, line: Int, fields: inout [String], field: inout [UInt8],
        quoted: inout Bool, quoteLine: inout Int
    ) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let c = bytes[i]
            let next: UInt8? = i + 1 < bytes.endIndex ? bytes[i + 1] : (terminated ? 0x0A : nil)
            if quoted {
                if c == quote {
                    if next == quote { field.append(quote); i += 2; continue }
                    quoted = false
                } else {
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case quote where field.isEmpty: quoted = true; quoteLine = line
            case comma: fields.append(String(decoding: field, as: UTF8.self)); field = []
            case 0x0D where next == 0x0A: break
            default: field.append(c)
            }
            i += 1
        }
    }
}

/// A file read one LF-terminated line at a time through a fixed-size buffer (a UTF-8 byte order
/// mark at the start is dropped), hashing the bytes as they are read. Memory: the buffer and the
/// longest line.
final class ETLLineReader {
    let file: String
    /// The file's size and SHA-256, set when the end of the file has been read.
    private(set) var source: SourceFile?
    private let handle: FileHandle
    private var sha = SHA256_CTX()
    private var size = 0
    private var buffer: [UInt8] = []
    /// The start of the unread bytes in `buffer`.
    private var start = 0
    /// Where the search for the next LF resumes (bytes before it, from `start`, hold none).
    private var scanned = 0
    private var atEnd = false
    private let chunkSize: Int
    static let defaultChunkSize = 1 << 20

    /// Opens `file` (and drops a byte order mark at its start).
    init(_ file: String, chunkSize: Int = defaultChunkSize) throws(BlockJSONError) {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw .unreadable(file: file, reason: "cannot read the file") }
        self.file = file
        self.handle = handle
        self.chunkSize = max(1, chunkSize)
        SHA256_Init(&sha)
        while buffer.count < 3 && !atEnd { try refill() }
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
            start = 3
            scanned = 3
        }
    }

    deinit { try? handle.close() }

    /// The next line without its LF, and whether an LF ended it (false only for a last line
    /// without one); nil at the end of the file.
    func next() throws(BlockJSONError) -> (bytes: ArraySlice<UInt8>, terminated: Bool)? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                scanned = start
                return (line, true)
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return (line, false)
            }
            try refill()
        }
    }

    /// The first byte that is not a space, tab, CR or LF, without consuming anything.
    func firstNonSpace() throws(BlockJSONError) -> UInt8? {
        var i = start
        while true {
            while i < buffer.count {
                if ![0x20, 0x09, 0x0A, 0x0D].contains(buffer[i]) { return buffer[i] }
                i += 1
            }
            if atEnd { return nil }
            let consumed = start
            try refill()
            i = max(i - consumed, start)
        }
    }

    /// Drops the consumed bytes and reads the next chunk.
    private func refill() throws(BlockJSONError) {
        if start > 0 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        let chunk: Data?
        do { chunk = try handle.read(upToCount: chunkSize) } catch {
            throw .unreadable(file: file, reason: "cannot read the file: \(error.localizedDescription)")
        }
        guard let chunk, !chunk.isEmpty else {
            atEnd = true
            var digest = [UInt8](repeating: 0, count: 32)
            SHA256_Final(&digest, &sha)
            source = SourceFile(path: file, size: size, sha256: Hex.encode(digest))
            return
        }
        chunk.withUnsafeBytes { _ = SHA256_Update(&sha, $0.baseAddress, $0.count) }
        size += chunk.count
        buffer += chunk
    }
}
