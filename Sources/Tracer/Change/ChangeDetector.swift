/// Decides the change output of a transaction from the votes of several ``ChangeHeuristic``s. The
/// clustering engine calls ``decide(_:)`` on every transaction, with past data only; the extended
/// cluster layer links the chosen output's address to the inputs' owner.
///
/// - Complexity: O(inputs × outputs) per transaction, no heap allocation. A transaction outside
///   the applicable shapes is rejected after one pass over its inputs and outputs.
public struct ChangeDetector: Sendable {
    /// Which votes count and how many must agree. ``default`` is conservative: the extended layer
    /// must stay high-precision, because every wrong change link merges two owners' clusters.
    public struct Parameters: Sendable, Equatable {
        /// The heuristics whose votes count.
        public var enabled: ChangeHeuristicSet
        /// Votes for one output needed to decide.
        public var minimumVotes: Int
        /// Votes for other outputs tolerated. 0: any conflicting vote vetoes the decision.
        public var maximumOpposingVotes: Int
        /// Fewest and most candidate outputs (OP_RETURN outputs are not counted).
        public var outputCount: ClosedRange<Int>
        /// `round_amount` calls a value round when it is a multiple of 10^this many satoshis.
        public var roundAmountExponent: Int

        public init(enabled: ChangeHeuristicSet, minimumVotes: Int, maximumOpposingVotes: Int = 0,
                    outputCount: ClosedRange<Int> = 2...2, roundAmountExponent: Int = 4) {
            self.enabled = enabled
            self.minimumVotes = minimumVotes
            self.maximumOpposingVotes = maximumOpposingVotes
            self.outputCount = outputCount
            self.roundAmountExponent = roundAmountExponent
        }

        /// The default decision set: `address_reuse`, `fresh_address`, `script_type`,
        /// `optimal_change` and `round_amount` (10^4 satoshis) on non-coinbase transactions with all
        /// inputs resolved and exactly two candidate outputs; two agreeing votes, no conflicting vote.
        /// `fingerprint` is left out: it needs the spending transactions, which the engine does not
        /// have when it processes a transaction. Reasons and measurements: `docs/heuristics.md`.
        public static let `default` = Parameters(
            enabled: [.addressReuse, .freshAddress, .scriptType, .optimalChange, .roundAmount],
            minimumVotes: 2, maximumOpposingVotes: 0, outputCount: 2...2, roundAmountExponent: 4)

        /// One line that names every parameter in a fixed order, e.g.
        /// `change/v1 enabled=address_reuse,fresh_address min_votes=2 max_against=0 outputs=2-2 round=1e4`.
        /// Stable: stored with cluster results and printed in reports.
        public var rendering: String {
            "change/v1 enabled=\(enabled.names) min_votes=\(minimumVotes) max_against=\(maximumOpposingVotes) "
                + "outputs=\(outputCount.lowerBound)-\(outputCount.upperBound) round=1e\(roundAmountExponent)"
        }
    }

    public let parameters: Parameters

    public init(_ parameters: Parameters = .default) {
        self.parameters = parameters
    }

    /// True when `tx` has a shape the detector decides on: not a coinbase, at least one input, all
    /// inputs resolved, a candidate-output count within ``Parameters/outputCount``, and an address
    /// on every candidate output.
    public func isApplicable(_ tx: TxShape) -> Bool {
        guard !tx.isCoinbase, !tx.inputs.isEmpty, tx.inputsResolved else { return false }
        var candidates = 0
        for o in tx.outputs where o.type != .nulldata {
            guard o.address != nil else { return false }
            candidates += 1
        }
        return parameters.outputCount.contains(candidates) && candidates >= 2
    }

    /// The change output of `tx`, or nil when the enabled heuristics do not agree strongly enough.
    public func decide(_ tx: TxShape) -> ChangeDecision? {
        decide(tx, spenders: nil as [TxFingerprint?]?)
    }

    /// The change output of `tx`, with the spending transactions' fingerprints (aligned with
    /// ``TxShape/outputs``, nil for unspent) for the ``ChangeHeuristic/fingerprint`` vote. Only for
    /// analyses that may use future data (measurements, reports); the clustering engine uses
    /// ``decide(_:)``.
    public func decide<S: RandomAccessCollection<TxFingerprint?>>(_ tx: TxShape, spenders: S?) -> ChangeDecision?
    where S.Index == Int {
        guard isApplicable(tx) else { return nil }
        var votes = VoteTable()
        for h in ChangeHeuristic.ordered where parameters.enabled.contains(h) {
            if let i = ChangeRules.vote(h, tx, roundAmountExponent: parameters.roundAmountExponent, spenders: spenders) {
                votes.record(h, output: i)
            }
        }
        guard let (output, support, opposition) = votes.leader() else { return nil }
        guard support.count >= parameters.minimumVotes, opposition.count <= parameters.maximumOpposingVotes,
              opposition.count < support.count else { return nil }
        return ChangeDecision(output: output, votesFor: support, votesAgainst: opposition,
                              confidence: confidence(support: support, opposition: opposition))
    }

    private func confidence(support: ChangeHeuristicSet, opposition: ChangeHeuristicSet) -> Double {
        let e = parameters.roundAmountExponent
        var p = 0.0, q = 0.0
        for h in ChangeHeuristic.ordered {
            if support.contains(h) { p = max(p, h.statedPrecision(roundAmountExponent: e)) }
            if opposition.contains(h) { q = max(q, h.statedPrecision(roundAmountExponent: e)) }
        }
        guard q > 0 else { return p }
        let a = p * (1 - q), b = q * (1 - p)
        return a + b > 0 ? a / (a + b) : 0
    }
}

/// The votes of up to six heuristics, one output index each, packed in a UInt64 (8 bits per
/// heuristic, index + 1, 0 = no vote): no allocation.
struct VoteTable {
    private var packed: UInt64 = 0

    private static func shift(_ h: ChangeHeuristic) -> UInt64 { UInt64(h.bit.trailingZeroBitCount) * 8 }

    mutating func record(_ h: ChangeHeuristic, output: Int) {
        guard output >= 0 && output < 255 else { return }
        packed |= UInt64(output + 1) << VoteTable.shift(h)
    }

    func vote(_ h: ChangeHeuristic) -> Int? {
        let v = Int((packed >> VoteTable.shift(h)) & 0xFF)
        return v == 0 ? nil : v - 1
    }

    /// The output with the most votes, its supporters and the heuristics voting elsewhere; nil
    /// without votes or when two outputs tie for the lead.
    func leader() -> (output: Int, support: ChangeHeuristicSet, opposition: ChangeHeuristicSet)? {
        var best: (output: Int, support: ChangeHeuristicSet)?
        var tie = false
        for h in ChangeHeuristic.ordered {
            guard let o = vote(h) else { continue }
            var support = ChangeHeuristicSet()
            for g in ChangeHeuristic.ordered where vote(g) == o { support.insert(ChangeHeuristicSet(g)) }
            if let b = best {
                if b.output == o { continue }
                if support.count > b.support.count { best = (o, support); tie = false }
                else if support.count == b.support.count { tie = true }
            } else {
                best = (o, support)
            }
        }
        guard let b = best, !tie else { return nil }
        var opposition = ChangeHeuristicSet()
        for h in ChangeHeuristic.ordered {
            if let o = vote(h), o != b.output { opposition.insert(ChangeHeuristicSet(h)) }
        }
        return (b.output, b.support, opposition)
    }
}
