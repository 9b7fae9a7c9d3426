import Foundation

/// An output a transaction input spends, as an explorer reports it: value and script. It is not
/// verifiable from the spending transaction (its txid does not commit to it), so the index keeps
/// it apart from outputs it holds (`input_prevout`) and checks it against the real output when
/// that arrives.
public struct ExplorerPrevout: Sendable, Equatable {
    public var value: Int64
    public var script: [UInt8]
}

/// Where an explorer says a transaction was confirmed.
public struct ExplorerStatus: Sendable, Equatable {
    public var blockHash: Hash256
    public var height: Int
    public var time: Int64
}

/// One transaction of Esplora's REST JSON (Blockstream's and mempool.space's `/tx/:txid`,
/// `/block/:hash/txs`, `/address/:address/txs`), rebuilt into its exact serialization.
///
/// Used: `txid`, `version`, `locktime`; each input's `txid`, `vout`, `scriptsig`, `witness`,
/// `sequence`, `is_coinbase`, `prevout` (`value`, `scriptpubkey`); each output's `value`,
/// `scriptpubkey`; `status` (`confirmed`, `block_hash`, `block_height`, `block_time`).
/// Checked: the rebuilt bytes without witnesses hash to `txid`; `size` and `weight`, when present,
/// are those of the rebuilt bytes; `fee`, when present and every prevout is given, is the
/// prevouts' sum minus the outputs'. Not used: everything derived (`*_asm`, `*_type`, `*_address`,
/// `vsize`, mempool.space's `order`, `feePerVsize`, …): addresses come from the scripts.
public struct EsploraTransaction: Sendable {
    public var txid: Hash256
    /// The full serialization (BIP144 when any input has a witness).
    public var bytes: [UInt8]
    /// Per input: the spent output as the explorer gives it (nil for a coinbase, or when absent).
    public var prevouts: [ExplorerPrevout?]
    /// Per input: the outpoint it spends.
    public var spends: [(txid: Hash256, vout: UInt32)]
    public var isCoinbase: Bool
    /// Nil for an unconfirmed (mempool) transaction.
    public var status: ExplorerStatus?
    public var line: Int
    /// The first output (or prevout) whose address the explorer printed: its script and the
    /// explorer's text, to check the network (explorer JSON carries no magic).
    public var addressHint: (script: [UInt8], address: String)? = nil

    static let maxMoney: Int64 = 21_000_000 * 100_000_000

    /// Rebuilds and checks one transaction object.
    static func parse(_ object: Any, file: String, line: Int) throws(BlockJSONError) -> EsploraTransaction {
        guard let fields = object as? [String: Any] else {
            throw .malformed(file: file, line: line, reason: "an explorer transaction must be a JSON object")
        }
        let f = JSONFields(fields: fields, file: file, line: line, context: "")
        let txid = try f.hash("txid")
        let g = JSONFields(fields: fields, file: file, line: line, context: "transaction \(txid.hex): ")
        let version = try g.integer("version", in: Int64(Int32.min)...Int64(UInt32.max))
        let locktime = try g.integer("locktime", in: 0...Int64(UInt32.max))
        let vin = try g.objects("vin"), vout = try g.objects("vout")
        guard !vin.isEmpty else { throw g.fail("'vin' is empty") }

        var base: [UInt8] = [], witnesses: [[[UInt8]]] = []
        base.appendLE(UInt32(truncatingIfNeeded: version))
        base.appendCompactSize(vin.count)
        var prevouts: [ExplorerPrevout?] = [], spends: [(txid: Hash256, vout: UInt32)] = []
        var coinbase = false
        for (i, input) in vin.enumerated() {
            let v = JSONFields(fields: input, file: file, line: line, context: "transaction \(txid.hex) vin[\(i)]: ")
            let previous = try v.hash("txid")
            let index = try v.integer("vout", in: 0...Int64(UInt32.max))
            let isCoinbase = previous == .zero && index == Int64(UInt32.max)
            if let flag = try v.bool("is_coinbase"), flag != isCoinbase {
                throw v.fail("'is_coinbase' is \(flag) but the outpoint says otherwise")
            }
            if isCoinbase {
                guard vin.count == 1 else { throw v.fail("a coinbase input must be the only input") }
                coinbase = true
            }
            let scriptSig = try v.hex("scriptsig")
            previous.storeBytes(into: &base)
            base.appendLE(UInt32(index))
            base.appendCompactSize(scriptSig.count)
            base += scriptSig
            base.appendLE(UInt32(try v.integer("sequence", in: 0...Int64(UInt32.max))))
            witnesses.append(try v.hexArray("witness"))
            spends.append((previous, UInt32(index)))
            prevouts.append(isCoinbase ? nil : try prevout(input["prevout"], v))
        }
        base.appendCompactSize(vout.count)
        var outputSum: Int64 = 0
        for (i, output) in vout.enumerated() {
            let o = JSONFields(fields: output, file: file, line: line, context: "transaction \(txid.hex) vout[\(i)]: ")
            let value = try o.integer("value", in: 0...maxMoney)
            let script = try o.hex("scriptpubkey")
            outputSum += value
            base.appendLE(UInt64(value))
            base.appendCompactSize(script.count)
            base += script
        }
        guard outputSum <= maxMoney else { throw g.fail("the outputs add up to more than 21 million coins") }
        let lockBytes: [UInt8] = { var b: [UInt8] = []; b.appendLE(UInt32(locktime)); return b }()
        let stripped = base + lockBytes
        let computed = Hashing.sha256d(stripped)
        guard computed == txid else {
            throw .mismatch(file: file, line: line, reason: "transaction \(txid.hex): its fields rebuild a transaction hashing to \(computed.hex)")
        }
        var bytes = stripped
        if witnesses.contains(where: { !$0.isEmpty }) {
            // BIP144: marker, flag, the body, every input's stack, locktime.
            bytes = Array(base.prefix(4)) + [0x00, 0x01] + base.dropFirst(4)
            for stack in witnesses {
                bytes.appendCompactSize(stack.count)
                for item in stack {
                    bytes.appendCompactSize(item.count)
                    bytes += item
                }
            }
            bytes += lockBytes
        }
        if let size = try g.optionalInteger("size"), size != Int64(bytes.count) {
            throw .mismatch(file: file, line: line, reason: "transaction \(txid.hex): 'size' is \(size), the rebuilt transaction has \(bytes.count) bytes")
        }
        let weight = Int64(stripped.count * 3 + bytes.count)
        if let given = try g.optionalInteger("weight"), given != weight {
            throw .mismatch(file: file, line: line, reason: "transaction \(txid.hex): 'weight' is \(given), the rebuilt transaction weighs \(weight)")
        }
        if !coinbase, let fee = try g.optionalInteger("fee") {
            let given = prevouts.compactMap { $0 }
            if given.count == prevouts.count {
                let inputSum = given.reduce(Int64(0)) { $0 + $1.value }
                guard inputSum - outputSum == fee else {
                    throw .mismatch(
                        file: file, line: line,
                        reason: "transaction \(txid.hex): 'fee' is \(fee) but the prevouts (\(inputSum)) minus the outputs (\(outputSum)) give \(inputSum - outputSum)")
                }
            }
        }
        var hint: (script: [UInt8], address: String)?
        for output in vout + vin.compactMap({ $0["prevout"] as? [String: Any] }) {
            if let text = output["scriptpubkey_address"] as? String, let script = (output["scriptpubkey"] as? String).flatMap(Hex.decode) {
                hint = (script, text)
                break
            }
        }
        return EsploraTransaction(
            txid: txid, bytes: bytes, prevouts: prevouts, spends: spends, isCoinbase: coinbase,
            status: try status(fields["status"], g), line: line, addressHint: hint)
    }

    private static func prevout(_ value: Any?, _ f: JSONFields) throws(BlockJSONError) -> ExplorerPrevout? {
        guard let value, !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw f.fail("'prevout' must be an object or null") }
        let p = JSONFields(fields: object, file: f.file, line: f.line, context: f.context + "prevout: ")
        return ExplorerPrevout(value: try p.integer("value", in: 0...maxMoney), script: try p.hex("scriptpubkey"))
    }

    private static func status(_ value: Any?, _ f: JSONFields) throws(BlockJSONError) -> ExplorerStatus? {
        guard let object = value as? [String: Any] else {
            throw f.fail("missing 'status' (the block the transaction is in: fetch transactions with their status)")
        }
        let s = JSONFields(fields: object, file: f.file, line: f.line, context: f.context + "status: ")
        guard try s.bool("confirmed") == true else { return nil }
        return ExplorerStatus(
            blockHash: try s.hash("block_hash"), height: Int(try s.integer("block_height", in: 0...Int64(Int32.max))),
            time: try s.integer("block_time", in: 0...Int64(UInt32.max)))
    }
}

extension Hash256 {
    /// Appends the 32 bytes in serialization (internal) order.
    func storeBytes(into out: inout [UInt8]) {
        out += bytes
    }
}

/// An explorer transaction as the index keeps it (`explorer_tx.source`), enough to rebuild its
/// block with more transactions later: the serialization, then per input a presence byte and, for
/// a prevout, its value (8 bytes, little-endian) and script (CompactSize length, bytes).
enum ExplorerSource {
    static func encode(_ tx: EsploraTransaction) -> [UInt8] {
        var out: [UInt8] = []
        out.appendCompactSize(tx.bytes.count)
        out += tx.bytes
        for p in tx.prevouts {
            guard let p else { out.append(0); continue }
            out.append(1)
            out.appendLE(UInt64(bitPattern: p.value))
            out.appendCompactSize(p.script.count)
            out += p.script
        }
        return out
    }

    /// The transaction back, placed in `status`'s block; nil when the record does not decode.
    static func decode(_ source: [UInt8], status: ExplorerStatus, line: Int) -> EsploraTransaction? {
        source.withUnsafeBytes { buffer -> EsploraTransaction? in
            var cursor = ByteCursor(buffer)
            guard let length = try? cursor.readCompactSize(limit: UInt64(source.count), what: "transaction"),
                  cursor.remaining >= length else { return nil }
            let start = cursor.position
            let raw = Array(source[start..<(start + length)])
            guard let (tx, ins, _) = BlockParser.parseTransaction(bytes: raw) else { return nil }
            cursor.position = start + length
            var prevouts: [ExplorerPrevout?] = []
            for _ in ins {
                guard let flag = try? cursor.readUInt8() else { return nil }
                if flag == 0 { prevouts.append(nil); continue }
                guard let value = try? cursor.readUInt64(),
                      let n = try? cursor.readCompactSize(limit: UInt64(source.count), what: "script"), cursor.remaining >= n
                else { return nil }
                prevouts.append(ExplorerPrevout(value: Int64(bitPattern: value), script: Array(source[cursor.position..<(cursor.position + n)])))
                cursor.position += n
            }
            let coinbase = ins.count == 1 && ins[0].isCoinbase
            return EsploraTransaction(txid: tx.txid, bytes: raw, prevouts: prevouts, spends: ins.map { ($0.previousTxid, $0.previousIndex) },
                                      isCoinbase: coinbase, status: status, line: line)
        }
    }
}
