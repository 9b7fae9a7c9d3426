import ChainIndex
import GRDB

/// Reads transactions from the index as ``TxShape``s, in id order (chain order of import).
///
/// Outputs of the requested range are read once into columns; an input spending an output from
/// before the range is read by id (so an incremental run costs in proportion to the new blocks).
/// An output is *fresh* when no earlier output (by id) paid its address.
public final class TxShapeLoader {
    private let db: Database
    /// Largest address id paid by any output before the loaded range (0 for a whole-chain run).
    private let addressLimit: Int64
    private let pointOutput: RawStatement
    private let earlierUse: RawStatement
    private let explorerPrevout: RawStatement

    /// Largest address id paid by an output in everything loaded so far.
    public private(set) var maxAddressSeen: Int64

    public init(db: Database, addressLimit: Int64) throws {
        self.db = db
        self.addressLimit = addressLimit
        maxAddressSeen = addressLimit
        pointOutput = try RawStatement(db, "SELECT value, address, type FROM output WHERE id = ?")
        earlierUse = try RawStatement(db, "SELECT 1 FROM output WHERE address = ? AND id < ? LIMIT 1")
        explorerPrevout = try RawStatement(db, "SELECT value, address, type FROM input_prevout WHERE input = ?")
    }

    /// Calls `body` with every transaction whose id is in `txFrom...txTo`, in id order.
    public func forEach(txFrom: Int64, txTo: Int64, _ body: (TxShape) throws -> Void) throws {
        guard txFrom <= txTo else { return }
        let bounds = try Row.fetchOne(db, sql: """
            SELECT min(output_first), max(output_first + output_count), min(input_first), max(input_first + input_count)
            FROM tx WHERE id BETWEEN ? AND ?
            """, arguments: [txFrom, txTo])
        guard let bounds, let outFirst = bounds[0] as Int64?, let outEnd = bounds[1] as Int64?,
              let inFirst = bounds[2] as Int64?, let inEnd = bounds[3] as Int64?
        else { return }
        let columns = try OutputColumns(db: db, first: outFirst, end: outEnd)
        let maxAddress = try Int64.fetchOne(db, sql: "SELECT max(id) FROM address") ?? 0
        var seen = BitSet(count: Int(max(0, maxAddress - addressLimit)) + 1)

        let txs = try RawStatement(db, """
            SELECT id, version, locktime, output_first, output_count, input_first, input_count
            FROM tx WHERE id BETWEEN ? AND ? ORDER BY id
            """)
        txs.bind(1, txFrom); txs.bind(2, txTo)
        let inputs = try RawStatement(db, """
            SELECT id, spends, prev_txid IS NOT NULL, sequence FROM input WHERE id >= ? AND id < ? ORDER BY id
            """)
        inputs.bind(1, inFirst); inputs.bind(2, inEnd)
        var inputRowReady = try inputs.step()
        defer { txs.reset(); inputs.reset() }

        while try txs.step() {
            let id = txs.int64(0)
            let outputFirst = txs.int64(3), outputCount = Int(txs.int64(4))
            let inputFirst = txs.int64(5), inputCount = Int(txs.int64(6))
            var shape = TxShape(id: id, version: Int32(truncatingIfNeeded: txs.int64(1)),
                                locktime: UInt32(truncatingIfNeeded: txs.int64(2)), inputs: [], sequences: [], outputs: [])
            shape.inputs.reserveCapacity(inputCount)
            shape.sequences.reserveCapacity(inputCount)
            var coinbase = false
            // Inputs: the input cursor runs alongside the tx cursor (ids are contiguous per tx).
            while inputRowReady && inputs.int64(0) < inputFirst { inputRowReady = try inputs.step() }
            for _ in 0..<inputCount {
                guard inputRowReady, inputs.int64(0) < inputFirst + Int64(inputCount) else { break }
                shape.sequences.append(UInt32(truncatingIfNeeded: inputs.int64(3)))
                if inputs.isNull(1) {
                    if inputs.int64(2) == 0 {
                        coinbase = true
                        shape.inputs.append(TxShape.Coin(value: 0, address: nil, type: .nonstandard))
                    } else if let coin = try prevoutCoin(inputs.int64(0)) {
                        // Funding transaction not in the index, but an explorer gave the spent output.
                        shape.inputs.append(coin)
                    } else {
                        shape.unresolvedInputs += 1
                        shape.inputs.append(TxShape.Coin(value: 0, address: nil, type: .nonstandard))
                    }
                } else {
                    shape.inputs.append(try spentCoin(inputs.int64(1), columns))
                }
                inputRowReady = try inputs.step()
            }
            shape.isCoinbase = coinbase
            // Outputs.
            shape.outputs.reserveCapacity(outputCount)
            for k in 0..<outputCount {
                let oid = outputFirst + Int64(k)
                var coin = columns.coin(oid) ?? TxShape.Coin(value: 0, address: nil, type: .nonstandard)
                if let a = coin.address { coin.fresh = try isFirstUse(a, outputId: oid, &seen) }
                shape.outputs.append(coin)
            }
            try body(shape)
        }
    }

    /// The transaction with index id `id`, or nil when there is none.
    public func shape(of id: Int64) throws -> TxShape? {
        var result: TxShape?
        try forEach(txFrom: id, txTo: id) { result = $0 }
        return result
    }

    /// The explorer's prevout of an unresolved input (`input_prevout`), if one was imported.
    private func prevoutCoin(_ inputId: Int64) throws -> TxShape.Coin? {
        explorerPrevout.bind(1, inputId)
        defer { explorerPrevout.reset() }
        guard try explorerPrevout.step() else { return nil }
        return TxShape.Coin(value: explorerPrevout.int64(0), address: explorerPrevout.isNull(1) ? nil : explorerPrevout.int64(1),
                            type: ScriptType(rawValue: UInt8(truncatingIfNeeded: explorerPrevout.int64(2))) ?? .nonstandard)
    }

    private func spentCoin(_ outputId: Int64, _ columns: OutputColumns) throws -> TxShape.Coin {
        if let coin = columns.coin(outputId) { return coin }
        pointOutput.bind(1, outputId)
        guard try pointOutput.step() else { return TxShape.Coin(value: 0, address: nil, type: .nonstandard) }
        let coin = TxShape.Coin(value: pointOutput.int64(0), address: pointOutput.isNull(1) ? nil : pointOutput.int64(1),
                                type: ScriptType(rawValue: UInt8(truncatingIfNeeded: pointOutput.int64(2))) ?? .nonstandard)
        pointOutput.reset()
        return coin
    }

    private func isFirstUse(_ address: Int64, outputId: Int64, _ seen: inout BitSet) throws -> Bool {
        if address > maxAddressSeen { maxAddressSeen = address }
        if address > addressLimit {
            let slot = Int(address - addressLimit)
            guard slot < seen.count else { return false }
            return seen.insert(slot)
        }
        // An address known before this range: fresh only if no earlier output paid it (addresses
        // derived from pay-to-pubkey keys get ids before they are paid).
        earlierUse.bind(1, address); earlierUse.bind(2, outputId)
        let used = try earlierUse.step()
        if used { earlierUse.reset() }
        return !used
    }
}

/// One range of outputs in columns.
struct OutputColumns {
    let first: Int64
    var value: [Int64] = []
    var address: [Int64] = []   // 0 = none
    var type: [UInt8] = []

    init(db: Database, first: Int64, end: Int64) throws {
        self.first = first
        let n = Int(max(0, end - first))
        value = Array(repeating: 0, count: n)
        address = Array(repeating: 0, count: n)
        type = Array(repeating: 0, count: n)
        let rows = try RawStatement(db, "SELECT id, value, address, type FROM output WHERE id >= ? AND id < ?")
        rows.bind(1, first); rows.bind(2, end)
        while try rows.step() {
            let i = Int(rows.int64(0) - first)
            value[i] = rows.int64(1)
            address[i] = rows.int64(2)
            type[i] = UInt8(truncatingIfNeeded: rows.int64(3))
        }
    }

    @inline(__always) func coin(_ id: Int64) -> TxShape.Coin? {
        let i = Int(id - first)
        guard i >= 0, i < value.count else { return nil }
        return TxShape.Coin(value: value[i], address: address[i] == 0 ? nil : address[i], type: ScriptType(rawValue: type[i]) ?? .nonstandard)
    }
}

/// A fixed-size bit set.
struct BitSet {
    private var words: [UInt64]
    let count: Int

    init(count: Int) {
        self.count = count
        words = Array(repeating: 0, count: (count + 63) / 64)
    }

    /// Sets bit `i`; true when it was clear.
    @inline(__always) mutating func insert(_ i: Int) -> Bool {
        let mask: UInt64 = 1 << UInt64(i & 63)
        let old = words[i >> 6]
        words[i >> 6] = old | mask
        return old & mask == 0
    }

    @inline(__always) func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
}
