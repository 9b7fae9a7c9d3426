import Foundation

/// A blockchain-etl export (`blocks` and `transactions` tables, bitcoin-etl's
/// `export_blocks_and_transactions` or the `crypto_bitcoin` BigQuery tables) turned back into
/// *stripped* blocks: the export has every field of the non-witness serialization (transaction
/// `version`, `lock_time`; each input's `spent_transaction_hash`, `spent_output_index`,
/// `script_hex`, `sequence`; each output's `value`, `script_hex`; the coinbase scriptSig as the
/// block's `coinbase_param`) but no witnesses. Each transaction is rebuilt and must hash to its
/// `hash` (the txid is the double SHA-256 of exactly these bytes); the transactions must give the
/// block's `merkle_root`; the header rebuilt from `version`, the previous hash, `merkle_root`,
/// `timestamp`, `bits` and `nonce` must hash to the block's `hash`; the number of transactions must
/// be the block's `transaction_count`. Every failure names the export file and line.
///
/// Two fields are not in the export and are recovered under the hash checks: the coinbase input's
/// `sequence` (bitcoin-etl drops the coinbase input; 0xffffffff, 0 and 0xfffffffe are tried) and,
/// without `previous_block_hash`, the previous block's hash (the export's block `number - 1`,
/// else the index's block at that height, else the zero hash for block 0).
enum ETLExport {
    /// One rebuilt block and the blocks-table row it came from.
    struct Block {
        var bytes: [UInt8]
        var hash: Hash256
        var file: String
        var line: Int
    }

    static let coinbaseSequences: [UInt32] = [0xFFFF_FFFF, 0, 0xFFFF_FFFE]

    /// Rebuilds the blocks of the export files (blocks and transactions tables in any order), in the
    /// order of the blocks table. `indexHash` gives the hash of the index's chain block at a height.
    static func blocks(files: [String], indexHash: (Int) -> Hash256?) throws(BlockJSONError) -> [Block] {
        var tables: [ETLTable] = []
        for f in files { tables.append(try ETLTable.read(f)) }
        let blockRows = tables.filter { $0.kind == .blocks }.flatMap { t in
            t.rows.map { ETLFields(fields: $0.fields, file: t.file, line: $0.line) }
        }
        let txRows = tables.filter { $0.kind == .transactions }.flatMap { t in
            t.rows.map { ETLFields(fields: $0.fields, file: t.file, line: $0.line) }
        }
        guard let firstFile = files.first else { return [] }
        guard !blockRows.isEmpty else {
            throw .malformed(
                file: firstFile, line: 1,
                reason: "no blockchain-etl blocks table among the inputs (give the blocks and transactions files together)")
        }
        guard !txRows.isEmpty else {
            throw .malformed(
                file: firstFile, line: 1,
                reason: "no blockchain-etl transactions table among the inputs (give the blocks and transactions files together)")
        }
        // The blocks: hash and number first, to place transactions and previous hashes.
        var hashes: [Hash256] = [], numbers: [Int64] = []
        var byHash: [Hash256: Int] = [:], byNumber: [Int64: Int] = [:]
        for (i, row) in blockRows.enumerated() {
            let h = try row.hash("hash")
            let n = try row.integer("number", in: 0...Int64(Int32.max))
            if let other = byHash[h] {
                throw row.fail("block \(h.hex) appears twice (also line \(blockRows[other].line) of \(blockRows[other].file))")
            }
            byHash[h] = i
            if byNumber[n] == nil { byNumber[n] = i }
            hashes.append(h)
            numbers.append(n)
        }
        // Each transaction to its block, by block_hash (else block_number).
        var members = [[ETLFields]](repeating: [], count: blockRows.count)
        for row in txRows {
            let i: Int?
            if row.has("block_hash") {
                let h = try row.hash("block_hash")
                i = byHash[h]
                if i == nil { throw row.fail("its block \(h.hex) is not in the blocks table") }
            } else {
                let n = try row.integer("block_number")
                i = byNumber[n]
                if i == nil { throw row.fail("its block \(n) is not in the blocks table") }
            }
            if let i { members[i].append(row) }
        }
        var out: [Block] = []
        out.reserveCapacity(blockRows.count)
        for (i, row) in blockRows.enumerated() {
            let previous: Hash256
            if row.has("previous_block_hash") {
                previous = try row.hash("previous_block_hash")
            } else if let p = byNumber[numbers[i] - 1] {
                previous = hashes[p]
            } else if numbers[i] == 0 {
                previous = .zero
            } else if let h = indexHash(Int(numbers[i] - 1)) {
                previous = h
            } else {
                throw row.fail(
                    "block \(hashes[i].hex) (number \(numbers[i])) has no 'previous_block_hash', and block \(numbers[i] - 1) is "
                        + "neither in the export nor in the index: import the blocks before it first")
            }
            out.append(try block(row, hash: hashes[i], previous: previous, transactions: members[i]))
        }
        return out
    }

    /// Rebuilds and checks one block from its row and its transactions' rows.
    static func block(_ row: ETLFields, hash: Hash256, previous: Hash256, transactions rows: [ETLFields]) throws(BlockJSONError) -> Block {
        let merkle = try row.hash("merkle_root")
        let version = try row.integer("version", in: Int64(Int32.min)...Int64(UInt32.max))
        let time = try row.unixTime("timestamp")
        guard (0...Int64(UInt32.max)).contains(time) else { throw row.fail("'timestamp' \(time) is out of range") }
        let bits = try Self.bits(row)
        let nonces = try Self.nonces(row)
        // Transaction order: `index` when every row has it, else the export's order.
        var ordered = rows
        if !rows.isEmpty, rows.allSatisfy({ $0.has("index") }) {
            var keyed: [(Int64, ETLFields)] = []
            for r in rows { keyed.append((try r.integer("index"), r)) }
            keyed.sort { $0.0 < $1.0 }
            for (k, pair) in keyed.enumerated() where pair.0 != Int64(k) {
                throw pair.1.fail(
                    "transaction 'index' \(pair.0) of block \(hash.hex): expected \(k) (indexes must be 0, 1, 2, … without gaps)")
            }
            ordered = keyed.map(\.1)
        }
        if let count = try row.optionalInteger("transaction_count"), count != Int64(ordered.count) {
            throw .mismatch(
                file: row.file, line: row.line,
                reason:
                    "block \(hash.hex): its 'transaction_count' is \(count), the transactions table has \(ordered.count) of its transactions"
            )
        }
        guard !ordered.isEmpty else {
            throw .mismatch(file: row.file, line: row.line, reason: "block \(hash.hex) has no transactions in the export")
        }
        var body: [UInt8] = []
        body.appendCompactSize(ordered.count)
        var txids: [Hash256] = []
        txids.reserveCapacity(ordered.count)
        for (k, tx) in ordered.enumerated() {
            let rebuilt = try ETLTransaction.rebuild(tx, position: k, block: row)
            body += rebuilt.bytes
            txids.append(rebuilt.txid)
        }
        let computed = merkleRoot(txids)
        guard computed == merkle else {
            throw .mismatch(
                file: row.file, line: row.line,
                reason: "block \(hash.hex): its transactions give merkle root \(computed.hex), "
                    + "not its 'merkle_root' \(merkle.hex) (a transaction missing, extra or out of order)")
        }
        for nonce in nonces {
            let header = BlockHeader(
                version: Int32(truncatingIfNeeded: version), previousHash: previous, merkleRoot: merkle,
                time: UInt32(time), bits: bits, nonce: nonce)
            if header.hash == hash { return Block(bytes: header.serialized + body, hash: hash, file: row.file, line: row.line) }
        }
        throw .mismatch(
            file: row.file, line: row.line,
            reason: "the header rebuilt from the row (previous block \(previous.hex)) "
                + "does not hash to its 'hash' \(hash.hex)")
    }

    /// `bits` as hex text (bitcoin-etl) or a number.
    static func bits(_ row: ETLFields) throws(BlockJSONError) -> UInt32 {
        guard let v = row.raw("bits") else { throw row.fail("missing 'bits'") }
        if let s = v as? String, let b = UInt32(s.hasPrefix("0x") ? String(s.dropFirst(2)) : s, radix: 16) { return b }
        if !(v is String), let n = ETLFields.integer(v), let b = UInt32(exactly: n) { return b }
        throw row.fail("'bits' must be hex text, not \(ETLFields.describe(v))")
    }

    /// The nonce's readings: a number is itself; text is hex (newer bitcoin-etl) or decimal
    /// (BigQuery's INT64 as text). The header hash decides.
    static func nonces(_ row: ETLFields) throws(BlockJSONError) -> [UInt32] {
        guard let v = row.raw("nonce") else { throw row.fail("missing 'nonce'") }
        if let s = v as? String {
            let t = s.hasPrefix("0x") ? String(s.dropFirst(2)) : s
            let readings = [UInt32(t, radix: 16), s.hasPrefix("0x") ? nil : UInt32(t)].compactMap { $0 }
            guard !readings.isEmpty else { throw row.fail("'nonce' must be a 32-bit number or hex text, not '\(s.prefix(20))'") }
            return readings
        }
        guard let n = ETLFields.integer(v), let u = UInt32(exactly: n) else {
            throw row.fail("'nonce' must be a 32-bit number, not \(ETLFields.describe(v))")
        }
        return [u]
    }

    /// The merkle root of txids (the last one of an odd level paired with itself).
    static func merkleRoot(_ txids: [Hash256]) -> Hash256 {
        var level = txids
        while level.count > 1 {
            var next: [Hash256] = []
            next.reserveCapacity((level.count + 1) / 2)
            for i in stride(from: 0, to: level.count, by: 2) {
                next.append(Hashing.sha256d(level[i].bytes + level[min(i + 1, level.count - 1)].bytes))
            }
            level = next
        }
        return level.first ?? .zero
    }
}
