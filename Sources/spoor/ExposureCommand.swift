import ArgumentParser
import ChainIndex
import Foundation
import Tracer

/// `spoor exposure SUBJECT`: direct and indirect exposure to each tag category.
struct ExposureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exposure",
        abstract: "Exposure of an address, output, transaction or cluster to each tag category, sent and received, direct and indirect.")
    @OptionGroup var options: DataOptions
    @OptionGroup var layerOption: LayerOption
    @Argument(help: "Address, txid:vout, txid or cluster id.") var subject: String
    @Option(help: "Transactions away to count (1 = direct only).") var hops = 3
    @Option(help: "Taint model: poison, haircut or fifo.") var model = "haircut"
    @Option(help: "Outputs each trace visits at most.") var maxNodes = 10_000
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var prices: PriceOptions

    func run() throws {
        let layer = try layerOption.value()
        guard let m = TaintModel(rawValue: model) else { throw fail("unknown model '\(model)' (poison, haircut or fifo)") }
        guard hops >= 1 else { throw fail("--hops must be at least 1") }
        let report: ExposureReport
        let converter: FiatConverter?
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            converter = try prices.converter(index: store)
            let network = try store.network() ?? .mainnet
            report = try store.read { db in
                try IndexFlowGraph(db: db, network: network, layer: layer)
                    .exposure(of: subject, model: m, maxHops: hops, maxNodes: maxNodes, fiat: converter)
            }
        } catch let exit as ExitCode { throw exit } catch { throw fail("\(error)") }
        let fiat = FiatText(converter)
        if json { try printJSON(report); return }
        print("exposure of \(report.subject): \(report.model) model, \(report.layer) layer, up to \(report.maxHops) hops; "
              + "index tip \(report.tipHeight.map(String.init) ?? "-") \(report.tipHash ?? "")")
        report.fiatSeries?.printLines(indent: "  ")
        print("  total received \(btc(report.totalReceived)) BTC\(fiat.sum(report.totalReceivedFiat)) (the base of every share)"
              + (report.truncated ? "; TRUNCATED: figures are lower bounds" : ""))
        for (title, rows) in [("received from", report.received), ("sent to", report.sent)] {
            if rows.isEmpty { print("  \(title): no attributed cluster within \(report.maxHops) hops"); continue }
            print("  \(title):")
            let code = fiat.currency?.code
            print("    category            direct          indirect        share     min hops"
                  + (code.map { "  direct \($0)".padding(toLength: 22, withPad: " ", startingAt: 0) + "indirect \($0)" } ?? ""))
            for r in rows {
                let fiatColumns = code == nil
                    ? "" : "  " + fiat.cell(r.directFiat).padding(toLength: 20, withPad: " ", startingAt: 0) + fiat.cell(r.indirectFiat)
                print("    \(r.category.padding(toLength: 18, withPad: " ", startingAt: 0))  \(btc(r.direct).padding(toLength: 14, withPad: " ", startingAt: 0))  "
                      + "\(btc(r.indirect).padding(toLength: 14, withPad: " ", startingAt: 0))  "
                      + "\(String(format: "%6.2f %%", r.share * 100))  "
                      + "\(String(r.minHops).padding(toLength: 8, withPad: " ", startingAt: 0))\(fiatColumns)")
            }
        }
        if !report.counterparties.isEmpty {
            print("  top counterparties:")
            for c in report.counterparties.prefix(10) {
                print("    \(c.direction.padding(toLength: 8, withPad: " ", startingAt: 0)) cluster \(c.cluster): \(c.categories.joined(separator: ",")) "
                      + "\(c.labels.joined(separator: ",")), \(btc(c.amount)) BTC\(fiat.sum(c.amountFiat)), \(c.minHops) hop(s)")
            }
        }
    }
}
