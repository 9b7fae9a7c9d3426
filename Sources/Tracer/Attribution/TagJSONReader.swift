/// Reads tags from JSON: an array of objects, or one object after another (NDJSON / JSON Lines).
///
/// Keys are the CSV column names (see ``TagCSVReader``). Values are strings, numbers or booleans
/// (`null` counts as absent); `confidence` and `cluster` may be numbers or strings, `private` a
/// boolean or a string. Unknown or repeated keys are errors. Each problem is reported on the line
/// where its object starts.
public enum TagJSONReader {
    /// Every tag of `bytes`, or one ``TagFileError`` listing every bad object.
    public static func read(_ bytes: [UInt8], path: String, options: TagReadOptions) throws(TagFileError) -> [LocatedTag] {
        if let line = TagText.firstInvalidUTF8Line(bytes) {
            throw TagFileError(issues: [TagIssue(path: path, line: line, problem: .notUTF8)])
        }
        let (elements, failures) = JSONObjectScanner.scan(bytes)
        var issues = failures.map { TagIssue(path: path, line: $0.line, problem: .syntax($0.message)) }
        let builder = TagRowBuilder(options: options, path: path)
        var tags = [LocatedTag]()
        for element in elements {
            guard case .object(let members) = element.value else {
                issues.append(TagIssue(path: path, line: element.line, problem: .syntax("expected an object")))
                continue
            }
            var fields = [TagField: String]()
            var problems = [TagProblem]()
            var seen = Set<TagField>(), unusable = Set<TagField>()
            for (key, value) in members {
                guard let field = TagField.named(key) else { problems.append(.unknownField(key)); continue }
                guard seen.insert(field).inserted else { problems.append(.duplicateField(key)); continue }
                switch value {
                case .string(let s), .number(let s): fields[field] = s
                case .bool(let flag): fields[field] = flag ? "true" : "false"
                case .null: break
                case .array, .object:
                    problems.append(.wrongType(field: key, expected: "a string, number or boolean"))
                    unusable.insert(field)
                }
            }
            if let tag = builder.build(fields, line: element.line, extraIssues: problems, reported: unusable, issues: &issues) {
                tags.append(tag)
            }
        }
        guard issues.isEmpty else { throw TagFileError(issues: TagText.sorted(issues)) }
        return tags
    }
}
