/// How value is followed through a transaction with several inputs and outputs
/// (`docs/tracing.md` defines each with an example).
public enum TaintModel: String, Sendable, CaseIterable, Codable {
    /// Any tainted input taints every output in full (an upper bound: "could have come from").
    case poison
    /// Taint is spread over the outputs in proportion to their values (each output carries the
    /// transaction's tainted share).
    case haircut
    /// First in, first out: inputs and outputs are laid end to end in their order; taint follows
    /// the satoshi positions (the fee is the tail of the inputs).
    case fifo
}

/// Half-open ranges `[start, end)` of satoshi positions within one coin, sorted and disjoint.
public struct SatRanges: Sendable, Equatable {
    public private(set) var ranges: [(start: Int64, end: Int64)]

    public init(_ ranges: [(start: Int64, end: Int64)] = []) {
        self.ranges = []
        for r in ranges.sorted(by: { $0.start < $1.start }) { append(r) }
    }

    public static func == (l: SatRanges, r: SatRanges) -> Bool {
        l.ranges.count == r.ranges.count && zip(l.ranges, r.ranges).allSatisfy { $0.start == $1.start && $0.end == $1.end }
    }

    /// Total satoshis covered.
    public var total: Int64 { ranges.reduce(0) { $0 + $1.end - $1.start } }
    public var isEmpty: Bool { ranges.isEmpty }

    /// Adds a range (merged with neighbours it touches).
    public mutating func insert(_ r: (start: Int64, end: Int64)) {
        guard r.end > r.start else { return }
        var all = ranges
        all.append(r)
        self = SatRanges(all)
    }

    /// Adds every range of `other`.
    public mutating func formUnion(_ other: SatRanges) {
        guard !other.isEmpty else { return }
        self = SatRanges(ranges + other.ranges)
    }

    /// The part of `other` not yet covered.
    public func subtracting(from other: SatRanges) -> SatRanges {
        var out: [(start: Int64, end: Int64)] = []
        for r in other.ranges {
            var pieces = [(r.start, r.end)]
            for mine in ranges {
                pieces = pieces.flatMap { p -> [(Int64, Int64)] in
                    if mine.end <= p.0 || mine.start >= p.1 { return [p] }
                    var rest: [(Int64, Int64)] = []
                    if mine.start > p.0 { rest.append((p.0, mine.start)) }
                    if mine.end < p.1 { rest.append((mine.end, p.1)) }
                    return rest
                }
            }
            out += pieces.map { (start: $0.0, end: $0.1) }
        }
        return SatRanges(out)
    }

    /// The ranges shifted by `offset` and clipped to `[lower, upper)`, shifted back by `lower`.
    func window(offset: Int64, lower: Int64, upper: Int64) -> SatRanges {
        var out: [(start: Int64, end: Int64)] = []
        for r in ranges {
            let s = max(r.start + offset, lower), e = min(r.end + offset, upper)
            if e > s { out.append((s - lower, e - lower)) }
        }
        return SatRanges(out)
    }

    private mutating func append(_ r: (start: Int64, end: Int64)) {
        guard r.end > r.start else { return }
        if let last = ranges.last, r.start <= last.end {
            ranges[ranges.count - 1].end = max(last.end, r.end)
        } else {
            ranges.append(r)
        }
    }
}

/// Taint on one coin: an amount, and under FIFO the exact satoshi positions.
public struct Taint: Sendable, Equatable {
    /// Satoshis (fractional under haircut; whole under poison and FIFO).
    public var amount: Double
    /// FIFO only: which satoshis of the coin.
    public var ranges: SatRanges?

    public init(amount: Double, ranges: SatRanges? = nil) {
        self.amount = amount
        self.ranges = ranges
    }

    /// The whole of a coin of `value` satoshis.
    public static func whole(_ value: Int64, model: TaintModel) -> Taint {
        Taint(amount: Double(value), ranges: model == .fifo ? SatRanges([(0, value)]) : nil)
    }
}

/// Where one transaction sends taint.
public struct TaintSplit: Sendable, Equatable {
    /// Per output (same order as the transaction's outputs), nil when none.
    public var outputs: [Taint?]
    /// Taint that went to the fee.
    public var fee: Double
}

extension TaintModel {
    /// Forward: the taint on the inputs (per input position, nil for none) spread over the
    /// outputs of a transaction with these input and output values.
    public func forward(inputs: [Taint?], inputValues: [Int64], outputValues: [Int64]) -> TaintSplit {
        let totalIn = inputValues.reduce(0, +), totalOut = outputValues.reduce(0, +)
        let tainted = inputs.reduce(0.0) { $0 + ($1?.amount ?? 0) }
        guard tainted > 0, totalIn > 0 else { return TaintSplit(outputs: outputValues.map { _ in nil }, fee: 0) }
        switch self {
        case .poison:
            return TaintSplit(outputs: outputValues.map { $0 > 0 ? Taint(amount: Double($0)) : nil },
                              fee: Double(max(0, totalIn - totalOut)))
        case .haircut:
            let share = tainted / Double(totalIn)
            return TaintSplit(outputs: outputValues.map { $0 > 0 ? Taint(amount: Double($0) * share) : nil },
                              fee: Double(max(0, totalIn - totalOut)) * share)
        case .fifo:
            // Global positions: input i covers [inStart_i, inStart_i + v_i); output o covers
            // [outStart_o, outStart_o + w_o); the fee is [totalOut, totalIn).
            var global = SatRanges()
            var at: Int64 = 0
            for (i, v) in inputValues.enumerated() {
                if let r = inputs[i]?.ranges { global.formUnion(r.window(offset: at, lower: at, upper: at + v).shifted(by: at)) }   // clipped to the input
                at += v
            }
            let fee = global.window(offset: 0, lower: totalOut, upper: max(totalOut, totalIn)).total
            return TaintSplit(outputs: Self.laidEndToEnd(global, lengths: outputValues), fee: Double(fee))
        }
    }

    /// Backward: the part of one output (`output` position, its taint of interest) traced to the
    /// inputs that funded it, per input position.
    public func backward(output: Int, interest: Taint, inputValues: [Int64], outputValues: [Int64]) -> [Taint?] {
        let totalIn = inputValues.reduce(0, +)
        guard totalIn > 0, interest.amount > 0 else { return inputValues.map { _ in nil } }
        switch self {
        case .poison:
            return inputValues.map { $0 > 0 ? Taint(amount: Double($0)) : nil }
        case .haircut:
            return inputValues.map { $0 > 0 ? Taint(amount: interest.amount * Double($0) / Double(totalIn)) : nil }
        case .fifo:
            let outStart = outputValues.prefix(output).reduce(0, +)
            let global = (interest.ranges ?? SatRanges([(0, outputValues[output])])).shifted(by: outStart)
            return Self.laidEndToEnd(global, lengths: inputValues)
        }
    }

    /// FIFO: coins of `lengths` laid end to end from position 0; each gets the traced satoshis of
    /// `global` that fall within it (nil for none).
    private static func laidEndToEnd(_ global: SatRanges, lengths: [Int64]) -> [Taint?] {
        var out: [Taint?] = []
        out.reserveCapacity(lengths.count)
        var at: Int64 = 0
        for length in lengths {
            let local = global.window(offset: 0, lower: at, upper: at + length)
            out.append(local.isEmpty ? nil : Taint(amount: Double(local.total), ranges: local))
            at += length
        }
        return out
    }
}

extension SatRanges {
    /// Every range moved by `offset`.
    func shifted(by offset: Int64) -> SatRanges {
        SatRanges(ranges.map { (start: $0.start + offset, end: $0.end + offset) })
    }
}
