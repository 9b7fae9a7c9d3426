extension TraceResult {
    /// The result with fiat values from `converter` (see ``annotate(with:)``) and the series cited
    /// in ``fiatSeries``. The satoshi figures are unchanged: the taint arithmetic never sees a price.
    public func annotated(with converter: FiatConverter) -> TraceResult {
        var annotator = FiatAnnotator(converter)
        var result = self
        result.annotate(with: &annotator)
        result.fiatSeries = annotator.citation
        return result
    }

    /// Fills the fiat fields. An amount tied to one transaction is valued at the UTC date of that
    /// transaction's block time: a node (its ``TraceNode/value`` and traced ``TraceNode/amount``)
    /// and a path step at the transaction creating the output, an edge at its transaction, a path
    /// at its endpoint output. An aggregate is the exact sum of its parts' values, each at its own
    /// date, and says how many parts had no price: ``startAmountFiat`` (the subject outputs),
    /// wallet edges (their transfers), ``reachedByCategoryFiat`` (the attributed outputs),
    /// ``feesFiat`` (each transaction's fee share).
    public mutating func annotate(with fiat: inout FiatAnnotator) {
        var start = fiat.emptySum
        var clusterOf: [String: Int64] = [:]
        var byCategory: [String: FiatSum] = [:]
        for i in nodes.indices {
            let n = nodes[i]
            nodes[i].valueFiat = fiat.value(satoshis: n.value, time: n.time)
            nodes[i].amountFiat = fiat.value(satoshis: n.amount, time: n.time)
            if n.hop == 0 { start.add(satoshis: n.value, date: PriceDate(utcTime: n.time), value: nodes[i].valueFiat) }
            if let c = n.cluster { clusterOf[n.outpoint] = c }
            if n.stop == .attributed, let endpoint = n.endpoint, n.cluster != nil {
                for category in endpoint.categories {
                    byCategory[category, default: fiat.emptySum].add(
                        satoshis: n.amount, date: PriceDate(utcTime: n.time), value: nodes[i].amountFiat)
                }
            }
        }
        startAmountFiat = start
        reachedByCategoryFiat = byCategory

        var wallet: [[Int64]: FiatSum] = [:]
        for i in edges.indices {
            let e = edges[i]
            edges[i].amountFiat = fiat.value(satoshis: e.amount, time: e.time)
            if let from = clusterOf[e.from], let to = clusterOf[e.to], from != to {
                wallet[[from, to], default: fiat.emptySum].add(
                    satoshis: e.amount, date: PriceDate(utcTime: e.time), value: edges[i].amountFiat)
            }
        }
        for i in walletEdges.indices {
            walletEdges[i].amountFiat = wallet[[walletEdges[i].from, walletEdges[i].to]] ?? fiat.emptySum
        }

        for i in paths.indices {
            for j in paths[i].steps.indices {
                let step = paths[i].steps[j]
                paths[i].steps[j].amountFiat = fiat.value(satoshis: step.amount, time: step.time)
            }
            // Forward paths end at the attributed output, backward paths start there.
            let endpoint = parameters.direction == .forward ? paths[i].steps.last : paths[i].steps.first
            paths[i].amountFiat = endpoint.flatMap { fiat.value(satoshis: paths[i].amount, time: $0.time) }
        }

        feesFiat = fiat.sum(feeTransactions.map { ($0.amount, $0.time) })
    }
}
