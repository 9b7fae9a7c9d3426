import ChainIndex

/// One side of a transfer in a trace: an output (or the output an input spends).
public struct FlowCoin: Sendable, Equatable {
    /// The output's index id.
    public var output: Int64
    /// Satoshis.
    public var value: Int64
    /// The address id, nil for a script without an address.
    public var address: Int64?

    public init(output: Int64, value: Int64, address: Int64?) {
        self.output = output
        self.value = value
        self.address = address
    }
}

/// A transaction as a trace sees it.
public struct FlowTx: Sendable, Equatable {
    /// The index id.
    public var id: Int64
    public var txid: String
    public var height: Int?
    /// Block time, Unix seconds (UTC).
    public var time: Int64
    public var isCoinbase: Bool
    /// The CoinJoin detector that flagged the transaction as multi-party, if any.
    public var coinJoin: String?
    /// The outputs the inputs spend, in input order; nil for an input whose funding output is
    /// not in the index (or a coinbase input).
    public var inputs: [FlowCoin?]
    /// The outputs, in output order (`n` = position).
    public var outputs: [FlowCoin]
    /// Per input whose funding output is not in the index: its value when an explorer's prevout
    /// gives it (explorer JSON import), else nil. Empty when no input has one.
    public var externalValues: [Int64?]

    public init(id: Int64, txid: String, height: Int?, time: Int64, isCoinbase: Bool = false, coinJoin: String? = nil,
                inputs: [FlowCoin?], outputs: [FlowCoin], externalValues: [Int64?] = []) {
        self.id = id
        self.txid = txid
        self.height = height
        self.time = time
        self.isCoinbase = isCoinbase
        self.coinJoin = coinJoin
        self.inputs = inputs
        self.outputs = outputs
        self.externalValues = externalValues
    }

    /// Each input's value for the taint arithmetic: the spent output's, else the explorer
    /// prevout's, else 0 (unknown).
    public var inputValues: [Int64] {
        inputs.enumerated().map { k, coin in coin?.value ?? (k < externalValues.count ? externalValues[k] : nil) ?? 0 }
    }

    /// Sum of the known input values.
    public var inputValue: Int64 { inputs.reduce(0) { $0 + ($1?.value ?? 0) } }
    /// Sum of the output values.
    public var outputValue: Int64 { outputs.reduce(0) { $0 + $1.value } }
    /// True when every input's funding output is known.
    public var inputsKnown: Bool { isCoinbase || inputs.allSatisfy { $0 != nil } }
}

/// An attributed entity where a trace stops: a tagged cluster.
public struct FlowEndpoint: Sendable, Equatable, Codable {
    /// The tag categories on the cluster (sorted, distinct).
    public var categories: [String]
    /// The tag labels (sorted, distinct).
    public var labels: [String]

    public init(categories: [String], labels: [String]) {
        self.categories = categories
        self.labels = labels
    }
}

/// The transaction graph a trace walks: the index, or a hand-built graph in tests.
public protocol FlowGraph {
    /// The transaction with index id `id`.
    func transaction(_ id: Int64) throws -> FlowTx
    /// The transaction creating output `output`.
    func creator(ofOutput output: Int64) throws -> Int64
    /// The transaction spending output `output`, nil while unspent in the index.
    func spender(ofOutput output: Int64) throws -> Int64?
    /// The cluster of an address in the trace's layer.
    func cluster(ofAddress address: Int64) throws -> Int64
    /// The attribution of a cluster, nil when untagged.
    func endpoint(ofCluster cluster: Int64) throws -> FlowEndpoint?
    /// The text form of an address.
    func addressText(_ address: Int64) throws -> String
}
