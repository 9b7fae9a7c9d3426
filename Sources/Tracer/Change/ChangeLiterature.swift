/// A published precision figure for a change heuristic, with where it comes from.
public struct LiteratureFigure: Sendable, Equatable {
    /// Share of the heuristic's decisions that were the true change output (0...1).
    public var precision: Double
    /// Share of the evaluated transactions on which the heuristic made a decision (0...1).
    public var coverage: Double
    /// The source, precise enough to find the number again.
    public var source: String
}

extension ChangeHeuristic {
    /// Möser & Narayanan's ground truth: 35,257,428 Bitcoin transactions (to mid-2021) whose change
    /// output is known because exactly one output was later co-spent with the inputs' cluster
    /// (2 outputs, all spent, no direct address reuse). Figures as printed by the authors'
    /// evaluation notebooks, which produce the paper's per-heuristic results.
    static let moserNarayanan = "Möser & Narayanan, \"Resurrecting Address Clustering in Bitcoin\", FC 2022 "
        + "(arXiv 2107.05749); authors' evaluation notebooks, github.com/maltemoeser/dissertation-code"

    /// The precision the literature gives for this heuristic, or nil when we found none.
    ///
    /// - ``addressReuse``: nil. Möser & Narayanan exclude transactions with direct address reuse
    ///   from their ground truth, so they give no figure; we found no other measured figure.
    /// - ``roundAmount``: the figure for a minimum of 10^4 satoshis; see ``roundAmountLiterature(exponent:)``.
    /// - ``fingerprint``: the figure for the version-number fingerprint alone (their "smart"
    ///   fingerprint heuristic, `smart_fingerprint` with the VERSION mask); ours compares version,
    ///   locktime use and sequence class together.
    public var literature: LiteratureFigure? {
        let s = ChangeHeuristic.moserNarayanan
        switch self {
        case .addressReuse:
            return nil
        case .freshAddress:
            return LiteratureFigure(precision: 0.9598, coverage: 0.5727,
                                    source: s + ", notebook 5a (client_change_address_behavior / Meiklejohn)")
        case .scriptType:
            return LiteratureFigure(precision: 0.8858, coverage: 0.2675, source: s + ", notebook 5a (address_type)")
        case .optimalChange:
            return LiteratureFigure(precision: 0.9208, coverage: 0.3323, source: s + ", notebook 5a (optimal_change)")
        case .roundAmount:
            return ChangeHeuristic.roundAmountLiterature(exponent: 4)
        case .fingerprint:
            return LiteratureFigure(precision: 0.9849, coverage: 0.2491,
                                    source: s + ", notebook 5d (smart_fingerprint, version)")
        }
    }

    /// Möser & Narayanan's figure for the round-amount rule with "round" meaning a multiple of
    /// 10^`exponent` satoshis (BlockSci `power_of_ten_value(digits)`), for exponents 1...8.
    public static func roundAmountLiterature(exponent: Int) -> LiteratureFigure? {
        guard let (p, c) = roundAmountFigures(exponent) else { return nil }
        return LiteratureFigure(precision: p, coverage: c,
                                source: moserNarayanan + ", notebook 5a (power_of_ten_value(\(exponent)))")
    }

    /// (precision, coverage) for `power_of_ten_value(digits)`, digits 1...8, notebook 5a.
    private static func roundAmountFigures(_ exponent: Int) -> (Double, Double)? {
        switch exponent {
        case 1: return (0.9131, 0.4921)
        case 2: return (0.9755, 0.4788)
        case 3: return (0.9855, 0.4262)
        case 4: return (0.9867, 0.3799)
        case 5: return (0.9819, 0.3079)
        case 6: return (0.9770, 0.2161)
        case 7: return (0.9953, 0.1073)
        case 8: return (0.9959, 0.0560)
        default: return nil
        }
    }

    /// The precision a vote of this heuristic is credited with in ``ChangeDecision/confidence``: the
    /// literature figure, or for ``addressReuse`` (no literature figure) a stated 0.95, deliberately
    /// below the synthetic measurement because real exchanges and services reuse addresses in ways the
    /// synthetic economy does not model. No allocation (called for every decision).
    public func statedPrecision(roundAmountExponent: Int = 4) -> Double {
        switch self {
        case .addressReuse: return 0.95
        case .freshAddress: return 0.9598
        case .scriptType: return 0.8858
        case .optimalChange: return 0.9208
        case .roundAmount: return ChangeHeuristic.roundAmountFigures(roundAmountExponent)?.0 ?? 0.9131
        case .fingerprint: return 0.9849
        }
    }
}
