import Foundation

/// One file of a blockchain-etl export read into rows: JSON lines (one object a line, as
/// bitcoin-etl's `JsonLinesItemExporter` and BigQuery's `NEWLINE_DELIMITED_JSON` write them) or
/// CSV with a header row (as bitcoin-etl's `CsvItemExporter` writes it: nested `inputs` and
/// `outputs` as Python `str()` of the list, or as JSON text; an empty field for an empty list).
/// Every row keeps the line it starts on, for errors.
struct ETLTable {
    enum Kind: String { case blocks, transactions }

    struct Row {
        var fields: [String: Any]
        var line: Int
    }

    var file: String
    var kind: Kind
    var rows: [Row]

    /// Reads `file`; its kind (blocks or transactions) comes from the first row's fields.
    static func read(_ file: String) throws(BlockJSONError) -> ETLTable {
        guard let data = FileManager.default.contents(atPath: file) else { throw .unreadable(file: file, reason: "cannot read the file") }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        let rows = first == UInt8(ascii: "{") ? try jsonLines(bytes, file: file) : try csv(bytes, file: file)
        guard let head = rows.first else { throw .malformed(file: file, line: 1, reason: "no rows: an empty blockchain-etl export") }
        guard let kind = kind(of: head.fields) else {
            throw .malformed(
                file: file, line: head.line,
                reason: "neither a blockchain-etl blocks row ('merkle_root') nor a transactions row ('inputs', 'outputs')")
        }
        return ETLTable(file: file, kind: kind, rows: rows)
    }

    static func kind(of fields: [String: Any]) -> Kind? {
        if fields["merkle_root"] != nil { return .blocks }
        if fields["outputs"] != nil || fields["lock_time"] != nil { return .transactions }
        return nil
    }

    private static func jsonLines(_ bytes: [UInt8], file: String) throws(BlockJSONError) -> [Row] {
        var rows: [Row] = []
        var line = 1, start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            defer { line += 1; start = i + 1 }
            let slice = bytes[start..<i]
            guard slice.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(slice)) } catch {
                let ns = error as NSError
                let why = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
                throw .malformed(file: file, line: line, reason: "not JSON (truncated line?): \(why)")
            }
            guard let fields = object as? [String: Any] else {
                throw .malformed(file: file, line: line, reason: "a row must be a JSON object")
            }
            rows.append(Row(fields: fields, line: line))
        }
        return rows
    }

    /// RFC 4180 records; a record may span lines inside quotes and is numbered by its first line.
    private static func csv(_ bytes: [UInt8], file: String) throws(BlockJSONError) -> [Row] {
        var records: [(fields: [String], line: Int)] = []
        var fields: [String] = [], field: [UInt8] = []
        var line = 1, recordLine = 1, i = 0, quoted = false, quoteLine = 1
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        func endRecord() {
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((fields, recordLine)) }
            fields = []
        }
        while i < bytes.count {
            let c = bytes[i]
            if quoted {
                if c == quote {
                    if i + 1 < bytes.count, bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                    quoted = false
                } else {
                    if c == 0x0A { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case quote where field.isEmpty: quoted = true; quoteLine = line
            case comma: fields.append(String(decoding: field, as: UTF8.self)); field = []
            case 0x0D where i + 1 < bytes.count && bytes[i + 1] == 0x0A: break
            case 0x0A: endRecord(); line += 1; recordLine = line
            default: field.append(c)
            }
            i += 1
        }
        if quoted { throw .malformed(file: file, line: quoteLine, reason: "unterminated quoted CSV field (truncated line?)") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let header = records.first else { return [] }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [Row] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                throw .malformed(
                    file: file, line: record.line,
                    reason: "\(record.fields.count) CSV fields where the header has \(names.count) (truncated line?)")
            }
            var row: [String: Any] = [:]
            for (name, value) in zip(names, record.fields) {
                if name == "inputs" || name == "outputs" {
                    row[name] = try nested(value, name: name, file: file, line: record.line)
                } else if !value.isEmpty {
                    row[name] = value
                }
            }
            rows.append(Row(fields: row, line: record.line))
        }
        return rows
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
