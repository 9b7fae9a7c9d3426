/// The detector's verdict on one transaction: which output is change, and why.
public struct ChangeDecision: Sendable, Equatable {
    /// Index of the change output in ``TxShape/outputs``.
    public var output: Int
    /// The heuristics that voted for ``output``.
    public var votesFor: ChangeHeuristicSet
    /// The heuristics that voted for another output. Empty under the default parameters, where any
    /// such vote vetoes the decision.
    public var votesAgainst: ChangeHeuristicSet
    /// How far to trust the decision, 0...1: the stated precision of the strongest supporting
    /// heuristic (``ChangeHeuristic/statedPrecision(roundAmountExponent:)``), weighed against the
    /// strongest opposing one when there is one (p(1-q) / (p(1-q) + q(1-p))). A ranking aid, not
    /// a calibrated probability: agreeing heuristics are not independent, so it adds nothing for
    /// agreement.
    public var confidence: Double

    public init(output: Int, votesFor: ChangeHeuristicSet, votesAgainst: ChangeHeuristicSet, confidence: Double) {
        self.output = output
        self.votesFor = votesFor
        self.votesAgainst = votesAgainst
        self.confidence = confidence
    }

    /// `for=address_reuse,fresh_address against=none`: stored with a change link.
    public var detail: String { "for=\(votesFor.names) against=\(votesAgainst.names)" }
}
