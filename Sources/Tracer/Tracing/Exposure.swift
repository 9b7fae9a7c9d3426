import ChainIndex

/// Exposure of a subject to each tag category, as `spoor exposure` reports it.
public struct ExposureReport: Sendable, Codable, Equatable {
    /// Exposure to one category in one direction.
    public struct Category: Sendable, Codable, Equatable {
        public var category: String
        /// Satoshis exchanged with the category directly (one transaction away).
        public var direct: Int64
        /// Satoshis exchanged through intermediaries (2...N transactions away).
        public var indirect: Int64
        /// (direct + indirect) / the subject's total received.
        public var share: Double
        /// Fewest transactions between the subject and the category.
        public var minHops: Int
        /// With `--fiat`: ``direct`` and ``indirect``, each attributed output at its own date.
        @FiatField public var directFiat: FiatSum? = nil
        @FiatField public var indirectFiat: FiatSum? = nil

        enum CodingKeys: String, CodingKey {
            case category, direct, indirect, share, minHops = "min_hops", directFiat = "direct_fiat", indirectFiat = "indirect_fiat"
        }
    }

    /// An attributed cluster contributing to the exposure.
    public struct Counterparty: Sendable, Codable, Equatable {
        public var cluster: Int64
        public var categories: [String]
        public var labels: [String]
        /// `sent` (the subject's money reached it) or `received` (its money reached the subject).
        public var direction: String
        public var amount: Int64
        public var minHops: Int
        /// With `--fiat`: ``amount``, each of the cluster's outputs at its own date.
        @FiatField public var amountFiat: FiatSum? = nil

        enum CodingKeys: String, CodingKey {
            case cluster, categories, labels, direction, amount, minHops = "min_hops", amountFiat = "amount_fiat"
        }
    }

    public var subject: String
    public var model: String
    public var layer: String
    public var maxHops: Int
    public var tipHeight: Int?
    public var tipHash: String?
    /// Everything the subject received, satoshis (the base of every share).
    public var totalReceived: Int64
    public var received: [Category]
    public var sent: [Category]
    /// Largest first.
    public var counterparties: [Counterparty]
    /// True when a trace stopped at its node limit (the figures are then lower bounds).
    public var truncated: Bool
    /// With `--fiat`: ``totalReceived``, each of the subject's outputs at its own date.
    @FiatField public var totalReceivedFiat: FiatSum? = nil
    /// With `--fiat`: the price series used.
    @FiatField public var fiatSeries: FiatSeriesCitation? = nil

    enum CodingKeys: String, CodingKey {
        case subject, model, layer, received, sent, counterparties, truncated
        case maxHops = "max_hops", tipHeight = "tip_height", tipHash = "tip_hash", totalReceived = "total_received"
        case totalReceivedFiat = "total_received_fiat", fiatSeries = "fiat_series"
    }

    /// Builds the report from a backward trace (where the subject's money came from) and a
    /// forward trace (where it went) from the same start.
    public init(backward: TraceResult, forward: TraceResult) {
        subject = forward.subject
        model = forward.parameters.model.rawValue
        layer = forward.parameters.layer
        maxHops = forward.parameters.maxHops
        tipHeight = forward.tipHeight
        tipHash = forward.tipHash
        totalReceived = forward.startAmount
        truncated = backward.truncated || forward.truncated
        var parties: [String: Counterparty] = [:]
        func categories(_ r: TraceResult, _ direction: String) -> [Category] {
            var byCategory: [String: (direct: Double, indirect: Double, hops: Int)] = [:]
            for n in r.nodes where n.stop == .attributed {
                guard let e = n.endpoint, let c = n.cluster else { continue }
                for cat in e.categories {
                    var v = byCategory[cat] ?? (0, 0, Int.max)
                    if n.hop <= 1 { v.direct += Double(n.amount) } else { v.indirect += Double(n.amount) }
                    v.hops = min(v.hops, n.hop)
                    byCategory[cat] = v
                }
                let key = "\(direction):\(c)"
                var p = parties[key] ?? Counterparty(cluster: c, categories: e.categories, labels: e.labels, direction: direction, amount: 0,
                                                     minHops: n.hop)
                p.amount += n.amount
                p.minHops = min(p.minHops, n.hop)
                parties[key] = p
            }
            let base = Double(max(1, r.startAmount))
            return byCategory.map { Category(category: $0.key, direct: Int64($0.value.direct), indirect: Int64($0.value.indirect),
                                             share: ($0.value.direct + $0.value.indirect) / base, minHops: $0.value.hops) }
                .sorted { ($0.direct + $0.indirect, $1.category) > ($1.direct + $1.indirect, $0.category) }
        }
        received = categories(backward, "received")
        sent = categories(forward, "sent")
        counterparties = parties.values.sorted { ($0.amount, $1.cluster) > ($1.amount, $0.cluster) }
    }
}

extension IndexFlowGraph {
    /// Exposure of a subject: a backward and a forward trace of `maxHops` from everything it received,
    /// with fiat values from `fiat` when given (``ExposureReport/init(backward:forward:fiat:)``).
    public func exposure(of subject: String, model: TaintModel = .haircut, maxHops: Int, maxNodes: Int = 10_000,
                         fiat: FiatConverter? = nil) throws -> ExposureReport {
        let start = try self.start(for: subject)
        let tip = try self.tip()
        func run(_ direction: TraceDirection) throws -> TraceResult {
            let p = TraceParameters(direction: direction, model: model, maxHops: maxHops, maxNodes: maxNodes, layer: layer.description)
            return try TraceEngine(graph: self, parameters: p).run(start, tipHeight: tip.height, tipHash: tip.hash)
        }
        let (backward, forward) = (try run(.backward), try run(.forward))
        guard let fiat else { return ExposureReport(backward: backward, forward: forward) }
        return ExposureReport(backward: backward, forward: forward, fiat: fiat)
    }
}
