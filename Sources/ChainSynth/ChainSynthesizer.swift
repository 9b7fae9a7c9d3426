import ChainIndex
import Foundation

/// Generates a deterministic synthetic regtest chain with its ground truth.
///
/// Layout of the output directory:
/// - `blocks/blk00000.dat` … in Bitcoin Core's block-file format (`blocks/xor.dat` when obfuscated);
/// - `truth/`: `entities.csv`, `addresses.csv`, `payments.ndjson`, `coinjoins.csv`, `payjoins.csv`,
///   `peel_chains.csv`, `stale_blocks.csv`, `summary.json`;
/// - `watchlist.csv`: a synthetic watchlist (some seller addresses, exchanges, mixers).
public enum ChainSynthesizer {
    /// Progress callback: (height done, blocks in total).
    public typealias Progress = (Int, Int) -> Void

    /// Writes the chain and the truth to `directory` (created if needed).
    /// - Parameters:
    ///   - overwrite: replace block and truth files of an earlier run instead of refusing.
    /// - Throws: ``SynthError``.
    @discardableResult
    public static func generate(_ config: SynthConfig, to directory: URL, overwrite: Bool = false,
                                progress: Progress? = nil) throws(SynthError) -> SynthSummary {
        try config.validate()
        let root = directory.path
        let blocksDir = root + "/blocks", truthDir = root + "/truth"
        try prepare(root: root, blocksDir: blocksDir, truthDir: truthDir, overwrite: overwrite)

        var keyRng = Xoshiro256(seed: SplitMix64.mix(config.seed ^ 0x584f_524b_4559))   // "XORKEY"
        var xorKey: [UInt8]? = nil
        if config.xor {
            var key = [UInt8](); key.appendLE(keyRng.next() | 1)
            xorKey = key
            let f = try OutputFile(path: blocksDir + "/xor.dat")
            try f.write(key)
            try f.close()
        }
        let writer = BlockFileWriter(directory: blocksDir, magic: Network.regtest.magic,
                                     maxFileSize: config.maxFileSize, xorKey: xorKey)
        var shuffler = BlockShuffler(enabled: config.shuffle, seed: config.seed)
        let truth = try TruthFiles(directory: truthDir)
        let economy = Economy(config: config, truth: truth)
        try economy.setup()

        // Genesis first, always.
        let genesis = Genesis.regtestBlock
        try writer.writeBlock(genesis)
        var previous = Network.regtest.genesisHash
        var previousTime: UInt32 = 1_296_688_602
        var coinbaseOutputs = 1, coinbaseWitness = 0

        // Stale forks are planned with their own generator: the main chain does not depend on them.
        var staleRng = Xoshiro256(seed: SplitMix64.mix(config.seed ^ 0x5354_414c_45))   // "STALE"
        let forks = planForks(count: config.staleBlocks, blocks: config.blocks, rng: &staleRng)
        var pendingFork: (previous: Hash256, height: Int, full: Bool)? = nil
        var staleCount = 0

        for height in 1..<config.blocks {
            economy.height = height
            let time: UInt32
            if height == 1 {
                time = config.startTime
            } else {
                let gap = max(1, Int(economy.rng.exponential(mean: 600).rounded()))
                time = previousTime + UInt32(min(gap, 7_200))
            }
            economy.time = time
            try economy.buildBlockTransactions()

            let poolIndex = economy.pickPool()
            let block = try economy.finishBlock(poolIndex: poolIndex, previous: previous, time: time, prefix: nil,
                                                track: true)
            coinbaseOutputs += block.coinbaseOutputs.count
            if block.witnessTxCount > block.txCount - 1 { coinbaseWitness += 1 }
            try shuffler.push(block.bytes, to: writer)

            // A stale block continuing a pending two-block fork.
            if let fork = pendingFork, fork.height == height {
                let prefix = fork.full ? staleRng.below(economy.builder.count + 1) : 0
                let other = (poolIndex + 1 + staleRng.below(economy.pools.count - 1)) % economy.pools.count
                let stale = try economy.finishBlock(poolIndex: other, previous: fork.previous,
                                                    time: time &+ UInt32(staleRng.int(0...90)), prefix: prefix, track: false,
                                                    extraNonce: staleRng.next())
                try truth.staleBlocks.write("\(stale.hash.hex),\(height)\n")
                try shuffler.push(stale.bytes, to: writer)
                staleCount += 1
                pendingFork = nil
            }
            // A fork branching off here: a competing block at this height on the same parent.
            if let length = forks[height] {
                let full = length == 2 && staleRng.chance(0.5)
                let prefix = full ? economy.builder.count : staleRng.below(economy.builder.count + 1)
                let other = (poolIndex + 1 + staleRng.below(economy.pools.count - 1)) % economy.pools.count
                let delta = staleRng.int(-120...120)
                let staleTime = UInt32(max(Int(previousTime) + 1, Int(time) + delta))
                let stale = try economy.finishBlock(poolIndex: other, previous: previous, time: staleTime, prefix: prefix,
                                                    track: false, extraNonce: staleRng.next())
                try truth.staleBlocks.write("\(stale.hash.hex),\(height)\n")
                try shuffler.push(stale.bytes, to: writer)
                staleCount += 1
                if length == 2 { pendingFork = (stale.hash, height + 1, full) }
            }
            previous = block.hash
            previousTime = time
            progress?(height, config.blocks)
        }
        try shuffler.flush(to: writer)
        try writer.finish(padChunk: config.pad ? config.padChunk : nil)
        try economy.writeWatchlist(path: root + "/watchlist.csv")

        let s = economy.stats
        var entityCounts: [String: Int] = [:]
        for e in economy.entities { entityCounts[e.kind.rawValue, default: 0] += 1 }
        let summary = SynthSummary(
            network: Network.regtest.name, seed: config.seed, blocks: config.blocks, tipHeight: config.blocks - 1,
            tipHash: previous.hex, staleBlocks: staleCount,
            transactions: s.transactions + config.blocks, inputs: s.inputs + config.blocks,
            outputs: s.outputs + coinbaseOutputs, coinbaseTransactions: config.blocks,
            witnessTransactions: s.witnessTransactions + coinbaseWitness, payments: s.payments,
            coinjoins: s.coinjoins, payjoins: s.payjoins, peelChainSteps: s.peelSteps, entities: entityCounts,
            addresses: s.addresses, unspentOutputs: economy.liveCoins, totalFees: s.fees,
            files: writer.fileNames, bytes: writer.totalBytes, xorKey: xorKey.map { Hex.encode($0) },
            parameters: config)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let data = try encoder.encode(summary)
            let f = try OutputFile(path: truthDir + "/summary.json")
            try f.write([UInt8](data) + [0x0a])
            try f.close()
        } catch let e as SynthError {
            throw e
        } catch {
            throw .io(path: truthDir + "/summary.json", operation: "encode", reason: "\(error)")
        }
        try truth.close()
        return summary
    }

    /// Creates the directories; refuses (or, with `overwrite`, clears) earlier output.
    static func prepare(root: String, blocksDir: String, truthDir: String, overwrite: Bool) throws(SynthError) {
        let fm = FileManager.default
        for dir in [root, blocksDir, truthDir] {
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw .io(path: dir, operation: "create directory", reason: error.localizedDescription)
            }
        }
        let existing = ((try? fm.contentsOfDirectory(atPath: blocksDir)) ?? []).filter {
            ($0.hasPrefix("blk") && $0.hasSuffix(".dat")) || $0 == "xor.dat"
        }
        if !existing.isEmpty {
            guard overwrite else { throw .outputNotEmpty(path: blocksDir) }
            for name in existing {
                do { try fm.removeItem(atPath: blocksDir + "/" + name) } catch {
                    throw .io(path: blocksDir + "/" + name, operation: "remove", reason: error.localizedDescription)
                }
            }
        }
    }

    /// Fork start heights → fork length (1 or 2). Forks never overlap and end at least one block
    /// below the main tip, so the main chain stays the one with the most work.
    static func planForks(count: Int, blocks: Int, rng: inout Xoshiro256) -> [Int: Int] {
        var forks: [Int: Int] = [:]
        var used = Set<Int>()
        var remaining = count
        let last = blocks - 2          // highest height a stale block may have
        while remaining > 0 {
            var length = remaining >= 2 && rng.chance(0.35) ? 2 : 1
            var start = -1
            for _ in 0..<64 {
                let h = rng.int(1...max(1, last - length + 1))
                if (h..<(h + length)).allSatisfy({ !used.contains($0) && $0 <= last }) { start = h; break }
            }
            if start < 0 {
                length = 1
                start = (1...max(1, last)).first { !used.contains($0) } ?? -1
                if start < 0 { break }
            }
            for h in start..<(start + length) { used.insert(h) }
            forks[start] = length
            remaining -= length
        }
        return forks
    }
}

extension Economy {
    /// Fills the current block with this height's activity.
    func buildBlockTransactions() throws(SynthError) {
        builder.reset()
        blockWeight = 0
        // The fee market drifts, pulled back towards ~8 sat/vB.
        let drift = (rng.unit() - 0.5) * 0.5 + (DetMath.log2(8) - DetMath.log2(blockFeeRate)) * 0.05
        blockFeeRate = min(300, max(1, blockFeeRate * DetMath.exp2(drift)))

        guard height > config.coinbaseMaturity, config.txPerBlock > 0 else { return }
        let k = config.txPerBlock
        let target = max(1, Int(Double(k) * (0.5 + rng.unit())))
        try poolPayouts()
        try exchangeActivity()
        requestWithdrawals(count: max(1, Int(Double(k) * 0.3 * (0.5 + rng.unit()))))
        _ = try whirlpoolMixes(maxPerPool: 1 + k / 120)
        if rng.chance(0.12) { _ = try wasabi1Round() }
        if rng.chance(0.15) { _ = try wabiSabiRound() }
        _ = try peelChainActivity()
        try sellerActivity()
        try serviceHousekeeping()

        var attempts = 0
        while builder.count < target && attempts < 4 * target + 20 && roomInBlock > 120_000 {
            attempts += 1
            let r = rng.unit()
            if r < 0.08 {
                _ = try buyerAction()
            } else if r < 0.095 {
                if !samourai.isEmpty {
                    let w = samourai[rng.below(samourai.count)]
                    if wallets[Int(w)].balance >= 300_000 { _ = try tx0(wallet: w) }
                }
            } else if r < 0.101 {
                _ = try joinMarket()
            } else if r < 0.105 {
                _ = try payjoin()
            } else if r < 0.1065 {
                _ = try startUserPeelChain()
            } else {
                _ = try userAction()
            }
        }
    }

    /// Assembles the block (main chain when `track`, else a stale one from a prefix of the
    /// transactions) with a coinbase paying the pool's address.
    func finishBlock(poolIndex: Int, previous: Hash256, time: UInt32, prefix: Int?, track: Bool,
                     extraNonce: UInt64? = nil) throws(SynthError) -> BlockBuilder.Block {
        let pool = pools[poolIndex]
        let slot = pool.coinbaseAddress
        let script = statics[Int(slot)].script
        let subsidyValue = subsidy(height)
        let block = builder.assemble(height: height, previous: previous, time: time, prefix: prefix,
                                     coinbaseTag: pool.tag, extraNonce: extraNonce ?? rng.next()) { fees in
            [TxOutput(value: subsidyValue + fees, script: script)]
        }
        if !statics[Int(slot)].registered && block.coinbaseOutputs[0].value > 0 {
            statics[Int(slot)].registered = true
            try register(ref: statics[Int(slot)].ref, payload: statics[Int(slot)].payload, role: .coinbase)
        }
        if track {
            let value = block.coinbaseOutputs[0].value
            if value > 0 {
                let c = addCoin(txid: block.coinbaseTxid, vout: 0, value: value, owner: statics[Int(slot)].ref,
                                wallet: pool.wallet, path: noPath, sink: .held)
                pools[poolIndex].immature.append(c)
            }
        }
        return block
    }

    /// The synthetic watchlist: one or two payment addresses per seller (as a case file would
    /// know them), the exchanges' hot addresses and the mixers' fee addresses.
    func writeWatchlist(path: String) throws(SynthError) {
        let f = try OutputFile(path: path)
        try f.write("address,label,category,source,confidence\n")
        for s in sellers {
            for (i, ref) in s.watch.enumerated() {
                let a = keys.payload(ref).render(ref.type, on: network)
                try f.write("\(a),\(entities[Int(s.entity)].label),abuse_seller,synthetic-hotline-case,\(i == 0 ? "0.9" : "0.7")\n")
            }
        }
        for x in exchanges {
            for slot in x.hotAddresses where statics[Int(slot)].registered {
                let st = statics[Int(slot)]
                try f.write("\(st.payload.render(st.ref.type, on: network)),\(entities[Int(x.entity)].label),exchange,synthetic-osint,1.0\n")
            }
        }
        let mixers: [Int32] = whirlpoolFeeAddresses + [wasabi1FeeAddress] + wasabi2FeeAddresses
        for slot in mixers where statics[Int(slot)].registered {
            let st = statics[Int(slot)]
            try f.write("\(st.payload.render(st.ref.type, on: network)),synthetic-\(entities[Int(st.ref.entity)].label),mixer,synthetic-osint,1.0\n")
        }
        try f.close()
    }
}
