/// A rule that points at the change output of a transaction: the output that returns the unspent
/// rest of the inputs to their owner. Raw values are stable: they are stored with every change link
/// and printed in reports, so never rename a case.
///
/// Each case's exact rule is in its vote function (``ChangeRules``) and in `docs/heuristics.md`;
/// each carries the precision the literature gives for it (``literature``), or says there is none.
public enum ChangeHeuristic: String, CaseIterable, Sendable, Codable {
    /// Self-change: exactly one output pays an address that one of the inputs spends from.
    case addressReuse = "address_reuse"
    /// Exactly one output pays an address that had never appeared on chain before (Meiklejohn et al.
    /// 2013's one-time change address; BlockSci's `client_change_address_behavior`).
    case freshAddress = "fresh_address"
    /// All inputs have one script type and exactly one output has that type (BlockSci `address_type`).
    case scriptType = "script_type"
    /// Exactly one output is smaller than the smallest input (BlockSci `optimal_change`).
    case optimalChange = "optimal_change"
    /// Exactly one output is not a round amount while all others are (BlockSci `power_of_ten_value`).
    case roundAmount = "round_amount"
    /// Exactly one output is spent by a transaction with this transaction's wallet fingerprint
    /// (version, locktime use, sequence/RBF). Needs the spending transactions: not decidable when a
    /// transaction is first processed, so it is not in the default decision set.
    case fingerprint = "fingerprint"

    /// The bit of this heuristic in a ``ChangeHeuristicSet``.
    public var bit: UInt8 {
        switch self {
        case .addressReuse: return 1 << 0
        case .freshAddress: return 1 << 1
        case .scriptType: return 1 << 2
        case .optimalChange: return 1 << 3
        case .roundAmount: return 1 << 4
        case .fingerprint: return 1 << 5
        }
    }

    /// True when the vote needs the transactions that later spend the outputs (future data).
    public var needsSpenders: Bool { self == .fingerprint }

    /// ``allCases`` built once: iterating it per transaction allocates nothing.
    static let ordered: [ChangeHeuristic] = allCases
}

/// A set of change heuristics as a bit mask: no allocation, cheap to copy into every decision.
public struct ChangeHeuristicSet: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let addressReuse = ChangeHeuristicSet(.addressReuse)
    public static let freshAddress = ChangeHeuristicSet(.freshAddress)
    public static let scriptType = ChangeHeuristicSet(.scriptType)
    public static let optimalChange = ChangeHeuristicSet(.optimalChange)
    public static let roundAmount = ChangeHeuristicSet(.roundAmount)
    public static let fingerprint = ChangeHeuristicSet(.fingerprint)
    /// Every heuristic.
    public static let all = ChangeHeuristicSet(ChangeHeuristic.allCases)

    /// The set holding one heuristic.
    public init(_ heuristic: ChangeHeuristic) { self.rawValue = heuristic.bit }

    /// The set holding the given heuristics.
    public init<S: Sequence>(_ heuristics: S) where S.Element == ChangeHeuristic {
        self.rawValue = heuristics.reduce(0) { $0 | $1.bit }
    }

    /// True when the set holds `heuristic`.
    public func contains(_ heuristic: ChangeHeuristic) -> Bool { rawValue & heuristic.bit != 0 }

    /// Number of heuristics in the set.
    public var count: Int { rawValue.nonzeroBitCount }

    /// The heuristics in declaration order (``ChangeHeuristic/allCases``).
    public var heuristics: [ChangeHeuristic] { ChangeHeuristic.allCases.filter { contains($0) } }

    /// The raw values in declaration order, comma-separated (`address_reuse,fresh_address`), or
    /// `none`. Stable: stored with change links and printed in reports.
    public var names: String {
        let list = heuristics.map(\.rawValue)
        return list.isEmpty ? "none" : list.joined(separator: ",")
    }

    /// The set named by ``names`` (comma-separated raw values, or `none`); nil for an unknown name.
    public init?(names: String) {
        var set = ChangeHeuristicSet()
        if names != "none" {
            for part in names.split(separator: ",") {
                guard let h = ChangeHeuristic(rawValue: String(part)) else { return nil }
                set.insert(ChangeHeuristicSet(h))
            }
        }
        self = set
    }
}
