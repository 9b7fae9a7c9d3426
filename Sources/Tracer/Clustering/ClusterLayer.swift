/// The two clustering layers. Every query says which one it used; the default is strict.
public enum ClusterLayer: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// Co-spend (multi-input, CoinJoins excluded) and same-key links only.
    case strict = 0
    /// Strict plus change-output links (see `docs/heuristics.md`).
    case extended = 1

    public var description: String { self == .strict ? "strict" : "extended" }

    /// The layer named `strict` or `extended`.
    public init?(name: String) {
        switch name.lowercased() {
        case "strict": self = .strict
        case "extended": self = .extended
        default: return nil
        }
    }
}

/// Why two addresses were linked. Raw values are stored in `cluster_link.rule`.
public enum LinkRule: String, Sendable, CaseIterable {
    /// Both addresses were spent as inputs of one transaction that is not a multi-party CoinJoin.
    case coSpend = "co_spend"
    /// Both addresses are forms of one public key seen in a pay-to-pubkey output (the index's
    /// `same_key` table).
    case sameKeyP2PK = "same_key_p2pk"
    /// A P2PKH and a P2WPKH address with the same 20-byte key hash: one compressed key.
    case sameKeyHash = "same_key_hash160"
    /// A P2SH address whose script hash is HASH160(0x0014 ‖ keyhash) of a P2PKH/P2WPKH key hash:
    /// the P2SH-P2WPKH form of that key.
    case sameKeyWrapped = "same_key_p2sh_p2wpkh"
    /// The change output of a transaction, as decided by the change heuristics (extended layer).
    case change = "change"

    /// The layer a link of this rule belongs to.
    public var layer: ClusterLayer { isChange ? .extended : .strict }

    /// True for ``change``. (A `switch`, not `==`: comparing raw-valued enums with `==` can go
    /// through their String raw values, which costs more than the whole union-find pass.)
    @inline(__always) public var isChange: Bool {
        if case .change = self { return true }
        return false
    }

    /// One sentence for `cluster explain`.
    public var meaning: String {
        switch self {
        case .coSpend: return "spent together as inputs of one transaction (multi-input heuristic)"
        case .sameKeyP2PK: return "forms of one public key seen in a pay-to-pubkey output"
        case .sameKeyHash: return "P2PKH and P2WPKH of the same key hash (one compressed key)"
        case .sameKeyWrapped: return "P2SH-P2WPKH wrapping of the same key hash"
        case .change: return "change output returned to the spender (change heuristics)"
        }
    }
}

/// Links found in a range of transactions, in columns (millions of them on a large chain).
public struct LinkList: Sendable {
    public private(set) var a: [Int64] = []
    public private(set) var b: [Int64] = []
    /// The transaction (index row id) behind the link; 0 for same-key links.
    public private(set) var tx: [Int64] = []
    public private(set) var rule: [LinkRule] = []
    /// For change links: the heuristics that chose the change output, comma-separated.
    public private(set) var detail: [Int: String] = [:]

    public init() {}

    public var count: Int { a.count }

    public mutating func append(_ a: Int64, _ b: Int64, tx: Int64, rule: LinkRule, detail: String? = nil) {
        if let detail { self.detail[self.a.count] = detail }
        self.a.append(a)
        self.b.append(b)
        self.tx.append(tx)
        self.rule.append(rule)
    }

    public mutating func reserve(_ n: Int) {
        a.reserveCapacity(n); b.reserveCapacity(n); tx.reserveCapacity(n); rule.reserveCapacity(n)
    }
}
