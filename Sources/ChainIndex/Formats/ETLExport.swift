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
///
/// Memory: the blocks tables are read into a few fields a block (`Head`); the transactions tables
/// are streamed one row at a time and each block is rebuilt and handed on as soon as its rows end
/// (`ETLGrouping`), so the rows of one block are held, not the export's.
enum ETLExport {
    /// One rebuilt block and the blocks-table row it came from.
    struct Block {
        var bytes: [UInt8]
        var hash: Hash256
        var file: String
        var line: Int
    }

    static let coinbaseSequences: [UInt32] = [0xFFFF_FFFF, 0, 0xFFFF_FFFE]

    /// What the streaming conversion reports.
    struct Summary {
        /// Blocks rebuilt and handed on.
        var blocks = 0
        /// The most transactions rows held at once (the current block's and the ones waiting for
        /// the rest of their block): the largest block's transaction count for an export that lists
        /// each block's transactions together.
        var peakBufferedRows = 0
        /// Each export file (size and SHA-256 of the bytes read), for provenance.
        var sources: [String: SourceFile] = [:]
    }

    /// Rebuilds the blocks of the export files (blocks and transactions tables in any order) and
    /// hands each to `emit` as soon as its transactions rows have been read: the blocks tables are
    /// read first (a few fields a block), then the transactions tables are streamed row by row and
    /// each block's rows are rebuilt into its block and dropped. `indexHash` gives the hash of the
    /// index's chain block at a height. See `ETLGrouping` for the order the rows must be in.
    @discardableResult
    static func stream(
        files: [String], indexHash: (Int) -> Hash256?, parkLimit: Int = ETLGrouping.defaultParkLimit,
        emit: (Block) throws(BlockJSONError) -> Void
    ) throws(BlockJSONError) -> Summary {
        try stream(Plan(files: files, indexHash: indexHash), parkLimit: parkLimit, emit: emit)
    }

    /// Streams the transactions tables of `plan` (see `stream(files:indexHash:parkLimit:emit:)`).
    @discardableResult
    static func stream(
        _ plan: Plan, parkLimit: Int = ETLGrouping.defaultParkLimit, emit: (Block) throws(BlockJSONError) -> Void
    ) throws(BlockJSONError) -> Summary {
        var grouping = ETLGrouping(plan: plan, parkLimit: parkLimit)
        var sources = plan.sources
        for file in plan.transactionFiles {
            let table = try ETLTable(file)
            while let row = try table.next() {
                try grouping.add(JSONFields(fields: row.fields, file: file, line: row.line), emit: emit)
            }
            if let source = table.source { sources[file] = source }
        }
        try grouping.finish(emit: emit)
        return Summary(blocks: grouping.blocks, peakBufferedRows: grouping.peakBufferedRows, sources: sources)
    }

    /// A blocks-table row reduced to what rebuilding its block needs, read and checked as the row
    /// is read (the row itself is not kept).
    struct Head {
        var hash: Hash256
        var number: Int64
        /// `previous_block_hash`, else resolved once every blocks table is read.
        var previous: Hash256
        var merkle: Hash256
        var version: Int32
        var time: UInt32
        var bits: UInt32
        /// The nonce's readings (the header hash decides).
        var nonces: [UInt32]
        var transactionCount: Int64?
        /// `coinbase_param` decoded; nil when missing or not hex (an error only if a coinbase needs it).
        var coinbaseParam: [UInt8]?
        var hasCoinbaseParam: Bool
        var file: String
        var line: Int

        /// The header fields of `row`, whose `hash` and `number` are already read.
        init(_ row: JSONFields, hash: Hash256, number: Int64) throws(BlockJSONError) {
            self.hash = hash
            self.number = number
            previous = row.has("previous_block_hash") ? try row.hash("previous_block_hash") : .zero
            merkle = try row.hash("merkle_root")
            version = Int32(truncatingIfNeeded: try row.integer("version", in: Int64(Int32.min)...Int64(UInt32.max)))
            let time = try row.unixTime("timestamp")
            guard let t = UInt32(exactly: time) else { throw row.fail("'timestamp' \(time) is out of range") }
            self.time = t
            bits = try ETLExport.bits(row)
            nonces = try ETLExport.nonces(row)
            transactionCount = try row.optionalInteger("transaction_count")
            hasCoinbaseParam = row.has("coinbase_param")
            coinbaseParam = try? row.hex("coinbase_param")
            file = row.file
            line = row.line
        }

        func fail(_ reason: String) -> BlockJSONError { .malformed(file: file, line: line, reason: reason) }

        func mismatch(_ reason: String) -> BlockJSONError { .mismatch(file: file, line: line, reason: reason) }

        /// The coinbase's scriptSig from `coinbase_param`.
        func coinbaseScript() throws(BlockJSONError) -> [UInt8] {
            guard hasCoinbaseParam else { throw fail("missing 'coinbase_param'") }
            guard let coinbaseParam else { throw fail("'coinbase_param' is not hex") }
            return coinbaseParam
        }
    }

    /// The export's files sorted into blocks and transactions tables, and its blocks tables read
    /// into `Head`s indexed by hash and number (the transactions tables are left for streaming).
    struct Plan {
        var blockFiles: [String] = []
        var transactionFiles: [String] = []
        var heads: [Head] = []
        var byHash: [Hash256: Int] = [:]
        /// The first block of each number.
        var byNumber: [Int64: Int] = [:]
        /// The blocks files read (size and SHA-256).
        var sources: [String: SourceFile] = [:]
        /// Blocks without `previous_block_hash`.
        private var unresolved: [Int] = []

        /// Reads the first row of every file (its kind) and every row of the blocks tables.
        init(files: [String], indexHash: (Int) -> Hash256?) throws(BlockJSONError) {
            for file in files {
                switch try ETLTable.kind(ofFile: file) {
                case .blocks: blockFiles.append(file)
                case .transactions: transactionFiles.append(file)
                }
            }
            guard let firstFile = files.first else { return }
            guard !blockFiles.isEmpty else {
                throw .malformed(
                    file: firstFile, line: 1,
                    reason: "no blockchain-etl blocks table among the inputs (give the blocks and transactions files together)")
            }
            guard !transactionFiles.isEmpty else {
                throw .malformed(
                    file: firstFile, line: 1,
                    reason: "no blockchain-etl transactions table among the inputs (give the blocks and transactions files together)")
            }
            for file in blockFiles {
                let table = try ETLTable(file)
                while let row = try table.next() { try add(JSONFields(fields: row.fields, file: file, line: row.line)) }
                if let source = table.source { sources[file] = source }
            }
            try resolvePrevious(indexHash)
        }

        /// One blocks row: hash and number first (a block may appear once), then its header fields.
        private mutating func add(_ row: JSONFields) throws(BlockJSONError) {
            let h = try row.hash("hash")
            let n = try row.integer("number", in: 0...Int64(Int32.max))
            if let other = byHash[h] {
                throw row.fail("block \(h.hex) appears twice (also line \(heads[other].line) of \(heads[other].file))")
            }
            let i = heads.count
            if !row.has("previous_block_hash") { unresolved.append(i) }
            heads.append(try Head(row, hash: h, number: n))
            byHash[h] = i
            if byNumber[n] == nil { byNumber[n] = i }
        }

        /// Without `previous_block_hash` the previous block is the export's block `number - 1`,
        /// else the index's chain block at that height, else the zero hash for block 0.
        private mutating func resolvePrevious(_ indexHash: (Int) -> Hash256?) throws(BlockJSONError) {
            for i in unresolved {
                let head = heads[i]
                if let p = byNumber[head.number - 1] {
                    heads[i].previous = heads[p].hash
                } else if head.number == 0 {
                    heads[i].previous = .zero
                } else if let h = indexHash(Int(head.number - 1)) {
                    heads[i].previous = h
                } else {
                    throw head.fail(
                        "block \(head.hash.hex) (number \(head.number)) has no 'previous_block_hash', and block \(head.number - 1) is "
                            + "neither in the export nor in the index: import the blocks before it first")
                }
            }
            unresolved = []
        }

        /// The block of a transactions row, by `block_hash` (else `block_number`).
        func blockIndex(of row: JSONFields) throws(BlockJSONError) -> Int {
            if row.has("block_hash") {
                let h = try row.hash("block_hash")
                guard let i = byHash[h] else { throw row.fail("its block \(h.hex) is not in the blocks table") }
                return i
            }
            let n = try row.integer("block_number")
            guard let i = byNumber[n] else { throw row.fail("its block \(n) is not in the blocks table") }
            return i
        }

        /// The network whose genesis block is among the blocks or is the parent of one (the first
        /// such block in the order of the blocks tables), as found among rebuilt blocks.
        var network: Network? {
            for head in heads {
                for n in Network.all where n.genesisHash == head.hash || n.genesisHash == head.previous { return n }
            }
            return nil
        }
    }

    /// Rebuilds and checks one block from its head and its transactions' rows.
    static func block(_ head: Head, transactions rows: [JSONFields]) throws(BlockJSONError) -> Block {
        let hash = head.hash
        let ordered = try ordered(rows, block: hash)
        if let count = head.transactionCount, count != Int64(ordered.count) {
            throw head.mismatch(
                "block \(hash.hex): its 'transaction_count' is \(count), the transactions table has \(ordered.count) of its transactions")
        }
        guard !ordered.isEmpty else { throw head.mismatch("block \(hash.hex) has no transactions in the export") }
        var body: [UInt8] = []
        body.appendCompactSize(ordered.count)
        var txids: [Hash256] = []
        txids.reserveCapacity(ordered.count)
        for (k, tx) in ordered.enumerated() {
            let rebuilt = try ETLTransaction.rebuild(tx, position: k, block: head)
            body += rebuilt.bytes
            txids.append(rebuilt.txid)
        }
        let computed = merkleRoot(txids)
        guard computed == head.merkle else {
            throw head.mismatch(
                "block \(hash.hex): its transactions give merkle root \(computed.hex), "
                    + "not its 'merkle_root' \(head.merkle.hex) (a transaction missing, extra or out of order)")
        }
        for nonce in head.nonces {
            let header = BlockHeader(
                version: head.version, previousHash: head.previous, merkleRoot: head.merkle, time: head.time, bits: head.bits, nonce: nonce)
            if header.hash == hash { return Block(bytes: header.serialized + body, hash: hash, file: head.file, line: head.line) }
        }
        throw head.mismatch("the header rebuilt from the row (previous block \(head.previous.hex)) does not hash to its 'hash' \(hash.hex)")
    }

    /// Transaction order: `index` when every row has it (checked to be 0, 1, 2, …), else the
    /// export's order.
    static func ordered(_ rows: [JSONFields], block hash: Hash256) throws(BlockJSONError) -> [JSONFields] {
        guard !rows.isEmpty, rows.allSatisfy({ $0.has("index") }) else { return rows }
        var keyed: [(Int64, JSONFields)] = []
        for r in rows { keyed.append((try r.integer("index"), r)) }
        keyed.sort { $0.0 < $1.0 }
        for (k, pair) in keyed.enumerated() where pair.0 != Int64(k) {
            throw pair.1.fail(
                "transaction 'index' \(pair.0) of block \(hash.hex): expected \(k) (indexes must be 0, 1, 2, … without gaps)")
        }
        return keyed.map(\.1)
    }

    /// `bits` as hex text (bitcoin-etl) or a number.
    static func bits(_ row: JSONFields) throws(BlockJSONError) -> UInt32 {
        guard let v = row.raw("bits") else { throw row.fail("missing 'bits'") }
        if let s = v as? String, let b = UInt32(s.hasPrefix("0x") ? String(s.dropFirst(2)) : s, radix: 16) { return b }
        if !(v is String), let n = JSONFields.integer(v), let b = UInt32(exactly: n) { return b }
        throw row.fail("'bits' must be hex text, not \(JSONFields.describe(v))")
    }

    /// The nonce's readings: a number is itself; text is hex (newer bitcoin-etl) or decimal
    /// (BigQuery's INT64 as text). The header hash decides.
    static func nonces(_ row: JSONFields) throws(BlockJSONError) -> [UInt32] {
        guard let v = row.raw("nonce") else { throw row.fail("missing 'nonce'") }
        if let s = v as? String {
            let t = s.hasPrefix("0x") ? String(s.dropFirst(2)) : s
            let readings = [UInt32(t, radix: 16), s.hasPrefix("0x") ? nil : UInt32(t)].compactMap { $0 }
            guard !readings.isEmpty else { throw row.fail("'nonce' must be a 32-bit number or hex text, not '\(s.prefix(20))'") }
            return readings
        }
        guard let n = JSONFields.integer(v), let u = UInt32(exactly: n) else {
            throw row.fail("'nonce' must be a 32-bit number, not \(JSONFields.describe(v))")
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
