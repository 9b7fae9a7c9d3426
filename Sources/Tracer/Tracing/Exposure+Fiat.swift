extension ExposureReport {
    /// The report with fiat values: every figure is the exact sum of the fiat values of the
    /// outputs behind it, each at the UTC date of the block time of the transaction creating it
    /// (``FiatSum``); a figure with an output on a date without a price has no amount and says how
    /// many are missing. Shares stay in satoshis.
    public init(backward: TraceResult, forward: TraceResult, fiat converter: FiatConverter) {
        self.init(backward: backward, forward: forward)
        var fiat = FiatAnnotator(converter)
        var total = fiat.emptySum
        for n in forward.nodes where n.hop == 0 { fiat.add(satoshis: n.value, time: n.time, to: &total) }
        totalReceivedFiat = total
        received = Self.annotate(received, direction: "received", from: backward, counterparties: &counterparties, with: &fiat)
        sent = Self.annotate(sent, direction: "sent", from: forward, counterparties: &counterparties, with: &fiat)
        fiatSeries = fiat.citation
    }

    /// Sums the attributed outputs of `trace` per category (direct: one transaction away, indirect:
    /// further) and per counterparty of `direction`, as the satoshi figures are built.
    private static func annotate(_ rows: [Category], direction: String, from trace: TraceResult, counterparties: inout [Counterparty],
                                 with fiat: inout FiatAnnotator) -> [Category] {
        var direct: [String: FiatSum] = [:], indirect: [String: FiatSum] = [:], parties: [Int64: FiatSum] = [:]
        for n in trace.nodes where n.stop == .attributed {
            guard let endpoint = n.endpoint, let cluster = n.cluster else { continue }
            let date = PriceDate(utcTime: n.time)
            let value = fiat.value(satoshis: n.amount, on: date)
            for category in endpoint.categories {
                if n.hop <= 1 {
                    direct[category, default: fiat.emptySum].add(satoshis: n.amount, date: date, value: value)
                } else {
                    indirect[category, default: fiat.emptySum].add(satoshis: n.amount, date: date, value: value)
                }
            }
            parties[cluster, default: fiat.emptySum].add(satoshis: n.amount, date: date, value: value)
        }
        for i in counterparties.indices where counterparties[i].direction == direction {
            counterparties[i].amountFiat = parties[counterparties[i].cluster] ?? fiat.emptySum
        }
        return rows.map { row in
            var row = row
            row.directFiat = direct[row.category] ?? fiat.emptySum
            row.indirectFiat = indirect[row.category] ?? fiat.emptySum
            return row
        }
    }
}
