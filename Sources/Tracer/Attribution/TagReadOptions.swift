import ChainIndex
import Foundation

/// What the readers apply to every row of a tag file.
public struct TagReadOptions: Sendable {
    /// The index's network: addresses are parsed and currencies checked against it.
    public var network: Network
    /// Author given to rows that name none.
    public var author: String?
    /// Marks every tag private, whatever the file says.
    public var markPrivate: Bool
    /// Creation time given to rows that carry none (truncated to whole seconds).
    public var now: Date

    public init(network: Network, author: String? = nil, markPrivate: Bool = false, now: Date = Date()) {
        self.network = network
        self.author = author
        self.markPrivate = markPrivate
        self.now = TagTime.wholeSeconds(now)
    }
}

/// The fields of a tag in CSV and JSON files (the TagPack reader maps its own names onto them).
enum TagField: String, CaseIterable, Sendable {
    case address, cluster, label, category, source, confidence, context
    case caseRef = "case_ref"
    case author, created
    case isPrivate = "private"
    case currency, network

    /// Other names accepted for a field in CSV headers and JSON keys.
    static let aliases: [String: TagField] = [
        "url": .context, "first_seen_url": .context, "context_url": .context,
        "case": .caseRef, "case_reference": .caseRef,
        "is_private": .isPrivate,
        "cluster_id": .cluster,
        "created_at": .created,
    ]

    /// The field a column or key names (case-insensitive, surrounding whitespace ignored).
    static func named(_ name: String) -> TagField? {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        return TagField(rawValue: key) ?? aliases[key]
    }
}

/// Currency and network codes, checked against the index's network.
enum TagCurrency {
    /// Currency codes of the chains an index can hold.
    static let families: [String: Set<String>] = [
        "BTC": ["main", "test", "testnet4", "signet", "regtest"],
        "LTC": ["litecoin"],
    ]
    /// Codes of other chains: known, so a mismatch rather than an unknown code. BCH and BSV matter
    /// most: their legacy addresses are valid Bitcoin addresses.
    static let otherChains: Set<String> = [
        "BCH", "BSV", "ETH", "ETC", "ZEC", "XMR", "DASH", "DOGE", "TRX", "XRP", "USDT", "USDC", "ADA", "SOL", "BNB",
    ]

    /// Nil when `text` fits `network`, else the problem.
    static func check(_ text: String, network: Network) -> TagProblem? {
        let code = text.trimmingCharacters(in: .whitespaces)
        let upper = code.uppercased()
        if let names = families[upper] {
            return names.contains(network.name) ? nil : .currencyMismatch(code, network: network.name)
        }
        if let named = Network.named(code) {
            return named.name == network.name ? nil : .currencyMismatch(code, network: network.name)
        }
        if otherChains.contains(upper) { return .currencyMismatch(code, network: network.name) }
        return .unknownCurrency(code)
    }
}

/// Booleans as tag files write them.
enum TagBoolean {
    static func parse(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "1", "y": return true
        case "false", "no", "0", "n", "": return false
        default: return nil
        }
    }
}
