/// Totals of a list of payments: per payer, per UTC month, overall first and last.
struct PaymentTotals {
    var total: Int64 = 0
    var first: PaymentMoment?
    var last: PaymentMoment?
    var byPayer: [PayerTotal] = []
    var byMonth: [MonthTotal] = []

    /// `payments` must be in report order (height, then position), so first and last follow it.
    init(_ payments: [SellerPayment]) {
        var payers: [String: PayerTotal] = [:]
        var months: [String: (payments: Int, amount: Int64, payers: Set<String>)] = [:]
        for p in payments {
            let moment = PaymentMoment(txid: p.txid, height: p.height, time: p.time, amount: p.amount)
            total += p.amount
            if first == nil { first = moment }
            last = moment
            if var t = payers[p.payerKey] {
                t.payments += 1
                t.amount += p.amount
                t.lastPayment = moment
                payers[p.payerKey] = t
            } else {
                let clusters = p.payerKey.hasPrefix("cluster") ? p.payers : []
                payers[p.payerKey] = PayerTotal(key: p.payerKey, payer: p.payer, clusters: clusters, payments: 1, amount: p.amount,
                                                firstPayment: moment, lastPayment: moment)
            }
            let month = String(p.time.prefix(7))
            var m = months[month] ?? (0, 0, [])
            m.payments += 1
            m.amount += p.amount
            m.payers.insert(p.payerKey)
            months[month] = m
        }
        byPayer = payers.values.sorted {
            ($0.amount, $0.payments, $1.key) > ($1.amount, $1.payments, $0.key)
        }
        byMonth = months.keys.sorted().map { k in
            let m = months[k] ?? (0, 0, [])
            return MonthTotal(month: k, payments: m.payments, amount: m.amount, payers: m.payers.count)
        }
    }
}
