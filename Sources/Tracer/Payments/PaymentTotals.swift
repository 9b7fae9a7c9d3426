/// Totals of a list of payments: per payer, per UTC month, overall first and last.
struct PaymentTotals {
    var total: Int64 = 0
    var first: PaymentMoment?
    var last: PaymentMoment?
    var byPayer: [PayerTotal] = []
    var byMonth: [MonthTotal] = []
    /// With fiat values: the sum of every payment's value.
    var totalFiat: FiatSum?

    /// `payments` must be in report order (height, then position), so first and last follow it.
    /// With `emptyFiat` (an empty sum in the report's currency), every total also gets the exact
    /// sum of its payments' ``SellerPayment/amountFiat`` (each at its own date; a payment without a
    /// price is counted as missing).
    init(_ payments: [SellerPayment], emptyFiat: FiatSum? = nil) {
        var payers: [String: PayerTotal] = [:]
        var months: [String: (payments: Int, amount: Int64, payers: Set<String>, fiat: FiatSum?)] = [:]
        totalFiat = emptyFiat
        func add(_ p: SellerPayment, to sum: inout FiatSum?) {
            sum?.add(satoshis: p.amount, date: PriceDate(utcTime: p.time), value: p.amountFiat)
        }
        for p in payments {
            let moment = PaymentMoment(txid: p.txid, height: p.height, time: p.time, amount: p.amount, amountFiat: p.amountFiat)
            total += p.amount
            add(p, to: &totalFiat)
            if first == nil { first = moment }
            last = moment
            if var t = payers[p.payerKey] {
                t.payments += 1
                t.amount += p.amount
                t.lastPayment = moment
                add(p, to: &t.amountFiat)
                payers[p.payerKey] = t
            } else {
                let clusters = p.payerKey.hasPrefix("cluster") ? p.payers : []
                var t = PayerTotal(key: p.payerKey, payer: p.payer, clusters: clusters, payments: 1, amount: p.amount,
                                   firstPayment: moment, lastPayment: moment, amountFiat: emptyFiat)
                add(p, to: &t.amountFiat)
                payers[p.payerKey] = t
            }
            let month = String(p.time.prefix(7))
            var m = months[month] ?? (0, 0, [], emptyFiat)
            m.payments += 1
            m.amount += p.amount
            m.payers.insert(p.payerKey)
            add(p, to: &m.fiat)
            months[month] = m
        }
        byPayer = payers.values.sorted {
            ($0.amount, $0.payments, $1.key) > ($1.amount, $1.payments, $0.key)
        }
        byMonth = months.keys.sorted().map { k in
            let m = months[k] ?? (0, 0, [], emptyFiat)
            return MonthTotal(month: k, payments: m.payments, amount: m.amount, payers: m.payers.count, amountFiat: m.fiat)
        }
    }
}
