import ArgumentParser
import ChainIndex
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import Bitcoin Core block files (a blocks/ directory or blk*.dat files) into the index.",
        discussion: """
            By default the input must form a chain from the genesis block (or extend the index); the best chain \
            (most cumulative work) is imported and stale blocks are counted, never imported. With --slice, \
            partial ranges and loose blocks are imported as runs placed at their heights (BIP34, or --height); \
            inputs spending outputs outside the index are kept as unresolved references and resolve themselves \
            when the funding transactions are imported later.
            """)

    @OptionGroup var options: DataOptions

    @Argument(help: "Block files or Bitcoin Core blocks/ directories, Bitcoin Core getblock (verbosity 2 or 3) JSON files, blockchain-etl blocks and transactions exports (JSON lines or CSV, given together), or Esplora explorer transaction JSON (imported on its own).")
    var paths: [String]

    @Option(help: "Input format: auto (from each file's content), blk, rpc-json, etl (blockchain-etl blocks + transactions), or esplora (explorer transactions with prevouts).")
    var format: String = "auto"

    @Option(help: "Expected network: main, test, testnet4, signet, regtest, litecoin, bch, doge (default: the index's, or from the files; Bitcoin Cash block files carry Bitcoin's magic, so give bch; JSON and explorer JSON carry none).")
    var network: String?

    @Flag(help: "Import partial ranges and unconnected blocks as slices.")
    var slice = false

    @Flag(help: "Skip damaged regions by scanning for the next record (reports what was skipped).")
    var resync = false

    @Option(name: .customLong("height"), help: "Height of a block the data cannot place: HASH=HEIGHT (repeatable).")
    var heights: [String] = []

    @Option(help: "Height of the first block in the input (slices).")
    var startHeight: Int?

    @Option(help: "Obfuscation key as 16 hex digits (overrides blocks/xor.dat).")
    var xorKey: String?

    @Option(help: "Transactions per committed batch.")
    var batchTransactions: Int = 50_000

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        var opts = ImportOptions(paths: paths)
        guard let inputFormat = InputFormat(rawValue: format) else { throw fail("unknown format '\(format)' (auto, blk, rpc-json, etl or esplora)", code: 2) }
        opts.format = inputFormat
        if let network {
            guard let n = Network.named(network) else { throw fail("unknown network '\(network)' (main, test, testnet4, signet, regtest, litecoin, bch, doge)", code: 2) }
            opts.network = n
        }
        opts.slice = slice
        opts.resync = resync
        opts.startHeight = startHeight
        opts.batchTransactions = max(1, batchTransactions)
        for h in heights {
            let parts = h.split(separator: "=")
            guard parts.count == 2, let hash = Hash256(hex: String(parts[0])), let height = Int(parts[1]), height >= 0 else {
                throw fail("--height expects HASH=HEIGHT, got '\(h)'", code: 2)
            }
            opts.userHeights[hash] = height
        }
        if let xorKey {
            guard let key = Hex.decode(xorKey) else { throw fail("--xor-key expects hex digits", code: 2) }
            opts.xorKey = key
        }
        let summary: ImportSummary
        let databasePath = IndexStore.databasePath(dataDirectory: options.data)
        let indexExisted = FileManager.default.fileExists(atPath: databasePath)
        let directoryExisted = FileManager.default.fileExists(atPath: options.data)
        do {
            let store = try IndexStore(dataDirectory: options.data, create: true)
            let bar = ProgressBar(enabled: stderrIsTerminal && !json)
            // Test hook for the kill-and-resume tests: a real SIGKILL after N committed batches.
            let killAfter = ProcessInfo.processInfo.environment["SPOOR_TEST_KILL_AFTER_BATCHES"].flatMap { Int($0) }
            var batches = 0
            summary = try Importer.run(opts, store: store) { progress in
                bar.update(progress)
                batches += 1
                if let killAfter, batches >= killAfter { kill(getpid(), SIGKILL) }
            }
            bar.finish()
        } catch {
            // A failed first import leaves no index behind: the data directory is as it was.
            if !indexExisted {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
                if !directoryExisted { try? FileManager.default.removeItem(atPath: options.data) }
            }
            throw fail("\(error)")
        }
        if json {
            try printJSON(summary)
        } else {
            for s in summary.skipped { print("skipped: \(s)") }
            let names = ["blk": "Bitcoin Core block files", "rpc-json": "Bitcoin Core getblock JSON", "etl": "a blockchain-etl export",
                         "esplora": "Esplora explorer transactions"]
            for (path, format) in summary.formats.sorted(by: { $0.key < $1.key }) where paths.count > 1 || format != "blk" {
                print("read \(path) as \(names[format] ?? format)")
            }
            if summary.auxPowBlocks > 0 { print("skipped the merge-mining (AuxPoW) data of \(summary.auxPowBlocks) block(s)") }
            if summary.mwebBlocks > 0 { print("skipped the MWEB extension data of \(summary.mwebBlocks) block(s)") }
            if let e = summary.explorer { printExplorer(e) }
            if summary.explorerBlocksReplaced > 0 {
                print("replaced \(summary.explorerBlocksReplaced) block(s) stored from explorer JSON (without header) by the real block")
            }
            for txid in summary.explorerTransactionsDropped {
                print("warning: the explorer had placed transaction \(txid) in a replaced block; the real block does not contain it")
            }
            for m in summary.prevoutMismatches { print("warning: explorer prevout wrong: \(m)") }
            let tip = summary.tipHeight.map { "tip \($0) \(summary.tipHash ?? "")" } ?? "no chain tip"
            let rate = summary.seconds > 0 ? Int(Double(summary.transactionsAdded) / summary.seconds) : 0
            print("imported \(summary.blocksAdded) blocks, \(summary.transactionsAdded) transactions (\(rate) tx/s) from \(summary.files) files; "
                  + "\(summary.staleBlocks) stale, \(summary.duplicateBlocks) duplicate, \(summary.alreadyStored) already stored, "
                  + "\(summary.rolledBack) rolled back, \(summary.unplacedBlocks) unplaced, \(summary.unresolvedInputs) unresolved inputs; "
                  + "\(summary.network) \(summary.mode), \(tip), \(String(format: "%.2f", summary.seconds)) s")
        }
    }
}

/// What an explorer JSON import read: blocks complete or partial, and what it left out.
private func printExplorer(_ e: ExplorerImportSummary) {
    print("explorer: \(e.transactions) transactions; blocks without header: \(e.blocksComplete) complete (witness commitment checked), "
          + "\(e.blocksPartial) partial\(e.blocksReordered > 0 ? " (\(e.blocksReordered) put in funding-first order)" : ""); "
          + "\(e.transactionsAlreadyStored) already stored; \(e.prevoutsStored) prevouts stored, \(e.prevoutsChecked) checked against the index, "
          + "\(e.checkedWithinData) against outputs in the same data")
    if e.blocksExtended > 0 { print("rebuilt \(e.blocksExtended) block(s) from earlier explorer imports with further transactions") }
    if e.unconfirmed > 0 { print("skipped \(e.unconfirmed) unconfirmed transaction(s)") }
    if e.duplicates > 0 { print("\(e.duplicates) transaction(s) given more than once, imported once") }
}

/// A one-line progress bar on standard error: blocks, tx/s, ETA.
