import Foundation

/// What kind of actor a tag says controls an address or cluster. Raw values are stored in the
/// `tag` table and written to exported files: never rename.
///
/// Files may also use concept ids of the GraphSense / INTERPOL Dark Web and Virtual Assets concept
/// taxonomy (`graphsense-tagpack-tool: src/tagpack/db/concepts.yaml`); ``parse(_:)`` maps the ones
/// with a clear counterpart (see ``aliases``) and refuses the rest. See `docs/tags.md`.
public enum TagCategory: String, CaseIterable, Codable, Hashable, Sendable, CustomStringConvertible {
    case abuseSeller = "abuse_seller"
    case exchange
    case mixer
    case marketplace
    case paymentProcessor = "payment_processor"
    case gambling
    case scam
    case other

    public var description: String { rawValue }

    /// Custodial services: their clusters hold deposit addresses of many users.
    public var isService: Bool {
        switch self {
        case .exchange, .mixer, .marketplace, .paymentProcessor, .gambling: return true
        case .abuseSeller, .scam, .other: return false
        }
    }

    /// GraphSense concept ids accepted as another name of a category.
    public static let aliases: [String: TagCategory] = [
        "exchange": .exchange,
        "atm": .exchange,
        "mixing_service": .mixer,
        "mixing": .mixer,
        "coinjoin": .mixer,
        "market": .marketplace,
        "payment_processor": .paymentProcessor,
        "gambling": .gambling,
        "scam": .scam,
        "phishing": .scam,
        "investment_fraud": .scam,
        "ponzi_scheme": .scam,
        "pyramid_scheme": .scam,
    ]

    /// GraphSense concepts refused on purpose, with the reason: they do not say which of the
    /// categories applies, and guessing one would put an unproven claim into evidence.
    public static let ambiguousConcepts: [String: String] = [
        "perpetrator": "GraphSense 'perpetrator' says nothing about what the actor does",
        "child_sexual_abuse": "GraphSense 'child_sexual_abuse' does not say the address belongs to a seller",
        "sexual_abuse": "GraphSense 'sexual_abuse' does not say the address belongs to a seller",
        "abuse": "GraphSense 'abuse' is not specific",
        "user": "GraphSense 'user' is not specific",
    ]

    /// Why a category text was refused.
    public enum ParseError: Error, Equatable, Sendable {
        case unknown(String)
        case ambiguous(String, reason: String)
    }

    /// Parses a category name or alias: case-insensitive, surrounding whitespace ignored, `-` and
    /// spaces read as `_`.
    /// - Throws: ``ParseError/ambiguous(_:reason:)`` for the concepts of ``ambiguousConcepts``,
    ///   ``ParseError/unknown(_:)`` for anything else not known.
    public static func parse(_ text: String) throws(ParseError) -> TagCategory {
        let key = String(
            text.trimmingCharacters(in: .whitespaces).lowercased()
                .map { $0 == "-" || $0 == " " ? "_" : $0 })
        if let category = TagCategory(rawValue: key) ?? aliases[key] { return category }
        if let reason = ambiguousConcepts[key] { throw .ambiguous(text, reason: reason) }
        throw .unknown(text)
    }
}
