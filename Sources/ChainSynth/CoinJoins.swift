import ChainIndex

extension Economy {
    // MARK: Whirlpool

    /// Whirlpool Tx0: coordinator fee, an OP_RETURN, N premix outputs of (denomination + mining
    /// allowance) and the "toxic" change. Premix coins queue for mixing.
    func tx0(wallet w: Int32, coin forced: Int32? = nil) throws(SynthError) -> Bool {
        let rate = feeRate()
        // Pays the premix input's share of a mix (~510 vB, two new entrants per mix).
        let allowance = max(400, Int64(600 * rate / 2))
        let coin: Int32
        if let f = forced {
            coin = f
        } else {
            let list = wallets[Int(w)].coins
            guard !list.isEmpty else { return false }
            var best: Int32 = list[0]
            for _ in 0..<min(6, list.count) {
                let c = list[rng.below(list.count)]
                if coins[Int(c)].value > coins[Int(best)].value { best = c }
            }
            coin = best
        }
        let value = coins[Int(coin)].value
        // The largest pool the coin can enter with at least two premix outputs.
        guard let p = whirlpool.indices.reversed().first(where: {
            value > 2 * (whirlpool[$0].denomination + allowance) + whirlpool[$0].fee + 50_000
        }) else { return false }
        let pool = whirlpool[p]
        let maxOutputs = Int((value - pool.fee - 50_000) / (pool.denomination + allowance))
        let n = min(maxOutputs, rng.int(2...min(25, max(2, maxOutputs))))
        let path = coins[Int(coin)].path
        var outs: [PlannedOutput] = []
        outs.append(toStatic(whirlpoolFeeAddresses[rng.below(whirlpoolFeeAddresses.count)], wallet: whirlpoolCoordinator,
                             value: pool.fee))
        var opReturn = [UInt8]()
        for _ in 0..<6 { opReturn.appendLE(rng.next()) }
        outs.append(nullData(Array(opReturn.prefix(46))))
        for _ in 0..<n {
            var o = fresh(w, .p2wpkh, role: .premix, value: pool.denomination + allowance, sink: .held)
            o.pathParent = path
            outs.append(o)
        }
        var change = fresh(w, .p2wpkh, role: .tx0Change)
        change.pathParent = path
        let f = fee(size(inputs: [coin], outputs: outs + [change]), rate)
        change.value = value - pool.fee - Int64(n) * (pool.denomination + allowance) - f
        guard change.value >= 0 else { return false }
        if change.value >= 1_000 { outs.append(change) }
        // Premix outputs are shuffled among themselves; fee output first, OP_RETURN second.
        var premix = Array(outs[2..<(2 + n)])
        rng.shuffle(&premix)
        outs.replaceSubrange(2..<(2 + n), with: premix)
        hold(coin)
        let txid = try emit([coin], outs, style: .mixer)
        for (i, o) in outs.enumerated() where o.role == .premix && lastCoins[i] >= 0 {
            whirlpool[p].premix.append(lastCoins[i])
        }
        try recordCoinJoin(txid, "whirlpool_tx0")
        return true
    }

    /// Mixes of 5 inputs / 5 equal outputs: new entrants (premix) pay the mining fee, remixers
    /// (postmix) are free. Every input comes from a different wallet.
    func whirlpoolMixes(maxPerPool: Int) throws(SynthError) -> Int {
        var made = 0
        for p in whirlpool.indices {
            // The coordinator runs more mixes when many entrants wait.
            let limit = maxPerPool + whirlpool[p].premix.count / 25
            for _ in 0..<limit {
                guard roomInBlock > 50_000, try whirlpoolMix(p) else { break }
                made += 1
            }
        }
        return made
    }

    private func whirlpoolMix(_ p: Int) throws(SynthError) -> Bool {
        let denom = whirlpool[p].denomination
        guard !whirlpool[p].premix.isEmpty, whirlpool[p].premix.count + whirlpool[p].postmix.count >= 5 else { return false }
        var chosen: [Int32] = []
        var owners: [Int32] = []
        var fromPremix: [Int] = []
        var fromPostmix: [Int] = []
        let wantPremix = min(whirlpool[p].premix.count, whirlpool[p].postmix.count >= 3 ? 2 : 5)
        // Draw premix coins (oldest first, skipping owners already in the mix).
        for (i, c) in whirlpool[p].premix.enumerated() where fromPremix.count < wantPremix {
            let o = coins[Int(c)].wallet
            if !owners.contains(o) { owners.append(o); chosen.append(c); fromPremix.append(i) }
        }
        let postmix = whirlpool[p].postmix
        if !postmix.isEmpty {
            let start = rng.below(postmix.count)
            for k in 0..<postmix.count where chosen.count < 5 {
                let i = (start + k) % postmix.count
                let c = postmix[i]
                let o = coins[Int(c)].wallet
                if !owners.contains(o) { owners.append(o); chosen.append(c); fromPostmix.append(i) }
            }
        }
        if chosen.count < 5 {
            for (i, c) in whirlpool[p].premix.enumerated() where chosen.count < 5 && !fromPremix.contains(i) {
                let o = coins[Int(c)].wallet
                if !owners.contains(o) { owners.append(o); chosen.append(c); fromPremix.append(i) }
            }
        }
        guard chosen.count == 5, !fromPremix.isEmpty else { return false }
        let sumIn = chosen.reduce(Int64(0)) { $0 + coins[Int($1)].value }
        var mixSize = TxSize()
        for c in chosen { mixSize.addInput(coins[Int(c)].owner.type) }
        for _ in 0..<5 { mixSize.addOutput(.p2wpkh) }
        // The entrants' allowances must pay at least 1 sat/vB, else the mix waits for more entrants.
        guard sumIn - 5 * denom >= Int64(mixSize.vsize) else { return false }
        for i in fromPremix.sorted(by: >) { whirlpool[p].premix.remove(at: i) }
        for i in fromPostmix.sorted(by: >) { whirlpool[p].postmix.remove(at: i) }
        var outs: [PlannedOutput] = []
        for c in chosen {
            var o = fresh(coins[Int(c)].wallet, .p2wpkh, role: .postmix, value: denom, sink: .held)
            o.pathParent = coins[Int(c)].path
            outs.append(o)
        }
        var inputs = chosen
        rng.shuffle(&inputs)
        rng.shuffle(&outs)
        let txid = try emit(inputs, outs, style: .mixer)
        for (i, o) in outs.enumerated() {
            let c = lastCoins[i]
            guard c >= 0 else { continue }
            let isBuyer = buyerOfWallet[o.wallet] != nil
            // Postmix coins remix for a while, then their owner spends them.
            if rng.chance(isBuyer ? 0.4 : 0.7) && whirlpool[p].postmix.count < 400 {
                whirlpool[p].postmix.append(c)
            } else {
                release(c)
            }
        }
        try recordCoinJoin(txid, "whirlpool")
        return true
    }

    // MARK: Wasabi 1 (ZeroLink)

    /// A Wasabi 1 round: many inputs, many equal ~0.1 BTC outputs (plus doubled "levels"),
    /// a coordinator fee output and one change output per participant.
    func wasabi1Round() throws(SynthError) -> Bool {
        guard wasabi1.count >= 5, roomInBlock > 600_000 else { return false }
        let rate = feeRate()
        let denom: Int64 = 10_000_000 - Int64(rng.int(0...400_000))
        let wanted = rng.int(5...min(100, max(5, wasabi1.count / 2)))
        var participants: [Int32] = []
        for _ in 0..<(wanted * 3) where participants.count < wanted {
            let w = wasabi1[rng.below(wasabi1.count)]
            if wallets[Int(w)].balance >= denom + 200_000 && !participants.contains(w) { participants.append(w) }
        }
        guard participants.count >= 5 else { return false }
        let anonset = participants.count
        let coordinatorPerLevel = denom * Int64(anonset) * 3 / 100_000          // 0.003 % × anonymity set
        var inputs: [Int32] = []
        var outs: [PlannedOutput] = []
        var coordinatorFee: Int64 = 0
        var registered: [(wallet: Int32, coins: [Int32])] = []
        for w in participants {
            guard let sel = selectCoins(w, target: denom + coordinatorPerLevel + 20_000, maxInputs: 4, preferSingle: 0.5) else { continue }
            registered.append((w, sel))
        }
        guard registered.count >= 5 else { return false }
        for (w, sel) in registered {
            let sum = sel.reduce(Int64(0)) { $0 + coins[Int($1)].value }
            var levels = [denom]
            if sum >= 2 * denom + 3 * denom / 10 && rng.chance(0.5) { levels.append(2 * denom) }
            var myFee: Int64 = 0
            for c in sel { myFee += Int64(Double(coins[Int(c)].owner.type.inputBaseSize * 4 + coins[Int(c)].owner.type.witnessSize) / 4 * rate) + 1 }
            myFee += Int64(Double(31 * (levels.count + 1)) * rate) + 20
            let myCoordinator = coordinatorPerLevel * Int64(levels.count)
            let change = sum - levels.reduce(0, +) - myCoordinator - myFee
            guard change >= 0 else { continue }
            inputs.append(contentsOf: sel)
            coordinatorFee += myCoordinator
            for v in levels { outs.append(fresh(w, .p2wpkh, role: .mixed, value: v)) }
            if change >= 5_000 { outs.append(fresh(w, .p2wpkh, role: .coinjoinChange, value: change)) }
        }
        guard outs.filter({ $0.value == denom }).count >= 5 else { return false }
        if coordinatorFee >= 1_000 {
            outs.append(toStatic(wasabi1FeeAddress, wallet: wasabi1Coordinator, value: coordinatorFee))
        }
        let sumIn = inputs.reduce(Int64(0)) { $0 + coins[Int($1)].value }
        let sumOut = outs.reduce(Int64(0)) { $0 + $1.value }
        guard sumIn - sumOut >= fee(size(inputs: inputs, outputs: outs), 1.0) else { return false }
        rng.shuffle(&inputs)
        rng.shuffle(&outs)
        let txid = try emit(inputs, outs, style: .mixer)
        try recordCoinJoin(txid, "wasabi1")
        return true
    }

    // MARK: Wasabi 2 (WabiSabi)

    /// A WabiSabi round: many inputs, outputs drawn from the standard denominations, inputs and
    /// outputs ordered by value (largest first), coordinator fee on large inputs.
    func wabiSabiRound() throws(SynthError) -> Bool {
        guard wasabi2.count >= 5, roomInBlock > 800_000 else { return false }
        let rate = feeRate()
        let wanted = rng.int(5...min(150, max(5, wasabi2.count / 2)))
        var participants: [Int32] = []
        for _ in 0..<(wanted * 3) where participants.count < wanted {
            let w = wasabi2[rng.below(wasabi2.count)]
            if wallets[Int(w)].balance >= 50_000 && !wallets[Int(w)].coins.isEmpty && !participants.contains(w) {
                participants.append(w)
            }
        }
        guard participants.count >= 5 else { return false }
        var inputs: [Int32] = []
        var outs: [PlannedOutput] = []
        var coordinatorFee: Int64 = 0
        for w in participants {
            let list = wallets[Int(w)].coins
            let k = min(list.count, rng.int(1...6))
            let start = rng.below(list.count)
            let sel = (0..<k).map { list[(start + $0) % list.count] }.filter { coins[Int($0)].value >= 10_000 }
            guard !sel.isEmpty else { continue }
            var available: Int64 = 0
            for c in sel {
                let v = coins[Int(c)].value
                available += v
                let t = coins[Int(c)].owner.type
                available -= Int64(Double(t.inputBaseSize * 4 + t.witnessSize) / 4 * rate) + 1
                if v > 1_000_000 {
                    let cf = v * 3 / 1_000
                    coordinatorFee += cf
                    available -= cf
                }
            }
            let type = wallets[Int(w)].type == .p2tr ? AddrType.p2tr : .p2wpkh
            let outCost = Int64(Double(type.outputSize) * rate) + 1
            var mine: [PlannedOutput] = []
            var remaining = available
            var i = 0
            while mine.count < 8 && i < wabiSabiDenominations.count {
                let d = wabiSabiDenominations[i]
                if d + outCost <= remaining {
                    mine.append(fresh(w, type, role: .mixed, value: d))
                    remaining -= d + outCost
                } else {
                    i += 1
                }
            }
            if remaining >= 50_000 {
                // What the denominations cannot express comes back as change.
                mine.append(fresh(w, type, role: .coinjoinChange, value: remaining - outCost))
            }
            guard !mine.isEmpty else { continue }
            inputs.append(contentsOf: sel)
            outs.append(contentsOf: mine)
        }
        guard Set(inputs.map { coins[Int($0)].wallet }).count >= 5 else { return false }
        if coordinatorFee >= 5_000 {
            outs.append(toStatic(wasabi2FeeAddresses[rng.below(wasabi2FeeAddresses.count)], wallet: wasabi2Coordinator,
                                 value: coordinatorFee))
        }
        let sumIn = inputs.reduce(Int64(0)) { $0 + coins[Int($1)].value }
        let sumOut = outs.reduce(Int64(0)) { $0 + $1.value }
        guard sumIn - sumOut >= fee(size(inputs: inputs, outputs: outs), 1.0) else { return false }
        inputs.sort { coins[Int($0)].value > coins[Int($1)].value }
        outs.sort { $0.value > $1.value }
        let txid = try emit(inputs, outs, style: .mixer)
        try recordCoinJoin(txid, "wasabi2")
        return true
    }

    // MARK: JoinMarket

    /// A taker and n−1 makers: n equal outputs, one change per maker (plus the taker's, unless it sweeps).
    func joinMarket() throws(SynthError) -> Bool {
        guard joinmarket.count >= 3 else { return false }
        let taker = joinmarket[rng.below(joinmarket.count)]
        guard wallets[Int(taker)].balance >= 1_200_000 else { return false }
        let rate = feeRate()
        let n = rng.int(3...min(10, joinmarket.count))
        let sweepMode = rng.chance(0.6)
        var takerCoins: [Int32]
        var amountOut: Int64
        if sweepMode {
            takerCoins = Array(wallets[Int(taker)].coins.prefix(rng.int(1...3)))
            let s = takerCoins.reduce(Int64(0)) { $0 + coins[Int($1)].value }
            amountOut = s * 97 / 100          // refined below once fees are known
        } else {
            amountOut = amount(1_000_000, wallets[Int(taker)].balance * 7 / 10, roundChance: 0.1)
            guard let sel = selectCoins(taker, target: amountOut + 100_000, maxInputs: 3) else { return false }
            takerCoins = sel
        }
        guard amountOut >= 500_000 else { return false }
        var makers: [(wallet: Int32, coins: [Int32], fee: Int64)] = []
        for _ in 0..<(n * 4) where makers.count < n - 1 {
            let m = joinmarket[rng.below(joinmarket.count)]
            if m == taker || makers.contains(where: { $0.wallet == m }) { continue }
            guard wallets[Int(m)].balance >= amountOut + 10_000,
                  let sel = selectCoins(m, target: amountOut + 10_000, maxInputs: 3, preferSingle: 0.8) else { continue }
            let cjfee = max(200, amountOut * Int64(rng.int(2...30)) / 100_000)
            makers.append((m, sel, cjfee))
        }
        guard makers.count >= 2 else { return false }
        var inputs = takerCoins
        for m in makers { inputs.append(contentsOf: m.coins) }
        let takerSum = takerCoins.reduce(Int64(0)) { $0 + coins[Int($1)].value }
        let cjfees = makers.reduce(Int64(0)) { $0 + $1.fee }
        // Output list: n equal outputs, maker changes, maybe taker change.
        var outs: [PlannedOutput] = []
        outs.append(fresh(taker, .p2wpkh, role: .mixed))
        for m in makers {
            outs.append(fresh(m.wallet, .p2wpkh, role: .mixed))
            outs.append(fresh(m.wallet, .p2wpkh, role: .coinjoinChange))
        }
        var takerChange: PlannedOutput? = sweepMode ? nil : fresh(taker, .p2wpkh, role: .coinjoinChange)
        let minerFee = fee(size(inputs: inputs, outputs: outs + (takerChange.map { [$0] } ?? [])), rate)
        if sweepMode {
            amountOut = takerSum - cjfees - minerFee
            guard amountOut >= 500_000 else { return false }
        }
        // Every maker must still cover the (possibly refined) amount.
        for m in makers {
            let s = m.coins.reduce(Int64(0)) { $0 + coins[Int($1)].value }
            if s + m.fee - amountOut < 1_000 { return false }
        }
        var k = 0
        outs[k].value = amountOut; k += 1
        for m in makers {
            let s = m.coins.reduce(Int64(0)) { $0 + coins[Int($1)].value }
            outs[k].value = amountOut; k += 1
            outs[k].value = s - amountOut + m.fee; k += 1
        }
        if var tc = takerChange {
            tc.value = takerSum - amountOut - cjfees - minerFee
            if tc.value >= 1_000 { outs.append(tc) } else if tc.value < 0 { return false }
            takerChange = tc
        }
        rng.shuffle(&inputs)
        rng.shuffle(&outs)
        let txid = try emit(inputs, outs, style: TxStyle(version: 2, sequence: 0xffff_fffe, antiSnipe: true))
        try recordCoinJoin(txid, "joinmarket")
        return true
    }
}
