/// Why a trace did not go past a node.
public enum TraceStop: String, Sendable, Codable {
    /// An attributed cluster (a service such as an exchange is an endpoint, not a path; a tagged
    /// target is what the trace looks for).
    case attributed
    /// A CoinJoin: "entered mixer" (forward) or "came from a mixer" (backward).
    case coinJoin = "coinjoin"
    /// Forward: not spent in the index.
    case unspent
    /// Backward: newly mined.
    case coinbase
    /// Backward: the funding transaction is not in the index.
    case unknownSource = "unknown_source"
    /// The hop limit.
    case hopLimit = "hop_limit"
    /// Outside the time window.
    case timeWindow = "time_window"
    /// Below the minimum value.
    case minValue = "min_value"
}

/// An output the trace reached.
public struct TraceNode: Sendable, Codable, Equatable {
    /// `txid:vout`.
    public var outpoint: String
    public var address: String?
    public var cluster: Int64?
    /// The output's value.
    public var value: Int64
    /// Satoshis of the traced money on this output (whole satoshis, rounded down under haircut).
    public var amount: Int64
    /// Transactions crossed from the subject.
    public var hop: Int
    public var height: Int?
    public var time: String
    /// Where the trace stopped here, if it did.
    public var stop: TraceStop?
    /// The attribution when the cluster is tagged.
    public var endpoint: FlowEndpoint?
    /// The CoinJoin detector, for a `coinjoin` stop.
    public var coinJoin: String?
    /// With `--fiat`: ``value`` and ``amount`` at the price of ``time``'s UTC date (the block time of
    /// the transaction creating the output); nil without a converter or without a price that day.
    @FiatField public var valueFiat: FiatValue? = nil
    @FiatField public var amountFiat: FiatValue? = nil

    enum CodingKeys: String, CodingKey {
        case outpoint, address, cluster, value, amount, hop, height, time, stop, endpoint
        case coinJoin = "coinjoin", valueFiat = "value_fiat", amountFiat = "amount_fiat"
    }
}

/// Money moving from one output to another through a transaction.
public struct TraceEdge: Sendable, Codable, Equatable {
    /// Outpoints: forward `from` is spent by `txid` which creates `to`; backward the reverse.
    public var from: String
    public var to: String
    public var txid: String
    public var amount: Int64
    public var hop: Int
    public var time: String
    /// With `--fiat`: ``amount`` at the price of the transaction's UTC date.
    @FiatField public var amountFiat: FiatValue? = nil

    enum CodingKeys: String, CodingKey { case from, to, txid, amount, hop, time, amountFiat = "amount_fiat" }
}

/// Money between two wallets (clusters), with the transactions behind it.
public struct WalletEdge: Sendable, Codable, Equatable {
    public var from: Int64
    public var to: Int64
    public var amount: Int64
    public var txids: [String]
    /// With `--fiat`: the sum of the transfers' values, each at its transaction's UTC date.
    @FiatField public var amountFiat: FiatSum? = nil

    enum CodingKeys: String, CodingKey { case from, to, amount, txids, amountFiat = "amount_fiat" }
}

/// One step of a path: an output, with the traced amount on it.
public struct PathStep: Sendable, Codable, Equatable {
    public var outpoint: String
    public var address: String?
    public var height: Int?
    public var time: String
    public var amount: Int64
    /// With `--fiat`: ``amount`` at the price of ``time``'s UTC date.
    @FiatField public var amountFiat: FiatValue? = nil

    enum CodingKeys: String, CodingKey { case outpoint, address, height, time, amount, amountFiat = "amount_fiat" }
}

/// A path from the subject to an attributed cluster.
public struct TracePath: Sendable, Codable, Equatable {
    public var cluster: Int64
    public var categories: [String]
    public var labels: [String]
    public var hops: Int
    /// Traced satoshis arriving on the endpoint output.
    public var amount: Int64
    public var steps: [PathStep]
    /// With `--fiat`: ``amount`` at the price of the UTC date of the endpoint output's block time.
    @FiatField public var amountFiat: FiatValue? = nil

    enum CodingKeys: String, CodingKey { case cluster, categories, labels, hops, amount, steps, amountFiat = "amount_fiat" }
}

/// The result of one trace.
public struct TraceResult: Sendable, Codable, Equatable {
    public var subject: String
    public var parameters: TraceParameters
    /// The index tip the trace ran on (for reproducibility).
    public var tipHeight: Int?
    public var tipHash: String?
    /// Satoshis the trace started from.
    public var startAmount: Int64
    public var nodes: [TraceNode]
    public var edges: [TraceEdge]
    public var walletEdges: [WalletEdge]
    /// Paths reaching attributed clusters, largest amount first.
    public var paths: [TracePath]
    /// Traced satoshis per category of attributed cluster reached.
    public var reachedByCategory: [String: Int64]
    /// Traced satoshis lost to fees (forward).
    public var fees: Int64
    public var truncated: Bool
    public var transactionsVisited: Int
    /// The traced satoshis lost to fees, per transaction (forward; the parts of ``fees``, for its
    /// fiat value). Not in the JSON.
    public var feeTransactions: [TraceFee] = []
    /// With `--fiat` (``annotated(with:)``): ``startAmount``, each subject output at its own date.
    @FiatField public var startAmountFiat: FiatSum? = nil
    /// With `--fiat`: per category, the sum of the attributed outputs' traced amounts, each at its own date.
    @FiatField public var reachedByCategoryFiat: [String: FiatSum]? = nil
    /// With `--fiat`: ``fees``, each transaction's share at its own date.
    @FiatField public var feesFiat: FiatSum? = nil
    /// With `--fiat`: the price series used.
    @FiatField public var fiatSeries: FiatSeriesCitation? = nil

    enum CodingKeys: String, CodingKey {
        case subject, parameters, nodes, edges, paths, fees, truncated
        case tipHeight = "tip_height", tipHash = "tip_hash", startAmount = "start_amount", walletEdges = "wallet_edges"
        case reachedByCategory = "reached_by_category", transactionsVisited = "transactions_visited"
        case startAmountFiat = "start_amount_fiat", reachedByCategoryFiat = "reached_by_category_fiat", feesFiat = "fees_fiat"
        case fiatSeries = "fiat_series"
    }
}

/// The traced satoshis one transaction paid as fee (forward traces).
public struct TraceFee: Sendable, Codable, Equatable {
    public var txid: String
    /// Block time (UTC).
    public var time: String
    /// Whole satoshis (rounded down under haircut).
    public var amount: Int64
}
