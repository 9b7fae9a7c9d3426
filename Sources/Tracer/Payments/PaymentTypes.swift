import Foundation

// The result of `spoor payments SELLER` (`docs/json.md`, `docs/tracing.md`). Every type is
// `Codable` with snake_case keys; amounts are integer satoshis and times ISO 8601 UTC. Fields are
// `var` so that later additions (fiat values from a price series) are new optional keys.

/// A tag as a payment report shows it: enough to read the attribution; `id` finds the full tag
/// (`spoor tag list`).
public struct PaymentTag: Codable, Sendable, Equatable {
    public var id: Int64
    public var label: String
    public var category: String
    public var source: String
    /// 0–100.
    public var confidence: Int
    public var isPrivate: Bool

    enum CodingKeys: String, CodingKey { case id, label, category, source, confidence, isPrivate = "private" }
}

/// A cluster named in a payment report: its id in the report's layer, size and attribution.
public struct PaymentCluster: Codable, Sendable, Equatable {
    /// The cluster id (its oldest address's index id).
    public var id: Int64
    /// Addresses in the cluster.
    public var size: Int
    /// Tags on any member address or on the cluster.
    public var tags: [PaymentTag]
    /// Categories on this cluster that cannot both be true (shown, never resolved).
    public var tagConflicts: [TagConflictView]

    enum CodingKeys: String, CodingKey { case id, size, tags, tagConflicts = "tag_conflicts" }

    /// "synthetic-exchange-1 (exchange)", several tags joined with " / ", or nil when untagged.
    public var attribution: String? {
        guard !tags.isEmpty else { return nil }
        var seen = Set<String>()
        let names = tags.compactMap { t -> String? in
            let name = "\(t.label) (\(t.category))"
            return seen.insert(name).inserted ? name : nil
        }
        return names.joined(separator: " / ") + (tagConflicts.isEmpty ? "" : " [tag conflict]")
    }

    /// True when a tag on the cluster has this category.
    public func hasCategory(_ category: TagCategory) -> Bool { tags.contains { $0.category == category.rawValue } }
}

/// One output of a payment that pays the seller.
public struct PaidOutput: Codable, Sendable, Equatable {
    public var vout: Int
    public var value: Int64
    public var address: String?
    /// With `--fiat`: ``value`` at the price of the payment's UTC date.
    @FiatField public var valueFiat: FiatValue? = nil

    enum CodingKeys: String, CodingKey { case vout, value, address, valueFiat = "value_fiat" }
}

/// Where one input of a payment came from, one hop back: the transaction that created the output
/// it spends, and who sent that transaction.
public struct FundingSource: Codable, Sendable, Equatable {
    /// What the funding transaction is.
    public enum Kind: String, Codable, Sendable {
        /// Sent by one or more clusters (listed in `sender_clusters`).
        case cluster
        /// A coinbase: newly mined coins.
        case coinbase
        /// A multi-party CoinJoin (the detector is in `coinjoin`): the sender cannot be named.
        case coinjoin
        /// The input spends an output that is not in the index (a slice).
        case unknown
    }

    /// The input's position in the payment transaction.
    public var input: Int
    /// `txid:vout` of the output the input spends.
    public var prevout: String?
    /// Satoshis of that output (nil when unresolved).
    public var value: Int64?
    public var address: String?
    /// The cluster of the input's address (nil when unresolved).
    public var inputCluster: Int64?
    /// True when the input is the seller's own (a co-spend such as a PayJoin).
    public var fromSeller: Bool
    public var kind: Kind
    public var fundingTxid: String?
    public var fundingHeight: Int?
    public var fundingTime: String?
    /// The clusters of the funding transaction's inputs (empty for a coinbase or an unknown funding).
    public var senderClusters: [PaymentCluster]
    /// The funding transaction's CoinJoin detection, if any (a Whirlpool Tx0 is single-owner and
    /// keeps `kind` = `cluster`).
    public var coinjoin: CoinJoinFlag?
    /// One line: "withdrawal from synthetic-exchange-1 (exchange)", "coinbase", "CoinJoin (wasabi2)",
    /// "unknown (not in the index)", …
    public var description: String
    /// With `--fiat`: ``value`` at the price of the **payment's** UTC date (what the input was worth
    /// when it was spent in the payment), nil when unresolved.
    @FiatField public var valueFiat: FiatValue? = nil

    enum CodingKeys: String, CodingKey {
        case input, prevout, value, address, kind, coinjoin, description
        case inputCluster = "input_cluster", fromSeller = "from_seller", fundingTxid = "funding_txid"
        case fundingHeight = "funding_height", fundingTime = "funding_time", senderClusters = "sender_clusters"
        case valueFiat = "value_fiat"
    }
}

/// One payment into the seller's cluster(s): a transaction with at least one output paying a
/// member, whose inputs are not all the seller's.
public struct SellerPayment: Codable, Sendable, Equatable {
    public var txid: String
    /// Block height (nil for an unplaced slice block).
    public var height: Int?
    /// Block time.
    public var time: String
    /// Position of the transaction in its block.
    public var index: Int
    /// The outputs paying the seller (several when one transaction pays several of its addresses).
    public var outputs: [PaidOutput]
    /// Their `vout`s, ascending.
    public var vouts: [Int]
    /// Sum of `outputs`, in satoshis.
    public var amount: Int64
    /// The clusters of the inputs that are not the seller's (several for a CoinJoin).
    public var payers: [PaymentCluster]
    /// The totals group this payment counts under (see ``PayerTotal/key``).
    public var payerKey: String
    /// One line naming the payer.
    public var payer: String
    /// Set when a CoinJoin detector flagged the payment transaction itself.
    public var coinjoin: CoinJoinFlag?
    /// The payment is a coinbase (the seller mined or was paid by a pool directly).
    public var coinbase: Bool
    /// Some inputs are the seller's own (the seller co-spends with the payer: a PayJoin, or a
    /// CoinJoin the seller took part in). `amount` is then gross; see `seller_input_value`.
    public var sellerCoSpend: Bool
    /// Satoshis of the seller's own inputs (0 unless `seller_co_spend`).
    public var sellerInputValue: Int64
    /// Inputs whose funding output is not in the index.
    public var unresolvedInputs: Int
    /// Of those, inputs whose address and value come from an explorer's prevout (explorer JSON
    /// import): the payer named through them is the explorer's word until the funding arrives.
    public var explorerPrevoutInputs: Int = 0
    /// One hop back, one entry per input (set on every listed payment).
    public var sources: [FundingSource]?
    /// With `--fiat`: ``amount`` and ``sellerInputValue`` at the price of the UTC date of ``time``.
    @FiatField public var amountFiat: FiatValue? = nil
    @FiatField public var sellerInputValueFiat: FiatValue? = nil

    enum CodingKeys: String, CodingKey {
        case txid, height, time, index, outputs, vouts, amount, payers, payer, coinjoin, coinbase, sources
        case payerKey = "payer_key", sellerCoSpend = "seller_co_spend", sellerInputValue = "seller_input_value"
        case unresolvedInputs = "unresolved_inputs", amountFiat = "amount_fiat", sellerInputValueFiat = "seller_input_value_fiat"
        case explorerPrevoutInputs = "explorer_prevout_inputs"
    }
}

/// A payment's place in time, for first and last payment.
public struct PaymentMoment: Codable, Sendable, Equatable {
    public var txid: String
    public var height: Int?
    public var time: String
    public var amount: Int64
    /// With `--fiat`: the payment's ``SellerPayment/amountFiat``.
    @FiatField public var amountFiat: FiatValue? = nil

    enum CodingKeys: String, CodingKey { case txid, height, time, amount, amountFiat = "amount_fiat" }
}

/// Totals of the payments of one payer.
public struct PayerTotal: Codable, Sendable, Equatable {
    /// `cluster:ID` for one paying cluster, `clusters:ID,ID,…` for inputs spanning several clusters
    /// outside a CoinJoin, `coinjoin:DETECTOR` for CoinJoin payments (pooled: their inputs cannot
    /// be told apart), `coinbase`, or `unknown` (every non-seller input unresolved).
    public var key: String
    public var payer: String
    /// The paying clusters (empty for `coinjoin:`, `coinbase` and `unknown` groups).
    public var clusters: [PaymentCluster]
    public var payments: Int
    public var amount: Int64
    public var firstPayment: PaymentMoment
    public var lastPayment: PaymentMoment
    /// With `--fiat`: the exact sum of the payments' fiat values (each at its own date).
    @FiatField public var amountFiat: FiatSum? = nil

    enum CodingKeys: String, CodingKey {
        case key, payer, clusters, payments, amount, firstPayment = "first_payment", lastPayment = "last_payment"
        case amountFiat = "amount_fiat"
    }
}

/// Totals of one calendar month (UTC).
public struct MonthTotal: Codable, Sendable, Equatable {
    /// `YYYY-MM`.
    public var month: String
    public var payments: Int
    public var amount: Int64
    /// Distinct payer keys that month.
    public var payers: Int
    /// With `--fiat`: the exact sum of the month's payments' fiat values (each at its own date).
    @FiatField public var amountFiat: FiatSum? = nil

    enum CodingKeys: String, CodingKey { case month, payments, amount, payers, amountFiat = "amount_fiat" }
}

/// Transactions paying the seller that were left out because every input was the seller's own.
public struct ExcludedInternal: Codable, Sendable, Equatable {
    public var transactions: Int
    /// Satoshis those transactions paid to the seller's addresses (change, consolidations, transfers).
    public var amount: Int64
    /// With `--fiat`: the sum of those amounts' fiat values, each at its transaction's date.
    @FiatField public var amountFiat: FiatSum? = nil

    enum CodingKeys: String, CodingKey { case transactions, amount, amountFiat = "amount_fiat" }
}

/// The answer to "who paid this seller, when, how much?".
public struct SellerPaymentsReport: Codable, Sendable, Equatable {
    /// `strict` or `extended`.
    public var layer: String
    /// The addresses or cluster ids asked about, as given.
    public var subjects: [String]
    /// The seller's clusters (one per distinct cluster of the subjects), ascending id.
    public var sellerClusters: [PaymentCluster]
    /// Addresses in all seller clusters.
    public var sellerSize: Int
    /// Payments found (all of them, whatever `--limit`).
    public var paymentCount: Int
    /// Payments listed, by height then position in the block; at most `--limit`.
    public var payments: [SellerPayment]
    public var paymentsTruncated: Bool
    /// Sum of all payments, in satoshis.
    public var totalReceived: Int64
    public var firstPayment: PaymentMoment?
    public var lastPayment: PaymentMoment?
    /// Per payer, largest amount first.
    public var byPayer: [PayerTotal]
    /// Per UTC month, ascending.
    public var byMonth: [MonthTotal]
    public var excludedInternal: ExcludedInternal
    /// The parameters of the clustering the report relies on (`cluster_run.parameters`).
    public var clusterParameters: String
    /// Conditions that limit the report (transactions not yet clustered, suspicious merges, …).
    public var warnings: [String]
    /// With `--fiat`: ``totalReceived`` as the exact sum of every payment's fiat value.
    @FiatField public var totalReceivedFiat: FiatSum? = nil
    /// With `--fiat`: the price series used.
    @FiatField public var fiatSeries: FiatSeriesCitation? = nil

    enum CodingKeys: String, CodingKey {
        case layer, subjects, payments, warnings
        case sellerClusters = "seller_clusters", sellerSize = "seller_size", paymentCount = "payment_count"
        case paymentsTruncated = "payments_truncated", totalReceived = "total_received", firstPayment = "first_payment"
        case lastPayment = "last_payment", byPayer = "by_payer", byMonth = "by_month", excludedInternal = "excluded_internal"
        case clusterParameters = "cluster_parameters", totalReceivedFiat = "total_received_fiat", fiatSeries = "fiat_series"
    }
}
