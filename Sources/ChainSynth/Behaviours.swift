import ChainIndex

extension Economy {
    // MARK: mining pools

    /// Block subsidy on regtest (halving every 150 blocks).
    func subsidy(_ h: Int) -> Int64 {
        let halvings = h / 150
        return halvings >= 63 ? 0 : (50 * 100_000_000) >> Int64(halvings)
    }

    func pickPool(excluding: Int = -1) -> Int {
        let total = pools.enumerated().reduce(0.0) { $0 + ($1.offset == excluding ? 0 : $1.element.weight) }
        var r = rng.unit() * total
        for (i, p) in pools.enumerated() where i != excluding {
            r -= p.weight
            if r < 0 { return i }
        }
        return excluding == pools.count - 1 ? 0 : pools.count - 1
    }

    /// Matured coinbases are paid out: a batch to the pool's members plus a sale to an exchange.
    func poolPayouts() throws(SynthError) {
        for p in pools.indices {
            while pools[p].immatureHead < pools[p].immature.count {
                let c = pools[p].immature[pools[p].immatureHead]
                guard Int(coins[Int(c)].height) <= height - config.coinbaseMaturity else { break }
                pools[p].immatureHead += 1
                if pools[p].immatureHead > 1024 {
                    pools[p].immature.removeFirst(pools[p].immatureHead)
                    pools[p].immatureHead = 0
                }
                try payout(pool: p, coin: c)
            }
            // Small leftovers accumulate, then go to the exchange in one consolidation.
            let w = pools[p].wallet
            if wallets[Int(w)].coins.count >= 8 && rng.chance(0.2) {
                let inputs = Array(wallets[Int(w)].coins.prefix(60))
                try sweep(inputs, to: depositOutput(exchange: pools[p].exchange, customer: w, value: 0),
                          rate: max(1, blockFeeRate * 0.6), style: .service)
            }
        }
    }

    private func payout(pool p: Int, coin c: Int32) throws(SynthError) {
        let value = coins[Int(c)].value
        let pool = pools[p]
        guard value >= 2_000_000, roomInBlock > 200_000 else {
            release(c)      // too small to split: it joins the pool's wallet
            return
        }
        let rate = max(1, blockFeeRate * 0.8)
        let sale = value * Int64(rng.int(15...45)) / 100
        var outs = [depositOutput(exchange: pool.exchange, customer: pool.wallet, value: sale)]
        let n = min(pool.members.count, max(1, min(120, Int(value / 3_000_000))))
        var chosen: [Int32] = []
        for _ in 0..<n { chosen.append(pool.members[rng.below(pool.members.count)]) }
        var weights = chosen.map { _ in 0.2 + rng.unit() }
        let wsum = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= wsum }
        for m in chosen { outs.append(receiveOutput(m, value: 1, role: .receive)) }
        let f = fee(size(inputs: [c], outputs: outs), rate)
        let distributable = value - sale - f
        var assigned: Int64 = 0
        for i in 0..<n {
            let v = i == n - 1 ? distributable - assigned : Int64(Double(distributable) * weights[i])
            outs[i + 1].value = v
            assigned += v
        }
        outs = outs.filter { $0.value >= 10_000 }
        // Outputs filtered away leave their value to the miners of the next block.
        if outs.isEmpty { release(c); return }
        rng.shuffle(&outs)
        hold(c)
        try emit([c], outs, style: .service)
    }

    // MARK: exchanges

    func requestWithdrawals(count: Int) {
        guard !users.isEmpty else { return }
        for _ in 0..<count {
            let w = users[rng.below(users.count)]
            let x = wallets[Int(w)].exchange
            let liquidity = wallets[Int(exchanges[Int(x)].hot)].balance
            guard liquidity > 2_000_000 else { continue }
            let a = amount(50_000, min(300_000_000, liquidity / 15), roundChance: 0.4)
            exchanges[Int(x)].pending.append(Withdrawal(wallet: w, amount: a))
        }
    }

    func exchangeActivity() throws(SynthError) {
        for x in exchanges.indices {
            try sweepDeposits(x)
            try processWithdrawals(x)
            try manageColdStorage(x)
        }
    }

    private func sweepDeposits(_ x: Int) throws(SynthError) {
        let ex = exchanges[x]
        let list = wallets[Int(ex.deposits)].coins
        guard list.count >= ex.sweepAt || (list.count >= 2 && rng.chance(0.05)) else { return }
        guard roomInBlock > 400_000 else { return }
        let inputs = Array(list.prefix(150))
        let target: PlannedOutput
        if rng.chance(0.7) {
            target = toStatic(ex.hotAddresses[rng.below(ex.hotAddresses.count)], wallet: ex.hot)
        } else {
            target = fresh(ex.hot, role: .hot)
        }
        try sweep(inputs, to: target, rate: max(1, blockFeeRate * 0.5), style: .service)
        exchanges[x].sweepAt = rng.int(6...30)
    }

    private func processWithdrawals(_ x: Int) throws(SynthError) {
        let ex = exchanges[x]
        guard !ex.pending.isEmpty, ex.pending.count >= 6 || rng.chance(0.45), roomInBlock > 300_000 else { return }
        let hot = ex.hot
        var budget = wallets[Int(hot)].balance - 500_000
        var batch: [Withdrawal] = []
        var keep: [Withdrawal] = []
        for wd in ex.pending {
            if batch.count < 150 && wd.amount <= budget {
                batch.append(wd); budget -= wd.amount
            } else {
                keep.append(wd)
            }
        }
        guard !batch.isEmpty else {
            try refillHot(x)
            // Requests that cannot be served for long are dropped (the customer gave up).
            if exchanges[x].pending.count > 400 { exchanges[x].pending.removeFirst(200) }
            return
        }
        var outs: [PlannedOutput] = []
        for wd in batch {
            if wd.seller >= 0 {
                let s = sellers[Int(wd.seller)]
                var o = sellerPaymentOutput(Int(wd.seller), value: wd.amount)
                o.paymentBuyer = buyers[Int(wd.buyer)].entity
                o.paymentSeller = s.entity
                o.pathParent = pathRoot
                outs.append(o)
                buyers[Int(wd.buyer)].waiting = false
            } else if wd.buyer >= 0 {
                var o = fresh(wd.wallet, role: .receive)
                o.value = wd.amount
                o.pathParent = pathRoot
                outs.append(o)
                buyers[Int(wd.buyer)].waiting = false
            } else {
                outs.append(receiveOutput(wd.wallet, value: wd.amount))
            }
        }
        rng.shuffle(&outs)
        let changeRole: Role = .hot
        let txid: Hash256?
        if rng.chance(0.7) {
            // Change back to a well-known hot address (exchanges reuse them).
            txid = try payToStaticChange(hot, outs, changeSlot: ex.hotAddresses[rng.below(ex.hotAddresses.count)])
        } else {
            txid = try pay(from: hot, outs, rate: blockFeeRate * 1.1, maxInputs: 40, changeRole: changeRole, style: .service)
        }
        if txid != nil {
            exchanges[x].pending = keep
        } else {
            for wd in batch where wd.buyer >= 0 { buyers[Int(wd.buyer)].waiting = true }
        }
    }

    /// An exchange batch whose change goes to a static hot address.
    private func payToStaticChange(_ w: Int32, _ payees: [PlannedOutput], changeSlot: Int32) throws(SynthError) -> Hash256? {
        let rate = max(1, blockFeeRate * 1.1)
        let need = payees.reduce(Int64(0)) { $0 + $1.value }
        var change = toStatic(changeSlot, wallet: w)
        let probe = fee(size(inputs: [], outputs: payees + [change], extraOutputs: []), rate) + 10 * 68 * Int64(rate)
        guard let inputs = selectCoins(w, target: need + probe, maxInputs: 40, preferSingle: 0.4) else { return nil }
        let sumIn = inputs.reduce(Int64(0)) { $0 + coins[Int($1)].value }
        let f = fee(size(inputs: inputs, outputs: payees + [change]), rate)
        let rest = sumIn - need - f
        guard rest >= 0 else { return nil }
        if rest < 1_000 {
            return try emit(inputs, payees, style: .service)
        }
        change.value = rest
        var outs = payees
        outs.append(change)      // exchanges often put change last
        return try emit(inputs, outs, style: .service)
    }

    private func refillHot(_ x: Int) throws(SynthError) {
        let ex = exchanges[x]
        let cold = ex.cold
        guard let c = wallets[Int(cold)].coins.first else { return }
        let v = coins[Int(c)].value
        let moveOut = toStatic(ex.hotAddresses[0], wallet: ex.hot, value: v / 2)
        if v / 2 < 2_000_000 {
            try sweep([c], to: moveOut, rate: blockFeeRate, style: .service)
        } else {
            try pay(from: cold, [moveOut], rate: blockFeeRate, inputs: [c], changeRole: .cold, style: .service)
        }
    }

    private func manageColdStorage(_ x: Int) throws(SynthError) {
        let ex = exchanges[x]
        let hotBalance = wallets[Int(ex.hot)].balance
        if hotBalance > 50 * 100_000_000 && rng.chance(0.05) {
            let move = hotBalance * 4 / 10
            var o = fresh(ex.cold, .p2wsh, role: .cold)
            o.value = move
            try pay(from: ex.hot, [o], rate: blockFeeRate * 0.8, maxInputs: 30, changeRole: .hot, style: .service)
        }
    }

    // MARK: users

    /// One random user-level transaction. Returns false when the chosen action was not possible.
    func userAction() throws(SynthError) -> Bool {
        let r = rng.unit()
        if r < 0.55 { return try userPayment() }
        if r < 0.70 { return try userDeposit() }
        if r < 0.75 { return try userConsolidation() }
        if r < 0.81 { return try userSendMax() }
        if r < 0.86 { return try userBatchPayment() }
        if r < 0.90 { return try userSelfTransfer() }
        return try userPayment()
    }

    private func pickReceiver(excluding w: Int32) -> Int32 {
        var to: Int32
        repeat {
            if !merchants.isEmpty && rng.chance(0.4) {
                to = merchants[rng.skewed(merchants.count)]
            } else {
                to = users[rng.below(users.count)]
            }
        } while to == w && users.count > 1
        return to
    }

    func userPayment() throws(SynthError) -> Bool {
        guard let w = randomFundedUser() else { return false }
        let balance = wallets[Int(w)].balance
        let to = pickReceiver(excluding: w)
        let a = amount(10_000, min(200_000_000, balance * 8 / 10))
        return try pay(from: w, [receiveOutput(to, value: a)]) != nil
    }

    func userBatchPayment() throws(SynthError) -> Bool {
        guard let w = randomFundedUser() else { return false }
        let balance = wallets[Int(w)].balance
        let n = rng.int(2...5)
        var outs: [PlannedOutput] = []
        for _ in 0..<n {
            outs.append(receiveOutput(pickReceiver(excluding: w), value: amount(10_000, max(10_000, balance / Int64(2 * n)))))
        }
        return try pay(from: w, outs) != nil
    }

    func userDeposit() throws(SynthError) -> Bool {
        guard let w = randomFundedUser() else { return false }
        let x = wallets[Int(w)].exchange
        let balance = wallets[Int(w)].balance
        if rng.chance(0.35) {
            // Send everything in a few coins ("max").
            let inputs = Array(wallets[Int(w)].coins.prefix(rng.int(1...6)))
            return try sweep(inputs, to: depositOutput(exchange: x, customer: w, value: 0), style: wallets[Int(w)].style) != nil
        }
        let a = amount(20_000, balance * 9 / 10, roundChance: 0.4)
        return try pay(from: w, [depositOutput(exchange: x, customer: w, value: a)]) != nil
    }

    func userConsolidation() throws(SynthError) -> Bool {
        guard let w = randomFundedUser(), wallets[Int(w)].coins.count >= 4 else { return false }
        let list = wallets[Int(w)].coins
        let n = min(list.count, rng.int(4...40))
        let start = rng.below(list.count)
        let inputs = (0..<n).map { list[(start + $0) % list.count] }
        return try sweep(inputs, to: fresh(w, role: .consolidation), rate: max(1, blockFeeRate * 0.5),
                         style: wallets[Int(w)].style) != nil
    }

    func userSendMax() throws(SynthError) -> Bool {
        guard let w = randomFundedUser() else { return false }
        let list = wallets[Int(w)].coins
        let inputs = Array(list.prefix(min(list.count, rng.int(1...4))))
        let to = pickReceiver(excluding: w)
        return try sweep(inputs, to: receiveOutput(to, value: 0), style: wallets[Int(w)].style) != nil
    }

    /// Moving funds to a fresh address of one's own (new wallet, key rotation).
    func userSelfTransfer() throws(SynthError) -> Bool {
        guard let w = randomFundedUser() else { return false }
        let balance = wallets[Int(w)].balance
        let a = amount(20_000, balance / 2)
        return try pay(from: w, [fresh(w, role: .receive, value: a)]) != nil
    }

    /// BIP78 PayJoin: the receiver adds one of its coins and takes it back in its output.
    func payjoin() throws(SynthError) -> Bool {
        guard let w = randomFundedUser(), !merchants.isEmpty else { return false }
        let type = wallets[Int(w)].type
        var receiver: Int32 = -1
        for _ in 0..<6 {
            let m = merchants[rng.below(merchants.count)]
            if m != w && wallets[Int(m)].type == type && !wallets[Int(m)].coins.isEmpty { receiver = m; break }
        }
        guard receiver >= 0 else { return false }
        let balance = wallets[Int(w)].balance
        let a = amount(20_000, balance * 7 / 10, roundChance: 0.2)
        let rate = feeRate()
        let rc = wallets[Int(receiver)].coins[rng.below(wallets[Int(receiver)].coins.count)]
        guard coins[Int(rc)].owner.type == type else { return false }
        var payOut = fresh(receiver, type, role: .payjoin)
        var change = fresh(w, type, role: .change)
        guard let senderInputs = selectCoins(w, target: a + fee(size(inputs: [rc], outputs: [payOut, change], extraOutputs: []), rate) + 2_000 + 2 * 68 * Int64(rate),
                                             maxInputs: 3) else { return false }
        guard senderInputs.allSatisfy({ coins[Int($0)].owner.type == type }) else { return false }
        var inputs = senderInputs + [rc]
        rng.shuffle(&inputs)
        let sumSender = senderInputs.reduce(Int64(0)) { $0 + coins[Int($1)].value }
        let f = fee(size(inputs: inputs, outputs: [payOut, change]), rate)
        payOut.value = a + coins[Int(rc)].value
        change.value = sumSender - a - f
        guard change.value >= 1_000 else { return false }
        var outs = [payOut, change]
        rng.shuffle(&outs)
        let txid = try emit(inputs, outs, style: wallets[Int(w)].style)
        try truth.payjoins.write("\(txid.hex)\n")
        stats.payjoins += 1
        return true
    }

    // MARK: sellers and buyers

    func sellerPaymentOutput(_ s: Int, value: Int64) -> PlannedOutput {
        let w = sellers[s].wallet
        var o = fresh(w, role: .payment)
        o.value = value
        return o
    }

    /// Called for every payment that made it into a block: one or two of each seller's payment
    /// addresses end up on the watchlist (the first, and a reservoir sample of the others).
    func noteSellerPayment(sellerEntity: Int32, ref: AddrRef) {
        guard let s = sellerOfEntity[sellerEntity].map(Int.init) else { return }
        sellers[s].received += 1
        if sellers[s].watch.count < 2 {
            sellers[s].watch.append(ref)
        } else if rng.below(sellers[s].received - 1) == 0 {
            sellers[s].watch[1] = ref
        }
    }

    func pickSeller(for b: Int) -> Int {
        rng.chance(0.6) ? Int(buyers[b].favourite) : rng.skewed(sellers.count)
    }

    /// One step of a random buyer: ask an exchange for coins, hop them, or pay a seller.
    func buyerAction() throws(SynthError) -> Bool {
        guard !buyers.isEmpty else { return false }
        let b = rng.below(buyers.count)
        let w = buyers[b].wallet
        let list = wallets[Int(w)].coins
        if list.isEmpty {
            guard !buyers[b].waiting else { return false }
            let x = buyers[b].exchange
            guard wallets[Int(exchanges[Int(x)].hot)].balance > 20_000_000 else { return false }
            let r = rng.unit()
            buyers[b].plannedHops = r < 0.5 ? 0 : r < 0.85 ? 1 : 2
            buyers[b].waiting = true
            if rng.chance(0.1) {
                // Paying the seller straight from the exchange account.
                let s = pickSeller(for: b)
                exchanges[Int(x)].pending.append(Withdrawal(wallet: -1, amount: amount(20_000, 2_000_000, roundChance: 0.2),
                                                            buyer: Int32(b), seller: Int32(s)))
            } else {
                let a = amount(60_000, 6_000_000, roundChance: 0.5)
                exchanges[Int(x)].pending.append(Withdrawal(wallet: w, amount: a, buyer: Int32(b)))
            }
            return false
        }
        let c = list[rng.below(list.count)]
        let coin = coins[Int(c)]
        let rate = feeRate()
        let depth = pathTxids(coin.path).count
        if depth <= buyers[b].plannedHops {
            // A hop through the buyer's own wallet; now and then through a Whirlpool Tx0.
            if rng.chance(0.15) && coin.value >= 1_300_000 {
                return try tx0(wallet: w, coin: c)
            }
            var o = fresh(w, rng.chance(0.8) ? wallets[Int(w)].type : AddrType(rawValue: UInt8(rng.below(4)))!, role: .hop)
            o.pathParent = coin.path
            if rng.chance(0.7) {
                hold(c)
                if try sweep([c], to: o, rate: rate, style: wallets[Int(w)].style) == nil { release(c); return false }
                return true
            }
            o.value = coin.value / Int64(rng.int(2...4))
            return try pay(from: w, [o], rate: rate, inputs: [c], changeRole: .change, changePath: coin.path) != nil
        }
        let s = pickSeller(for: b)
        let price = amount(20_000, 2_000_000, roundChance: 0.25)
        var o = sellerPaymentOutput(s, value: price)
        o.paymentBuyer = buyers[b].entity
        o.paymentSeller = sellers[s].entity
        o.pathParent = coin.path
        let noChangeFee = fee(size(inputs: [c], outputs: [o]), rate)
        if coin.value < price + noChangeFee + 1_000 {
            if coin.value >= 20_000 + noChangeFee + 500 {
                // Spend what is left on a cheaper item: the whole coin goes to the seller.
                o.value = coin.value - noChangeFee
                hold(c)
                try emit([c], [o], style: wallets[Int(w)].style)
                return true
            }
            hold(c)           // too small to use: left behind
            return false
        }
        return try pay(from: w, [o], rate: rate, inputs: [c], changeRole: .change, changePath: coin.path) != nil
    }

    /// Sellers consolidate their many payment coins, cash out to an exchange, or start a peel chain.
    func sellerActivity() throws(SynthError) {
        for s in sellers.indices {
            let w = sellers[s].wallet
            let list = wallets[Int(w)].coins
            guard list.count >= sellers[s].actAt, rng.chance(0.3), roomInBlock > 400_000 else { continue }
            sellers[s].actAt = rng.int(4...15)
            let inputs = Array(list.prefix(80))
            let r = rng.unit()
            if r < 0.45 || sellers[s].privacy && r < 0.7 {
                try sweep(inputs, to: fresh(w, role: .consolidation), rate: max(1, blockFeeRate * 0.7), style: wallets[Int(w)].style)
            } else if r < 0.85 {
                let out = depositOutput(exchange: sellers[s].exchange, customer: w, value: 0)
                try sweep(inputs, to: out, style: wallets[Int(w)].style)
            } else {
                let total = inputs.reduce(Int64(0)) { $0 + coins[Int($1)].value }
                if total >= 500_000 {
                    let head = fresh(w, role: .peel, sink: .held)
                    if try sweep(inputs, to: head, style: wallets[Int(w)].style) != nil, let coin = lastCoins.first, coin >= 0 {
                        startPeelChain(wallet: w, head: coin)
                    }
                }
            }
        }
    }

    // MARK: peel chains

    func startPeelChain(wallet w: Int32, head: Int32) {
        peelChains.append(PeelChain(id: nextPeelChainID, wallet: w, head: head, step: 0, maxSteps: rng.int(4...40)))
        nextPeelChainID += 1
    }

    /// A user with a large coin starts a peel chain.
    func startUserPeelChain() throws(SynthError) -> Bool {
        guard let w = randomFundedUser(), wallets[Int(w)].balance >= 100_000_000 else { return false }
        guard let c = wallets[Int(w)].coins.first(where: { coins[Int($0)].value >= 100_000_000 }) else { return false }
        hold(c)
        peelChains.append(PeelChain(id: nextPeelChainID, wallet: w, head: c, step: 0, maxSteps: rng.int(5...60)))
        nextPeelChainID += 1
        return try peelStep(peelChains.count - 1)
    }

    /// One step: a small payment peels off, the remainder moves to a fresh address of the owner.
    func peelStep(_ i: Int) throws(SynthError) -> Bool {
        let chain = peelChains[i]
        let head = chain.head
        let value = coins[Int(head)].value
        let w = chain.wallet
        if chain.step >= chain.maxSteps || value < 300_000 {
            release(head)
            peelChains[i].head = -1
            return false
        }
        let peel = max(20_000, value * Int64(rng.int(1...12)) / 100)
        let to = users[rng.below(users.count)]
        var payee: PlannedOutput
        if rng.chance(0.35) {
            payee = depositOutput(exchange: wallets[Int(to)].exchange, customer: to, value: peel)
        } else {
            payee = receiveOutput(to, value: peel)
        }
        payee.value = peel
        var rest = fresh(w, coins[Int(head)].owner.type, role: .peel, sink: .held)
        let rate = feeRate()
        let f = fee(size(inputs: [head], outputs: [payee, rest]), rate)
        rest.value = value - peel - f
        guard rest.value >= 10_000 else { release(head); peelChains[i].head = -1; return false }
        var outs = [payee, rest]
        if rng.chance(0.5) { outs.swapAt(0, 1) }
        let txid = try emit([head], outs, style: wallets[Int(w)].style)
        let newHead = lastCoins[outs[0].sink == .held ? 0 : 1]
        peelChains[i].head = newHead
        peelChains[i].step += 1
        try truth.peelChains.write("\(txid.hex),\(chain.id),\(chain.step),\(wallets[Int(w)].entity + 1)\n")
        stats.peelSteps += 1
        return true
    }

    func peelChainActivity() throws(SynthError) -> Int {
        var n = 0
        for i in peelChains.indices where peelChains[i].head >= 0 {
            for _ in 0..<rng.int(1...2) where peelChains[i].head >= 0 && roomInBlock > 100_000 {
                if try peelStep(i) { n += 1 }
            }
        }
        peelChains.removeAll { $0.head < 0 }
        return n
    }

    // MARK: services' housekeeping

    func serviceHousekeeping() throws(SynthError) {
        for w in [whirlpoolCoordinator, wasabi1Coordinator, wasabi2Coordinator] {
            if wallets[Int(w)].coins.count >= 25 && rng.chance(0.05) {
                let inputs = Array(wallets[Int(w)].coins.prefix(100))
                try sweep(inputs, to: fresh(w, role: .consolidation), rate: max(1, blockFeeRate * 0.5), style: .service)
            }
        }
    }
}
