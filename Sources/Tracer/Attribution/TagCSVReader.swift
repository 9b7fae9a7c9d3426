/// Reads tags from CSV with a header row naming the columns.
///
/// Columns (any order, names case-insensitive): `address` or `cluster` (exactly one per row),
/// `label`, `category`, `source`, `confidence` are required; `context` (also `url`,
/// `first_seen_url`, `context_url`), `case_ref`, `author`, `created`, `private`, `currency` and
/// `network` are optional. An unknown or repeated column is an error. See `docs/tags.md`.
public enum TagCSVReader {
    /// Every tag of `bytes`, or one ``TagFileError`` listing every bad row.
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - path: the file's path, for error messages.
    public static func read(_ bytes: [UInt8], path: String, options: TagReadOptions) throws(TagFileError) -> [LocatedTag] {
        var issues = [TagIssue]()
        if let line = TagText.firstInvalidUTF8Line(bytes) {
            throw TagFileError(issues: [TagIssue(path: path, line: line, problem: .notUTF8)])
        }
        let (records, failures) = CSVRecords.parse(bytes)
        issues += failures.map { TagIssue(path: path, line: $0.line, problem: .syntax($0.message)) }
        guard let header = records.first else {
            issues.append(TagIssue(path: path, line: nil, problem: .missingHeader))
            throw TagFileError(issues: TagText.sorted(issues))
        }
        var columns = [TagField?]()
        var seen = Set<TagField>()
        for name in header.fields {
            guard let field = TagField.named(name) else {
                issues.append(TagIssue(path: path, line: header.line, problem: .unknownColumn(name)))
                columns.append(nil)
                continue
            }
            if !seen.insert(field).inserted {
                issues.append(TagIssue(path: path, line: header.line, problem: .duplicateColumn(name)))
            }
            columns.append(field)
        }
        // With a bad header the rows cannot be read reliably: report the header alone.
        if issues.contains(where: { $0.line == header.line }) { throw TagFileError(issues: TagText.sorted(issues)) }

        let builder = TagRowBuilder(options: options, path: path)
        var tags = [LocatedTag]()
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                issues.append(
                    TagIssue(path: path, line: record.line, problem: .fieldCount(expected: columns.count, found: record.fields.count)))
                continue
            }
            var fields = [TagField: String]()
            for (column, value) in zip(columns, record.fields) {
                if let column { fields[column] = value }
            }
            if let tag = builder.build(fields, line: record.line, issues: &issues) { tags.append(tag) }
        }
        guard issues.isEmpty else { throw TagFileError(issues: TagText.sorted(issues)) }
        return tags
    }
}

/// Helpers shared by the readers.
enum TagText {
    /// The 1-based line of the first byte sequence that is not UTF-8, nil when all of it is.
    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var line = 1, start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0a {
            if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
            line += 1
            start = i + 1
        }
        return line
    }

    /// Issues in line order (stable for equal lines), whole-file issues first.
    static func sorted(_ issues: [TagIssue]) -> [TagIssue] {
        issues.enumerated().sorted { a, b in
            let la = a.element.line ?? 0, lb = b.element.line ?? 0
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }
}
