import ArgumentParser
import ChainIndex
import Foundation
import Tracer

/// `spoor trace SUBJECT`: follow money forward or backward.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Follow money from (or back to) an address, output (txid:vout), transaction or cluster id.",
        discussion: "Stops at attributed clusters (a service is an endpoint, not a path), at CoinJoins and at the limits. "
            + "Models are defined in docs/tracing.md; --model all shows the three side by side.")
    @OptionGroup var options: DataOptions
    @OptionGroup var layerOption: LayerOption
    @Argument(help: "Address, txid:vout, txid or cluster id.") var subject: String
    @Flag(help: "Trace where the money came from instead of where it went.") var backward = false
    @Option(help: "Taint model: poison, haircut, fifo or all.") var model = "haircut"
    @Option(help: "Transactions to cross at most.") var hops = 6
    @Option(help: "Do not follow flows under this many satoshis.") var minValue: Int64 = 0
    @Option(help: "Only cross transactions at or after this UTC date or time (YYYY-MM-DD or ISO 8601).") var after: String?
    @Option(help: "Only cross transactions at or before this UTC date or time.") var before: String?
    @Option(help: "Outputs to visit at most.") var maxNodes = 10_000
    @Option(help: "wallet (clusters as nodes) or tx (outputs as nodes).") var view = "wallet"
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print Graphviz DOT.") var dot = false
    @OptionGroup var prices: PriceOptions

    func run() throws {
        let layer = try layerOption.value()
        let models: [TaintModel]
        if model == "all" { models = TaintModel.allCases } else {
            guard let m = TaintModel(rawValue: model) else { throw fail("unknown model '\(model)' (poison, haircut, fifo or all)") }
            models = [m]
        }
        guard view == "wallet" || view == "tx" else { throw fail("unknown view '\(view)' (wallet or tx)") }
        guard hops >= 1, maxNodes >= 1, minValue >= 0 else { throw fail("--hops and --max-nodes must be at least 1, --min-value not negative") }
        let notBefore = try after.map { try utcTime($0, endOfDay: false) }, notAfter = try before.map { try utcTime($0, endOfDay: true) }
        if dot && prices.fiat != nil { throw fail("--dot shows no fiat values: use --fiat with the text or --json output", code: 2) }
        var results: [TraceResult]
        let converter: FiatConverter?
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            converter = try prices.converter(index: store)
            let network = try store.network() ?? .mainnet
            results = try store.read { db in
                try models.map { m in
                    let graph = try IndexFlowGraph(db: db, network: network, layer: layer)
                    let start = try graph.start(for: subject)
                    let tip = try graph.tip()
                    let p = TraceParameters(direction: backward ? .backward : .forward, model: m, maxHops: hops, minValue: minValue,
                                            notBefore: notBefore, notAfter: notAfter, maxNodes: maxNodes, layer: layer.description)
                    return try TraceEngine(graph: graph, parameters: p).run(start, tipHeight: tip.height, tipHash: tip.hash)
                }
            }
        } catch let exit as ExitCode { throw exit } catch { throw fail("\(error)") }
        if let converter { results = results.map { $0.annotated(with: converter) } }
        if dot {
            guard let first = results.first(where: { $0.parameters.model == .haircut }) ?? results.first else { return }
            print(view == "wallet" ? TraceDOT.wallet(first) : TraceDOT.transactions(first), terminator: "")
            return
        }
        if json {
            if results.count == 1 { try printJSON(results[0]) } else {
                let series = converter.map { c in
                    FiatSeriesCitation(c, datesWithoutPrice: Set(results.flatMap { $0.fiatSeries?.datesWithoutPrice ?? [] }))
                }
                try printJSON(AllModels(results: results, comparison: ModelComparison(results), fiatSeries: series))
            }
            return
        }
        let fiat = FiatText(converter)
        for r in results { printHuman(r, fiat) }
        if results.count > 1 { printComparison(ModelComparison(results)) }
    }

    /// `--model all --json`.
    struct AllModels: Encodable {
        var results: [TraceResult]
        var comparison: ModelComparison
        /// With `--fiat`: the series, and the dates without a price over the three results.
        @FiatField var fiatSeries: FiatSeriesCitation?

        enum CodingKeys: String, CodingKey { case results, comparison, fiatSeries = "fiat_series" }
    }

    private func printHuman(_ r: TraceResult, _ fiat: FiatText) {
        let p = r.parameters
        print("trace \(p.direction.rawValue) from \(r.subject): model \(p.model.rawValue), \(p.layer) layer, up to \(p.maxHops) hops"
              + (p.minValue > 0 ? ", flows ≥ \(p.minValue) sat" : "") + "; index tip \(r.tipHeight.map(String.init) ?? "-") \(r.tipHash ?? "")")
        r.fiatSeries?.printLines(indent: "  ")
        print("  start \(btc(r.startAmount)) BTC\(fiat.sum(r.startAmountFiat)); \(r.nodes.count) outputs, "
              + "\(r.transactionsVisited) transactions visited"
              + (r.truncated ? "; TRUNCATED at \(p.maxNodes) outputs" : "")
              + (p.direction == .forward ? "; fees \(btc(r.fees)) BTC\(fiat.sum(r.feesFiat))" : ""))
        if r.reachedByCategory.isEmpty {
            print("  reached no attributed cluster")
        } else {
            for (c, v) in r.reachedByCategory.sorted(by: { $0.value > $1.value }) {
                print("  reached \(c): \(btc(v)) BTC\(fiat.sum(r.reachedByCategoryFiat?[c]))")
            }
        }
        var stops: [String: (amount: Int64, fiat: FiatSum?)] = [:]
        for n in r.nodes {
            guard let s = n.stop, s != .attributed else { continue }
            var entry = stops[s.rawValue] ?? (0, r.fiatSeries.map { FiatSum(currency: $0.currency, series: $0.name) })
            entry.amount += n.amount
            entry.fiat?.add(satoshis: n.amount, date: PriceDate(utcTime: n.time), value: n.amountFiat)
            stops[s.rawValue] = entry
        }
        if !stops.isEmpty {
            print("  ended elsewhere: "
                  + stops.sorted { $0.key < $1.key }.map { "\($0.key) \(btc($0.value.amount))\(fiat.sum($0.value.fiat))" }
                    .joined(separator: ", "))
        }
        for (i, path) in r.paths.prefix(20).enumerated() {
            let endpoint = p.direction == .forward ? path.steps.last : path.steps.first
            print("  path \(i + 1): \(path.categories.joined(separator: ",")) \(path.labels.joined(separator: ",")) (cluster \(path.cluster)), "
                  + "\(path.hops) hop(s), \(btc(path.amount)) BTC\(fiat.one(path.amountFiat, time: endpoint?.time ?? ""))")
            for s in path.steps {
                print("      \(s.outpoint)  h\(s.height.map(String.init) ?? "?")  \(s.time)  "
                      + "\(btc(s.amount))\(fiat.one(s.amountFiat, time: s.time))  \(s.address ?? "")")
            }
        }
        if r.paths.count > 20 { print("  … \(r.paths.count - 20) more paths (--json lists all)") }
        if view == "wallet" {
            print("  wallet flows (cluster → cluster):")
            for e in r.walletEdges.prefix(25) {
                print("    \(e.from) → \(e.to)  \(btc(e.amount)) BTC\(fiat.sum(e.amountFiat)) in \(e.txids.count) tx: "
                      + "\(e.txids.prefix(3).joined(separator: ", "))\(e.txids.count > 3 ? ", …" : "")")
            }
            if r.walletEdges.count > 25 { print("    … \(r.walletEdges.count - 25) more") }
        } else {
            print("  transfers (output → output):")
            for e in r.edges.prefix(50) {
                print("    hop \(e.hop): \(e.from) → \(e.to)  \(btc(e.amount))\(fiat.one(e.amountFiat, time: e.time))  \(e.time)")
            }
            if r.edges.count > 50 { print("    … \(r.edges.count - 50) more") }
        }
        print("")
    }

    private func printComparison(_ c: ModelComparison) {
        print("models side by side (satoshis reaching each attributed cluster):")
        print("  cluster     poison        haircut       fifo          tags")
        for row in c.rows {
            func cell(_ m: String) -> String { (row.amounts[m].map { btc($0) } ?? "-").padding(toLength: 13, withPad: " ", startingAt: 0) }
            print("  \(String(row.cluster).padding(toLength: 11, withPad: " ", startingAt: 0)) \(cell("poison")) \(cell("haircut")) \(cell("fifo")) "
                  + "\(row.categories.joined(separator: ",")) \(row.labels.joined(separator: ","))\(row.modelDependent ? "  [depends on the model]" : "")")
        }
        print(c.modelDependent ? "conclusion depends on the taint model: say so in any report" : "all three models agree")
    }
}

/// A UTC date (`YYYY-MM-DD`, start or end of day) or ISO 8601 time as Unix seconds.
func utcTime(_ text: String, endOfDay: Bool) throws -> Int64 {
    let iso = ISO8601DateFormatter()
    iso.timeZone = TimeZone(identifier: "UTC")
    if let d = iso.date(from: text) { return Int64(d.timeIntervalSince1970) }
    let day = DateFormatter()
    day.locale = Locale(identifier: "en_US_POSIX")
    day.timeZone = TimeZone(identifier: "UTC")
    day.dateFormat = "yyyy-MM-dd"
    guard let d = day.date(from: text) else { throw fail("'\(text)' is not a UTC date (YYYY-MM-DD) or ISO 8601 time") }
    return Int64(d.timeIntervalSince1970) + (endOfDay ? 86_399 : 0)
}
