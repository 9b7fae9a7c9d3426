import Foundation
import GRDB

/// Imports explorer JSON (Esplora's transaction objects). Explorer JSON has no block headers, so
/// it cannot go through the block-file pipeline: each block's transactions are stored as a slice
/// block without a header (`height_source = 'explorer'`, not in the chain), with the explorer's
/// hash, height and time, and each input's prevout (value and script) for inputs the index cannot
/// resolve. A later block file or RPC JSON of the same block replaces it.
///
/// Everything is read and checked before anything is written: every transaction's txid, size and
/// weight; the explorer's own consistency (one block per height, one content per txid); the
/// explorer against the index (a block the index holds must hold the transactions, a height the
/// index's chain holds must be the same block, a prevout of an output the index holds must have
/// its value and script, no output is spent twice). A failure names the file and line and leaves
/// the index as it was.
enum ExplorerImport {
    static func run(files: [String], options: ImportOptions, store: IndexStore) throws -> ImportSummary {
        let started = Date()
        guard let first = files.first else { throw ImportError.json(.unreadable(file: "(none)", reason: "no explorer JSON files")) }
        let indexNetwork = try store.network()
        if let given = options.network, let indexNetwork, given != indexNetwork {
            throw ImportError.store(.networkMismatch(index: indexNetwork.name, input: given.name))
        }
        guard let network = options.network ?? indexNetwork else {
            throw ImportError.json(.malformed(
                file: first, line: 1,
                reason: "explorer JSON carries no network: pass --network (main, test, testnet4, signet, regtest, litecoin, bch, doge)"))
        }
        var clock = PhaseClock()
        let read = try readFilesOrFail(files)
        try checkNetwork(read.grouped.blocks, network: network)
        clock.lap("read")
        var explorer = ExplorerImportSummary()
        explorer.transactions = read.grouped.blocks.reduce(0) { $0 + $1.transactions.count } + read.grouped.unconfirmed
        explorer.unconfirmed = read.grouped.unconfirmed
        explorer.duplicates = read.grouped.duplicates
        let placement = try placeOrFail(read.grouped.blocks, network: network, store: store)
        clock.lap("check")
        explorer.transactionsAlreadyStored = placement.alreadyStoredTransactions
        explorer.prevoutsChecked = placement.prevoutsChecked
        explorer.checkedWithinData = placement.checkedWithinData
        for b in placement.new {
            if b.complete { explorer.blocksComplete += 1 } else { explorer.blocksPartial += 1 }
            if b.reordered { explorer.blocksReordered += 1 }
        }
        explorer.blocksExtended = placement.replacing.count
        var summary = ImportSummary(
            network: network.name, mode: "explorer", files: read.sources.count, bytes: read.bytes,
            blocksScanned: read.grouped.blocks.count, blocksAdded: 0, transactionsAdded: 0, inputsAdded: 0, outputsAdded: 0,
            staleBlocks: 0, duplicateBlocks: 0, alreadyStored: placement.alreadyStoredBlocks, rolledBack: 0,
            unplacedBlocks: 0, runs: placement.new.count, unresolvedInputs: 0, tipHeight: nil, tipHash: nil, seconds: 0,
            skipped: [], importRun: nil)
        summary.explorer = explorer
        if placement.new.isEmpty {
            summary.seconds = Date().timeIntervalSince(started)
            summary.timings = clock.laps
            try Importer.fillTip(&summary, store: store)
            return summary
        }
        let runId = try store.write { db -> Int64 in
            try Schema.createLookupIndexes(db)
            let id = try Importer.startRun(db, started: started, mode: "explorer", network: network)
            for source in read.sources {
                try db.execute(sql: "INSERT OR IGNORE INTO import_file(run, path, size, sha256) VALUES (?, ?, ?, ?)",
                               arguments: [id, source.path, source.size, source.sha256])
            }
            return id
        }
        summary.importRun = runId
        let writer = try BlockWriter(store: store, network: network, runId: runId, cacheCapacity: options.addressCacheCapacity)
        do {
            try writer.loadState()
            writer.explorerReplacements = placement.replacing
            var batch: [PreparedBlock] = [], batchTransactions = 0
            for block in placement.new {
                batch.append(try prepare(block, network: network))
                batchTransactions += block.transactions.count
                if batchTransactions >= options.batchTransactions {
                    try writer.writeBatch(batch)
                    batch = []; batchTransactions = 0
                }
            }
            if !batch.isEmpty { try writer.writeBatch(batch) }
            clock.lap("write")
            // A rebuilt block and its earlier transactions were in the index before: not added.
            summary.blocksAdded = writer.blocksAdded - placement.replacing.count
            summary.transactionsAdded = writer.transactionsAdded - placement.earlier.count
            summary.inputsAdded = writer.inputsAdded - placement.earlierInputs
            summary.outputsAdded = writer.outputsAdded - placement.earlierOutputs
            summary.unresolvedInputs = writer.unresolvedCount
            summary.prevoutMismatches = writer.prevoutMismatches
            summary.explorer?.prevoutsStored = writer.prevoutsStored
            writer.releaseState()
            summary.seconds = Date().timeIntervalSince(started)
            let s = summary
            try store.write { db in try Importer.finishRun(db, s, runId: runId) }
            try store.checkpoint()
            summary.timings = clock.laps
        } catch {
            try? store.write { db in try Importer.failRun(db, error, runId: runId) }
            throw error
        }
        try Importer.fillTip(&summary, store: store)
        return summary
    }

    // MARK: - Reading

    static func readFilesOrFail(_ files: [String]) throws(ImportError) -> (grouped: ExplorerBlocks.Grouped, sources: [SourceFile], bytes: Int) {
        do { return try readFiles(files) } catch { throw .json(error) }
    }

    static func placeOrFail(_ blocks: [ExplorerBlock], network: Network, store: IndexStore) throws -> Placement {
        do { return try store.read { db in try place(blocks, network: network, db: db) } } catch let e as BlockJSONError { throw ImportError.json(e) }
    }

    /// Every transaction of every file, grouped into blocks; the files as sources.
    static func readFiles(_ files: [String]) throws(BlockJSONError) -> (grouped: ExplorerBlocks.Grouped, sources: [SourceFile], bytes: Int) {
        var items: [(tx: EsploraTransaction, file: String)] = []
        var sources: [SourceFile] = []
        var bytes = 0
        for file in files {
            let sequence = try JSONSequence(file: file)
            bytes += sequence.bytes.count
            for value in try sequence.values() {
                items.append((try EsploraTransaction.parse(try sequence.object(value), file: file, line: value.line), file))
            }
            // The bytes are in memory already: hash them rather than read the file again.
            sources.append(SourceFile(path: file, size: sequence.bytes.count, sha256: Hex.encode(Hashing.sha256(sequence.bytes))))
        }
        return (try ExplorerBlocks.group(items), sources, bytes)
    }

    /// Explorer JSON has no magic; the explorer's printed address of one script (the first
    /// transaction that has one) must be what the script renders as on `network`.
    static func checkNetwork(_ blocks: [ExplorerBlock], network: Network) throws {
        for block in blocks {
            for tx in block.transactions {
                guard let hint = tx.addressHint else { continue }
                let rendered = { (n: Network) in
                    hint.script.withUnsafeBytes { OutputPreparer.prepare(script: $0, witnessOutputs: n.witnessOutputs) }.address?.render(on: n)
                }
                if rendered(network) == hint.address { return }
                let others = Network.all.filter { $0 != network && rendered($0) == hint.address }.map(\.name)
                throw ImportError.json(.mismatch(
                    file: block.file, line: tx.line,
                    reason: "the explorer prints \(hint.address) for a script that is \(rendered(network) ?? "no address") on \(network.name)"
                        + (others.isEmpty ? "" : ": the data is of another network (\(others.joined(separator: ", ")))")))
            }
        }
    }

    // MARK: - Checks against the index

    /// Which blocks are new, after checking the explorer's data against the index.
    struct Placement {
        var new: [ExplorerBlock] = []
        var alreadyStoredBlocks = 0
        var alreadyStoredTransactions = 0
        var prevoutsChecked = 0
        var checkedWithinData = 0
        /// Explorer blocks (hash → id) that blocks in `new` rebuild with more transactions; each is
        /// removed in the transaction that writes its rebuilt block.
        var replacing: [Hash256: Int64] = [:]
        /// Transactions of those blocks already in the index (checked when first imported).
        var earlier = Set<Hash256>()
        var earlierInputs = 0, earlierOutputs = 0
    }

    /// An explorer block the index holds, with `new` transactions added: the stored ones are
    /// read back from `explorer_tx`, and the whole list is ordered and checked for completeness again.
    static func extended(_ block: ExplorerBlock, storedId: Int64, new: [EsploraTransaction], db: Database) throws -> ExplorerBlock {
        let row = try Row.fetchOne(db, sql: "SELECT height, time, merkle FROM block WHERE id = ?", arguments: [storedId])
        guard let row, (row[0] as Int?) == block.height, (row[1] as Int64) == block.time else {
            throw BlockJSONError.mismatch(
                file: block.file, line: block.line,
                reason: "block \(block.hash.hex) is at height \(block.height) time \(block.time) here, but the index holds it from an earlier explorer import with another height or time")
        }
        // A stored merkle root means the earlier import proved its list complete.
        if let merkle = Hash256(internalBytes: row.bytes(2)), merkle != .zero, let extra = new.first {
            throw BlockJSONError.mismatch(
                file: block.file, line: extra.line,
                reason: "the explorer places transaction \(extra.txid.hex) in block \(block.hash.hex), whose transactions the index holds complete (witness commitment checked) without it")
        }
        let status = ExplorerStatus(blockHash: block.hash, height: block.height, time: block.time)
        var merged = ExplorerBlock(hash: block.hash, height: block.height, time: block.time, transactions: [], complete: false,
                                   reordered: false, file: block.file)
        let sources = try Row.fetchAll(db, sql: """
            SELECT t.txid, e.source FROM tx t LEFT JOIN explorer_tx e ON e.tx = t.id WHERE t.block = ? ORDER BY t.id
            """, arguments: [storedId])
        for source in sources {
            guard let bytes = source.optBytes(1), let tx = ExplorerSource.decode(bytes, status: status, line: block.line) else {
                throw BlockJSONError.mismatch(
                    file: block.file, line: block.line,
                    reason: "block \(block.hash.hex) was stored from explorer JSON without its source transactions (an older index): import its block file or RPC JSON to add transactions")
            }
            merged.transactions.append(tx)
        }
        merged.transactions += new
        try ExplorerBlocks.settle(&merged)
        return merged
    }

    static func place(_ blocks: [ExplorerBlock], network: Network, db: Database) throws -> Placement {
        var out = Placement()
        for block in blocks {
            let stored = try Row.fetchOne(db, sql: "SELECT id, height_source FROM block WHERE hash = ?", arguments: [Data(block.hash.bytes)])
            if let stored {
                let id: Int64 = stored[0]
                let missing = try block.transactions.filter { try blockOf($0.txid, db) != id }
                if missing.isEmpty {
                    out.alreadyStoredBlocks += 1
                    out.alreadyStoredTransactions += block.transactions.count
                    continue
                }
                guard (stored[1] as String) == HeightSource.explorer.rawValue else {
                    throw BlockJSONError.mismatch(
                        file: block.file, line: missing[0].line,
                        reason: "the explorer places transaction \(missing[0].txid.hex) in block \(block.hash.hex), but the index's block \(block.hash.hex) does not contain it")
                }
                for tx in missing where try blockOf(tx.txid, db) != nil {
                    throw BlockJSONError.mismatch(
                        file: block.file, line: tx.line,
                        reason: "transaction \(tx.txid.hex) is in another block of the index, but the explorer places it in block \(block.hash.hex)")
                }
                // More transactions of a block stored from an earlier explorer import: the block is
                // rebuilt with all of them.
                let merged = try extended(block, storedId: id, new: missing, db: db)
                out.alreadyStoredTransactions += block.transactions.count - missing.count
                out.replacing[block.hash] = id
                let newTxids = Set(missing.map(\.txid))
                for tx in merged.transactions where !newTxids.contains(tx.txid) {
                    out.earlier.insert(tx.txid)
                    out.earlierInputs += tx.spends.count
                    out.earlierOutputs += outputsOf(tx).count
                }
                out.new.append(merged)
                continue
            }
            if let chainHash = try Data.fetchOne(db, sql: "SELECT hash FROM block WHERE height = ? AND in_chain = 1", arguments: [block.height]),
                let other = Hash256(internalBytes: [UInt8](chainHash))
            {
                throw BlockJSONError.mismatch(
                    file: block.file, line: block.line,
                    reason: "the explorer's block at height \(block.height) is \(block.hash.hex), the index's chain has \(other.hex) there (another chain or a reorg)")
            }
            if let other = try Data.fetchOne(db, sql: "SELECT hash FROM block WHERE height = ? AND height_source = 'explorer'", arguments: [block.height])
                .flatMap({ Hash256(internalBytes: [UInt8]($0)) })
            {
                throw BlockJSONError.mismatch(
                    file: block.file, line: block.line,
                    reason: "the explorer's block at height \(block.height) is \(block.hash.hex), an earlier explorer import placed \(other.hex) there")
            }
            if try Int.fetchOne(db, sql: "SELECT 1 FROM stale_block WHERE hash = ?", arguments: [Data(block.hash.bytes)]) != nil {
                throw BlockJSONError.mismatch(
                    file: block.file, line: block.line,
                    reason: "block \(block.hash.hex) is a stale block in the index, but the explorer reports it as confirmed")
            }
            for tx in block.transactions {
                if let other = try blockOf(tx.txid, db) {
                    let hash = try Data.fetchOne(db, sql: "SELECT hash FROM block WHERE id = ?", arguments: [other])
                        .flatMap { Hash256(internalBytes: [UInt8]($0)) }
                    throw BlockJSONError.mismatch(
                        file: block.file, line: tx.line,
                        reason: "transaction \(tx.txid.hex) is in block \(hash?.hex ?? "?") of the index, but the explorer places it in block \(block.hash.hex)")
                }
            }
            out.new.append(block)
        }
        (out.prevoutsChecked, out.checkedWithinData) = try checkSpends(out.new, earlier: out.earlier, network: network, db: db)
        return out
    }

    /// The id of the block holding `txid`, if the index holds it.
    static func blockOf(_ txid: Hash256, _ db: Database) throws -> Int64? {
        guard let id = try IndexStore.transactionId(in: db, txid) else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT block FROM tx WHERE id = ?", arguments: [id])
    }

    /// Every input of the new transactions: an outpoint spent only once (in the import and in the
    /// index), and a prevout that agrees with the output it names when the import or the index
    /// holds that output. Returns the number of prevouts checked against the index and within the data.
    /// Transactions in `earlier` (stored by an earlier explorer import) only count as spenders.
    static func checkSpends(_ blocks: [ExplorerBlock], earlier: Set<Hash256> = [], network: Network, db: Database) throws -> (index: Int, data: Int) {
        var outputs: [Hash256: [(value: Int64, script: [UInt8])]] = [:]
        for block in blocks { for tx in block.transactions { outputs[tx.txid] = outputsOf(tx) } }
        var spentBy: [OutpointKey: Hash256] = [:]
        var checked = 0, withinData = 0
        for block in blocks {
            for tx in block.transactions where !tx.isCoinbase {
                for (i, spend) in tx.spends.enumerated() {
                    func fail(_ reason: String) -> BlockJSONError {
                        .mismatch(file: block.file, line: tx.line, reason: "transaction \(tx.txid.hex) vin[\(i)]: \(reason)")
                    }
                    let key = OutpointKey(spend.txid, spend.vout)
                    if let other = spentBy[key] {
                        throw fail("output \(spend.txid.hex):\(spend.vout) is also spent by transaction \(other.hex) in the explorer data")
                    }
                    spentBy[key] = tx.txid
                    if earlier.contains(tx.txid) { continue }
                    let prevout = tx.prevouts[i]
                    if let funding = outputs[spend.txid] {
                        guard Int(spend.vout) < funding.count else {
                            throw fail("spends output \(spend.vout) of \(spend.txid.hex), which has \(funding.count) outputs")
                        }
                        if let prevout, prevout.value != funding[Int(spend.vout)].value || prevout.script != funding[Int(spend.vout)].script {
                            throw fail("its prevout differs from output \(spend.vout) of \(spend.txid.hex) in the same data")
                        }
                        if prevout != nil { withinData += 1 }
                        continue
                    }
                    if try checkAgainstIndex(spend, prevout: prevout, network: network, db: db, fail: fail) { checked += 1 }
                }
            }
        }
        return (checked, withinData)
    }

    /// Checks an input whose funding transaction may be in the index; true when a prevout was
    /// compared with the index's output.
    static func checkAgainstIndex(_ spend: (txid: Hash256, vout: UInt32), prevout: ExplorerPrevout?, network: Network, db: Database,
                                  fail: (String) -> BlockJSONError) throws -> Bool {
        let txid = Data(spend.txid.bytes)
        if try Int.fetchOne(db, sql: "SELECT 1 FROM input WHERE prev_txid = ? AND prev_vout = ?", arguments: [txid, spend.vout]) != nil {
            throw fail("output \(spend.txid.hex):\(spend.vout) is already spent by another transaction in the index")
        }
        guard let fundingId = try IndexStore.transactionId(in: db, spend.txid),
              let funding = try Row.fetchOne(db, sql: "SELECT output_first, output_count FROM tx WHERE id = ?", arguments: [fundingId])
        else { return false }
        let first: Int64 = funding[0], count: Int64 = funding[1]
        guard Int64(spend.vout) < count else {
            throw fail("spends output \(spend.vout) of \(spend.txid.hex), which has \(count) outputs in the index")
        }
        let outputId = first + Int64(spend.vout)
        if let spender = try Data.fetchOne(db, sql: """
            SELECT t.txid FROM input i JOIN tx t ON t.id = i.tx WHERE i.spends = ?
            """, arguments: [outputId]).flatMap({ Hash256(internalBytes: [UInt8]($0)) }) {
            throw fail("output \(spend.txid.hex):\(spend.vout) is already spent by transaction \(spender.hex) in the index")
        }
        guard let prevout else { return false }
        guard let row = try Row.fetchOne(db, sql: """
            SELECT o.value, o.type, a.key, s.script FROM output o LEFT JOIN address a ON a.id = o.address
            LEFT JOIN output_script s ON s.output = o.id WHERE o.id = ?
            """, arguments: [outputId]) else { return false }
        let classified = prevout.script.withUnsafeBytes { OutputPreparer.prepare(script: $0, witnessOutputs: network.witnessOutputs) }
        let storedKey = row.optBytes(2), storedScript = row.optBytes(3)
        let sameScript = (row[1] as Int64) == Int64(classified.type.rawValue)
            && storedKey == classified.address?.storageBytes
            && (storedScript == nil || storedScript == prevout.script)
        guard (row[0] as Int64) == prevout.value, sameScript else {
            throw fail("its prevout (\(prevout.value) sat) differs from output \(spend.txid.hex):\(spend.vout) in the index (\(row[0] as Int64) sat or another script)")
        }
        return true
    }

    /// A transaction's outputs (value, script) from its bytes.
    static func outputsOf(_ tx: EsploraTransaction) -> [(value: Int64, script: [UInt8])] {
        let outputs = BlockParser.parseTransaction(bytes: tx.bytes)?.outputs ?? []
        return outputs.map { ($0.value, Array(tx.bytes[Int($0.scriptOffset)..<Int($0.scriptOffset + $0.scriptLength)])) }
    }

    // MARK: - Writing

    /// The block as the writer takes it: parsed from a buffer with a header holding what is known,
    /// under the explorer's hash, with every input's prevout.
    static func prepare(_ block: ExplorerBlock, network: Network) throws -> PreparedBlock {
        let bytes = block.buffer
        return try bytes.withUnsafeBytes { buffer throws -> PreparedBlock in
            var parsed: ParsedBlock
            do throws(DecodeError) { parsed = try BlockParser.parse(buffer, computeWtxids: false) } catch {
                throw ImportError.json(.mismatch(file: block.file, line: block.line, reason: "block \(block.hash.hex) does not parse: \(error)"))
            }
            parsed.hash = block.hash
            let record = BlockRecord(fileIndex: 0, recordOffset: 0, size: bytes.count, header: parsed.header, hash: block.hash)
            let planned = PlannedBlock(record: record, height: block.height, heightSource: .explorer, chainWork: nil, inChain: false)
            var prevouts: [PreparedPrevout?] = []
            prevouts.reserveCapacity(parsed.inputs.count)
            for tx in block.transactions {
                for p in tx.prevouts {
                    prevouts.append(p.map { p in
                        PreparedPrevout(value: p.value, output: p.script.withUnsafeBytes { OutputPreparer.prepare(script: $0, witnessOutputs: network.witnessOutputs) })
                    })
                }
            }
            return PreparedBlock(planned: planned, block: parsed, outputs: OutputPreparer.prepare(parsed, buffer, witnessOutputs: network.witnessOutputs),
                                 prevouts: prevouts, explorerSources: block.transactions.map(ExplorerSource.encode))
        }
    }
}
