import ChainIndex

extension FiatAnnotator {
    /// Values a payment at the price of the UTC date of its block time: its amount, each output
    /// paying the seller, the seller's own inputs, and (when listed) each input's value: what the
    /// inputs were worth when spent in the payment.
    mutating func annotate(_ payment: inout SellerPayment) {
        let date = PriceDate(utcTime: payment.time)
        payment.amountFiat = value(satoshis: payment.amount, on: date)
        payment.sellerInputValueFiat = value(satoshis: payment.sellerInputValue, on: date)
        for i in payment.outputs.indices { payment.outputs[i].valueFiat = value(satoshis: payment.outputs[i].value, on: date) }
        for i in (payment.sources ?? []).indices {
            guard let satoshis = payment.sources?[i].value else { continue }
            payment.sources?[i].valueFiat = value(satoshis: satoshis, on: date)
        }
    }
}
