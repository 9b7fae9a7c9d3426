import ChainIndex
import Foundation

/// The tag file formats.
public enum TagFileFormat: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// CSV with a header row (``TagCSVReader``).
    case csv
    /// A JSON array of objects, or NDJSON / JSON Lines (``TagJSONReader``).
    case json
    /// A GraphSense TagPack in YAML (``TagPackReader``).
    case tagpack

    public var description: String { rawValue }

    /// The format a file name's extension names: `.csv`; `.json`, `.ndjson`, `.jsonl`; `.yaml`,
    /// `.yml` (case-insensitive). Nil for any other.
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": self = .csv
        case "json", "ndjson", "jsonl": self = .json
        case "yaml", "yml": self = .tagpack
        default: return nil
        }
    }

    /// Reads the tags of `bytes` in this format.
    public func read(_ bytes: [UInt8], path: String, options: TagReadOptions) throws(TagFileError) -> [LocatedTag] {
        switch self {
        case .csv: return try TagCSVReader.read(bytes, path: path, options: options)
        case .json: return try TagJSONReader.read(bytes, path: path, options: options)
        case .tagpack: return try TagPackReader.read(bytes, path: path, options: options)
        }
    }
}

/// A tag file read in full: its tags and what identifies the bytes they came from.
public struct TagFile: Sendable {
    public var path: String
    public var format: TagFileFormat
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    public var tags: [LocatedTag]

    /// Reads and parses the file at `path`.
    /// - Parameter format: the format, or nil to take it from the extension.
    /// - Throws: ``TagFileError`` with every problem of the file.
    public static func read(path: String, format: TagFileFormat? = nil, options: TagReadOptions) throws(TagFileError) -> TagFile {
        guard let format = format ?? TagFileFormat(path: path) else {
            throw TagFileError(issues: [
                TagIssue(path: path, line: nil, problem: .unknownFormat(extension: (path as NSString).pathExtension))
            ])
        }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TagFileError(issues: [TagIssue(path: path, line: nil, problem: .cannotRead(error.localizedDescription))])
        }
        return try parse(bytes, path: path, format: format, options: options)
    }

    /// Parses bytes already read (hashing them too).
    public static func parse(_ bytes: [UInt8], path: String, format: TagFileFormat, options: TagReadOptions) throws(TagFileError) -> TagFile
    {
        let tags = try format.read(bytes, path: path, options: options)
        return TagFile(path: path, format: format, sha256: Hex.encode(Hashing.sha256(bytes)), tags: tags)
    }

    /// Reads several files, collecting the problems of all of them into one error.
    public static func readAll(paths: [String], format: TagFileFormat? = nil, options: TagReadOptions) throws(TagFileError) -> [TagFile] {
        var files = [TagFile](), issues = [TagIssue]()
        for path in paths {
            do {
                files.append(try read(path: path, format: format, options: options))
            } catch {
                issues += error.issues
            }
        }
        guard issues.isEmpty else { throw TagFileError(issues: issues) }
        return files
    }
}
