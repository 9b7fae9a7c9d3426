import Foundation

/// How sure the tag's author is, as a whole percentage 0...100.
///
/// Files may give an integer (`90`), a fraction with a decimal point (`0.9` = 90; it must be a
/// whole percentage and within 0...1), or a confidence id of the GraphSense confidence taxonomy
/// (`graphsense-tagpack-tool: src/tagpack/db/confidence.csv`), mapped to that taxonomy's own
/// level (see ``named``).
public struct TagConfidence: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The percentage, 0...100.
    public let value: Int

    /// A confidence of `value` percent, nil outside 0...100.
    public init?(_ value: Int) {
        guard (0...100).contains(value) else { return nil }
        self.value = value
    }

    public var description: String { String(value) }

    public static func < (a: TagConfidence, b: TagConfidence) -> Bool { a.value < b.value }

    /// GraphSense confidence ids and their levels, as that taxonomy defines them.
    public static let named: [String: Int] = [
        "override": 100,
        "ownership": 100,
        "manual_transaction": 90,
        "service_api": 70,
        "authority_data": 60,
        "trusted_provider": 50,
        "service_data": 50,
        "forensic": 50,
        "untrusted_transaction": 40,
        "web_crawl": 20,
        "heuristic": 10,
        "unknown": 5,
    ]

    /// Parses an integer percentage, a fraction with a decimal point or a GraphSense id (see the
    /// type's note); nil for anything else.
    public static func parse(_ text: String) -> TagConfidence? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let level = named[t.lowercased()] { return TagConfidence(level) }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        guard let dot = t.firstIndex(of: ".") else { return Int(t).flatMap { TagConfidence($0) } }
        // A fraction: "0.9", "1.0", ".95". Computed in integer arithmetic, so no rounding is involved.
        let whole = t[..<dot], fraction = t[t.index(after: dot)...]
        guard !fraction.isEmpty, !fraction.contains("."), whole.allSatisfy({ $0 == "0" || $0 == "1" }) else { return nil }
        let wholeValue = whole.isEmpty ? 0 : (Int(whole) ?? 2)
        // Digits past the hundredths must be zeros: 0.925 is not a whole percentage.
        guard fraction.dropFirst(2).allSatisfy({ $0 == "0" }) else { return nil }
        let hundredths = Int(String(fraction.prefix(2)).padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        let percent = wholeValue * 100 + hundredths
        return percent <= 100 ? TagConfidence(percent) : nil
    }
}
