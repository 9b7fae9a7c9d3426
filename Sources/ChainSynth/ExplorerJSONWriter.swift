import ChainIndex
import Foundation

/// Writes Esplora-shaped explorer JSON (what Blockstream's and mempool.space's REST APIs serve)
/// for blocks of block files, for tests and benchmarks of the explorer import: every field that
/// import reads or checks (`txid`, `version`, `locktime`; `vin` with `prevout`, `scriptsig`,
/// `witness`, `is_coinbase`, `sequence`; `vout`; `size`, `weight`, `fee`; `status`), with prevouts
/// taken from earlier blocks of the same files.
public enum ExplorerJSONWriter {
    /// The transaction objects of the blocks at `heights`, in height then block order. The files
    /// must hold one chain from its genesis block in order (height = position).
    public static func objects(blockFiles: [String], heights: Set<Int>) throws -> [[String: Any]] {
        var outputs: [Hash256: [(value: Int64, script: String)]] = [:]
        var out: [[String: Any]] = []
        var height = 0
        for path in blockFiles {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            var at = 0
            while at + 8 <= bytes.count {
                let size = Int(bytes[at + 4]) | Int(bytes[at + 5]) << 8 | Int(bytes[at + 6]) << 16 | Int(bytes[at + 7]) << 24
                guard size > 0, at + 8 + size <= bytes.count else { break }
                let block = Array(bytes[(at + 8)..<(at + 8 + size)])
                at += 8 + size
                let objects = try block.withUnsafeBytes { buffer in
                    try blockObjects(buffer, height: height, outputs: &outputs)
                }
                if heights.contains(height) { out += objects }
                height += 1
            }
        }
        return out
    }

    /// Writes the objects as one pretty-printed JSON array (as the REST API serves a block's
    /// transactions) and returns the path.
    @discardableResult
    public static func write(_ objects: [[String: Any]], to path: String) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    private static func blockObjects(_ bytes: UnsafeRawBufferPointer, height: Int,
                                     outputs: inout [Hash256: [(value: Int64, script: String)]]) throws -> [[String: Any]] {
        let parsed = try BlockParser.parse(bytes)
        func hex(_ offset: Int32, _ length: Int32) -> String { Hex.encode(bytes[Int(offset)..<Int(offset + length)]) }
        let status: [String: Any] = ["confirmed": true, "block_height": height, "block_hash": parsed.hash.hex,
                                     "block_time": Int64(parsed.header.time)]
        var txs: [[String: Any]] = []
        for tx in parsed.transactions {
            var vin: [[String: Any]] = [], inputSum: Int64 = 0, coinbase = false
            let witnesses = witnessStacks(bytes, tx)
            for k in 0..<Int(tx.inputCount) {
                let input = parsed.inputs[Int(tx.firstInput) + k]
                coinbase = input.isCoinbase
                var prevout: Any = NSNull()
                if !input.isCoinbase, let spent = outputs[input.previousTxid]?[Int(input.previousIndex)] {
                    prevout = ["scriptpubkey": spent.script, "value": spent.value] as [String: Any]
                    inputSum += spent.value
                }
                vin.append(["txid": input.previousTxid.hex, "vout": Int64(input.previousIndex), "prevout": prevout,
                            "scriptsig": hex(input.scriptOffset, input.scriptLength), "witness": k < witnesses.count ? witnesses[k] : [],
                            "is_coinbase": input.isCoinbase, "sequence": Int64(input.sequence)])
            }
            var vout: [[String: Any]] = [], mine: [(Int64, String)] = [], outputSum: Int64 = 0
            for k in 0..<Int(tx.outputCount) {
                let o = parsed.outputs[Int(tx.firstOutput) + k]
                vout.append(["scriptpubkey": hex(o.scriptOffset, o.scriptLength), "value": o.value])
                mine.append((o.value, hex(o.scriptOffset, o.scriptLength)))
                outputSum += o.value
            }
            outputs[tx.txid] = mine
            txs.append(["txid": tx.txid.hex, "version": Int64(tx.version), "locktime": Int64(tx.lockTime), "vin": vin, "vout": vout,
                        "size": Int64(tx.size), "weight": Int64(tx.weight), "fee": coinbase ? 0 : inputSum - outputSum,
                        "status": status])
        }
        return txs
    }

    /// Each input's witness stack as hex strings (empty without witness data): the witness
    /// section sits between the last output and the locktime.
    private static func witnessStacks(_ bytes: UnsafeRawBufferPointer, _ tx: ParsedTransaction) -> [[String]] {
        guard tx.hasWitness else { return [] }
        // Re-read the transaction to find where its outputs end.
        let start = Int(tx.offset), end = start + Int(tx.size)
        let raw = Array(bytes[start..<end])
        var i = 4 + 2   // version, marker, flag
        func compact() -> Int {
            let b = raw[i]; i += 1
            switch b {
            case 0xfd: defer { i += 2 }; return Int(raw[i]) | Int(raw[i + 1]) << 8
            case 0xfe: defer { i += 4 }; return (0..<4).reduce(0) { $0 | Int(raw[i + $1]) << (8 * $1) }
            case 0xff: defer { i += 8 }; return (0..<8).reduce(0) { $0 | Int(raw[i + $1]) << (8 * $1) }
            default: return Int(b)
            }
        }
        let inputs = compact()
        for _ in 0..<inputs { i += 36; i += compact(); i += 4 }
        let outs = compact()
        for _ in 0..<outs { i += 8; i += compact() }
        var stacks: [[String]] = []
        for _ in 0..<inputs {
            var stack: [String] = []
            for _ in 0..<compact() {
                let n = compact()
                stack.append(Hex.encode(raw[i..<(i + n)]))
                i += n
            }
            stacks.append(stack)
        }
        return stacks
    }
}
