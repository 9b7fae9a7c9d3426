import ArgumentParser
import ChainIndex
import Foundation
import Tracer

/// `spoor tag`: attribution tags (import, export, list). The work is done by `Tracer.TagStore`
/// and `TagWriter`; these commands parse options and print.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Attribution tags: import, export, list.",
        subcommands: [TagImportCommand.self, TagExportCommand.self, TagListCommand.self])
}

/// Opens the tags of the index in `data`, printing the error and exiting non-zero on failure.
private func openTags(_ data: String) throws -> TagStore {
    do {
        return try TagStore(index: IndexStore(dataDirectory: data, create: false))
    } catch {
        throw fail("\(error)")
    }
}

/// Prints every problem of the tag files, one `FILE:LINE: reason` per line, and exits non-zero.
private func failTagFiles(_ error: TagFileError) -> ExitCode {
    let lines = error.issues.map(\.description).joined(separator: "\n")
    FileHandle.standardError.write(Data((lines + "\n").utf8))
    return fail("\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") in the tag files; nothing was imported")
}

struct TagImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import tag files (CSV, JSON/NDJSON, GraphSense TagPack YAML), all or nothing.",
        discussion:
            "Every file is checked first; if any row of any file is bad, every problem is printed as FILE:LINE: reason "
            + "and nothing is imported. Exact duplicates (same target, label, category, source) are skipped and counted. "
            + "See docs/tags.md."
    )
    @OptionGroup var options: DataOptions
    @Argument(help: "Tag files.") var files: [String]
    @Option(help: "Format of every file: csv, json or tagpack (default: from each file's extension).") var format: String?
    @Option(help: "Author of tags whose file names none; recorded on the import.") var author: String?
    @Flag(name: .customLong("private"), help: "Mark every imported tag private.") var markPrivate = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard !files.isEmpty else { throw fail("no tag files given") }
        var fileFormat: TagFileFormat?
        if let format {
            guard let f = TagFileFormat(rawValue: format.lowercased()) else {
                throw fail("unknown format '\(format)' (csv, json or tagpack)")
            }
            fileFormat = f
        }
        let store = try openTags(options.data)
        let results: [TagImportResult]
        do {
            results = try store.importFiles(files, format: fileFormat, author: author, markPrivate: markPrivate)
        } catch let error as TagFileError {
            throw failTagFiles(error)
        } catch {
            throw fail("\(error)")
        }
        if json { try printJSON(results); return }
        for r in results {
            print(
                "\(r.file): \(r.imported) imported, \(r.skippedDuplicates) duplicates skipped "
                    + "(\(r.rows) rows, \(r.format), import #\(r.batch), sha256 \(r.sha256))"
            )
        }
    }
}

struct TagExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export every tag as CSV or JSON (readable by `spoor tag import`).")
    @OptionGroup var options: DataOptions
    @Option(help: "csv or json.") var format: String = "csv"
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Flag(help: "Partner-facing: write 'private' as the source of private tags and leave out their context.")
    var hidePrivate = false

    func run() throws {
        let store = try openTags(options.data)
        let tags: [Tag]
        do { tags = try store.all().map(\.tag) } catch { throw fail("\(error)") }
        let text: String
        switch format.lowercased() {
        case "csv": text = TagWriter.csv(tags, hidePrivateSources: hidePrivate)
        case "json": text = TagWriter.json(tags, hidePrivateSources: hidePrivate)
        default: throw fail("unknown export format '\(format)' (csv or json)")
        }
        guard let out else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
            throw fail("cannot write \(out): \(error.localizedDescription)")
        }
    }
}

struct TagListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every tag, or the tags of one address.")
    @OptionGroup var options: DataOptions
    @Argument(help: "Address (default: every tag).") var address: String?
    @Flag(help: "Write 'private' as the source of private tags and leave out their context.") var hidePrivate = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try openTags(options.data)
        let tags: [StoredTag]
        do { tags = try address.map { try store.tags(address: $0) } ?? store.all() } catch { throw fail("\(error)") }
        if json { try printJSON(tags.map { TagView($0, hidePrivate: hidePrivate) }); return }
        for t in tags {
            let e = TagView(t, hidePrivate: hidePrivate)
            let target = e.address ?? e.cluster.map { "cluster \($0)" } ?? "-"
            print(
                "#\(e.id) \(target) \(e.category) \"\(e.label)\" \(e.confidence)% source \(e.source)"
                    + "\(e.isPrivate ? " [private]" : "")\(e.context.map { " context \($0)" } ?? "")"
                    + "\(e.caseRef.map { " case \($0)" } ?? "")\(e.author.map { " by \($0)" } ?? "") \(e.created)")
        }
    }
}
