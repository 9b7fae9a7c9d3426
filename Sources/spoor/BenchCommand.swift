import ArgumentParser
import ChainIndex
import Tracer
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (run them on a release build).",
        subcommands: [BenchParse.self, BenchImport.self, BenchCluster.self, BenchTrace.self])
}

struct BenchParse: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse", abstract: "Parse only, one core: txids and merkle check (as the import does); nothing stored.")
    @Argument(help: "Block files or blocks/ directories.") var paths: [String]
    @Option(name: .customLong("repeat"), help: "Repetitions (the median is reported).") var repetitions: Int = 3
    @Flag(help: "Also compute the wtxid of every witness transaction.") var wtxids = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        var results = [ParseBenchmarkResult]()
        for _ in 0..<max(1, repetitions) {
            do { results.append(try ParseBenchmark.run(paths: paths, withWtxids: wtxids)) } catch { throw fail("\(error)") }
        }
        let median = results.sorted { $0.seconds < $1.seconds }[results.count / 2]
        if json { try printJSON(median); return }
        print("parse: \(median.blocks) blocks, \(median.transactions) tx, \(median.bytes) bytes in \(String(format: "%.3f", median.seconds)) s (median of \(results.count)): "
              + "\(Int(median.transactionsPerSecond)) tx/s, \(String(format: "%.0f", median.megabytesPerSecond)) MB/s, merkle failures \(median.merkleFailures)")
    }
}

/// Import into a fresh data directory and report throughput, peak memory and index size.
struct BenchImport: ParsableCommand {
    struct Result: Codable {
        var blocks: Int
        var transactions: Int
        var seconds: Double
        var txPerSecond: Double
        var peakRSSBytes: Int
        var unspentOutputs: Int
        var peakUnspentOutputs: Int
        var indexBytes: Int
        var rawBytes: Int
        var indexBytesPerTx: Double
        var indexToRawRatio: Double
        var timings: [String: Double]
        enum CodingKeys: String, CodingKey {
            case blocks, transactions, seconds, txPerSecond = "tx_per_s", peakRSSBytes = "peak_rss_bytes", unspentOutputs = "unspent_outputs", peakUnspentOutputs = "peak_unspent_outputs"
            case indexBytes = "index_bytes", rawBytes = "raw_bytes", indexBytesPerTx = "index_bytes_per_tx", indexToRawRatio = "index_to_raw_ratio", timings
        }
    }

    static let configuration = CommandConfiguration(commandName: "import", abstract: "Full import into a new index; throughput, peak memory, size on disk.")
    @Argument(help: "Block files or blocks/ directories, or any input `spoor import` reads.") var paths: [String]
    @Option(help: "Data directory to create (must not exist).") var data: String
    @Option(help: "Transactions per committed batch.") var batchTransactions: Int = 50_000
    @Flag(help: "Import as slices (partial ranges, loose blocks).") var slice = false
    @Option(help: "Most addresses in the interning cache.") var addressCache: Int = ImportOptions(paths: []).addressCacheCapacity
    @Option(help: "Network, for inputs that carry none (JSON, explorer JSON).") var network: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        if FileManager.default.fileExists(atPath: data) { throw fail("\(data) exists; the benchmark needs a new directory") }
        var options = ImportOptions(paths: paths)
        if let network {
            guard let n = Network.named(network) else { throw fail("unknown network '\(network)'", code: 2) }
            options.network = n
        }
        options.batchTransactions = batchTransactions
        options.slice = slice
        options.addressCacheCapacity = addressCache
        let summary: ImportSummary
        let store: IndexStore
        do {
            store = try IndexStore(dataDirectory: data, create: true)
            summary = try Importer.run(options, store: store)
        } catch { throw fail("\(error)") }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let status = try store.status()
        let indexBytes = (try? FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? 0
        let result = Result(blocks: summary.blocksAdded, transactions: summary.transactionsAdded, seconds: summary.seconds,
                            txPerSecond: Double(summary.transactionsAdded) / max(summary.seconds, 1e-9),
                            peakRSSBytes: usage.ru_maxrss * 1024, unspentOutputs: try store.unspentOutputCount(),
                            peakUnspentOutputs: summary.peakUnspentOutputs,
                            indexBytes: indexBytes, rawBytes: summary.bytes,
                            indexBytesPerTx: Double(indexBytes) / Double(max(status.transactions, 1)),
                            indexToRawRatio: Double(indexBytes) / Double(max(summary.bytes, 1)), timings: summary.timings)
        if json { try printJSON(result); return }
        print("import: \(result.blocks) blocks, \(result.transactions) tx in \(String(format: "%.2f", result.seconds)) s: \(Int(result.txPerSecond)) tx/s; "
              + "peak RSS \(result.peakRSSBytes / 1_048_576) MiB, \(result.peakUnspentOutputs) unspent outputs at most (\(result.unspentOutputs) at the end); "
              + "index \(result.indexBytes) bytes = \(String(format: "%.0f", result.indexBytesPerTx)) B/tx, \(String(format: "%.3f", result.indexToRawRatio)) of raw")
        print("phases: " + result.timings.sorted { $0.value > $1.value }.map { "\($0.key) \(String(format: "%.2f", $0.value)) s" }.joined(separator: ", "))
    }
}

/// Full clustering runs (`--rebuild`) on an existing index; medians of each phase.
struct BenchCluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Cluster the whole index again N times; report the union-find pass and the whole run (medians).")
    @OptionGroup var options: DataOptions
    @Option(name: .customLong("repeat"), help: "Repetitions (the median is reported).") var repetitions: Int = 3
    @Flag(help: "Print JSON.") var json = false

    struct Result: Codable {
        var transactions: Int
        var inputs: Int
        var runs: Int
        /// Median seconds per phase and in total.
        var seconds: [String: Double]
        var unionInputsPerSecond: Double
        var totalInputsPerSecond: Double
        var totalTransactionsPerSecond: Double
    }

    func run() throws {
        var summaries: [ClusterRunSummary] = []
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            for _ in 0..<max(1, repetitions) {
                summaries.append(try ClusterEngine(store: store, rules: StandardRules.make()).run(rebuild: true))
            }
        } catch { throw fail("\(error)") }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        var seconds: [String: Double] = [:]
        for phase in ["read", "same_key", "union", "write"] { seconds[phase] = median(summaries.map { $0.seconds[phase] ?? 0 }) }
        seconds["total"] = median(summaries.map { $0.seconds.values.reduce(0, +) })
        let first = summaries[0]
        let result = Result(
            transactions: first.transactions, inputs: first.inputs, runs: summaries.count, seconds: seconds,
            unionInputsPerSecond: Double(first.inputs) / max(seconds["union"] ?? 0, 1e-9),
            totalInputsPerSecond: Double(first.inputs) / max(seconds["total"] ?? 0, 1e-9),
            totalTransactionsPerSecond: Double(first.transactions) / max(seconds["total"] ?? 0, 1e-9))
        if json { try printJSON(result); return }
        print("cluster: \(result.transactions) tx, \(result.inputs) inputs, median of \(result.runs) full runs")
        for phase in ["read", "same_key", "union", "write", "total"] { print("  \(phase): \(String(format: "%.3f", seconds[phase] ?? 0)) s") }
        print("  union-find pass: \(Int(result.unionInputsPerSecond)) inputs/s")
        print("  whole run: \(Int(result.totalInputsPerSecond)) inputs/s, \(Int(result.totalTransactionsPerSecond)) tx/s")
    }
}

/// Trace latency and screening throughput on an existing, clustered index.
struct BenchTrace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Forward haircut traces from a seeded sample of ordinary addresses (p50/p99), then screening throughput.")
    @OptionGroup var options: DataOptions
    @Option(help: "Addresses to trace.") var samples = 200
    @Option(help: "Hops per trace.") var hops = 6
    @Option(help: "Addresses to screen.") var screen = 5_000
    @Option(help: "Hops of screening exposure.") var screenHops = 2
    @Option(help: "Sample seed.") var seed: UInt64 = 1
    @Flag(help: "Sample any paid address (default: only addresses with a spent output, so the trace has somewhere to go).")
    var anyAddress = false
    @Flag(help: "Print JSON.") var json = false

    struct Result: Codable {
        var traces: Int
        var hops: Int
        var p50Milliseconds: Double
        var p90Milliseconds: Double
        var p99Milliseconds: Double
        var maxMilliseconds: Double
        var medianNodes: Int
        var truncated: Int
        var screened: Int
        var screenHops: Int
        var screenAddressesPerSecond: Double
    }

    func run() throws {
        let result: Result
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            let network = try store.network() ?? .mainnet
            result = try store.read { db in
                // Ordinary addresses: paid at least once, in an untagged cluster; a seeded sample by address id.
                let maxAddress = try Int64.fetchOne(db, sql: "SELECT max(id) FROM address") ?? 0
                var rng = SplitMix(seed: seed)
                let graph = try IndexFlowGraph(db: db, network: network, layer: .strict)
                var chosen: [String] = []
                var tries = 0
                while chosen.count < max(samples, screen) && tries < 100 * max(samples, screen) {
                    tries += 1
                    let id = Int64(rng.next() % UInt64(max(1, maxAddress))) + 1
                    let sql = anyAddress
                        ? "SELECT 1 FROM output WHERE address = ? LIMIT 1"
                        : "SELECT 1 FROM output o JOIN input i ON i.spends = o.id WHERE o.address = ? LIMIT 1"
                    guard try Int64.fetchOne(db, sql: sql, arguments: [id]) != nil,
                          try graph.endpoint(ofCluster: try graph.cluster(ofAddress: id)) == nil
                    else { continue }
                    chosen.append(try graph.addressText(id))
                }
                var times: [Double] = [], nodes: [Int] = [], truncated = 0
                for address in chosen.prefix(samples) {
                    let clock = DispatchTime.now().uptimeNanoseconds
                    // A fresh graph per trace: no cache carried over from the previous one.
                    let g = try IndexFlowGraph(db: db, network: network, layer: .strict)
                    let r = try TraceEngine(graph: g, parameters: TraceParameters(direction: .forward, model: .haircut, maxHops: hops))
                        .run(try g.start(for: address), tipHeight: nil, tipHash: nil)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e6)
                    nodes.append(r.nodes.count)
                    if r.truncated { truncated += 1 }
                }
                times.sort()
                nodes.sort()
                func pct(_ p: Double) -> Double { times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * p))] }
                let list = chosen.prefix(screen).enumerated().map { (line: $0.offset + 1, address: $0.element) }
                let clock = DispatchTime.now().uptimeNanoseconds
                let g = try IndexFlowGraph(db: db, network: network, layer: .strict)
                let rows = try g.screen(Array(list), maxHops: screenHops)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
                return Result(traces: times.count, hops: hops, p50Milliseconds: pct(0.5), p90Milliseconds: pct(0.9), p99Milliseconds: pct(0.99),
                              maxMilliseconds: times.last ?? 0, medianNodes: nodes.isEmpty ? 0 : nodes[nodes.count / 2], truncated: truncated,
                              screened: rows.count, screenHops: screenHops, screenAddressesPerSecond: Double(rows.count) / max(seconds, 1e-9))
            }
        } catch { throw fail("\(error)") }
        if json { try printJSON(result); return }
        print("trace: \(result.traces) forward haircut traces of \(result.hops) hops from ordinary addresses"
              + (anyAddress ? "" : " with a spent output"))
        print(String(format: "  p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; median %d outputs per trace; %d truncated at 10,000 outputs",
                     result.p50Milliseconds, result.p90Milliseconds, result.p99Milliseconds, result.maxMilliseconds, result.medianNodes, result.truncated))
        print(String(format: "screen: %d addresses with %d-hop exposure: %.0f addresses/s", result.screened, result.screenHops, result.screenAddressesPerSecond))
    }
}

/// A small seeded generator for benchmark samples (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
