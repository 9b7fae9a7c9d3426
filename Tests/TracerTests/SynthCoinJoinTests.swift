import ChainIndex
import ChainSynth
import Foundation
import Testing
@testable import Tracer

// The CoinJoin detector against a synthetic chain whose CoinJoins are known: `spoor synth` writes
// the txid and kind of every Whirlpool mix, Tx0, Wasabi 1, WabiSabi and JoinMarket transaction to
// `truth/coinjoins.csv`. Everything else on the chain (exchange batches, pool payouts, PayJoins,
// peel chains, consolidations, payments) is a near miss that must not be flagged.

/// One scanned transaction: its txid and the shape the detector sees.
struct SynthTx {
    var txid: String
    var shape: TxShape
}

/// A small synthetic chain, generated once per test process, parsed into TxShapes without the
/// index: an in-memory outpoint map gives each input its funding output's value, address and type.
struct SynthCoinJoinChain: Sendable {
    var transactions: [SynthTx] = []
    /// txid → kind, from `truth/coinjoins.csv`.
    var truth: [String: String] = [:]
    var summary: SynthSummary

    static let config: SynthConfig = {
        var c = SynthConfig()
        c.blocks = 260
        c.txPerBlock = 30
        c.seed = 11
        c.staleBlocks = 0
        c.shuffle = false
        c.maxFileSize = 1 << 22
        return c
    }()

    static let shared: Result<SynthCoinJoinChain, SynthCoinJoinFailure> = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-coinjoin-synth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let summary = try ChainSynthesizer.generate(config, to: dir)
            var chain = SynthCoinJoinChain(summary: summary)
            chain.transactions = try scan(blocksDirectory: dir.appendingPathComponent("blocks").path)
            chain.truth = try readTruth(dir.appendingPathComponent("truth/coinjoins.csv"))
            return .success(chain)
        } catch {
            return .failure(SynthCoinJoinFailure("synthetic chain: \(error)"))
        }
    }()

    static func get() throws -> SynthCoinJoinChain { try shared.get() }

    struct Outpoint: Hashable {
        var txid: Hash256
        var index: UInt32
    }

    /// Parses every block file of `blocksDirectory`, orders the blocks by parent links from the
    /// genesis block, and builds a TxShape per transaction.
    static func scan(blocksDirectory: String) throws -> [SynthTx] {
        let set = try BlockFileSet.open(paths: [blocksDirectory])
        var network: Network? = nil
        var located: [(file: BlockFile, record: BlockRecord)] = []
        for (i, file) in set.files.enumerated() {
            var skipped: [SkippedRegion] = []
            for record in try BlockFileScanner.scan(file, fileIndex: i, network: &network, resync: false, skipped: &skipped) {
                located.append((file, record))
            }
        }
        // Order by parent links (the files may hold blocks out of height order).
        var childOf: [Hash256: Int] = [:]
        var genesis: Int? = nil
        for (i, entry) in located.enumerated() {
            if entry.record.header.previousHash == .zero { genesis = i } else { childOf[entry.record.header.previousHash] = i }
        }
        guard var next = genesis else { throw SynthCoinJoinFailure("no genesis block in \(blocksDirectory)") }
        var order: [Int] = [next]
        while let child = childOf[located[next].record.hash] { order.append(child); next = child }
        guard order.count == located.count else {
            throw SynthCoinJoinFailure("\(located.count) blocks but a chain of \(order.count): stale or orphan blocks present")
        }

        var unspent: [Outpoint: TxShape.Coin] = [:]
        var addressIDs: [AddressKey: Int64] = [:]
        var out: [SynthTx] = []
        for k in order {
            let (file, record) = located[k]
            try file.withBlockBytes(record) { bytes in
                let block = try BlockParser.parse(bytes)
                for tx in block.transactions {
                    var inputs: [TxShape.Coin] = []
                    var sequences: [UInt32] = []
                    var coinbase = false
                    for i in Int(tx.firstInput)..<Int(tx.firstInput + tx.inputCount) {
                        let input = block.inputs[i]
                        sequences.append(input.sequence)
                        if input.isCoinbase { coinbase = true; continue }
                        let key = Outpoint(txid: input.previousTxid, index: input.previousIndex)
                        guard let coin = unspent.removeValue(forKey: key) else {
                            throw SynthCoinJoinFailure("tx \(tx.txid.hex) spends unknown outpoint \(key.txid.hex):\(key.index)")
                        }
                        inputs.append(coin)
                    }
                    var outputs: [TxShape.Coin] = []
                    for (n, o) in block.outputs[Int(tx.firstOutput)..<Int(tx.firstOutput + tx.outputCount)].enumerated() {
                        let start = Int(o.scriptOffset)
                        let script = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + Int(o.scriptLength))])
                        let classification = ScriptClassifier.classify(script)
                        var address: Int64? = nil
                        if let key = AddressKey(classification: classification, script: script) {
                            if let id = addressIDs[key] {
                                address = id
                            } else {
                                let id = Int64(addressIDs.count + 1)
                                addressIDs[key] = id
                                address = id
                            }
                        }
                        let coin = TxShape.Coin(value: o.value, address: address, type: classification.type)
                        outputs.append(coin)
                        unspent[Outpoint(txid: tx.txid, index: UInt32(n))] = coin
                    }
                    let shape = TxShape(id: Int64(out.count + 1), version: tx.version, locktime: tx.lockTime, isCoinbase: coinbase,
                                        inputs: inputs, sequences: sequences, outputs: outputs)
                    out.append(SynthTx(txid: tx.txid.hex, shape: shape))
                }
            }
        }
        return out
    }

    /// `txid,kind` lines after the header.
    static func readTruth(_ url: URL) throws -> [String: String] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var truth: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            guard fields.count == 2 else { throw SynthCoinJoinFailure("bad truth line: \(line)") }
            truth[String(fields[0])] = String(fields[1])
        }
        return truth
    }
}

struct SynthCoinJoinFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A one-line picture of a shape for failure messages.
func coinJoinSketch(_ tx: TxShape) -> String {
    let ins = tx.inputs.map { "\($0.value)/\($0.type.coreName)/\($0.address.map(String.init) ?? "-")" }.joined(separator: " ")
    let outs = tx.outputs.map { "\($0.value)/\($0.type.coreName)/\($0.address.map(String.init) ?? "-")" }.joined(separator: " ")
    return "\(tx.inputs.count) in [\(ins)] → \(tx.outputs.count) out [\(outs)]"
}

struct SynthCoinJoinTests {
    let detector = CoinJoinDetector()

    @Test func chainHasEveryKind() throws {
        let chain = try SynthCoinJoinChain.get()
        let kinds = Set(chain.truth.values)
        for kind in ["whirlpool", "whirlpool_tx0", "wasabi1", "wasabi2", "joinmarket"] {
            #expect(kinds.contains(kind), "the synthetic chain has no \(kind) transaction: enlarge it")
        }
        #expect(chain.transactions.count == chain.summary.transactions)
        #expect(chain.truth.count == chain.summary.coinjoins.values.reduce(0, +))
    }

    @Test func everyTruthCoinJoinIsDetectedWithItsKind() throws {
        let chain = try SynthCoinJoinChain.get()
        var found = 0
        for tx in chain.transactions {
            guard let expected = chain.truth[tx.txid] else { continue }
            let detection = detector.detect(tx.shape)
            #expect(detection?.kind.rawValue == expected,
                    "\(tx.txid) (\(expected)): got \(detection?.kind.rawValue ?? "nothing"); \(coinJoinSketch(tx.shape))")
            if let d = detection {
                #expect(d.multiParty == (expected != "whirlpool_tx0"), "\(tx.txid): multiParty \(d.multiParty)")
                found += 1
            }
        }
        #expect(found == chain.truth.count)
    }

    @Test func nothingElseIsFlagged() throws {
        let chain = try SynthCoinJoinChain.get()
        var falsePositives: [String] = []
        for tx in chain.transactions where chain.truth[tx.txid] == nil {
            if let d = detector.detect(tx.shape) {
                falsePositives.append("\(tx.txid) \(d.kind.rawValue): \(d.reason); \(coinJoinSketch(tx.shape))")
            }
        }
        #expect(falsePositives.isEmpty, "\(falsePositives.count) false positives:\n\(falsePositives.prefix(10).joined(separator: "\n"))")
    }

    /// The near misses exist: otherwise "nothing else is flagged" proves little.
    @Test func chainHasNearMisses() throws {
        let chain = try SynthCoinJoinChain.get()
        var repeated = 0
        for tx in chain.transactions where chain.truth[tx.txid] == nil && !tx.shape.isCoinbase {
            if CoinJoinDetector.hasRepeatedOutputValue(tx.shape.outputs) { repeated += 1 }
        }
        #expect(repeated > 0)
        var ranges: [String: (inputs: ClosedRange<Int>, outputs: ClosedRange<Int>)] = [:]
        for tx in chain.transactions {
            guard let kind = chain.truth[tx.txid] else { continue }
            let i = tx.shape.inputs.count, o = tx.shape.outputs.count
            if let r = ranges[kind] {
                ranges[kind] = (min(r.inputs.lowerBound, i)...max(r.inputs.upperBound, i),
                                min(r.outputs.lowerBound, o)...max(r.outputs.upperBound, o))
            } else {
                ranges[kind] = (i...i, o...o)
            }
        }
        for (kind, r) in ranges.sorted(by: { $0.key < $1.key }) {
            print("  \(kind): inputs \(r.inputs), outputs \(r.outputs)")
        }
        #expect(chain.summary.payjoins > 0)
        #expect(chain.summary.peelChainSteps > 0)
        print("synth coinjoin chain: \(chain.transactions.count) txs, truth \(chain.summary.coinjoins), "
              + "\(repeated) non-CoinJoin txs with a repeated output value, \(chain.summary.payjoins) PayJoins")
    }
}
