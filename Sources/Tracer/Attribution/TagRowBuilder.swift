import ChainIndex
import Foundation

/// Turns the text fields of one row into a ``Tag``, collecting every problem of the row.
struct TagRowBuilder {
    let options: TagReadOptions
    let path: String

    /// The tag of `fields` (empty values count as absent), or nil after appending the row's
    /// problems to `issues`. `extraIssues` are problems the reader already found in the row;
    /// `reported` are fields it found unusable (not reported again as missing).
    func build(
        _ fields: [TagField: String], line: Int, extraIssues: [TagProblem] = [], reported: Set<TagField> = [],
        issues: inout [TagIssue]
    ) -> LocatedTag? {
        var problems = extraIssues
        func value(_ f: TagField) -> String? {
            guard let v = fields[f]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        func required(_ f: TagField) -> String? {
            guard let v = value(f) else {
                if !reported.contains(f) { problems.append(.missingField(f.rawValue)) }
                return nil
            }
            return v
        }

        for f in [TagField.currency, .network] {
            if let code = value(f), let problem = TagCurrency.check(code, network: options.network) { problems.append(problem) }
        }

        var target: TagTarget?
        switch (value(.address), value(.cluster)) {
        case (nil, nil) where reported.contains(.address) || reported.contains(.cluster): break
        case (nil, nil): problems.append(.missingField("address"))
        case (.some, .some): problems.append(.bothTargets)
        case (let text?, nil):
            do {
                let key = try AddressKey.parse(text, network: options.network)
                target = .address(key.render(on: options.network), key)
            } catch {
                problems.append(.invalidAddress(text, error))
            }
        case (nil, let text?):
            if let id = Int64(text), id >= 0 { target = .cluster(id) } else { problems.append(.badCluster(text)) }
        }

        let label = required(.label)
        var category: TagCategory?
        if let text = required(.category) {
            do {
                category = try TagCategory.parse(text)
            } catch {
                switch error {
                case .unknown(let t): problems.append(.unknownCategory(t))
                case .ambiguous(let t, let reason): problems.append(.ambiguousCategory(t, reason: reason))
                }
            }
        }
        let source = required(.source)
        var confidence: TagConfidence?
        if let text = required(.confidence) {
            confidence = TagConfidence.parse(text)
            if confidence == nil { problems.append(.badConfidence(text)) }
        }
        var created = options.now
        if let text = value(.created) {
            if let date = TagTime.parse(text) { created = date } else { problems.append(.badDate(field: "created", value: text)) }
        }
        var isPrivate = options.markPrivate
        if let text = fields[.isPrivate] {
            if let flag = TagBoolean.parse(text) {
                isPrivate = isPrivate || flag
            } else {
                problems.append(.badBoolean(field: "private", value: text))
            }
        }

        guard problems.isEmpty, let target, let label, let category, let source, let confidence else {
            issues.append(contentsOf: problems.map { TagIssue(path: path, line: line, problem: $0) })
            return nil
        }
        let tag = Tag(
            target: target, label: label, category: category, source: source, confidence: confidence,
            context: value(.context), caseRef: value(.caseRef), author: value(.author) ?? options.author,
            created: created, isPrivate: isPrivate)
        return LocatedTag(tag: tag, line: line)
    }
}
