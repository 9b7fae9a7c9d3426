import Foundation

/// The files of one report: `NAME.json` (the evidence document), `NAME.html`, `NAME.sig.json`, and
/// optionally `NAME.pdf`.
public struct ReportFiles: Equatable, Sendable {
    /// The path without extension.
    public let base: String

    /// The files of report `base` (a path without extension).
    public init(base: String) { self.base = base }

    /// The files of the report that `path` (any of its files, or the bare name) belongs to.
    public init(anyPath path: String) {
        for ext in [".sig.json", ".json", ".html", ".pdf"] where path.hasSuffix(ext) {
            self.base = String(path.dropLast(ext.count))
            return
        }
        self.base = path
    }

    public var json: String { base + ".json" }
    public var html: String { base + ".html" }
    public var signature: String { base + ".sig.json" }
    public var pdf: String { base + ".pdf" }

    /// The last path component of `path` (as the signature file names its siblings).
    static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }
}
