import ChainIndex

/// What the CoinJoin rules need to know about one transaction, computed once (this allocates, so
/// it is only built after ``CoinJoinDetector/hasRepeatedOutputValue(_:)`` found a repeated value).
struct TxProfile {
    /// Outputs sharing one value (OP_RETURN outputs excluded).
    struct Group {
        var value: Int64
        /// Outputs with this value.
        var count: Int
        /// Distinct addresses among them (an output without an address counts as its own).
        var distinctAddresses: Int
        /// The script type shared by all of them, or nil when they differ.
        var commonType: ScriptType?
    }

    /// Every value carried by at least two outputs, most outputs first (then largest value first).
    let groups: [Group]
    /// OP_RETURN (nulldata) outputs.
    let nullDataOutputs: Int
    /// Distinct input addresses (an input without an address counts as its own).
    let distinctInputAddresses: Int
    /// True when every input's funding output is known (non-zero value or an address).
    let inputsResolved: Bool
    /// The largest input value.
    let maxInputValue: Int64
    /// True when some output pays an address that also funds an input (change sent back to a
    /// spending address): CoinJoin software pays only fresh addresses.
    let outputPaysInputAddress: Bool

    init(_ tx: TxShape) {
        var counts: [Int64: Int] = [:]
        var nullData = 0
        for output in tx.outputs {
            if output.type == .nulldata { nullData += 1; continue }
            counts[output.value, default: 0] += 1
        }
        var groups: [Group] = []
        for (value, count) in counts where count >= 2 {
            var addresses = Set<Int64>()
            var withoutAddress = 0
            var commonType: ScriptType? = nil
            var first = true
            for output in tx.outputs where output.value == value && output.type != .nulldata {
                if let a = output.address { addresses.insert(a) } else { withoutAddress += 1 }
                if first { commonType = output.type; first = false } else if commonType != output.type { commonType = nil }
            }
            groups.append(Group(value: value, count: count, distinctAddresses: addresses.count + withoutAddress,
                                commonType: commonType))
        }
        groups.sort { $0.count != $1.count ? $0.count > $1.count : $0.value > $1.value }
        self.groups = groups
        self.nullDataOutputs = nullData

        var inputAddresses = Set<Int64>()
        var inputsWithoutAddress = 0
        var resolved = true
        var maxInput: Int64 = 0
        for input in tx.inputs {
            if let a = input.address { inputAddresses.insert(a) } else { inputsWithoutAddress += 1 }
            if input.address == nil && input.value <= 0 { resolved = false }
            maxInput = max(maxInput, input.value)
        }
        self.distinctInputAddresses = inputAddresses.count + inputsWithoutAddress
        self.inputsResolved = resolved
        self.maxInputValue = maxInput
        self.outputPaysInputAddress = tx.outputs.contains { output in output.address.map(inputAddresses.contains) ?? false }
    }
}
