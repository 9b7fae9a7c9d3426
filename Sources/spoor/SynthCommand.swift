import ArgumentParser
import ChainSynth
import Foundation

/// `spoor synth`: writes a deterministic synthetic regtest chain (Bitcoin Core block files) with
/// its ground truth, for demos, tests and benchmarks.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate a deterministic synthetic regtest chain with ground truth.",
        discussion: """
            Writes DIR/blocks/blk*.dat (Bitcoin Core format, regtest), DIR/truth/ (entities, addresses, \
            payments, coinjoins, payjoins, peel chains, stale blocks, summary.json) and DIR/watchlist.csv. \
            The same parameters always give byte-identical files. Blocks 1-100 hold only coinbases \
            (coinbase maturity); the economy starts once they mature.
            """)

    @Option(name: .long, help: "Output directory.")
    var out: String

    @Option(name: .long, help: "Main-chain blocks, genesis included.")
    var blocks: Int = 200

    @Option(name: .customLong("tx-per-block"), help: "Average transactions per block once coinbases have matured.")
    var txPerBlock: Int = 50

    @Option(name: .long, help: "Seed of every random decision.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Number of stale blocks (forks of one or two blocks).")
    var stale: Int = 0

    @Flag(name: .long, help: "Write blocks out of height order within small windows.")
    var shuffle = false

    @Flag(name: .long, help: "Obfuscate the block files with a key in blocks/xor.dat (Bitcoin Core 28+).")
    var xor = false

    @Option(name: .customLong("max-file-size"), help: "Largest block file in bytes (Core: 134217728).")
    var maxFileSize: Int = 128 * 1024 * 1024

    @Flag(name: .long, help: "Leave a zero-filled tail on the last block file (Core preallocates).")
    var pad = false

    @Option(name: .customLong("pad-chunk"), help: "With --pad: pad the last file to a multiple of this many bytes.")
    var padChunk: Int = 16 * 1024 * 1024

    @Option(name: .long, help: "Coinbase maturity in blocks (consensus: 100).")
    var maturity: Int = 100

    @Flag(name: .long, help: "Replace block files and truth of an earlier run in --out.")
    var force = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        var config = SynthConfig()
        config.blocks = blocks
        config.txPerBlock = txPerBlock
        config.seed = seed
        config.staleBlocks = stale
        config.shuffle = shuffle
        config.xor = xor
        config.maxFileSize = maxFileSize
        config.pad = pad
        config.padChunk = padChunk
        config.coinbaseMaturity = maturity

        let showProgress = !json && isatty(2) == 1
        let started = Date()
        let summary: SynthSummary
        do {
            summary = try ChainSynthesizer.generate(
                config, to: URL(fileURLWithPath: out), overwrite: force,
                progress: showProgress ? { done, total in
                    if done % 50 == 0 || done == total - 1 {
                        FileHandle.standardError.write(Data("\rsynth: block \(done + 1)/\(total)".utf8))
                    }
                } : nil)
        } catch {
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            throw fail("\(error)")
        }
        let seconds = Date().timeIntervalSince(started)
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        if json {
            try printJSON(summary)
            return
        }
        let cj = summary.coinjoins.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("""
            synth: \(summary.blocks) blocks (tip \(summary.tipHeight) \(summary.tipHash)), \(summary.staleBlocks) stale
              \(summary.transactions) transactions, \(summary.inputs) inputs, \(summary.outputs) outputs, \(summary.addresses) addresses
              \(summary.payments) buyer->seller payments, coinjoins: \(cj.isEmpty ? "none" : cj), payjoins \(summary.payjoins), peel-chain steps \(summary.peelChainSteps)
              files: \(summary.files.joined(separator: " ")) (\(summary.bytes) bytes)\(summary.xorKey.map { ", xor key \($0)" } ?? "")
              written to \(out) in \(String(format: "%.2f", seconds)) s (seed \(summary.seed))
            """)
    }
}
