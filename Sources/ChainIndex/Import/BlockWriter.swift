import Foundation
import GRDB

/// The single writer of an import: assigns ids, resolves inputs against the in-memory unspent
/// set, interns addresses and commits whole blocks per transaction.
///
/// Memory: the unspent-output table (``UnspentSet``, ≈ 70 bytes per unspent output), the
/// unresolved-input map (slices only), a bounded address cache and the address filter
/// (≈ 1.2 bytes per address).
final class BlockWriter {
    let store: IndexStore
    let network: Network
    let runId: Int64
    let cacheCapacity: Int

    private var unspent = UnspentSet()
    /// Most unspent outputs held at once during this run (for the memory benchmark).
    private(set) var peakUnspent = 0
    /// Inputs whose funding output is not in the index: outpoint → (input id, spending tx id).
    private var unresolved = [OutpointKey: [(input: Int64, tx: Int64)]]()
    /// Unresolved inputs with an explorer prevout (`input_prevout`), checked when their funding
    /// output arrives.
    private var prevoutInputs = Set<Int64>()
    private var addressCache = [AddressKey: Int64]()
    /// Every stored address (probably): a miss means the address is new.
    private var storedAddresses = AddressFilter(expected: 0)

    private var nextBlock: Int64 = 1, nextTx: Int64 = 1, nextOutput: Int64 = 1, nextInput: Int64 = 1, nextAddress: Int64 = 1

    private(set) var blocksAdded = 0, transactionsAdded = 0, inputsAdded = 0, outputsAdded = 0
    /// Explorer prevouts stored for inputs whose funding transaction is not in the index.
    private(set) var prevoutsStored = 0
    /// Explorer prevouts found to differ from the real output when it arrived (value or address).
    private(set) var prevoutMismatches: [String] = []
    /// Explorer blocks (hash → block id) to remove, in the transaction that writes the block of
    /// the same hash: a block file, RPC JSON or export of it, or the explorer block rebuilt with
    /// more transactions.
    var explorerReplacements: [Hash256: Int64] = [:]
    /// Txids the replaced explorer blocks held, and how many were replaced.
    private(set) var explorerTxidsReplaced: [Hash256] = []
    private(set) var explorerBlocksReplaced = 0
    /// Prevouts of a replaced explorer block's unresolved inputs, by outpoint.
    private var carriedPrevouts: [OutpointKey: CarriedPrevout] = [:]

    /// A stored prevout carried from a replaced explorer block.
    struct CarriedPrevout {
        var value: Int64
        var address: Int64?
        var type: Int64
        var script: [UInt8]?
    }

    init(store: IndexStore, network: Network, runId: Int64, cacheCapacity: Int) throws {
        self.store = store; self.network = network; self.runId = runId; self.cacheCapacity = cacheCapacity
    }

    var unresolvedCount: Int { unresolved.values.reduce(0) { $0 + $1.count } }

    /// Frees the in-memory state once the blocks are written (before the index build, which
    /// has its own memory needs).
    func releaseState() {
        unspent.removeAll()
        unresolved.removeAll()
        prevoutInputs.removeAll()
        addressCache = [:]
        storedAddresses = AddressFilter(expected: 0)
    }

    /// Rebuilds the in-memory state from the index (at the start of a run, and after a rollback).
    func loadState() throws {
        unspent.removeAll()
        unresolved.removeAll()
        prevoutInputs.removeAll()
        addressCache.removeAll()
        try store.read { db in
            func next(_ table: String) throws -> Int64 { (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM \(table)") ?? 0) + 1 }
            nextBlock = try next("block"); nextTx = try next("tx"); nextOutput = try next("output")
            nextInput = try next("input"); nextAddress = try next("address")
            try rebuildAddressFilter(db, expected: (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM address") ?? 0) * 2)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT o.id, o.value, t.txid, o.id - t.output_first FROM output o JOIN tx t ON t.id = o.tx
                WHERE o.type != \(ScriptType.nulldata.rawValue)
                AND NOT EXISTS (SELECT 1 FROM input i WHERE i.spends = o.id) ORDER BY o.id
                """)
            while let row = try rows.next() {
                let txid = row.bytes(2)
                guard let h = Hash256(internalBytes: txid) else { continue }
                unspent.insert(OutpointKey(h, UInt32(row[3] as Int64)), UnspentOutput(id: row[0], value: row[1]))
            }
            let pending = try Row.fetchCursor(db, sql: "SELECT id, tx, prev_txid, prev_vout FROM input WHERE prev_txid IS NOT NULL ORDER BY id")
            while let row = try pending.next() {
                let txid = row.bytes(2)
                guard let h = Hash256(internalBytes: txid) else { continue }
                unresolved[OutpointKey(h, UInt32(row[3] as Int64)), default: []].append((row[0], row[1]))
            }
            prevoutInputs = Set(try Int64.fetchAll(db, sql: "SELECT input FROM input_prevout"))
        }
    }

    /// Writes prepared blocks in one transaction.
    func writeBatch(_ blocks: [PreparedBlock]) throws {
        try store.write { db in
            let s = try Statements(db)
            var feeRecompute = Set<Int64>()
            for p in blocks {
                try writeBlock(p, s, &feeRecompute)
            }
            for tx in feeRecompute { s.recomputeFee.bind(1, tx); try s.recomputeFee.execute() }
            try db.execute(sql: "UPDATE import_run SET blocks_added = ?, txs_added = ? WHERE id = ?",
                           arguments: [blocksAdded + blocks.count, transactionsAdded + blocks.reduce(0) { $0 + $1.block.transactions.count }, runId])
        }
        for p in blocks {
            blocksAdded += 1
            transactionsAdded += p.block.transactions.count
            inputsAdded += p.block.inputs.count
            outputsAdded += p.block.outputs.count
        }
    }

    private func writeBlock(_ p: PreparedBlock, _ s: Statements, _ feeRecompute: inout Set<Int64>) throws {
        let block = p.block
        if let old = explorerReplacements.removeValue(forKey: block.hash) { try replaceExplorerBlock(old, s.db) }
        defer { carriedPrevouts.removeAll() }
        let blockId = nextBlock
        let txFirst = nextTx, outputFirst = nextOutput, inputFirst = nextInput
        let h = block.header
        s.block.bind(1, blockId); s.block.bind(2, block.hash); s.block.bind(3, h.previousHash)
        s.block.bind(4, p.planned.height.map { Int64($0) }); s.block.bind(5, p.planned.heightSource.rawValue)
        s.block.bind(6, p.planned.inChain ? 1 : 0)
        if let w = p.planned.chainWork { s.block.bind(7, w.bigEndianBytes) } else { s.block.bindNull(7) }
        s.block.bind(8, Int64(h.version)); s.block.bind(9, h.merkleRoot); s.block.bind(10, Int64(h.time))
        s.block.bind(11, Int64(h.bits)); s.block.bind(12, Int64(h.nonce)); s.block.bind(13, block.size)
        s.block.bind(14, txFirst); s.block.bind(15, block.transactions.count)
        s.block.bind(16, outputFirst); s.block.bind(17, block.outputs.count)
        s.block.bind(18, inputFirst); s.block.bind(19, block.inputs.count); s.block.bind(20, runId)
        try s.block.execute()

        for (ti, tx) in block.transactions.enumerated() {
            let txId = nextTx
            let txOutputFirst = nextOutput, txInputFirst = nextInput
            // Inputs: resolve against the unspent set.
            var inputSum: Int64 = 0
            var allResolved = true
            let isCoinbase = ti == 0 && tx.inputCount == 1 && block.inputs[Int(tx.firstInput)].isCoinbase
            for k in 0..<Int(tx.inputCount) {
                let input = block.inputs[Int(tx.firstInput) + k]
                let inputId = nextInput
                nextInput += 1
                s.input.bind(1, inputId); s.input.bind(2, txId); s.input.bind(6, Int64(input.sequence))
                if isCoinbase {
                    s.input.bindNull(3); s.input.bindNull(4); s.input.bindNull(5)
                    allResolved = false
                } else {
                    let key = OutpointKey(input.previousTxid, input.previousIndex)
                    if let spent = unspent.remove(key) {
                        inputSum += spent.value
                        s.input.bind(3, spent.id); s.input.bindNull(4); s.input.bindNull(5)
                    } else {
                        unresolved[key, default: []].append((inputId, txId))
                        s.input.bindNull(3); s.input.bind(4, input.previousTxid); s.input.bind(5, Int64(input.previousIndex))
                        if let prevout = p.prevouts?[Int(tx.firstInput) + k] {
                            // The explorer's word for the spent output gives the value (and the fee).
                            inputSum += prevout.value
                            try storePrevout(prevout, input: inputId, s)
                        } else if let carried = carriedPrevouts.removeValue(forKey: key) {
                            inputSum += carried.value
                            try storeCarried(carried, input: inputId, s)
                        } else {
                            allResolved = false
                        }
                    }
                }
                try s.input.execute()
            }
            // Outputs.
            var outputSum: Int64 = 0
            for k in 0..<Int(tx.outputCount) {
                let o = block.outputs[Int(tx.firstOutput) + k]
                let prepared = p.outputs[Int(tx.firstOutput) + k]
                let outputId = nextOutput
                nextOutput += 1
                outputSum &+= o.value
                var addressId: Int64?
                if let a = prepared.address { addressId = try intern(a, s) }
                if let owners = prepared.ownerKeys, let first = owners.first {
                    let ownerId = try intern(first, s)
                    for key in owners {
                        let id = try intern(key, s)
                        s.sameKey.bind(1, id); s.sameKey.bind(2, ownerId); try s.sameKey.execute()
                    }
                }
                s.output.bind(1, outputId); s.output.bind(2, txId); s.output.bind(3, o.value)
                s.output.bind(4, addressId); s.output.bind(5, Int64(prepared.type.rawValue))
                try s.output.execute()
                if let script = prepared.script {
                    s.script.bind(1, outputId); s.script.bind(2, script); try s.script.execute()
                }
                let key = OutpointKey(tx.txid, UInt32(k))
                if let waiting = unresolved.removeValue(forKey: key) {
                    // An input imported earlier spends this output: resolve it now.
                    for w in waiting {
                        s.resolve.bind(1, outputId); s.resolve.bind(2, w.input); try s.resolve.execute()
                        if prevoutInputs.remove(w.input) != nil {
                            try checkPrevout(input: w.input, value: o.value, address: addressId, type: prepared.type, outpoint: key, txid: tx.txid, s)
                        }
                        feeRecompute.insert(w.tx)
                    }
                } else if prepared.type != .nulldata {
                    unspent.insert(key, UnspentOutput(id: outputId, value: o.value))
                    if unspent.count > peakUnspent { peakUnspent = unspent.count }
                }
            }
            s.tx.bind(1, txId); s.tx.bind(2, tx.txid); s.tx.bind(3, blockId)
            s.tx.bind(4, Int64(tx.version)); s.tx.bind(5, Int64(tx.lockTime)); s.tx.bind(6, Int64(tx.size))
            s.tx.bind(7, Int64(tx.weight))
            s.tx.bind(8, allResolved ? inputSum - outputSum : nil)
            s.tx.bind(9, txOutputFirst); s.tx.bind(10, Int64(tx.outputCount))
            s.tx.bind(11, txInputFirst); s.tx.bind(12, Int64(tx.inputCount))
            try s.tx.execute()
            if let source = p.explorerSources?[ti] {
                s.explorerTx.bind(1, txId); s.explorerTx.bind(2, source); try s.explorerTx.execute()
            }
            nextTx += 1
        }
        nextBlock += 1
    }

    /// Stores an explorer's prevout for an input the index cannot resolve.
    private func storePrevout(_ prevout: PreparedPrevout, input: Int64, _ s: Statements) throws {
        let addressId = try prevout.output.address.map { try intern($0, s) }
        try storeCarried(CarriedPrevout(value: prevout.value, address: addressId, type: Int64(prevout.output.type.rawValue),
                                        script: prevout.output.script), input: input, s)
        prevoutsStored += 1
    }

    /// Stores a prevout whose address is interned already (also one carried from a replaced
    /// explorer block).
    private func storeCarried(_ c: CarriedPrevout, input: Int64, _ s: Statements) throws {
        s.prevout.bind(1, input); s.prevout.bind(2, c.value); s.prevout.bind(3, c.address); s.prevout.bind(4, c.type)
        if let script = c.script { s.prevout.bind(5, script) } else { s.prevout.bindNull(5) }
        s.prevout.bind(6, runId)
        try s.prevout.execute()
        prevoutInputs.insert(input)
    }

    /// The real output has arrived for an input that had an explorer prevout: the prevout is
    /// dropped (the block's output is what the index keeps), and a difference is reported.
    private func checkPrevout(input: Int64, value: Int64, address: Int64?, type: ScriptType, outpoint: OutpointKey,
                              txid: Hash256, _ s: Statements) throws {
        s.findPrevout.bind(1, input)
        guard try s.findPrevout.step() else { s.findPrevout.reset(); return }
        let storedValue = s.findPrevout.int64(0)
        let storedAddress: Int64? = s.findPrevout.isNull(1) ? nil : s.findPrevout.int64(1)
        let storedType = s.findPrevout.int64(2)
        s.findPrevout.reset()
        if storedValue != value || storedAddress != address || storedType != Int64(type.rawValue) {
            prevoutMismatches.append(
                "output \(txid.hex):\(outpoint.vout): the explorer prevout said \(storedValue) sat, the block has \(value) sat"
                    + (storedAddress != address || storedType != Int64(type.rawValue) ? " and another script" : ""))
        }
        s.dropPrevout.bind(1, input); try s.dropPrevout.execute()
    }

    /// The id of an address, adding it to the index when new. New addresses get the next id
    /// (appends are the cheapest SQLite insert); the filter answers "certainly new" for most of
    /// them, so only probable repeats are looked up (through `address_key`, an index on eight
    /// bytes of the payload).
    private func intern(_ key: AddressKey, _ s: Statements) throws -> Int64 {
        if let id = addressCache[key] { return id }
        let bytes = key.storageBytes
        let fingerprint = key.fingerprint
        var found: Int64?
        if storedAddresses.mayContain(fingerprint) {
            s.findAddress.bind(1, Array(bytes[2..<min(bytes.count, 10)])); s.findAddress.bind(2, bytes)
            found = try s.findAddress.queryInt()
        }
        let id: Int64
        if let found {
            id = found
        } else {
            id = nextAddress
            nextAddress += 1
            s.address.bind(1, id); s.address.bind(2, bytes)
            try s.address.execute()
            storedAddresses.insert(fingerprint)
            if storedAddresses.isOverfull { try rebuildAddressFilter(s.db, expected: storedAddresses.count * 2) }
        }
        if addressCache.count >= cacheCapacity { addressCache.removeAll(keepingCapacity: true) }
        addressCache[key] = id
        return id
    }

    /// Rebuilds the address filter from every stored address.
    private func rebuildAddressFilter(_ db: Database, expected: Int) throws {
        var filter = AddressFilter(expected: expected)
        let keys = try Data.fetchCursor(db, sql: "SELECT key FROM address")
        while let data = try keys.next() {
            if let key = AddressKey(storageBytes: [UInt8](data)) { filter.insert(key.fingerprint) }
        }
        storedAddresses = filter
    }

    /// Removes stored blocks orphaned by a reorg (highest first): inputs elsewhere that spent
    /// their outputs become unresolved again, and the blocks are kept in `stale_block`.
    func rollback(_ blocks: [StoredBlock]) throws {
        try remove(blocks, keepAsStale: true)
    }

    /// Deletes blocks with their rows (highest first), in one transaction.
    private func remove(_ blocks: [StoredBlock], keepAsStale: Bool) throws {
        guard !blocks.isEmpty else { return }
        try store.write { db in
            for b in blocks { try removeRows(db, blockId: b.id, hash: b.hash, keepAsStale: keepAsStale) }
        }
    }

    /// Deletes one block's rows: inputs elsewhere that spent its outputs become unresolved again.
    /// Counts it in `meta.blocks_removed`, which tells derived tables (the Tracer's clusters) that
    /// ids they refer to may be gone.
    private func removeRows(_ db: Database, blockId: Int64, hash: Hash256, keepAsStale: Bool) throws {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT tx_first, tx_count, output_first, output_count, input_first, input_count, prev, height, time
            FROM block WHERE id = ?
            """, arguments: [blockId]) else { return }
        let tf: Int64 = row[0], tc: Int64 = row[1], of: Int64 = row[2], oc: Int64 = row[3], inf: Int64 = row[4], ic: Int64 = row[5]
        try db.execute(sql: """
            INSERT INTO meta(key, value) VALUES ('blocks_removed', 1)
            ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
            """)
        try db.execute(sql: """
            UPDATE tx SET fee = NULL WHERE id IN (SELECT tx FROM input WHERE spends BETWEEN ? AND ? AND id NOT BETWEEN ? AND ?)
            """, arguments: [of, of + oc - 1, inf, inf + ic - 1])
        try db.execute(sql: """
            UPDATE input SET
              prev_txid = (SELECT t.txid FROM output o JOIN tx t ON t.id = o.tx WHERE o.id = input.spends),
              prev_vout = (SELECT input.spends - t.output_first FROM output o JOIN tx t ON t.id = o.tx WHERE o.id = input.spends),
              spends = NULL
            WHERE spends BETWEEN ? AND ? AND id NOT BETWEEN ? AND ?
            """, arguments: [of, of + oc - 1, inf, inf + ic - 1])
        try db.execute(sql: "DELETE FROM input_prevout WHERE input BETWEEN ? AND ?", arguments: [inf, inf + ic - 1])
        try db.execute(sql: "DELETE FROM explorer_tx WHERE tx BETWEEN ? AND ?", arguments: [tf, tf + tc - 1])
        try db.execute(sql: "DELETE FROM input WHERE id BETWEEN ? AND ?", arguments: [inf, inf + ic - 1])
        try db.execute(sql: "DELETE FROM output_script WHERE output BETWEEN ? AND ?", arguments: [of, of + oc - 1])
        try db.execute(sql: "DELETE FROM output WHERE id BETWEEN ? AND ?", arguments: [of, of + oc - 1])
        try db.execute(sql: "DELETE FROM tx WHERE id BETWEEN ? AND ?", arguments: [tf, tf + tc - 1])
        if keepAsStale {
            try db.execute(sql: """
                INSERT OR REPLACE INTO stale_block(hash, prev, height, time, reason, import_run) VALUES (?, ?, ?, ?, 'reorg', ?)
                """, arguments: [Data(hash.bytes), row[6] as Data, row[7] as Int64?, row[8] as Int64, runId])
        }
        try db.execute(sql: "DELETE FROM block WHERE id = ?", arguments: [blockId])
    }

    /// Removes an explorer block (stored without a header) in the transaction that writes the
    /// block of the same hash, so a kill cannot lose its transactions. The in-memory state follows:
    /// its outputs leave the unspent set, its unresolved inputs leave the waiting list, and inputs
    /// elsewhere that spent its outputs wait for the new block's. Prevouts of its unresolved inputs
    /// are carried to the new block's inputs that spend the same outpoints and stay unresolved.
    private func replaceExplorerBlock(_ id: Int64, _ db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT tx_first, tx_count, output_first, output_count, input_first, input_count FROM block WHERE id = ?
            """, arguments: [id]) else { return }
        let tf: Int64 = row[0], tc: Int64 = row[1], of: Int64 = row[2], oc: Int64 = row[3], inf: Int64 = row[4], ic: Int64 = row[5]
        explorerTxidsReplaced += try Data.fetchAll(db, sql: "SELECT txid FROM tx WHERE id BETWEEN ? AND ? ORDER BY id", arguments: [tf, tf + tc - 1])
            .compactMap { Hash256(internalBytes: [UInt8]($0)) }
        for r in try Row.fetchAll(db, sql: """
            SELECT t.txid, o.id - t.output_first FROM output o JOIN tx t ON t.id = o.tx WHERE o.id BETWEEN ? AND ?
            """, arguments: [of, of + oc - 1]) {
            if let h = Hash256(internalBytes: r.bytes(0)) { _ = unspent.remove(OutpointKey(h, UInt32(r[1] as Int64))) }
        }
        // Outputs outside the block that its inputs spent are unspent again.
        for r in try Row.fetchAll(db, sql: """
            SELECT o.id, o.value, t.txid, o.id - t.output_first FROM input i JOIN output o ON o.id = i.spends JOIN tx t ON t.id = o.tx
            WHERE i.id BETWEEN ? AND ? AND i.spends NOT BETWEEN ? AND ?
            """, arguments: [inf, inf + ic - 1, of, of + oc - 1]) {
            if let h = Hash256(internalBytes: r.bytes(2)) {
                unspent.insert(OutpointKey(h, UInt32(r[3] as Int64)), UnspentOutput(id: r[0], value: r[1]))
            }
        }
        for r in try Row.fetchAll(db, sql: """
            SELECT i.id, i.prev_txid, i.prev_vout, p.value, p.address, p.type, p.script
            FROM input i LEFT JOIN input_prevout p ON p.input = i.id
            WHERE i.id BETWEEN ? AND ? AND i.prev_txid IS NOT NULL
            """, arguments: [inf, inf + ic - 1]) {
            guard let h = Hash256(internalBytes: r.bytes(1)) else { continue }
            let key = OutpointKey(h, UInt32(r[2] as Int64))
            let inputId: Int64 = r[0]
            unresolved[key]?.removeAll { $0.input == inputId }
            if unresolved[key]?.isEmpty == true { unresolved[key] = nil }
            prevoutInputs.remove(inputId)
            if let value = r[3] as Int64? {
                carriedPrevouts[key] = CarriedPrevout(value: value, address: r[4], type: r[5], script: r.optBytes(6))
            }
        }
        for r in try Row.fetchAll(db, sql: """
            SELECT i.id, i.tx, t.txid, o.id - t.output_first FROM input i JOIN output o ON o.id = i.spends JOIN tx t ON t.id = o.tx
            WHERE i.spends BETWEEN ? AND ? AND i.id NOT BETWEEN ? AND ?
            """, arguments: [of, of + oc - 1, inf, inf + ic - 1]) {
            if let h = Hash256(internalBytes: r.bytes(2)) { unresolved[OutpointKey(h, UInt32(r[3] as Int64)), default: []].append((r[0], r[1])) }
        }
        try removeRows(db, blockId: id, hash: .zero, keepAsStale: false)
        // Ids stay dense when the removed block was the last written (the usual case).
        if nextBlock == id + 1 { nextBlock = id }
        if nextTx == tf + tc { nextTx = tf }
        if nextOutput == of + oc { nextOutput = of }
        if nextInput == inf + ic { nextInput = inf }
        explorerBlocksReplaced += 1
    }

    /// Marks stored slice blocks that the new best chain now connects to genesis.
    func promote(_ blocks: [PromotedBlock]) throws {
        try store.write { db in
            for b in blocks {
                try db.execute(sql: "UPDATE block SET height = ?, height_source = 'chain', in_chain = 1, chainwork = ? WHERE hash = ?",
                               arguments: [b.height, Data(b.chainWork.bigEndianBytes), Data(b.hash.bytes)])
            }
        }
    }
}

/// The prepared statements of one write transaction.
private struct Statements {
    let block, tx, output, script, input, address, findAddress, resolve, sameKey, recomputeFee: RawStatement
    let prevout, findPrevout, dropPrevout, explorerTx: RawStatement
    let db: Database

    init(_ db: Database) throws {
        self.db = db
        block = try RawStatement(db, """
            INSERT INTO block(id, hash, prev, height, height_source, in_chain, chainwork, version, merkle, time, bits, nonce, size,
              tx_first, tx_count, output_first, output_count, input_first, input_count, import_run)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        tx = try RawStatement(db, """
            INSERT INTO tx(id, txid, block, version, locktime, size, weight, fee, output_first, output_count, input_first, input_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        output = try RawStatement(db, "INSERT INTO output(id, tx, value, address, type) VALUES (?, ?, ?, ?, ?)")
        script = try RawStatement(db, "INSERT INTO output_script(output, script) VALUES (?, ?)")
        input = try RawStatement(db, "INSERT INTO input(id, tx, spends, prev_txid, prev_vout, sequence) VALUES (?, ?, ?, ?, ?, ?)")
        address = try RawStatement(db, "INSERT INTO address(id, key) VALUES (?, ?)")
        findAddress = try RawStatement(db, "SELECT id FROM address WHERE substr(key, 3, 8) = ?1 AND key = ?2")
        resolve = try RawStatement(db, "UPDATE input SET spends = ?, prev_txid = NULL, prev_vout = NULL WHERE id = ?")
        sameKey = try RawStatement(db, "INSERT OR IGNORE INTO same_key(address, owner) VALUES (?, ?)")
        // An input's value is its output's, else its explorer prevout's; no fee while one has neither.
        recomputeFee = try RawStatement(db, """
            UPDATE tx SET fee =
              (SELECT SUM(COALESCE(o.value, p.value)) FROM input i LEFT JOIN output o ON o.id = i.spends
                 LEFT JOIN input_prevout p ON p.input = i.id
               WHERE i.id BETWEEN tx.input_first AND tx.input_first + tx.input_count - 1)
              - (SELECT SUM(value) FROM output WHERE id BETWEEN tx.output_first AND tx.output_first + tx.output_count - 1)
            WHERE id = ?1 AND NOT EXISTS (
              SELECT 1 FROM input i WHERE i.id BETWEEN tx.input_first AND tx.input_first + tx.input_count - 1 AND i.spends IS NULL
                AND NOT EXISTS (SELECT 1 FROM input_prevout p WHERE p.input = i.id))
            """)
        explorerTx = try RawStatement(db, "INSERT INTO explorer_tx(tx, source) VALUES (?, ?)")
        prevout = try RawStatement(db, "INSERT INTO input_prevout(input, value, address, type, script, import_run) VALUES (?, ?, ?, ?, ?, ?)")
        findPrevout = try RawStatement(db, "SELECT value, address, type FROM input_prevout WHERE input = ?")
        dropPrevout = try RawStatement(db, "DELETE FROM input_prevout WHERE input = ?")
    }
}
