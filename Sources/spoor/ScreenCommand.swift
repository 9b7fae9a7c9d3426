import ArgumentParser
import ChainIndex
import Foundation
import Tracer

/// `spoor screen FILE.csv`: many addresses in, one row out per address.
struct ScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Screen addresses (one per line, or a CSV with an 'address' column): cluster, tags, exposure to abuse sellers.",
        discussion: "Invalid lines are reported on standard error with their line numbers; every valid line is still screened. "
            + "The exit status is 0 when every line was screened, 3 when some lines were invalid.")
    @OptionGroup var options: DataOptions
    @OptionGroup var layerOption: LayerOption
    @Argument(help: "Input file ('-' for standard input).") var file: String
    @Option(help: "Transactions away to count.") var hops = 2
    @Option(help: "The tag category to measure exposure to.") var category = "abuse_seller"
    @Option(help: "Outputs each trace visits at most.") var maxNodes = 2_000
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Flag(help: "JSON (an array; with --fiat an object with 'rows' and 'fiat_series') instead of CSV.") var json = false
    @OptionGroup var prices: PriceOptions

    /// `--json --fiat`: the rows and the series their fiat values come from.
    struct FiatReport: Encodable {
        var rows: [ScreeningRow]
        var fiatSeries: FiatSeriesCitation

        enum CodingKeys: String, CodingKey { case rows, fiatSeries = "fiat_series" }
    }

    func run() throws {
        let layer = try layerOption.value()
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw fail("cannot read \(file)") }
            text = String(decoding: data, as: UTF8.self)
        }
        let rows: [ScreeningRow]
        let problems: [ScreeningProblem]
        var fiatSeries: FiatSeriesCitation?
        let started = Date()
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            let converter = try prices.converter(index: store)
            let network = try store.network() ?? .mainnet
            let input = ScreeningInput.read(text, network: network)
            problems = input.problems
            rows = try store.read { db in
                let graph = try IndexFlowGraph(db: db, network: network, layer: layer)
                guard let converter else { return try graph.screen(input.addresses, category: category, maxHops: hops, maxNodes: maxNodes) }
                let screened = try graph.screen(input.addresses, category: category, maxHops: hops, maxNodes: maxNodes, fiat: converter)
                fiatSeries = screened.fiatSeries
                return screened.rows
            }
        } catch let exit as ExitCode { throw exit } catch { throw fail("\(error)") }
        for p in problems { FileHandle.standardError.write(Data("\(file):\(p.line): \(p.reason)\n".utf8)) }
        var output = ""
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try fiatSeries.map { try encoder.encode(FiatReport(rows: rows, fiatSeries: $0)) } ?? encoder.encode(rows)
            output = String(decoding: data, as: UTF8.self) + "\n"
        } else if fiatSeries != nil {
            output = ScreeningRow.csvHeader + "," + ScreeningRow.fiatCSVHeader + "\n"
                + rows.map { $0.csvLine + $0.fiatCSVFields }.joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
        } else {
            output = ScreeningRow.csvHeader + "\n" + rows.map(\.csvLine).joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
        }
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(output.utf8)) else { throw fail("cannot write \(out)") }
        } else {
            FileHandle.standardOutput.write(Data(output.utf8))
        }
        for line in fiatSeries?.lines ?? [] { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let seconds = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data(("screened \(rows.count) address(es) in \(String(format: "%.2f", seconds)) s; "
            + "\(rows.filter { $0.minHops != nil }.count) exposed to \(category) within \(hops) hop(s); \(problems.count) invalid line(s)\n").utf8))
        if !problems.isEmpty { throw ExitCode(3) }
    }
}
