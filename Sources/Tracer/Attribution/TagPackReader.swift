import Foundation
import Yams

/// Reads a GraphSense TagPack (YAML; `graphsense-tagpack-tool: README_tagpacks.md` and
/// `src/tagpack/conf/tagpack_schema.yaml`).
///
/// The header needs `title`, `creator` and a `tags` list (a nested `header:` mapping is merged
/// into the top level, as the TagPack tool does). Any tag field written in the header is inherited
/// by every tag that does not set it. Mapping onto ``Tag``:
/// - `address` (or our extension `cluster`), `label`, `source`, `context`, `case_ref`: as named.
/// - `category`, else `abuse`: a category or alias (see ``TagCategory``).
/// - `confidence`: required; a GraphSense confidence id or a number (see ``TagConfidence``).
/// - `currency` (or `network`): required; must be the index's chain (BTC or LTC).
/// - `created`, else `lastmod`: the creation time; a time without a zone is UTC, as in YAML.
/// - `author`, else the header's `creator`.
/// - `is_public`: a TagPack is private unless `is_public: true` (the TagPack tool's default);
///   private tags get ``Tag/isPrivate``.
/// - `description`, `owner`, `actor`, `concepts`, `tag_type`, `is_cluster_definer`, `tx_hash`:
///   accepted, not stored.
///
/// Problems are reported on the line where the tag's entry starts (header problems on the line
/// of the top-level mapping).
public enum TagPackReader {
    static let headerOnly: Set<String> = ["title", "creator", "description", "owner", "tags", "header"]
    static let tagFields: Set<String> = [
        "address", "cluster", "label", "source", "context", "case_ref", "category", "abuse", "confidence", "currency",
        "network", "created", "lastmod", "author", "is_public",
        "actor", "concepts", "tag_type", "is_cluster_definer", "tx_hash",
    ]
    static let listFields: Set<String> = ["concepts"]

    /// Every tag of the TagPack in `bytes`, or one ``TagFileError`` listing every bad tag.
    public static func read(_ bytes: [UInt8], path: String, options: TagReadOptions) throws(TagFileError) -> [LocatedTag] {
        func fail(_ line: Int?, _ problem: TagProblem) -> TagFileError {
            TagFileError(issues: [TagIssue(path: path, line: line, problem: problem)])
        }
        if let line = TagText.firstInvalidUTF8Line(bytes) { throw fail(line, .notUTF8) }
        let text = String(decoding: bytes, as: UTF8.self)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw fail(yamlLine(error), .syntax(yamlMessage(error)))
        } catch {
            throw fail(nil, .syntax("\(error)"))
        }
        guard let root, case .mapping(var top) = root else { throw fail(1, .syntax("a TagPack must be a YAML mapping")) }
        let topLine = root.mark?.line ?? 1
        if let nested = top["header"] {
            guard case .mapping(let header) = nested else {
                throw fail(nested.mark?.line, .wrongType(field: "header", expected: "a mapping"))
            }
            var merged = Node.Mapping([])
            for (k, v) in top where k.string != "header" { merged[k] = v }
            for (k, v) in header { merged[k] = v }
            top = merged
        }

        var issues = [TagIssue]()
        let (headerFields, headerBad) = fields(of: top, line: topLine, allowed: headerOnly.union(tagFields), path: path, issues: &issues)
        for required in ["title", "creator"] where headerFields[required] == nil {
            issues.append(TagIssue(path: path, line: topLine, problem: .missingField(required)))
        }
        guard let tagsNode = top["tags"] else {
            issues.append(TagIssue(path: path, line: topLine, problem: .missingField("tags")))
            throw TagFileError(issues: TagText.sorted(issues))
        }
        guard case .sequence(let entries) = tagsNode else {
            issues.append(
                TagIssue(path: path, line: tagsNode.mark?.line ?? topLine, problem: .wrongType(field: "tags", expected: "a list")))
            throw TagFileError(issues: TagText.sorted(issues))
        }

        let builder = TagRowBuilder(options: options, path: path)
        var tags = [LocatedTag]()
        for entry in entries {
            let line = entry.mark?.line ?? topLine
            guard case .mapping(let mapping) = entry else {
                issues.append(TagIssue(path: path, line: line, problem: .wrongType(field: "tags", expected: "a list of mappings")))
                continue
            }
            var (own, bad) = fields(of: mapping, line: line, allowed: tagFields, path: path, issues: &issues)
            for (k, v) in headerFields where tagFields.contains(k) && own[k] == nil && !bad.contains(k) { own[k] = v }
            bad.formUnion(headerBad.filter { own[$0] == nil })
            if let tag = build(own, creator: headerFields["creator"], line: line, builder: builder, badKeys: bad, issues: &issues) {
                tags.append(tag)
            }
        }
        guard issues.isEmpty else { throw TagFileError(issues: TagText.sorted(issues)) }
        return tags
    }

    /// Maps the resolved TagPack fields of one tag onto the common fields and builds it.
    private static func build(
        _ f: [String: String], creator: String?, line: Int, builder: TagRowBuilder, badKeys: Set<String>,
        issues: inout [TagIssue]
    ) -> LocatedTag? {
        var fields = [TagField: String]()
        var problems = [TagProblem]()
        fields[.address] = f["address"]
        fields[.cluster] = f["cluster"]
        fields[.label] = f["label"]
        fields[.source] = f["source"]
        fields[.context] = f["context"]
        fields[.caseRef] = f["case_ref"]
        fields[.category] = f["category"] ?? f["abuse"]
        fields[.confidence] = f["confidence"]
        fields[.author] = f["author"] ?? creator
        if f["currency"] == nil && f["network"] == nil && !badKeys.contains("currency") && !badKeys.contains("network") {
            problems.append(.missingField("currency"))
        }
        fields[.currency] = f["currency"]
        fields[.network] = f["network"]
        if let date = f["created"] ?? f["lastmod"] {
            let name = f["created"] != nil ? "created" : "lastmod"
            if let parsed = TagTime.parse(date) ?? TagTime.parse(date + "Z") {
                fields[.created] = TagTime.format(parsed)
            } else {
                problems.append(.badDate(field: name, value: date))
            }
        }
        if let text = f["is_public"] {
            if let isPublic = TagBoolean.parse(text) {
                fields[.isPrivate] = isPublic ? "false" : "true"
            } else {
                problems.append(.badBoolean(field: "is_public", value: text))
            }
        } else {
            fields[.isPrivate] = "true"
        }
        let renamed = ["abuse": "category", "lastmod": "created", "is_public": "private"]
        let reported = Set(badKeys.compactMap { TagField.named(renamed[$0] ?? $0) })
        return builder.build(fields, line: line, extraIssues: problems, reported: reported, issues: &issues)
    }

    /// The scalar fields of a mapping as text (nulls left out) and the keys whose values were
    /// unusable, reporting unknown keys and values of the wrong shape.
    private static func fields(
        of mapping: Node.Mapping, line: Int, allowed: Set<String>, path: String,
        issues: inout [TagIssue]
    ) -> ([String: String], Set<String>) {
        var out = [String: String](), bad = Set<String>()
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                issues.append(TagIssue(path: path, line: line, problem: .syntax("a field name must be text")))
                continue
            }
            guard allowed.contains(key) else {
                issues.append(TagIssue(path: path, line: line, problem: .unknownField(key)))
                continue
            }
            if key == "tags" || key == "header" { continue }
            switch value {
            case .scalar(let scalar):
                if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { continue }
                out[key] = scalar.string
            case .sequence where listFields.contains(key):
                continue
            default:
                issues.append(TagIssue(path: path, line: line, problem: .wrongType(field: key, expected: "a single value")))
                bad.insert(key)
            }
        }
        return (out, bad)
    }

    private static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        case .reader(_, let offset, _, let yaml):
            guard let offset else { return nil }
            return yaml.utf8.prefix(offset).reduce(1) { $0 + ($1 == 0x0a ? 1 : 0) }
        default: return nil
        }
    }

    private static func yamlMessage(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return (context.map { "\($0.text) " } ?? "") + problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate key(s) " + duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
        default: return "\(error)"
        }
    }
}
