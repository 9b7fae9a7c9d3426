import Foundation

/// One blockchain-etl transaction row rebuilt into its non-witness serialization:
/// `version(4) n_in(CompactSize) [prev_txid(32) prev_vout(4) script_sig sequence(4)]…
/// n_out [value(8) script_pubkey]… lock_time(4)`, all integers little-endian. Its double SHA-256
/// must be the row's `hash`.
enum ETLTransaction {
    struct Rebuilt {
        var bytes: [UInt8]
        var txid: Hash256
    }

    /// Rebuilds the transaction at `position` of `block` (whose `coinbase_param` is the coinbase's
    /// scriptSig when the row gives none).
    static func rebuild(_ row: JSONFields, position: Int, block: ETLExport.Head) throws(BlockJSONError) -> Rebuilt {
        let txid = try row.hash("hash")
        var row = row
        row.context = "transaction \(txid.hex): "
        let version = try row.integer("version", in: Int64(Int32.min)...Int64(UInt32.max))
        let lockTime = try row.integer("lock_time", in: 0...Int64(UInt32.max))
        let inputs = try sortedByIndex(row.objects("inputs"), row: row, what: "input")
        let outputs = try sortedByIndex(row.objects("outputs"), row: row, what: "output")
        if let n = try row.optionalInteger("input_count"), n != Int64(inputs.count), !(inputs.isEmpty && position == 0) {
            throw row.fail("'input_count' is \(n), but 'inputs' has \(inputs.count)")
        }
        if let n = try row.optionalInteger("output_count"), n != Int64(outputs.count) {
            throw row.fail("'output_count' is \(n), but 'outputs' has \(outputs.count)")
        }
        // The coinbase: flagged, or the first transaction with no input that spends something.
        let spends = inputs.filter { ($0["spent_transaction_hash"].map { !($0 is NSNull) }) ?? false }
        let coinbase = try row.bool("is_coinbase") ?? (position == 0 && spends.isEmpty)
        if coinbase && position != 0 { throw row.fail("a coinbase transaction at position \(position) of its block") }
        if !coinbase && position == 0 { throw row.fail("the first transaction of a block must be its coinbase") }

        var tail: [UInt8] = []
        tail.appendCompactSize(outputs.count)
        for (n, o) in outputs.enumerated() {
            let f = JSONFields(fields: o, file: row.file, line: row.line, context: row.context + "output \(n): ")
            let value = try f.integer("value", in: 0...Int64.max)
            let script = try f.hex("script_hex")
            tail.appendLE(UInt64(value))
            tail.appendCompactSize(script.count)
            tail += script
        }
        tail.appendLE(UInt32(lockTime))

        var head: [UInt8] = []
        head.appendLE(UInt32(truncatingIfNeeded: version))
        if coinbase {
            guard spends.isEmpty, inputs.count <= 1 else { throw row.fail("a coinbase transaction cannot spend outputs") }
            let given = inputs.first.map {
                JSONFields(fields: $0, file: row.file, line: row.line, context: row.context + "coinbase input: ")
            }
            let script: [UInt8]
            if let given, given.has("script_hex") { script = try given.hex("script_hex") } else { script = try block.coinbaseScript() }
            let sequences: [UInt32]
            if let given, let s = try given.optionalInteger("sequence", in: 0...Int64(UInt32.max)) {
                sequences = [UInt32(s)]
            } else {
                sequences = ETLExport.coinbaseSequences
            }
            head.appendCompactSize(1)
            head += [UInt8](repeating: 0, count: 32)
            head.appendLE(UInt32.max)
            head.appendCompactSize(script.count)
            head += script
            for sequence in sequences {
                var bytes = head
                bytes.appendLE(sequence)
                bytes += tail
                if Hashing.sha256d(bytes) == txid { return Rebuilt(bytes: bytes, txid: txid) }
            }
            throw .mismatch(
                file: row.file, line: row.line,
                reason: row.context + "the coinbase rebuilt from the block's 'coinbase_param' "
                    + "(sequence \(sequences.map { String(format: "%08x", $0) }.joined(separator: ", ")) tried) does not hash to its 'hash'"
            )
        }
        head.appendCompactSize(inputs.count)
        for (n, i) in inputs.enumerated() {
            let f = JSONFields(fields: i, file: row.file, line: row.line, context: row.context + "input \(n): ")
            head += try f.hash("spent_transaction_hash").bytes
            head.appendLE(UInt32(try f.integer("spent_output_index", in: 0...Int64(UInt32.max))))
            let script = try f.hex("script_hex")
            head.appendCompactSize(script.count)
            head += script
            head.appendLE(UInt32(try f.integer("sequence", in: 0...Int64(UInt32.max))))
        }
        let bytes = head + tail
        let computed = Hashing.sha256d(bytes)
        guard computed == txid else {
            throw .mismatch(
                file: row.file, line: row.line, reason: row.context + "its fields rebuild transaction \(computed.hex), not its 'hash'")
        }
        return Rebuilt(bytes: bytes, txid: txid)
    }

    /// Inputs or outputs in `index` order when every item has one (checked to be 0, 1, 2, …).
    static func sortedByIndex(_ items: [[String: Any]], row: JSONFields, what: String) throws(BlockJSONError) -> [[String: Any]] {
        guard !items.isEmpty, items.allSatisfy({ $0["index"] != nil && !($0["index"] is NSNull) }) else { return items }
        var keyed: [(Int64, [String: Any])] = []
        for item in items {
            guard let v = item["index"], let k = JSONFields.integer(v) else { throw row.fail("an \(what)'s 'index' is not an integer") }
            keyed.append((k, item))
        }
        keyed.sort { $0.0 < $1.0 }
        for (k, pair) in keyed.enumerated() where pair.0 != Int64(k) {
            throw row.fail("\(what) indexes must be 0, 1, 2, …; found \(pair.0)")
        }
        return keyed.map(\.1)
    }
}
