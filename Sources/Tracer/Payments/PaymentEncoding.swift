// Explicit encoders for the payment types with optional fields: the JSON interface writes every
// documented key, `null` when there is no value (synthesised encoders would leave the key out).

extension PaidOutput {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(vout, forKey: .vout)
        try c.encode(value, forKey: .value)
        try c.encode(address, forKey: .address)
        try c.encode(valueFiat, forKey: .valueFiat)
    }
}

extension PaymentMoment {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(txid, forKey: .txid)
        try c.encode(height, forKey: .height)
        try c.encode(time, forKey: .time)
        try c.encode(amount, forKey: .amount)
        try c.encode(amountFiat, forKey: .amountFiat)
    }
}

extension FundingSource {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(input, forKey: .input)
        try c.encode(prevout, forKey: .prevout)
        try c.encode(value, forKey: .value)
        try c.encode(address, forKey: .address)
        try c.encode(inputCluster, forKey: .inputCluster)
        try c.encode(fromSeller, forKey: .fromSeller)
        try c.encode(kind, forKey: .kind)
        try c.encode(fundingTxid, forKey: .fundingTxid)
        try c.encode(fundingHeight, forKey: .fundingHeight)
        try c.encode(fundingTime, forKey: .fundingTime)
        try c.encode(senderClusters, forKey: .senderClusters)
        try c.encode(coinjoin, forKey: .coinjoin)
        try c.encode(description, forKey: .description)
        try c.encode(valueFiat, forKey: .valueFiat)
    }
}

extension SellerPayment {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(txid, forKey: .txid)
        try c.encode(height, forKey: .height)
        try c.encode(time, forKey: .time)
        try c.encode(index, forKey: .index)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(vouts, forKey: .vouts)
        try c.encode(amount, forKey: .amount)
        try c.encode(payers, forKey: .payers)
        try c.encode(payerKey, forKey: .payerKey)
        try c.encode(payer, forKey: .payer)
        try c.encode(coinjoin, forKey: .coinjoin)
        try c.encode(coinbase, forKey: .coinbase)
        try c.encode(sellerCoSpend, forKey: .sellerCoSpend)
        try c.encode(sellerInputValue, forKey: .sellerInputValue)
        try c.encode(unresolvedInputs, forKey: .unresolvedInputs)
        try c.encode(sources, forKey: .sources)
        try c.encode(amountFiat, forKey: .amountFiat)
        try c.encode(sellerInputValueFiat, forKey: .sellerInputValueFiat)
    }
}

extension SellerPaymentsReport {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(layer, forKey: .layer)
        try c.encode(subjects, forKey: .subjects)
        try c.encode(sellerClusters, forKey: .sellerClusters)
        try c.encode(sellerSize, forKey: .sellerSize)
        try c.encode(paymentCount, forKey: .paymentCount)
        try c.encode(payments, forKey: .payments)
        try c.encode(paymentsTruncated, forKey: .paymentsTruncated)
        try c.encode(totalReceived, forKey: .totalReceived)
        try c.encode(firstPayment, forKey: .firstPayment)
        try c.encode(lastPayment, forKey: .lastPayment)
        try c.encode(byPayer, forKey: .byPayer)
        try c.encode(byMonth, forKey: .byMonth)
        try c.encode(excludedInternal, forKey: .excludedInternal)
        try c.encode(clusterParameters, forKey: .clusterParameters)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(totalReceivedFiat, forKey: .totalReceivedFiat)
        try c.encode(fiatSeries, forKey: .fiatSeries)
    }
}
