import Foundation
import Testing
@testable import ChainIndex
@testable import ChainSynth

// Tests of `spoor synth` (module ChainSynth): the block files must be exactly what Bitcoin Core
// writes, and the ground truth must agree with the chain. Chains are kept small (a few thousand
// transactions) so the whole suite stays fast in debug builds.

/// Synthetic chains shared by the tests, generated once per test process.
struct SynthFixture: Sendable {
    let plain: URL          // stale forks, shuffled order, several files, padded tail
    let again: URL          // the same parameters again
    let otherSeed: URL
    let xor: URL            // same chain, obfuscated (no padding)
    let unpadded: URL       // same chain, plain, no padding (the xor variant's reference)
    let summary: SynthSummary

    static let config: SynthConfig = {
        var c = SynthConfig()
        c.blocks = 170
        c.txPerBlock = 50
        c.seed = 7
        c.staleBlocks = 6
        c.shuffle = true
        c.maxFileSize = 1 << 20
        c.pad = true
        c.padChunk = 1 << 16
        return c
    }()

    static let shared: Result<SynthFixture, SynthError> = {
        let tmp = FileManager.default.temporaryDirectory
        // Remove what earlier test processes (no longer running) left behind.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
        where name.hasPrefix("spoor-synth-tests-") {
            if let pid = Int32(name.dropFirst("spoor-synth-tests-".count)), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
            }
        }
        let base = tmp.appendingPathComponent("spoor-synth-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: base)
        do throws(SynthError) {
            let plain = base.appendingPathComponent("plain")
            let summary = try ChainSynthesizer.generate(config, to: plain)
            let again = base.appendingPathComponent("again")
            try ChainSynthesizer.generate(config, to: again)
            var other = config
            other.seed = 8
            let otherURL = base.appendingPathComponent("other")
            try ChainSynthesizer.generate(other, to: otherURL)
            var x = config
            x.xor = true
            x.pad = false
            let xorURL = base.appendingPathComponent("xor")
            try ChainSynthesizer.generate(x, to: xorURL)
            var u = config
            u.pad = false
            let unpadded = base.appendingPathComponent("unpadded")
            try ChainSynthesizer.generate(u, to: unpadded)
            return .success(SynthFixture(plain: plain, again: again, otherSeed: otherURL, xor: xorURL,
                                         unpadded: unpadded, summary: summary))
        } catch {
            return .failure(error)
        }
    }()

    static func get() throws -> SynthFixture { try shared.get() }
}

/// The blocks of a generated directory, in file order, and the truth tables.
struct SynthChain {
    struct Block {
        var bytes: [UInt8]
        var parsed: ParsedBlock
        var hash: Hash256 { parsed.hash }
    }

    var blocks: [Block] = []
    var byHash: [Hash256: Int] = [:]
    /// Best chain, genesis first.
    var best: [Int] = []

    init(_ dir: URL) throws {
        let blocksDir = dir.appendingPathComponent("blocks")
        let names = try FileManager.default.contentsOfDirectory(atPath: blocksDir.path)
            .filter { $0.hasPrefix("blk") && $0.hasSuffix(".dat") }.sorted()
        let key = try? [UInt8](Data(contentsOf: blocksDir.appendingPathComponent("xor.dat")))
        for name in names {
            var data = [UInt8](try Data(contentsOf: blocksDir.appendingPathComponent(name)))
            if let key {
                for i in data.indices { data[i] ^= key[i % 8] }
            }
            var pos = 0
            while pos + 8 <= data.count {
                let magic = Array(data[pos..<pos + 4])
                if magic == [0, 0, 0, 0] { break }                      // preallocated tail
                #expect(magic == Network.regtest.magic, "bad magic in \(name) at \(pos)")
                let size = Int(data[pos + 4]) | Int(data[pos + 5]) << 8 | Int(data[pos + 6]) << 16 | Int(data[pos + 7]) << 24
                let bytes = Array(data[(pos + 8)..<(pos + 8 + size)])
                let parsed = try bytes.withUnsafeBytes { try BlockParser.parse($0) }
                byHash[parsed.hash] = blocks.count
                blocks.append(Block(bytes: bytes, parsed: parsed))
                pos += 8 + size
            }
        }
        // Heights by linking; all blocks have equal work, so the best tip is the highest.
        var height: [Hash256: Int] = [Network.regtest.genesisHash: 0]
        var changed = true
        while changed {
            changed = false
            for b in blocks where height[b.hash] == nil {
                if let h = height[b.parsed.header.previousHash] { height[b.hash] = h + 1; changed = true }
            }
        }
        let tip = blocks.indices.max { height[blocks[$0].hash] ?? -1 < height[blocks[$1].hash] ?? -1 }!
        var i: Int? = tip
        while let k = i {
            best.append(k)
            i = blocks[k].hash == Network.regtest.genesisHash ? nil : byHash[blocks[k].parsed.header.previousHash]
        }
        best.reverse()
    }

    func script(_ block: Block, _ output: ParsedOutput) -> [UInt8] {
        Array(block.bytes[Int(output.scriptOffset)..<Int(output.scriptOffset + output.scriptLength)])
    }

    func address(_ script: [UInt8]) -> String? {
        let c = ScriptClassifier.classify(script)
        return script.withUnsafeBytes { AddressKey(classification: c, script: $0) }?.render(on: .regtest)
    }
}

func synthCSV(_ url: URL) throws -> [[String: String]] {
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
    return lines.dropFirst().map { line in
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return Dictionary(uniqueKeysWithValues: zip(header, fields))
    }
}

func synthDigest(_ url: URL) throws -> String {
    let data = try Data(contentsOf: url)
    return Hex.encode(data.withUnsafeBytes { Hashing.sha256($0) }.bytes)
}

/// Digests of every file under a directory, by relative path.
func synthDigests(_ dir: URL) throws -> [String: String] {
    var out: [String: String] = [:]
    for sub in ["blocks", "truth"] {
        let d = dir.appendingPathComponent(sub)
        for name in try FileManager.default.contentsOfDirectory(atPath: d.path) {
            out[sub + "/" + name] = try synthDigest(d.appendingPathComponent(name))
        }
    }
    out["watchlist.csv"] = try synthDigest(dir.appendingPathComponent("watchlist.csv"))
    return out
}

struct SynthTests {
    @Test func genesisIsTheRealRegtestGenesis() throws {
        let bytes = Genesis.regtestBlock
        let parsed = try bytes.withUnsafeBytes { try BlockParser.parse($0) }
        #expect(parsed.hash.hex == "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")
        #expect(parsed.header.merkleRoot.hex == "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b")
        #expect(parsed.merkleMatches)
        // The first record of the first file is the genesis block, whatever the shuffling.
        let chain = try SynthChain(try SynthFixture.get().plain)
        #expect(chain.blocks[0].hash == Network.regtest.genesisHash)
        #expect(chain.blocks[0].bytes == bytes)
    }

    @Test func sameSeedGivesIdenticalFilesAndTruth() throws {
        let f = try SynthFixture.get()
        let a = try synthDigests(f.plain), b = try synthDigests(f.again)
        #expect(a == b)
        #expect(a.keys.contains("truth/summary.json") && a.keys.contains("blocks/blk00000.dat"))
        #expect(f.summary.files.count > 1, "the 1 MiB limit should split the chain over several files")
    }

    @Test func differentSeedGivesADifferentChain() throws {
        let f = try SynthFixture.get()
        let a = try synthDigests(f.plain), c = try synthDigests(f.otherSeed)
        #expect(a["blocks/blk00000.dat"] != c["blocks/blk00000.dat"])
        #expect(a["truth/addresses.csv"] != c["truth/addresses.csv"])
    }

    @Test func everyBlockParsesWithValidMerkleRootAndWitnessCommitment() throws {
        let f = try SynthFixture.get()
        let chain = try SynthChain(f.plain)
        #expect(chain.blocks.count == f.summary.blocks + f.summary.staleBlocks)
        #expect(chain.best.count == f.summary.blocks)
        var witnessBlocks = 0
        for (i, b) in chain.blocks.enumerated() {
            #expect(b.parsed.merkleMatches, "merkle root of block \(i)")
            #expect(b.parsed.header.bits == 0x207f_ffff)
            let txs = b.parsed.transactions
            guard txs.count > 1, txs.dropFirst().contains(where: \.hasWitness) else { continue }
            witnessBlocks += 1
            // BIP141: commitment = sha256d(witness root || reserved value), coinbase wtxid = 0.
            let root = Merkle.root([.zero] + txs.dropFirst().map(\.wtxid))
            let commitment = Hashing.sha256d(root.bytes + [UInt8](repeating: 0, count: 32))
            let cb = txs[0]
            let outs = b.parsed.outputs[Int(cb.firstOutput)..<Int(cb.firstOutput + cb.outputCount)]
            let scripts = outs.map { chain.script(b, $0) }
            #expect(scripts.contains([0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed] + commitment.bytes), "commitment of block \(i)")
            #expect(cb.hasWitness)
        }
        #expect(witnessBlocks > 10)
        // Heights: BIP34 in every coinbase, time increasing along the best chain.
        var lastTime: UInt32 = 0
        for (h, k) in chain.best.enumerated() where h > 0 {
            let b = chain.blocks[k]
            let input = b.parsed.inputs[0]
            let sig = Array(b.bytes[Int(input.scriptOffset)..<Int(input.scriptOffset + input.scriptLength)])
            #expect(sig.withUnsafeBytes { BlockParser.coinbaseHeight(scriptSig: $0) } == h)
            #expect(b.parsed.header.time > lastTime)
            lastTime = b.parsed.header.time
        }
    }

    @Test func xorVariantDeobfuscatesToThePlainFiles() throws {
        let f = try SynthFixture.get()
        let key = [UInt8](try Data(contentsOf: f.xor.appendingPathComponent("blocks/xor.dat")))
        #expect(key.count == 8 && key != [UInt8](repeating: 0, count: 8))
        let names = try FileManager.default.contentsOfDirectory(atPath: f.unpadded.appendingPathComponent("blocks").path).sorted()
        #expect(!names.isEmpty)
        for name in names {
            let plain = [UInt8](try Data(contentsOf: f.unpadded.appendingPathComponent("blocks/" + name)))
            var obf = [UInt8](try Data(contentsOf: f.xor.appendingPathComponent("blocks/" + name)))
            #expect(obf != plain)
            for i in obf.indices { obf[i] ^= key[i % 8] }
            #expect(obf == plain, "\(name) does not de-obfuscate to the plain file")
        }
        // The truth does not depend on obfuscation.
        #expect(try synthDigest(f.xor.appendingPathComponent("truth/payments.ndjson"))
                == synthDigest(f.plain.appendingPathComponent("truth/payments.ndjson")))
    }

    @Test func paddingIsAZeroTailOnTheLastFileOnly() throws {
        let f = try SynthFixture.get()
        let last = f.summary.files.last!
        let padded = [UInt8](try Data(contentsOf: f.plain.appendingPathComponent(last)))
        let unpadded = [UInt8](try Data(contentsOf: f.unpadded.appendingPathComponent(last)))
        #expect(padded.count % (1 << 16) == 0 && padded.count > unpadded.count)
        #expect(Array(padded.prefix(unpadded.count)) == unpadded)
        #expect(padded.dropFirst(unpadded.count).allSatisfy { $0 == 0 })
        for name in f.summary.files.dropLast() {
            #expect(try synthDigest(f.plain.appendingPathComponent(name)) == synthDigest(f.unpadded.appendingPathComponent(name)))
        }
    }

    @Test func staleBlocksAreOffTheBestChainAndBlocksAreShuffled() throws {
        let f = try SynthFixture.get()
        let chain = try SynthChain(f.plain)
        let stale = try synthCSV(f.plain.appendingPathComponent("truth/stale_blocks.csv"))
        #expect(stale.count == SynthFixture.config.staleBlocks)
        let bestHashes = Set(chain.best.map { chain.blocks[$0].hash })
        for row in stale {
            let hash = try #require(Hash256(hex: row["hash"]!))
            #expect(chain.byHash[hash] != nil, "stale block \(hash) missing from the files")
            #expect(!bestHashes.contains(hash))
        }
        #expect(chain.blocks.count == chain.best.count + stale.count)
        // Written out of order: some block precedes its parent in the files.
        let childFirst = chain.blocks.indices.contains { i in
            (chain.byHash[chain.blocks[i].parsed.header.previousHash] ?? -1) > i
        }
        #expect(childFirst)
    }

    /// Walks the best chain: every input spends an existing, unspent, main-chain output; fees
    /// are positive; every address receiving an output is in addresses.csv; payments and
    /// CoinJoins match the chain.
    @Test func truthAgreesWithTheChain() throws {
        let f = try SynthFixture.get()
        let chain = try SynthChain(f.plain)
        let addresses = try synthCSV(f.plain.appendingPathComponent("truth/addresses.csv"))
        var owner: [String: (entity: Int, kind: String)] = [:]
        for row in addresses {
            #expect(owner[row["address"]!] == nil, "address listed twice")
            owner[row["address"]!] = (Int(row["entity_id"]!)!, row["kind"]!)
        }
        let entities = try synthCSV(f.plain.appendingPathComponent("truth/entities.csv"))
        var entityKind: [Int: String] = [:]
        for row in entities { entityKind[Int(row["entity_id"]!)!] = row["kind"]! }

        struct Out { var value: Int64; var address: String? }
        var utxo: [String: Out] = [:]
        var outputsOf: [Hash256: [Out]] = [:]
        var inputsOf: [Hash256: [(txid: Hash256, vout: UInt32)]] = [:]
        var received = Set<String>()
        var txCount = 0
        for k in chain.best {
            let b = chain.blocks[k]
            for tx in b.parsed.transactions {
                txCount += 1
                var sumIn: Int64 = 0
                var ins: [(Hash256, UInt32)] = []
                for i in Int(tx.firstInput)..<Int(tx.firstInput + tx.inputCount) {
                    let input = b.parsed.inputs[i]
                    if input.isCoinbase { continue }
                    let key = "\(input.previousTxid.hex):\(input.previousIndex)"
                    let removed = utxo.removeValue(forKey: key)
                    let spent = try #require(removed, "\(tx.txid.hex) spends missing or spent \(key)")
                    sumIn += spent.value
                    ins.append((input.previousTxid, input.previousIndex))
                }
                var outs: [Out] = []
                var sumOut: Int64 = 0
                for (n, o) in b.parsed.outputs[Int(tx.firstOutput)..<Int(tx.firstOutput + tx.outputCount)].enumerated() {
                    #expect(o.value >= 0)
                    sumOut += o.value
                    let a = chain.address(chain.script(b, o))
                    if let a, b.hash != Network.regtest.genesisHash {
                        #expect(owner[a] != nil, "\(a) receives an output but is not in addresses.csv")
                        received.insert(a)
                    }
                    let out = Out(value: o.value, address: a)
                    outs.append(out)
                    if a != nil && b.hash != Network.regtest.genesisHash { utxo["\(tx.txid.hex):\(n)"] = out }
                }
                outputsOf[tx.txid] = outs
                inputsOf[tx.txid] = ins
                if !ins.isEmpty {
                    #expect(sumIn - sumOut >= Int64(tx.vsize), "fee of \(tx.txid.hex) below 1 sat/vB")
                }
            }
        }
        #expect(txCount == f.summary.transactions)
        #expect(received == Set(owner.keys), "addresses.csv lists exactly the addresses that received outputs")
        #expect(utxo.count == f.summary.unspentOutputs)

        // Payments: a real output of that value at an address of the seller; the path is a chain
        // of transactions each spending the previous one, starting at an exchange withdrawal.
        let paymentLines = try String(contentsOf: f.plain.appendingPathComponent("truth/payments.ndjson"), encoding: .utf8)
            .split(separator: "\n")
        #expect(paymentLines.count == f.summary.payments && paymentLines.count >= 20)
        struct Payment: Decodable { var buyer: Int; var seller: Int; var txid: String; var vout: Int; var value: Int64; var height: Int; var time: UInt32; var path: [String] }
        for line in paymentLines {
            let p = try JSONDecoder().decode(Payment.self, from: Data(line.utf8))
            let txid = try #require(Hash256(hex: p.txid))
            let outs = try #require(outputsOf[txid], "payment \(p.txid) not in the best chain")
            #expect(outs[p.vout].value == p.value)
            let address = try #require(outs[p.vout].address)
            #expect(owner[address]?.entity == p.seller && owner[address]?.kind == "seller")
            #expect(entityKind[p.buyer] == "buyer")
            #expect(p.path.last == p.txid)
            for (a, b) in zip(p.path, p.path.dropFirst()) {
                let spends = inputsOf[Hash256(hex: b)!]!.map(\.txid)
                #expect(spends.contains(Hash256(hex: a)!), "path \(a) -> \(b) is not a spend")
            }
            let first = try #require(Hash256(hex: p.path[0]))
            let fundedBy = inputsOf[first]!.compactMap { outputsOf[$0.txid]?[Int($0.vout)].address }.compactMap { owner[$0]?.kind }
            #expect(fundedBy.allSatisfy { $0 == "exchange" }, "path of \(p.txid) does not start at an exchange withdrawal")
        }

        // CoinJoins have their shapes.
        let standard = Set(Economy.standardDenominations())
        var kinds: [String: Int] = [:]
        for row in try synthCSV(f.plain.appendingPathComponent("truth/coinjoins.csv")) {
            let txid = Hash256(hex: row["txid"]!)!
            let outs = try #require(outputsOf[txid]), ins = inputsOf[txid]!
            var counts: [Int64: Int] = [:]
            for o in outs { counts[o.value, default: 0] += 1 }
            let mostEqual = counts.values.max()!
            let kind = row["kind"]!
            kinds[kind, default: 0] += 1
            switch kind {
            case "whirlpool":
                #expect(ins.count == 5 && outs.count == 5 && counts.count == 1)
                #expect([100_000, 1_000_000, 5_000_000, 50_000_000].contains(outs[0].value))
                let owners = Set(ins.compactMap { outputsOf[$0.txid]![Int($0.vout)].address }.compactMap { owner[$0]?.entity })
                #expect(owners.count == 5, "whirlpool inputs come from five different wallets")
            case "whirlpool_tx0":
                #expect(ins.count == 1 && mostEqual >= 2 && outs.contains { $0.address == nil && $0.value == 0 })
            case "wasabi1":
                #expect(mostEqual >= 5 && ins.count >= 5)
            case "wasabi2":
                #expect(ins.count >= 5)
                #expect(outs.filter { standard.contains($0.value) }.count * 2 >= outs.count)
                #expect(outs.map(\.value) == outs.map(\.value).sorted(by: >), "WabiSabi outputs are ordered by value")
            case "joinmarket":
                let n = mostEqual
                #expect(n >= 3 && outs.count >= 2 * n - 1 && outs.count <= 2 * n)
            default:
                Issue.record("unknown coinjoin kind \(kind)")
            }
        }
        for kind in ["whirlpool", "whirlpool_tx0", "wasabi1", "wasabi2", "joinmarket"] {
            #expect(kinds[kind, default: 0] > 0, "no \(kind) in the test chain")
        }
        // PayJoins: the receiver contributed an input, so the inputs have two owners.
        let payjoins = try synthCSV(f.plain.appendingPathComponent("truth/payjoins.csv"))
        #expect(!payjoins.isEmpty)
        for row in payjoins {
            let ins = inputsOf[Hash256(hex: row["txid"]!)!]!
            let owners = Set(ins.compactMap { outputsOf[$0.txid]![Int($0.vout)].address }.compactMap { owner[$0]?.entity })
            #expect(owners.count == 2)
        }
    }

    @Test func watchlistListsSomeSellerAddresses() throws {
        let f = try SynthFixture.get()
        let rows = try synthCSV(f.plain.appendingPathComponent("watchlist.csv"))
        let addresses = try synthCSV(f.plain.appendingPathComponent("truth/addresses.csv"))
        var owner: [String: String] = [:]
        for a in addresses { owner[a["address"]!] = a["kind"]! }
        let sellers = rows.filter { $0["category"] == "abuse_seller" }
        #expect(!sellers.isEmpty)
        for r in sellers {
            #expect(owner[r["address"]!] == "seller")
            #expect(r["label"]!.hasPrefix("synthetic-seller-"))
        }
        let sellerAddresses = addresses.filter { $0["kind"] == "seller" }.count
        #expect(sellers.count < sellerAddresses, "a watchlist knows only some of a seller's addresses")
        #expect(rows.contains { $0["category"] == "exchange" && owner[$0["address"]!] == "exchange" })
        #expect(rows.contains { $0["category"] == "mixer" && owner[$0["address"]!] == "mixer" })
    }

    @Test func invalidParametersAreRejectedWithContext() throws {
        var c = SynthConfig()
        c.blocks = 10
        c.staleBlocks = 9
        #expect(throws: SynthError.self) { try c.validate() }
        do {
            try c.validate()
        } catch {
            guard case .invalidParameter(let name, _, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(name == "stale")
        }
        c = SynthConfig()
        c.maxFileSize = 1000
        #expect(throws: SynthError.self) { try c.validate() }
        // An output directory with block files is not overwritten silently.
        let f = try SynthFixture.get()
        #expect(throws: SynthError.outputNotEmpty(path: f.plain.appendingPathComponent("blocks").path)) {
            try ChainSynthesizer.generate(SynthFixture.config, to: f.plain)
        }
    }

    @Test func sizesAndScriptsAreRealistic() throws {
        // Every spend type serializes to the size its fee was computed on (checked in `emit`);
        // here: a sample of scriptSig / witness shapes as the parser sees them.
        let f = try SynthFixture.get()
        let chain = try SynthChain(f.plain)
        var sigLengths = Set<Int32>()
        for k in chain.best.suffix(20) {
            let b = chain.blocks[k]
            for tx in b.parsed.transactions.dropFirst() {
                for i in Int(tx.firstInput)..<Int(tx.firstInput + tx.inputCount) {
                    sigLengths.insert(b.parsed.inputs[i].scriptLength)
                }
                #expect(tx.size > 60 && tx.vsize < 100_000)
            }
        }
        // Native segwit (0), P2SH-P2WPKH (23) and P2PKH (107 = 72-byte signature + 33-byte key).
        #expect(sigLengths.isSubset(of: [0, 23, 107]) && sigLengths.contains(107) && sigLengths.contains(0))
        #expect(f.summary.entities["seller", default: 0] >= 3 && f.summary.entities["exchange", default: 0] >= 3)
    }
}
