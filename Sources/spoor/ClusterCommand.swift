import ArgumentParser
import ChainIndex
import Foundation
import Tracer

/// `spoor cluster`: wallet clustering and its explanations.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster addresses into wallets (strict and extended layers); explain, export, review.",
        subcommands: [ClusterRun.self, ClusterExplain.self, ClusterSuspicious.self, ClusterExport.self],
        defaultSubcommand: ClusterRun.self)
}

/// Options naming a clustering layer.
struct LayerOption: ParsableArguments {
    @Option(help: "Clustering layer: strict (co-spend and same key) or extended (plus change).")
    var layer: String = "strict"

    func value() throws -> ClusterLayer {
        guard let l = ClusterLayer(name: layer) else { throw fail("unknown layer '\(layer)' (strict or extended)") }
        return l
    }
}

struct ClusterRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Cluster the index: the whole chain the first time, then only blocks added since.")
    @OptionGroup var options: DataOptions
    @Flag(help: "Recluster the whole chain.") var rebuild = false
    @Option(help: "Flag merges joining two clusters of at least this many addresses each for review.")
    var suspiciousSize = StandardRules.defaultSuspiciousSize
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let summary: ClusterRunSummary
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            // Test hook for the interruption tests: a real SIGKILL with the run written but not committed.
            let killBeforeCommit = ProcessInfo.processInfo.environment["SPOOR_TEST_KILL_BEFORE_CLUSTER_COMMIT"] == "1"
            let bar = ProgressBar(enabled: stderrIsTerminal && !json)
            summary = try ClusterEngine(store: store, rules: StandardRules.make(suspiciousSize: suspiciousSize))
                .run(rebuild: rebuild,
                     progress: { p in
                         bar.update(done: p.transactionsDone, total: p.transactionsTotal, unit: "tx (\(p.phase))", elapsed: p.elapsed,
                                    rate: (p.transactionsDone, "tx"))
                     },
                     beforeCommit: killBeforeCommit ? { kill(getpid(), SIGKILL) } : nil)
            bar.finish()
        } catch { throw fail("\(error)") }
        if json { try printJSON(summary); return }
        print("clustering run #\(summary.run): \(summary.mode)\(summary.reason.map { " (\($0))" } ?? "")")
        print("  \(summary.transactions) transactions, \(summary.inputs) inputs; \(summary.coinJoins) CoinJoin-flagged; \(summary.pending) waiting for funding transactions")
        print("  links: \(summary.strictLinks) strict, \(summary.changeLinks) change (extended)")
        print("  clusters of 2+ addresses: \(summary.strictClusters) strict, \(summary.extendedClusters) extended")
        if summary.suspiciousMerges > 0 {
            print("  \(summary.suspiciousMerges) merges of large clusters flagged for review: spoor cluster suspicious")
        }
        let timing = summary.seconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value)) s" }
        print("  time: \(timing.joined(separator: ", "))")
        print("  parameters: \(summary.parameters)")
    }
}

struct ClusterExplain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "The chain of transactions and rules linking two addresses, or that they are not linked.")
    @OptionGroup var options: DataOptions
    @OptionGroup var layerOption: LayerOption
    @Argument(help: "First address.") var a: String
    @Argument(help: "Second address.") var b: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let layer = try layerOption.value()
        let result: LinkExplanation
        do { result = try ClusterQueries(store: IndexStore(dataDirectory: options.data, create: false)).explain(a, b, layer: layer) } catch {
            throw fail("\(error)")
        }
        if json { try printJSON(result); return }
        guard result.linked else {
            print("not linked in the \(layer) layer: \(a) is in cluster \(result.clusterA), \(b) in cluster \(result.clusterB)")
            return
        }
        print("linked in the \(layer) layer (cluster \(result.cluster ?? 0)) by \(result.steps.count) link(s):")
        for (i, s) in result.steps.enumerated() {
            print("  \(i + 1). \(s.from) -> \(s.to)")
            let where_ = s.txid.map { "tx \($0) (height \(s.height.map(String.init) ?? "?"), \(s.time ?? "?"))" } ?? "no transaction (key relation)"
            print("     \(s.rule) [\(s.layer)]: \(s.meaning); \(where_)\(s.detail.map { "; heuristics: \($0)" } ?? "")")
        }
    }
}

struct ClusterSuspicious: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspicious", abstract: "Merges that joined two large clusters, for review.")
    @OptionGroup var options: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let merges: [SuspiciousMerge]
        do { merges = try ClusterQueries(store: IndexStore(dataDirectory: options.data, create: false)).suspicious() } catch {
            throw fail("\(error)")
        }
        if json { try printJSON(merges); return }
        if merges.isEmpty { print("no merges flagged"); return }
        for m in merges {
            print("[\(m.layer)] run #\(m.run): cluster \(m.absorbed) (\(m.absorbedSize) addresses) merged into \(m.kept) (\(m.keptSize)) by \(m.rule)"
                  + (m.txid.map { " in tx \($0) at height \(m.height.map(String.init) ?? "?")" } ?? ""))
        }
    }
}

struct ClusterExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Every address with its cluster id, as CSV (address,cluster) or NDJSON.")
    @OptionGroup var options: DataOptions
    @OptionGroup var layerOption: LayerOption
    @Option(help: "csv or ndjson.") var format = "csv"
    @Option(help: "Output file (default: standard output).") var out: String?

    func run() throws {
        let layer = try layerOption.value()
        guard format == "csv" || format == "ndjson" else { throw fail("unknown format '\(format)' (csv or ndjson)") }
        let handle: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil) , let h = FileHandle(forWritingAtPath: out) else {
                throw fail("cannot write \(out)")
            }
            handle = h
        } else {
            handle = FileHandle.standardOutput
        }
        do {
            let n = try ClusterQueries(store: IndexStore(dataDirectory: options.data, create: false))
                .export(layer: layer, ndjson: format == "ndjson") { handle.write(Data($0.utf8)) }
            FileHandle.standardError.write(Data("\(n) addresses written (\(layer) layer)\n".utf8))
        } catch { throw fail("\(error)") }
    }
}
