/// The wallet-software habits visible in a transaction: its version, whether it sets a locktime
/// (anti-fee-sniping), and how its inputs set their sequence numbers (final, non-final, or BIP125
/// replace-by-fee). Wallets keep these constant, so a change output tends to be spent by a
/// transaction with the same fingerprint as the one that created it.
public struct TxFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// How the inputs set their sequence numbers.
    public enum Sequence: UInt8, Sendable {
        /// All 0xFFFFFFFF (locktime disabled).
        case final = 0
        /// All 0xFFFFFFFE (locktime enabled, no replace-by-fee signal).
        case nonFinal = 1
        /// All below 0xFFFFFFFE (BIP125 replace-by-fee signal; Core uses 0xFFFFFFFD).
        case replaceable = 2
        /// Inputs disagree (several wallets, or unusual software).
        case mixed = 3
    }

    /// The transaction version.
    public var version: Int32
    /// True when the locktime is non-zero (Core's anti-fee-sniping sets it to the tip height).
    public var hasLocktime: Bool
    /// The sequence class of the inputs.
    public var sequence: Sequence

    public init(version: Int32, hasLocktime: Bool, sequence: Sequence) {
        self.version = version
        self.hasLocktime = hasLocktime
        self.sequence = sequence
    }

    /// The fingerprint of `tx`.
    public init(_ tx: TxShape) {
        version = tx.version
        hasLocktime = tx.locktime != 0
        sequence = TxFingerprint.classify(tx.sequences)
    }

    /// The sequence class of a list of input sequence numbers (`.final` for none).
    public static func classify<C: Collection<UInt32>>(_ sequences: C) -> Sequence {
        var result: Sequence?
        for s in sequences {
            let c: Sequence = s == 0xFFFF_FFFF ? .final : s == 0xFFFF_FFFE ? .nonFinal : .replaceable
            if let r = result, r != c { return .mixed }
            result = c
        }
        return result ?? .final
    }

    /// `v2/locktime/rbf` style text for reports.
    public var description: String {
        let seq: String
        switch sequence {
        case .final: seq = "final"
        case .nonFinal: seq = "nonfinal"
        case .replaceable: seq = "rbf"
        case .mixed: seq = "mixed"
        }
        return "v\(version)/\(hasLocktime ? "locktime" : "no-locktime")/\(seq)"
    }
}
