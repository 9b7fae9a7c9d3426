import ChainIndex

/// What is wrong with one row (or with a whole file) of a tag file.
public enum TagProblem: Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case cannotRead(String)
    /// No format given and the file name's extension names none.
    case unknownFormat(extension: String)
    /// Bytes that are not UTF-8.
    case notUTF8
    /// The file's syntax is broken here (CSV quoting, JSON, YAML).
    case syntax(String)
    /// A CSV file with no header row, or a file with no tags at all where some are required.
    case missingHeader
    case unknownColumn(String)
    case duplicateColumn(String)
    /// A CSV row with more or fewer fields than the header.
    case fieldCount(expected: Int, found: Int)
    /// A JSON or TagPack field that is not part of the format.
    case unknownField(String)
    case duplicateField(String)
    /// A field holding a list or object where text, a number or a boolean belongs.
    case wrongType(field: String, expected: String)
    /// A required field is absent or empty. `field` names it (`address` stands for "address or cluster").
    case missingField(String)
    /// Both an address and a cluster.
    case bothTargets
    /// The address does not parse on the index's network (bad checksum, another network, ...).
    case invalidAddress(String, AddressError)
    case badCluster(String)
    case unknownCategory(String)
    case ambiguousCategory(String, reason: String)
    case badConfidence(String)
    case badDate(field: String, value: String)
    case badBoolean(field: String, value: String)
    /// A currency or network code that is not known at all.
    case unknownCurrency(String)
    /// A known currency or network that is not the index's.
    case currencyMismatch(String, network: String)

    public var description: String {
        switch self {
        case .cannotRead(let reason): return "cannot read the file: \(reason)"
        case .unknownFormat(let ext):
            return
                "cannot tell the format from the extension '\(ext)' (use .csv, .json, .ndjson, .jsonl, .yaml or .yml, or give the format)"
        case .notUTF8: return "not valid UTF-8"
        case .syntax(let message): return "syntax error: \(message)"
        case .missingHeader: return "no header row"
        case .unknownColumn(let name): return "unknown column '\(name)'"
        case .duplicateColumn(let name): return "column '\(name)' appears more than once"
        case .fieldCount(let expected, let found): return "expected \(expected) fields as in the header, found \(found)"
        case .unknownField(let name): return "unknown field '\(name)'"
        case .duplicateField(let name): return "field '\(name)' appears more than once"
        case .wrongType(let field, let expected): return "field '\(field)' must be \(expected)"
        case .missingField("address"): return "missing required field 'address' (or 'cluster')"
        case .missingField(let name): return "missing required field '\(name)'"
        case .bothTargets: return "both 'address' and 'cluster' are given; a tag has exactly one target"
        case .invalidAddress(let text, let error): return "invalid address '\(text)': \(error)"
        case .badCluster(let text): return "bad cluster id '\(text)' (expected a non-negative integer)"
        case .unknownCategory(let text):
            return
                "unknown category '\(text)' (expected one of \(TagCategory.allCases.map(\.rawValue).joined(separator: ", ")) or an alias)"
        case .ambiguousCategory(let text, let reason):
            return "category '\(text)' is not mapped: \(reason); give one of the categories explicitly"
        case .badConfidence(let text):
            return
                "bad confidence '\(text)' (expected an integer 0-100, a fraction 0.0-1.0 in whole percent, or a GraphSense confidence id)"
        case .badDate(let field, let value):
            return "bad date '\(value)' in '\(field)' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with Z or an offset)"
        case .badBoolean(let field, let value): return "bad boolean '\(value)' in '\(field)' (expected true or false)"
        case .unknownCurrency(let text): return "unknown currency or network '\(text)'"
        case .currencyMismatch(let text, let network): return "currency or network '\(text)' does not match the index network '\(network)'"
        }
    }
}

/// One problem, where it is: `path:line: problem` (no line for a whole-file problem).
public struct TagIssue: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based line where the bad row, object or entry starts; nil for the whole file.
    public var line: Int?
    public var problem: TagProblem

    public init(path: String, line: Int?, problem: TagProblem) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    public var description: String {
        line.map { "\(path):\($0): \(problem)" } ?? "\(path): \(problem)"
    }
}

/// Tag files that cannot be imported: every problem found, in file and line order. Nothing of
/// them is imported.
public struct TagFileError: Error, Sendable, CustomStringConvertible {
    public var issues: [TagIssue]

    public init(issues: [TagIssue]) {
        self.issues = issues
    }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
