import ChainIndex

/// What the clustering heuristics see of one transaction: its inputs (the outputs they spend) and
/// its outputs, with values in satoshis, address ids and script types. Built from the index by
/// ``TxShapeLoader``; built by hand in tests.
public struct TxShape: Sendable, Equatable {
    /// One side of a transfer: an output, or the output an input spends.
    public struct Coin: Sendable, Equatable {
        /// Value in satoshis.
        public var value: Int64
        /// The index's address id, or nil for a script without an address (OP_RETURN, bare
        /// multisig, non-standard) or an input whose funding output is not in the index.
        public var address: Int64?
        /// The script template.
        public var type: ScriptType
        /// For outputs: true when this output is the first ever to pay its address (the address
        /// had never appeared on chain before this transaction). Always false for inputs.
        public var fresh: Bool

        public init(value: Int64, address: Int64?, type: ScriptType, fresh: Bool = false) {
            self.value = value
            self.address = address
            self.type = type
            self.fresh = fresh
        }
    }

    /// The index's transaction id (row id, not the txid).
    public var id: Int64
    public var version: Int32
    public var locktime: UInt32
    /// True for a coinbase transaction (no inputs spend outputs).
    public var isCoinbase: Bool
    /// The outputs this transaction's inputs spend, in input order. An input whose funding output
    /// is not in the index (unresolved slice input) has value 0 and a nil address.
    public var inputs: [Coin]
    /// The input sequence numbers, in input order (for RBF / wallet fingerprints).
    public var sequences: [UInt32]
    /// The outputs, in output order.
    public var outputs: [Coin]
    /// How many inputs spend outputs that are not in the index (a slice whose funding
    /// transactions were not imported); such inputs appear in ``inputs`` with value 0 and no
    /// address.
    public var unresolvedInputs: Int = 0

    public init(
        id: Int64, version: Int32 = 2, locktime: UInt32 = 0, isCoinbase: Bool = false,
        inputs: [Coin], sequences: [UInt32]? = nil, outputs: [Coin]
    ) {
        self.id = id
        self.version = version
        self.locktime = locktime
        self.isCoinbase = isCoinbase
        self.inputs = inputs
        self.sequences = sequences ?? Array(repeating: 0xFFFF_FFFF, count: inputs.count)
        self.outputs = outputs
    }

    /// True when every input's funding output is known.
    public var inputsResolved: Bool { unresolvedInputs == 0 }
    /// Sum of input values (only meaningful when ``inputsResolved``).
    public var inputValue: Int64 { inputs.reduce(0) { $0 + $1.value } }
    /// Sum of output values.
    public var outputValue: Int64 { outputs.reduce(0) { $0 + $1.value } }
    /// The fee, when all inputs are resolved.
    public var fee: Int64? { inputsResolved ? inputValue - outputValue : nil }
}
