import Foundation
import Mustache

/// The Mustache templates of the HTML report: `report.mustache` and its partial `style.mustache`
/// (the CSS), from the package's resources or from a directory of the unit's own copies.
public struct ReportTemplates {
    /// The template file names.
    public static let names = ["report", "style"]
    let library: MustacheLibrary

    /// The bundled templates, or those in `directory` (every name must be there).
    /// - Throws: ``EvidenceError/template(name:reason:)`` for a missing or unparsable template.
    public init(directory: String? = nil) throws {
        let dir: URL
        if let directory {
            dir = URL(fileURLWithPath: directory)
        } else {
            guard let bundled = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
                throw EvidenceError.template(name: "Templates", reason: "the bundled templates are missing")
            }
            dir = bundled
        }
        var library = MustacheLibrary()
        for name in Self.names {
            let path = dir.appendingPathComponent(name + ".mustache").path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw EvidenceError.template(name: path, reason: "cannot read")
            }
            do { try library.register(text, named: name) } catch { throw EvidenceError.template(name: path, reason: "\(error)") }
        }
        self.library = library
    }

    /// Copies the bundled templates into `directory` (for the unit to restyle).
    public static func export(to directory: String) throws {
        guard let bundled = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw EvidenceError.template(name: "Templates", reason: "the bundled templates are missing")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in names {
            let target = URL(fileURLWithPath: directory).appendingPathComponent(name + ".mustache")
            guard !FileManager.default.fileExists(atPath: target.path) else { continue }
            try FileManager.default.copyItem(at: bundled.appendingPathComponent(name + ".mustache"), to: target)
        }
    }

    func render(_ context: [String: Any]) throws -> String {
        guard let html = library.render(context, withTemplate: "report") else {
            throw EvidenceError.template(name: "report", reason: "not found")
        }
        return html
    }
}
