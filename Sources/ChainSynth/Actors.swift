import ChainIndex

struct Withdrawal {
    /// Receiving wallet (the customer's own wallet), or -1 when paying a seller directly.
    var wallet: Int32
    var amount: Int64
    /// For a buyer's withdrawal: the buyer index (its path starts at the withdrawal).
    var buyer: Int32 = -1
    /// For a buyer paying a seller straight from the exchange: the seller index.
    var seller: Int32 = -1
}

struct Exchange {
    var entity: Int32
    var hot: Int32
    var deposits: Int32
    var cold: Int32
    var hotAddresses: [Int32]
    var depositType: AddrType
    var pending: [Withdrawal] = []
    var sweepAt: Int
}

struct Pool {
    var entity: Int32
    var wallet: Int32
    var coinbaseAddress: Int32
    var tag: [UInt8]
    var weight: Double
    var exchange: Int32
    var members: [Int32] = []
    /// Immature coinbase coins, oldest first (`immatureHead` is the next to mature).
    var immature: [Int32] = []
    var immatureHead = 0
}

struct Seller {
    var entity: Int32
    var wallet: Int32
    var exchange: Int32
    var privacy: Bool
    var actAt: Int
    /// Addresses that go on the synthetic watchlist (a case file knows one or two of them).
    var watch: [AddrRef] = []
    var received = 0
}

struct Buyer {
    var entity: Int32
    var wallet: Int32
    var exchange: Int32
    var plannedHops = 0
    var waiting = false
    var favourite: Int32
}

struct PeelChain {
    var id: Int32
    var wallet: Int32
    var head: Int32
    var step: Int
    var maxSteps: Int
}

struct WhirlpoolPool {
    var denomination: Int64
    var fee: Int64
    var premix: [Int32] = []
    var postmix: [Int32] = []
}

extension Economy {
    // MARK: setup

    func setup() throws(SynthError) {
        let active = max(0, config.blocks - 1 - config.coinbaseMaturity)
        let estimate = max(1, active * config.txPerBlock)
        func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int { min(max(v, lo), hi) }
        let nUsers = clamp(estimate / 12, 60, 400_000)
        let nExchanges = clamp(3 + estimate / 300_000, 3, 8)
        let nSellers = clamp(estimate / 12_000, 3, 400)
        let nBuyers = clamp(estimate / 400, 10, 30_000)
        let nPools = 5

        func userType() -> AddrType {
            let r = rng.unit()
            return r < 0.45 ? .p2wpkh : r < 0.65 ? .p2pkh : r < 0.80 ? .p2shP2wpkh : .p2tr
        }
        func style(for type: AddrType) -> TxStyle {
            if type == .p2pkh && rng.chance(0.5) { return .legacy }
            return rng.chance(0.8) ? .core : .service
        }

        // Mining pools.
        for i in 0..<nPools {
            let e = addEntity(.miner, "pool-\(i + 1)")
            let type: AddrType = rng.chance(0.6) ? .p2wpkh : .p2pkh
            let w = addWallet(entity: e, type: type, style: .service)
            let cb = addStatic(e, type, role: .coinbase)
            pools.append(Pool(entity: e, wallet: w, coinbaseAddress: cb, tag: Array("/synth-pool-\(i + 1)/".utf8),
                              weight: 1.0 + Double(nPools - i) * 1.5, exchange: -1))
        }
        // Exchanges.
        let exchangeTypes: [AddrType] = [.p2wpkh, .p2shP2wpkh, .p2pkh, .p2wpkh, .p2tr, .p2shP2wpkh, .p2wpkh, .p2pkh]
        for i in 0..<nExchanges {
            let e = addEntity(.exchange, "synthetic-exchange-\(i + 1)")
            let type = exchangeTypes[i % exchangeTypes.count]
            let hot = addWallet(entity: e, type: type, style: .service)
            let deposits = addWallet(entity: e, type: type, style: .service)
            let cold = addWallet(entity: e, type: .p2wsh, style: .service)
            let hotAddresses = (0..<rng.int(1...3)).map { _ in addStatic(e, type, role: .hot) }
            exchanges.append(Exchange(entity: e, hot: hot, deposits: deposits, cold: cold, hotAddresses: hotAddresses,
                                      depositType: type, sweepAt: rng.int(6...30)))
        }
        for i in pools.indices { pools[i].exchange = Int32(rng.below(nExchanges)) }
        // CoinJoin coordinators.
        do {
            let e = addEntity(.mixer, "whirlpool-coordinator")
            whirlpoolCoordinator = addWallet(entity: e, type: .p2wpkh, style: .mixer)
            whirlpoolFeeAddresses = (0..<4).map { _ in addStatic(e, .p2wpkh, role: .coordinatorFee) }
            let e1 = addEntity(.mixer, "wasabi1-coordinator")
            wasabi1Coordinator = addWallet(entity: e1, type: .p2wpkh, style: .mixer)
            wasabi1FeeAddress = addStatic(e1, .p2wpkh, role: .coordinatorFee)
            let e2 = addEntity(.mixer, "wasabi2-coordinator")
            wasabi2Coordinator = addWallet(entity: e2, type: .p2wpkh, style: .mixer)
            wasabi2FeeAddresses = (0..<3).map { _ in addStatic(e2, .p2tr, role: .coordinatorFee) }
        }
        whirlpool = [WhirlpoolPool(denomination: 100_000, fee: 5_000),
                     WhirlpoolPool(denomination: 1_000_000, fee: 50_000),
                     WhirlpoolPool(denomination: 5_000_000, fee: 175_000),
                     WhirlpoolPool(denomination: 50_000_000, fee: 1_750_000)]
        wabiSabiDenominations = Economy.standardDenominations()

        // Sellers.
        for i in 0..<nSellers {
            let e = addEntity(.seller, "synthetic-seller-\(i + 1)")
            let r = rng.unit()
            let type: AddrType = r < 0.45 ? .p2wpkh : r < 0.70 ? .p2pkh : r < 0.85 ? .p2shP2wpkh : .p2tr
            let w = addWallet(entity: e, type: type, style: style(for: type), reuseChance: 0)
            wallets[Int(w)].exchange = Int32(rng.below(nExchanges))
            let privacy = rng.chance(0.25)
            sellers.append(Seller(entity: e, wallet: w, exchange: wallets[Int(w)].exchange, privacy: privacy,
                                  actAt: rng.int(4...15)))
            sellerOfWallet[w] = Int32(i)
            sellerOfEntity[e] = Int32(i)
        }
        // Buyers.
        for i in 0..<nBuyers {
            let e = addEntity(.buyer, "buyer-\(i + 1)")
            let type = userType()
            let w = addWallet(entity: e, type: type, style: style(for: type), reuseChance: 0.02)
            let ex = Int32(rng.skewed(nExchanges))
            wallets[Int(w)].exchange = ex
            buyers.append(Buyer(entity: e, wallet: w, exchange: ex, favourite: Int32(rng.skewed(nSellers))))
            buyerOfWallet[w] = Int32(i)
        }
        // Users.
        for i in 0..<nUsers {
            let e = addEntity(.user, "user-\(i + 1)")
            var type = userType()
            let r = rng.unit()
            // Privacy-wallet users use the script types their software supports.
            if r < 0.06 { type = .p2wpkh }
            else if r < 0.11 { type = .p2wpkh }
            else if r < 0.18 { type = rng.chance(0.5) ? .p2wpkh : .p2tr }
            else if r < 0.22 { type = .p2wpkh }
            let reuse = rng.chance(0.1) ? 0.5 : 0.03
            let w = addWallet(entity: e, type: type, style: r < 0.22 ? .core : style(for: type), reuseChance: r < 0.22 ? 0 : reuse)
            wallets[Int(w)].exchange = Int32(rng.skewed(nExchanges))
            users.append(w)
            if r < 0.06 { samourai.append(w) }
            else if r < 0.11 { wasabi1.append(w) }
            else if r < 0.18 { wasabi2.append(w) }
            else if r < 0.22 { joinmarket.append(w) }
            else if r < 0.27 { merchants.append(w) }
            else if r < 0.37 { pools[rng.below(nPools)].members.append(w) }
            if r >= 0.22 && rng.chance(0.08) {
                wallets[Int(w)].publicAddress = addStatic(e, type, role: .receive)
            }
        }
        for s in sellers where s.privacy { wasabi2.append(s.wallet) }
        for p in pools.indices where pools[p].members.isEmpty { pools[p].members.append(users[rng.below(users.count)]) }

        for (i, e) in entities.enumerated() {
            try truth.entities.write("\(i + 1),\(e.kind.rawValue),\(csvField(e.label))\n")
        }
    }

    /// WabiSabi's standard output denominations: powers of 2 and 3, 2·3^k, 10^k, 2·10^k, 5·10^k,
    /// from 5,000 sats up, largest first.
    static func standardDenominations() -> [Int64] {
        var set = Set<Int64>()
        let maxValue: Int64 = 1_374_389_534_720
        var v: Int64 = 1
        while v <= maxValue { if v >= 5_000 { set.insert(v) }; v *= 2 }
        v = 1
        while v <= maxValue { if v >= 5_000 { set.insert(v) }; if 2 * v >= 5_000 && 2 * v <= maxValue { set.insert(2 * v) }; v *= 3 }
        v = 1
        while v <= maxValue {
            for m: Int64 in [1, 2, 5] where m * v >= 5_000 && m * v <= maxValue { set.insert(m * v) }
            v *= 10
        }
        return set.sorted(by: >)
    }

    // MARK: small helpers

    /// A payment amount: log-uniform, sometimes rounded to one or two significant digits.
    func amount(_ lo: Int64, _ hi: Int64, roundChance: Double = 0.3) -> Int64 {
        var a = rng.logUniform(lo, max(lo, hi))
        if rng.chance(roundChance) {
            var unit: Int64 = 1
            while unit * 100 <= a { unit *= 10 }
            if rng.chance(0.5) { unit *= 10 }
            let r = a / unit * unit
            if r >= lo { a = r }
        }
        return a
    }

    /// The customer's deposit address at an exchange (created on first use, then reused).
    func depositAddress(exchange x: Int32, customer w: Int32) -> Int32 {
        let key = UInt64(UInt32(x)) << 32 | UInt64(UInt32(w))
        if let slot = depositSlots[key] { return slot }
        let ex = exchanges[Int(x)]
        let slot = addStatic(ex.entity, ex.depositType, role: .deposit)
        depositSlots[key] = slot
        return slot
    }

    func depositOutput(exchange x: Int32, customer w: Int32, value: Int64) -> PlannedOutput {
        toStatic(depositAddress(exchange: x, customer: w), wallet: exchanges[Int(x)].deposits, value: value)
    }

    /// Where a wallet's owner receives a payment: usually a fresh address, sometimes its public one.
    func receiveOutput(_ w: Int32, value: Int64, role: Role = .receive) -> PlannedOutput {
        let wallet = wallets[Int(w)]
        if wallet.publicAddress >= 0 && rng.chance(0.35) {
            return toStatic(wallet.publicAddress, wallet: w, value: value)
        }
        let type: AddrType = rng.chance(0.05) ? AddrType(rawValue: UInt8(rng.below(4)))! : wallet.type
        var o = fresh(w, type, role: role)
        o.value = value
        return o
    }

    func randomFundedUser() -> Int32? {
        guard fundedUsers.count > 0 else { return nil }
        return fundedUsers.members[rng.below(fundedUsers.count)]
    }

    /// Spends `inputs` entirely to one output (no change): consolidations, sweeps, "send max".
    @discardableResult
    func sweep(_ inputs: [Int32], to out: PlannedOutput, rate: Double? = nil, style: TxStyle) throws(SynthError) -> Hash256? {
        let r = rate ?? feeRate()
        let sumIn = inputs.reduce(Int64(0)) { $0 + coins[Int($1)].value }
        let f = fee(size(inputs: inputs, outputs: [out]), r)
        var o = out
        o.value = sumIn - f
        guard o.value >= max(o.type.dustLimit, 1_000) else { return nil }
        return try emit(inputs, [o], style: style)
    }
}
