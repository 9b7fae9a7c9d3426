import ChainIndex

/// What the change rules need to know about a transaction's shape. Computed on the fly from the
/// stored arrays: no allocation.
extension TxShape {
    /// True for an output that can be change: anything but an OP_RETURN data carrier (which holds no
    /// value for anyone and is ignored by every rule).
    public func isChangeCandidate(_ output: Int) -> Bool { outputs[output].type != .nulldata }

    /// The number of outputs that can be change (all but OP_RETURN outputs).
    public var changeCandidateCount: Int {
        var n = 0
        for o in outputs where o.type != .nulldata { n += 1 }
        return n
    }

    /// True when every candidate output (all but OP_RETURN) pays an address.
    public var candidateOutputsHaveAddresses: Bool {
        outputs.allSatisfy { $0.type == .nulldata || $0.address != nil }
    }

    /// True when output `output` pays an address that one of the inputs spends from.
    public func paysInputAddress(_ output: Int) -> Bool {
        guard let a = outputs[output].address else { return false }
        return inputs.contains { $0.address == a }
    }

    /// The script type all inputs share, or nil when they differ (or there are none).
    public var commonInputType: ScriptType? {
        guard let first = inputs.first?.type else { return nil }
        return inputs.allSatisfy { $0.type == first } ? first : nil
    }

    /// The value of the smallest input, or nil without inputs.
    public var smallestInputValue: Int64? {
        inputs.lazy.map(\.value).min()
    }

    /// True when `value` is a positive multiple of 10^`exponent` satoshis.
    public static func isRound(_ value: Int64, exponent: Int) -> Bool {
        guard value > 0, exponent >= 0, exponent <= 18 else { return false }
        var unit: Int64 = 1
        for _ in 0..<exponent { unit &*= 10 }
        return value % unit == 0
    }
}
