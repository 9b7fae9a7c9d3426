import ArgumentParser
import ChainIndex
import Foundation

/// Options every command takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory holding the index.")
    var data: String = "./spoor-data"
}

/// Prints an error to standard error and exits non-zero.
func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(code)
}

/// Encodes a value as pretty, key-sorted JSON on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// Satoshis as BTC with eight decimals (``BTCAmount``).
func btc(_ sats: Int64) -> String { BTCAmount.text(sats) }

/// True when standard error is a terminal (progress bars only then).
var stderrIsTerminal: Bool { isatty(2) == 1 }

/// Prints `value` as JSON with extra top-level keys (nil values become `null`), for commands that
/// add module data to a documented object (e.g. `show tx` adds `coinjoin`).
func printJSON<T: Encodable>(_ value: T, adding extra: [String: (any Encodable)?]) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard var object = try JSONSerialization.jsonObject(with: encoder.encode(value)) as? [String: Any] else {
        try printJSON(value)
        return
    }
    for (key, item) in extra {
        if let item {
            object[key] = try JSONSerialization.jsonObject(with: encoder.encode(item), options: [.fragmentsAllowed])
        } else {
            object[key] = NSNull()
        }
    }
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// A one-line progress bar on standard error (only drawn when enabled: a terminal, not --json).
final class ProgressBar {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }

    func update(_ p: ImportProgress) {
        update(done: p.blocksDone, total: p.blocksTotal, unit: "blocks", elapsed: p.elapsed, rate: (p.transactionsDone, "tx"))
    }

    /// `done` of `total` `unit`s after `elapsed` seconds; `rate` counts what the speed is given in.
    func update(done: Int, total: Int, unit: String, elapsed: Double, rate: (count: Int, unit: String)) {
        guard enabled, total > 0 else { return }
        let fraction = Double(done) / Double(total)
        let width = 30
        let filled = Int(fraction * Double(width))
        let speed = elapsed > 0 ? Double(rate.count) / elapsed : 0
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
            + "\(done)/\(total) \(unit)  \(Int(speed)) \(rate.unit)/s  ETA \(Int(eta)) s "
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
