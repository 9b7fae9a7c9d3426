/// Which way a trace goes.
public enum TraceDirection: String, Sendable, Codable, CaseIterable {
    /// Where did the money go.
    case forward
    /// Where did the money come from.
    case backward
}

/// The limits and choices of one trace; every result carries them.
public struct TraceParameters: Sendable, Codable, Equatable {
    public var direction: TraceDirection
    public var model: TaintModel
    /// Transactions to cross at most.
    public var maxHops: Int
    /// Flows smaller than this many satoshis are not followed.
    public var minValue: Int64
    /// Only transactions with a block time in this window (Unix seconds, inclusive) are crossed.
    public var notBefore: Int64?
    public var notAfter: Int64?
    /// Outputs to visit at most; the trace reports `truncated` when it stops for this.
    public var maxNodes: Int
    /// The clustering layer used for wallets and attribution.
    public var layer: String

    public init(direction: TraceDirection = .forward, model: TaintModel = .haircut, maxHops: Int = 6, minValue: Int64 = 0,
                notBefore: Int64? = nil, notAfter: Int64? = nil, maxNodes: Int = 10_000, layer: String = "strict") {
        self.direction = direction
        self.model = model
        self.maxHops = maxHops
        self.minValue = minValue
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.maxNodes = maxNodes
        self.layer = layer
    }

    enum CodingKeys: String, CodingKey {
        case direction, model, layer
        case maxHops = "max_hops", minValue = "min_value", notBefore = "not_before", notAfter = "not_after", maxNodes = "max_nodes"
    }
}
