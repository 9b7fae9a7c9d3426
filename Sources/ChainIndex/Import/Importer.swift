import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB

/// Errors of an import that are not about one file's bytes.
public enum ImportError: Error, Sendable, CustomStringConvertible {
    case file(BlockFileError)
    case json(BlockJSONError)
    case plan(ChainPlanError)
    case store(IndexStoreError)

    public var description: String {
        switch self {
        case .file(let e): return e.description
        case .json(let e): return e.description
        case .plan(let e): return e.description
        case .store(let e): return e.description
        }
    }
}

/// Imports Bitcoin Core block files into the index.
///
/// Passes: (1) scan record and block headers of every file; (2) plan: block tree, best chain or
/// slice runs, reorg rollback; (3) validate: parse every block to be written and check its
/// merkle root, on all cores, before anything is written, so bad input leaves the index as it
/// was; (4) write: parse again on a worker thread while the single writer commits whole blocks
/// in batches. The committed blocks are the resume point: a killed import, run again, continues
/// where the last batch ended and produces the same rows an uninterrupted run would.
public enum Importer {
    public static let softwareVersion = "spoor 0.1.0"

    /// Runs an import.
    /// - Parameter progress: called after each committed batch (from the calling thread).
    public static func run(_ options: ImportOptions, store: IndexStore,
                           progress: (ImportProgress) -> Void = { _ in }) throws -> ImportSummary {
        let started = Date()
        // Explorer JSON has no block headers: it is stored by its own path (`ExplorerImport`).
        let kinds = options.paths.map { options.format == .auto ? InputPreparation.detect($0) : options.format }
        if kinds.contains(.esplora) {
            guard kinds.allSatisfy({ $0 == .esplora }) else {
                let path = options.paths[kinds.firstIndex(of: .esplora) ?? 0]
                throw ImportError.json(.unreadable(
                    file: path, reason: "explorer JSON is imported on its own: run `spoor import` for it separately from block files, RPC JSON and exports"))
            }
            var summary = try ExplorerImport.run(files: options.paths.flatMap(InputPreparation.expand), options: options, store: store)
            summary.formats = Dictionary(uniqueKeysWithValues: options.paths.map { ($0, InputFormat.esplora.rawValue) })
            return summary
        }
        // JSON inputs become temporary block files, checked completely first.
        let prepared: InputPreparation.Prepared
        do {
            prepared = try InputPreparation.prepare(options.paths, format: options.format, network: options.network ?? store.network(),
                                                     index: store, kinds: kinds)
        } catch let error as BlockJSONError { throw ImportError.json(error) }
        defer { if let dir = prepared.temporaryDirectory { try? FileManager.default.removeItem(atPath: dir) } }
        let converted = Date().timeIntervalSince(started)
        var summary = try run(options, prepared: prepared, store: store, progress: progress)
        summary.formats = prepared.formats.mapValues(\.rawValue)
        if prepared.temporaryDirectory != nil {
            summary.timings["convert_json"] = converted
            summary.seconds += converted
        }
        return summary
    }

    private static func run(_ options: ImportOptions, prepared: InputPreparation.Prepared, store: IndexStore,
                            progress: (ImportProgress) -> Void) throws -> ImportSummary {
        let started = Date()
        let fileSet: BlockFileSet
        do { fileSet = try BlockFileSet.open(paths: prepared.paths, xorKey: options.xorKey) } catch { throw ImportError.file(error) }
        for file in fileSet.files { file.source = prepared.sources[file.path] }

        // Pass 1: headers.
        let indexNetwork = try store.network()
        var network: Network? = options.network ?? indexNetwork
        if let given = options.network, let indexNetwork, given != indexNetwork {
            throw ImportError.store(.networkMismatch(index: indexNetwork.name, input: given.name))
        }
        var clock = PhaseClock()
        var records = [BlockRecord]()
        var skipped = [SkippedRegion]()
        for (i, file) in fileSet.files.enumerated() {
            do {
                records += try BlockFileScanner.scan(file, fileIndex: i, network: &network, resync: options.resync, skipped: &skipped)
            } catch {
                // A record of another network (also against the index's network) names its file and offset.
                throw ImportError.file(error)
            }
        }
        if options.resync {
            // Core's -reindex skips a block it cannot read and goes on; so does resync: every
            // record is parsed first, and the ones that do not decode or fail their merkle check
            // are reported and left out before the chain is planned.
            let failures = invalidRecords(records, files: fileSet.files)
            if !failures.isEmpty {
                for (i, error) in failures {
                    let r = records[i]
                    skipped.append(SkippedRegion(file: fileSet.files[r.fileIndex].path, offset: r.recordOffset,
                                                 length: r.size + 8, reason: "unreadable block: \(error)"))
                }
                let bad = Set(failures.map(\.0))
                records = records.enumerated().filter { !bad.contains($0.offset) }.map(\.element)
            }
        }
        clock.lap("scan")
        guard let network else {
            return emptySummary(options: options, fileSet: fileSet, started: started, skipped: skipped, network: indexNetwork?.name ?? "unknown")
        }
        // `--start-height` is a user height for the first block of the input.
        var heights = options.userHeights
        if let start = options.startHeight, let first = records.first, heights[first.hash] == nil {
            heights[first.hash] = start
        }
        return try runPlanned(options: options, heights: heights, store: store, fileSet: fileSet, records: records,
                              network: network, skipped: skipped, started: started, clock: clock, progress: progress)
    }

    private static func emptySummary(options: ImportOptions, fileSet: BlockFileSet, started: Date, skipped: [SkippedRegion], network: String) -> ImportSummary {
        ImportSummary(network: network, mode: options.slice ? "slice" : "chain", files: fileSet.files.count,
                      bytes: fileSet.files.reduce(0) { $0 + $1.size }, blocksScanned: 0, blocksAdded: 0, transactionsAdded: 0,
                      inputsAdded: 0, outputsAdded: 0, staleBlocks: 0, duplicateBlocks: 0, alreadyStored: 0, rolledBack: 0,
                      unplacedBlocks: 0, runs: 0, unresolvedInputs: 0, tipHeight: nil, tipHash: nil,
                      seconds: Date().timeIntervalSince(started), skipped: skipped.map(\.description), importRun: nil)
    }

    private static func runPlanned(options: ImportOptions, heights: [Hash256: Int], store: IndexStore, fileSet: BlockFileSet,
                                   records: [BlockRecord], network: Network, skipped: [SkippedRegion], started: Date,
                                   clock: PhaseClock, progress: (ImportProgress) -> Void) throws -> ImportSummary {
        var clock = clock
        let files = fileSet.files
        // Pass 2: plan.
        let planner = ChainPlanner(
            network: network, slice: options.slice, userHeights: heights,
            coinbaseHeight: { record in
                guard record.header.version >= 2 else { return nil }
                // A height hint only: an unreadable block fails validation later, with its offset.
                let h: Int? = files[record.fileIndex].withBlockBytes(record) { bytes in
                    guard let block = try? BlockParser.parse(bytes, format: files[record.fileIndex].blockFormat, computeWtxids: false),
                          let cb = block.inputs.first else { return nil }
                    return BlockParser.coinbaseHeight(scriptSig: UnsafeRawBufferPointer(rebasing: bytes[Int(cb.scriptOffset)..<Int(cb.scriptOffset + cb.scriptLength)]))
                }
                guard let h, h >= network.bip34Height else { return nil }
                return h
            },
            fileName: { files[$0.fileIndex].path })
        let plan: ImportPlan
        do { plan = try planner.plan(records: records, stored: try store.storedBlocks()) } catch let e as ChainPlanError { throw ImportError.plan(e) }

        clock.lap("plan")
        // Pass 3: validate everything that will be written (nothing is written if any block is bad).
        let extensions = try validate(plan.blocks.map(\.record), files: files)
        clock.lap("validate")

        var summary = ImportSummary(
            network: network.name, mode: options.slice ? "slice" : "chain", files: files.count,
            bytes: files.reduce(0) { $0 + $1.size }, blocksScanned: records.count, blocksAdded: 0, transactionsAdded: 0,
            inputsAdded: 0, outputsAdded: 0, staleBlocks: plan.stale.count, duplicateBlocks: plan.duplicates,
            alreadyStored: plan.alreadyStored, rolledBack: plan.rollback.count, unplacedBlocks: plan.unplaced, runs: plan.runs,
            unresolvedInputs: 0, tipHeight: nil, tipHash: nil, seconds: 0, skipped: skipped.map(\.description), importRun: nil)
        summary.auxPowBlocks = extensions.auxPow
        summary.mwebBlocks = extensions.mweb

        let newStale = try store.read { db in
            try plan.stale.filter { r in
                try Int.fetchOne(db, sql: "SELECT 1 FROM stale_block WHERE hash = ?", arguments: [Data(r.hash.bytes)]) == nil
            }
        }
        if plan.blocks.isEmpty && plan.rollback.isEmpty && plan.promote.isEmpty && newStale.isEmpty {
            summary.seconds = Date().timeIntervalSince(started)
            try fillTip(&summary, store: store)
            return summary
        }

        // Pass 4: write.
        let bulk = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM block") == 0 }
        let runId = try store.write { db -> Int64 in
            if bulk { try Schema.dropLookupIndexes(db) } else { try Schema.createLookupIndexes(db) }
            let id = try startRun(db, started: started, mode: summary.mode, network: network)
            for file in files {
                // A JSON input is recorded as itself, not as the block file made from it.
                if let source = file.source {
                    try db.execute(sql: "INSERT OR IGNORE INTO import_file(run, path, size, sha256) VALUES (?, ?, ?, ?)",
                                   arguments: [id, source.path, source.size, source.sha256])
                    continue
                }
                let digest = Hex.encode(Hashing.sha256(file.map.bytes).bytes)
                file.map.release(0..<file.size)
                try db.execute(sql: "INSERT INTO import_file(run, path, size, sha256) VALUES (?, ?, ?, ?)",
                               arguments: [id, file.path, file.size, digest])
            }
            for r in newStale {
                try db.execute(sql: "INSERT OR IGNORE INTO stale_block(hash, prev, height, time, reason, import_run) VALUES (?, ?, NULL, ?, 'stale', ?)",
                               arguments: [Data(r.hash.bytes), Data(r.header.previousHash.bytes), Int(r.header.time), id])
            }
            return id
        }
        summary.importRun = runId
        clock.lap("provenance")
        let writer = try BlockWriter(store: store, network: network, runId: runId, cacheCapacity: options.addressCacheCapacity)
        do {
            if !plan.rollback.isEmpty { try writer.rollback(plan.rollback) }
            if !plan.promote.isEmpty { try writer.promote(plan.promote) }
            // Explorer blocks (no header) give way to the real block of the same hash, in the
            // transaction that writes it.
            let explorer = try store.explorerBlocks()
            writer.explorerReplacements = explorer.filter { e in plan.blocks.contains { $0.record.hash == e.key } }
            try writer.loadState()
            clock.lap("load_state")
            try writeBlocks(plan.blocks, files: files, writer: writer, batchTransactions: options.batchTransactions,
                            started: started, progress: progress)
            clock.lap("write")
            summary.blocksAdded = writer.blocksAdded
            summary.transactionsAdded = writer.transactionsAdded
            summary.inputsAdded = writer.inputsAdded
            summary.outputsAdded = writer.outputsAdded
            summary.unresolvedInputs = writer.unresolvedCount
            summary.peakUnspentOutputs = writer.peakUnspent
            summary.prevoutMismatches = writer.prevoutMismatches
            summary.explorerBlocksReplaced = writer.explorerBlocksReplaced
            summary.explorerTransactionsDropped = try missingTransactions(writer.explorerTxidsReplaced, store: store).map(\.hex)
            writer.releaseState()
            releaseFreedMemory()
            try store.write { db in try Schema.createLookupIndexes(db) }
            clock.lap("index")
            summary.seconds = Date().timeIntervalSince(started)
            let s = summary
            try store.write { db in try finishRun(db, s, runId: runId) }
            try store.checkpoint()
            clock.lap("checkpoint")
            summary.timings = clock.laps
        } catch {
            try? store.write { db in
                try Schema.createLookupIndexes(db)
                try failRun(db, error, runId: runId)
            }
            throw error
        }
        try fillTip(&summary, store: store)
        return summary
    }

    /// Records a new import run (marking a run left `running` by a killed process as
    /// `interrupted`) and the index's network; returns the run's id.
    static func startRun(_ db: Database, started: Date, mode: String, network: Network) throws -> Int64 {
        try db.execute(sql: "UPDATE import_run SET status = 'interrupted' WHERE status = 'running'")
        try db.execute(sql: "INSERT OR IGNORE INTO meta(key, value) VALUES ('network', ?)", arguments: [network.name])
        try db.execute(sql: """
            INSERT INTO import_run(started, status, mode, network, software) VALUES (?, 'running', ?, ?, ?)
            """, arguments: [iso8601(started), mode, network.name, softwareVersion])
        return db.lastInsertedRowID
    }

    /// Marks a run complete with its counts.
    static func finishRun(_ db: Database, _ s: ImportSummary, runId: Int64) throws {
        try db.execute(sql: """
            UPDATE import_run SET finished = ?, status = 'complete', blocks_added = ?, txs_added = ?,
            blocks_rolled_back = ?, stale_seen = ? WHERE id = ?
            """, arguments: [iso8601(Date()), s.blocksAdded, s.transactionsAdded, s.rolledBack, s.staleBlocks, runId])
    }

    /// Marks a run failed with the error.
    static func failRun(_ db: Database, _ error: Error, runId: Int64) throws {
        try db.execute(sql: "UPDATE import_run SET finished = ?, status = 'failed', message = ? WHERE id = ?",
                       arguments: [iso8601(Date()), "\(error)", runId])
    }

    /// The txids the index does not hold.
    static func missingTransactions(_ txids: [Hash256], store: IndexStore) throws -> [Hash256] {
        guard !txids.isEmpty else { return [] }
        return try store.read { db in
            try txids.filter { try IndexStore.transactionId(in: db, $0) == nil }
        }
    }

    static func fillTip(_ summary: inout ImportSummary, store: IndexStore) throws {
        let tip = try store.read { db in try Row.fetchOne(db, sql: "SELECT height, hash FROM block WHERE in_chain = 1 ORDER BY height DESC LIMIT 1") }
        if let tip {
            summary.tipHeight = tip[0]
            let hash = tip.bytes(1)
            summary.tipHash = Hash256(internalBytes: hash)?.hex
        }
    }

    /// Parses every block on all cores and checks its merkle root; throws the first error in input order.
    /// Parses every record to be written; throws the first failure. Returns how many of the blocks
    /// carried extension data the parser skipped (Dogecoin AuxPoW, Litecoin MWEB).
    static func validate(_ records: [BlockRecord], files: [BlockFile]) throws -> (auxPow: Int, mweb: Int) {
        let errors = ErrorSlots(count: records.count)
        let counts = parseAll(records, files: files, errors: errors)
        if let first = errors.all().first { throw ImportError.file(first.1) }
        return counts
    }

    /// Parses every record on all cores with the merkle check; returns the failures in input order.
    static func invalidRecords(_ records: [BlockRecord], files: [BlockFile]) -> [(Int, BlockFileError)] {
        let errors = ErrorSlots(count: records.count)
        _ = parseAll(records, files: files, errors: errors)
        return errors.all()
    }

    private static func parseAll(_ records: [BlockRecord], files: [BlockFile], errors: ErrorSlots) -> (auxPow: Int, mweb: Int) {
        guard !records.isEmpty else { return (0, 0) }
        let auxPow = ErrorSlots.Counter(), mweb = ErrorSlots.Counter()
        DispatchQueue.concurrentPerform(iterations: records.count) { i in
            let r = records[i]
            do {
                let block = try files[r.fileIndex].parseBlock(r, computeWtxids: false)
                if block.hasAuxPow { auxPow.add() }
                if block.hasMWEB { mweb.add() }
            } catch { errors.set(i, error) }
            files[r.fileIndex].map.release(r.recordOffset..<(r.dataOffset + r.size))
        }
        releaseFreedMemory()
        return (auxPow.value, mweb.value)
    }

    /// Writes the planned blocks in order; a worker thread parses and classifies the next batch
    /// while the writer commits the current one.
    static func writeBlocks(_ blocks: [PlannedBlock], files: [BlockFile], writer: BlockWriter, batchTransactions: Int,
                            started: Date, progress: (ImportProgress) -> Void) throws {
        // Batches of whole blocks, sized by transaction count (from the block size, as a proxy before parsing).
        var batches = [Range<Int>]()
        var start = 0, bytes = 0
        let batchBytes = batchTransactions * 400
        for (i, b) in blocks.enumerated() {
            bytes += b.record.size
            if bytes >= batchBytes { batches.append(start..<(i + 1)); start = i + 1; bytes = 0 }
        }
        if start < blocks.count { batches.append(start..<blocks.count) }
        let pipeline = PreparePipeline(blocks: blocks, files: files, batches: batches)
        pipeline.start()
        var done = 0
        for _ in batches {
            let prepared = try pipeline.next()
            try writer.writeBatch(prepared)
            for p in prepared {
                files[p.planned.record.fileIndex].map.release(p.planned.record.recordOffset..<(p.planned.record.dataOffset + p.planned.record.size))
            }
            releaseFreedMemory()
            done += prepared.count
            progress(ImportProgress(blocksDone: done, blocksTotal: blocks.count, transactionsDone: writer.transactionsAdded,
                                    elapsed: Date().timeIntervalSince(started)))
        }
    }

    static func iso8601(_ date: Date) -> String { IndexStore.utc(date: date) }
}

/// Hands memory freed by worker threads back to the system (glibc keeps it in per-thread arenas
/// otherwise, and the resident size would grow with the input rather than with the unspent set).
func releaseFreedMemory() {
    #if canImport(Glibc)
    if let trim = mallocTrim { _ = trim(0) }
    #endif
}

#if canImport(Glibc)
/// glibc's `malloc_trim`, looked up at run time (its header is not part of the Glibc module).
private let mallocTrim: (@convention(c) (Int) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
}()
#endif

/// Collects per-index errors from concurrent work.
final class ErrorSlots: @unchecked Sendable {
    /// A count shared by parallel workers.
    final class Counter: @unchecked Sendable {
        private var count = 0
        private let lock = NSLock()
        func add() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }

    private var slots: [BlockFileError?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ e: Error) {
        lock.lock(); defer { lock.unlock() }
        slots[i] = (e as? BlockFileError) ?? .unreadable(file: "?", reason: "\(e)")
    }
    func all() -> [(Int, BlockFileError)] {
        lock.lock(); defer { lock.unlock() }
        return slots.enumerated().compactMap { i, e in e.map { (i, $0) } }
    }
}

/// Parses and classifies batches of blocks ahead of the writer, one batch in flight.
final class PreparePipeline: @unchecked Sendable {
    private let blocks: [PlannedBlock]
    private let files: [BlockFile]
    private let batches: [Range<Int>]
    private var results: [Int: Result<[PreparedBlock], Error>] = [:]
    private let condition = NSCondition()
    private var nextToConsume = 0
    private var thread: Thread?

    init(blocks: [PlannedBlock], files: [BlockFile], batches: [Range<Int>]) {
        self.blocks = blocks; self.files = files; self.batches = batches
    }

    func start() {
        let t = Thread { [self] in self.produce() }
        t.stackSize = 8 << 20
        thread = t
        t.start()
    }

    private func produce() {
        for (k, range) in batches.enumerated() {
            // Stay at most one batch ahead of the writer.
            condition.lock()
            while k > nextToConsume + 1 { condition.wait() }
            condition.unlock()
            let out = Result<[PreparedBlock], Error> { try prepare(range) }
            condition.lock()
            results[k] = out
            condition.broadcast()
            condition.unlock()
            if case .failure = out { return }
        }
    }

    private func prepare(_ range: Range<Int>) throws -> [PreparedBlock] {
        let slots = PreparedSlots(count: range.count)
        let blocks = self.blocks, files = self.files
        DispatchQueue.concurrentPerform(iterations: range.count) { j in
            let planned = blocks[range.lowerBound + j]
            let file = files[planned.record.fileIndex]
            do {
                let result: PreparedBlock = try file.withBlockBytes(planned.record) { bytes in
                    let block: ParsedBlock
                    do throws(DecodeError) { block = try BlockParser.parse(bytes, format: file.blockFormat, computeWtxids: false) } catch {
                        throw BlockFileError.malformedBlock(file: file.path, offset: planned.record.dataOffset, cause: error)
                    }
                    return PreparedBlock(planned: planned, block: block, outputs: OutputPreparer.prepare(block, bytes, witnessOutputs: file.witnessOutputs))
                }
                slots.set(j, .success(result))
            } catch {
                slots.set(j, .failure(error))
            }
        }
        return try slots.values()
    }

    /// The next batch, in order; blocks until the worker has it.
    func next() throws -> [PreparedBlock] {
        condition.lock()
        defer { condition.unlock() }
        let k = nextToConsume
        while results[k] == nil { condition.wait() }
        let r = results.removeValue(forKey: k)!
        nextToConsume += 1
        condition.broadcast()
        return try r.get()
    }
}

final class PreparedSlots: @unchecked Sendable {
    private var slots: [Result<PreparedBlock, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<PreparedBlock, Error>) { lock.lock(); slots[i] = r; lock.unlock() }
    func values() throws -> [PreparedBlock] { try slots.map { try $0!.get() } }
}

/// Wall-clock time per import phase, reported in the summary (`timings`).
struct PhaseClock {
    private var last = Date()
    private(set) var laps: [String: Double] = [:]

    mutating func lap(_ name: String) {
        let now = Date()
        laps[name, default: 0] += now.timeIntervalSince(last)
        last = now
    }
}
