import ChainIndex

/// Who owns an entity's coins in the ground truth.
enum EntityKind: String, CaseIterable {
    case user, exchange, seller, buyer, mixer, miner
}

/// What an address is used for inside its entity (a truth column: it lets change heuristics be scored).
enum Role: String {
    case receive, change, deposit, hot, cold, coinbase, payment, premix, postmix
    case mixed = "coinjoin_output"
    case coinjoinChange = "coinjoin_change"
    case coordinatorFee = "coordinator_fee"
    case tx0Change = "tx0_change"
    case consolidation, peel, payjoin, hop
}

struct Entity {
    var kind: EntityKind
    var label: String
    var nextIndex: UInt32 = 0
}

/// Wallet software habits that show in its transactions (version, sequence, anti-fee-sniping).
struct TxStyle {
    var version: Int32
    var sequence: UInt32
    var antiSnipe: Bool

    static let core = TxStyle(version: 2, sequence: 0xffff_fffd, antiSnipe: true)
    static let legacy = TxStyle(version: 1, sequence: 0xffff_ffff, antiSnipe: false)
    static let service = TxStyle(version: 2, sequence: 0xffff_fffe, antiSnipe: false)
    static let mixer = TxStyle(version: 1, sequence: 0xffff_ffff, antiSnipe: false)
}

struct Wallet {
    var entity: Int32
    /// The wallet's main script type (receive and change addresses).
    var type: AddrType
    /// Spendable coins (indexes into the coin pool).
    var coins: [Int32] = []
    var balance: Int64 = 0
    var style: TxStyle
    /// Chance that change goes back to an input's address instead of a fresh one.
    var reuseChance: Double
    /// The exchange where the owner keeps an account, -1 if none.
    var exchange: Int32 = -1
    /// A static receiving address given out again and again (donation-style), if any.
    var publicAddress: Int32 = -1
}

/// Where a coin is: in its wallet's spendable list, held by a process (immature coinbase,
/// CoinJoin queue, peel chain head), or spent.
enum CoinState: UInt8 { case free, held, spent }

struct Coin {
    var txid: Hash256
    var value: Int64
    var vout: UInt32
    var owner: AddrRef
    var wallet: Int32
    /// Position in the wallet's `coins` when free.
    var slot: Int32
    var height: Int32
    /// Provenance of a buyer's funds (index into `paths`), or `noPath`.
    var path: Int32
    var state: CoinState
}

let noPath: Int32 = -2
let pathRoot: Int32 = -1

/// A reused address: its reference, script and whether it already appears in addresses.csv.
struct StaticAddress {
    var ref: AddrRef
    var payload: Payload
    var script: [UInt8]
    var role: Role
    var registered = false
}

enum Sink { case free, held, none }

/// An output being planned: value, destination and bookkeeping for the truth.
struct PlannedOutput {
    var value: Int64
    var ref: AddrRef
    var payload: Payload?
    var script: [UInt8]
    var wallet: Int32
    var role: Role
    var register: Bool
    var staticSlot: Int32 = -1
    var sink: Sink = .free
    /// The path this output's coin (or payment record) extends, `noPath` for none, `pathRoot` to start one.
    var pathParent: Int32 = noPath
    /// Set for a buyer → seller payment: (buyer entity, seller entity).
    var paymentBuyer: Int32 = -1
    var paymentSeller: Int32 = -1

    var type: AddrType { ref.type }
}

struct PathNode {
    var parent: Int32
    var txid: Hash256
}

/// Wallets whose balance is worth spending, with O(1) insert, remove and random pick.
struct IndexedSet {
    private(set) var members: [Int32] = []
    private var position: [Int32] = []

    mutating func ensure(_ capacity: Int) {
        if position.count < capacity { position.append(contentsOf: repeatElement(-1, count: capacity - position.count)) }
    }

    func contains(_ w: Int32) -> Bool { Int(w) < position.count && position[Int(w)] >= 0 }

    mutating func insert(_ w: Int32) {
        ensure(Int(w) + 1)
        if position[Int(w)] >= 0 { return }
        position[Int(w)] = Int32(members.count)
        members.append(w)
    }

    mutating func remove(_ w: Int32) {
        guard contains(w) else { return }
        let p = Int(position[Int(w)])
        let last = members.removeLast()
        if p < members.count { members[p] = last; position[Int(last)] = Int32(p) }
        position[Int(w)] = -1
    }

    var count: Int { members.count }
}

/// Counters for the summary.
struct Stats {
    var transactions = 0
    var witnessTransactions = 0
    var inputs = 0
    var outputs = 0
    var payments = 0
    var payjoins = 0
    var peelSteps = 0
    var addresses = 0
    var fees: Int64 = 0
    var coinjoins: [String: Int] = [:]
}

/// The simulated economy: entities, wallets, the coin pool, the block being built, and the
/// truth files. All behaviour lives in extensions (Behaviours.swift, CoinJoins.swift).
final class Economy {
    let config: SynthConfig
    let network = Network.regtest
    var rng: Xoshiro256
    let keys: KeyDeriver
    var builder: BlockBuilder
    let truth: TruthFiles

    var entities: [Entity] = []
    var wallets: [Wallet] = []
    var coins: [Coin] = []
    private var freeCoinSlots: [Int32] = []
    var liveCoins = 0
    var statics: [StaticAddress] = []
    /// `,entity_id,kind,` of each entity, for addresses.csv rows.
    private var entityColumns: [[UInt8]] = []
    var paths: [PathNode] = []
    /// Users with at least `fundedMinimum` spendable.
    var fundedUsers = IndexedSet()
    static let fundedMinimum: Int64 = 30_000

    var height = 0
    var time: UInt32 = 0
    /// The fee level of the current block in sat/vB.
    var blockFeeRate = 4.0
    /// Weight of the transactions already in the block.
    var blockWeight = 0
    static let maxBlockWeight = 3_900_000
    var stats = Stats()

    // Actors (filled by setup).
    var users: [Int32] = []            // user wallets
    var merchants: [Int32] = []
    var samourai: [Int32] = []
    var wasabi1: [Int32] = []
    var wasabi2: [Int32] = []
    var joinmarket: [Int32] = []
    var exchanges: [Exchange] = []
    var pools: [Pool] = []
    var sellers: [Seller] = []
    var buyers: [Buyer] = []
    var sellerOfWallet: [Int32: Int32] = [:]
    var sellerOfEntity: [Int32: Int32] = [:]
    var buyerOfWallet: [Int32: Int32] = [:]
    var whirlpool: [WhirlpoolPool] = []
    var whirlpoolCoordinator: Int32 = -1        // wallet
    var whirlpoolFeeAddresses: [Int32] = []     // static slots
    var wasabi1Coordinator: Int32 = -1
    var wasabi1FeeAddress: Int32 = -1
    var wasabi2Coordinator: Int32 = -1
    var wasabi2FeeAddresses: [Int32] = []
    var depositSlots: [UInt64: Int32] = [:]
    var peelChains: [PeelChain] = []
    var nextPeelChainID: Int32 = 0
    var wabiSabiDenominations: [Int64] = []

    // Scratch buffers reused by `emit`.
    private var spendScratch: [SpendInput] = []
    private var outputScratch: [TxOutput] = []
    private(set) var lastCoins: [Int32] = []

    init(config: SynthConfig, truth: TruthFiles) {
        self.config = config
        self.truth = truth
        self.rng = Xoshiro256(seed: config.seed)
        self.keys = KeyDeriver(seed: config.seed)
        self.builder = BlockBuilder(keys: keys, seed: config.seed)
    }

    // MARK: entities, wallets, addresses

    func addEntity(_ kind: EntityKind, _ label: String) -> Int32 {
        entities.append(Entity(kind: kind, label: label))
        return Int32(entities.count - 1)
    }

    func addWallet(entity: Int32, type: AddrType, style: TxStyle, reuseChance: Double = 0) -> Int32 {
        wallets.append(Wallet(entity: entity, type: type, style: style, reuseChance: reuseChance))
        fundedUsers.ensure(wallets.count)
        return Int32(wallets.count - 1)
    }

    func newRef(_ entity: Int32, _ type: AddrType) -> AddrRef {
        let i = entities[Int(entity)].nextIndex
        entities[Int(entity)].nextIndex = i &+ 1
        return AddrRef(entity: entity, index: i, type: type)
    }

    /// A fresh address of wallet `w`'s owner, as an output of `value` that lands in `w`.
    func fresh(_ w: Int32, _ type: AddrType? = nil, role: Role, value: Int64 = 0, sink: Sink = .free) -> PlannedOutput {
        let ref = newRef(wallets[Int(w)].entity, type ?? wallets[Int(w)].type)
        let payload = keys.payload(ref)
        return PlannedOutput(value: value, ref: ref, payload: payload, script: Script.scriptPubKey(ref.type, payload),
                             wallet: w, role: role, register: true, sink: sink)
    }

    /// A reused address that already received (no new row in addresses.csv).
    func reused(_ ref: AddrRef, wallet w: Int32, role: Role, value: Int64 = 0) -> PlannedOutput {
        let payload = keys.payload(ref)
        return PlannedOutput(value: value, ref: ref, payload: payload, script: Script.scriptPubKey(ref.type, payload),
                             wallet: w, role: role, register: false)
    }

    func addStatic(_ entity: Int32, _ type: AddrType, role: Role) -> Int32 {
        let ref = newRef(entity, type)
        let payload = keys.payload(ref)
        statics.append(StaticAddress(ref: ref, payload: payload, script: Script.scriptPubKey(type, payload), role: role))
        return Int32(statics.count - 1)
    }

    /// An output to a static (reused) address; it is registered the first time it receives.
    func toStatic(_ slot: Int32, wallet w: Int32, value: Int64 = 0, sink: Sink = .free) -> PlannedOutput {
        let s = statics[Int(slot)]
        return PlannedOutput(value: value, ref: s.ref, payload: s.payload, script: s.script, wallet: w, role: s.role,
                             register: false, staticSlot: slot, sink: sink)
    }

    func nullData(_ data: [UInt8]) -> PlannedOutput {
        PlannedOutput(value: 0, ref: AddrRef(entity: -1, index: 0, type: .p2wpkh), payload: nil,
                      script: Script.nullData(data), wallet: -1, role: .receive, register: false, sink: .none)
    }

    /// Adds a row to addresses.csv: `address,entity_id,kind,type,role`.
    func register(ref: AddrRef, payload: Payload, role: Role) throws(SynthError) {
        let e = Int(ref.entity)
        if entityColumns.count <= e {
            entityColumns.append(contentsOf: repeatElement([], count: e + 1 - entityColumns.count))
        }
        if entityColumns[e].isEmpty {
            entityColumns[e] = Array(",\(e + 1),\(entities[e].kind.rawValue),".utf8)
        }
        let f = truth.addresses
        try f.write(contentsOf: payload.render(ref.type, on: network).utf8)
        try f.write(entityColumns[e])
        try f.write(contentsOf: ref.type.name.utf8)
        try f.write(contentsOf: ",".utf8)
        try f.write(contentsOf: role.rawValue.utf8)
        try f.write(contentsOf: "\n".utf8)
        stats.addresses += 1
    }

    // MARK: the coin pool

    func addCoin(txid: Hash256, vout: UInt32, value: Int64, owner: AddrRef, wallet w: Int32, path: Int32,
                 sink: Sink) -> Int32 {
        let coin = Coin(txid: txid, value: value, vout: vout, owner: owner, wallet: w, slot: -1,
                        height: Int32(height), path: path, state: .held)
        let id: Int32
        if let slot = freeCoinSlots.popLast() {
            id = slot
            coins[Int(id)] = coin
        } else {
            id = Int32(coins.count)
            coins.append(coin)
        }
        liveCoins += 1
        if sink == .free { release(id) }
        return id
    }

    /// Puts a held coin into its wallet's spendable list.
    func release(_ c: Int32) {
        let w = Int(coins[Int(c)].wallet)
        coins[Int(c)].state = .free
        coins[Int(c)].slot = Int32(wallets[w].coins.count)
        wallets[w].coins.append(c)
        wallets[w].balance += coins[Int(c)].value
        updateFunded(Int32(w))
    }

    /// Takes a free coin out of its wallet's spendable list (it becomes held).
    func hold(_ c: Int32) {
        guard coins[Int(c)].state == .free else { return }
        let w = Int(coins[Int(c)].wallet)
        let slot = Int(coins[Int(c)].slot)
        let last = wallets[w].coins.removeLast()
        if slot < wallets[w].coins.count {
            wallets[w].coins[slot] = last
            coins[Int(last)].slot = Int32(slot)
        }
        wallets[w].balance -= coins[Int(c)].value
        coins[Int(c)].state = .held
        coins[Int(c)].slot = -1
        updateFunded(Int32(w))
    }

    @inline(__always) func updateFunded(_ w: Int32) {
        guard entities[Int(wallets[Int(w)].entity)].kind == .user else { return }
        if wallets[Int(w)].balance >= Economy.fundedMinimum { fundedUsers.insert(w) } else { fundedUsers.remove(w) }
    }

    // MARK: fees and sizes

    /// The fee rate one transaction pays (sat/vB), around the block's level.
    func feeRate() -> Double {
        max(1.0, blockFeeRate * (0.6 + 0.9 * rng.unit()))
    }

    @inline(__always) func fee(_ size: TxSize, _ rate: Double) -> Int64 {
        Int64((Double(size.vsize) * rate).rounded(.up))
    }

    func size(inputs: [Int32], outputs: [PlannedOutput], extraOutputs: [AddrType] = []) -> TxSize {
        var s = TxSize()
        for c in inputs { s.addInput(coins[Int(c)].owner.type) }
        for o in outputs { s.addOutput(scriptLength: o.script.count) }
        for t in extraOutputs { s.addOutput(t) }
        return s
    }

    var roomInBlock: Int { Economy.maxBlockWeight - blockWeight }

    // MARK: coin selection

    /// Picks spendable coins of `w` worth at least `target`: a single coin when a few random probes
    /// find one, else random coins accumulated up to `maxInputs`. Nil if the wallet cannot pay.
    func selectCoins(_ w: Int32, target: Int64, maxInputs: Int = 12, preferSingle: Double = 0.75) -> [Int32]? {
        let list = wallets[Int(w)].coins
        guard !list.isEmpty, wallets[Int(w)].balance >= target else { return nil }
        if rng.chance(preferSingle) {
            var best: Int32 = -1
            for _ in 0..<min(8, list.count) {
                let c = list[rng.below(list.count)]
                let v = coins[Int(c)].value
                if v >= target && (best < 0 || v < coins[Int(best)].value) { best = c }
            }
            if best >= 0 { return [best] }
        }
        var picked: [Int32] = []
        var sum: Int64 = 0
        let start = rng.below(list.count)
        for k in 0..<list.count {
            let c = list[(start + k) % list.count]
            picked.append(c)
            sum += coins[Int(c)].value
            if sum >= target { return picked }
            if picked.count >= maxInputs {
                // Swap the smallest picked coin for a bigger one further on, if any.
                break
            }
        }
        // Fall back to the largest coins.
        let sorted = list.sorted { coins[Int($0)].value > coins[Int($1)].value }
        picked.removeAll(); sum = 0
        for c in sorted.prefix(maxInputs) {
            picked.append(c); sum += coins[Int(c)].value
            if sum >= target { return picked }
        }
        return nil
    }

    // MARK: emitting transactions

    /// Serializes a transaction into the current block and updates the coin pool and the truth.
    /// Checks every invariant the ground truth promises (no double spend, positive fee, no
    /// negative or dust-free-zero values, sizes equal to the estimate the fee was computed on).
    @discardableResult
    func emit(_ inputs: [Int32], _ outputs: [PlannedOutput], style: TxStyle) throws(SynthError) -> Hash256 {
        guard !inputs.isEmpty, !outputs.isEmpty else {
            throw .inconsistency(height: height, message: "transaction without inputs or outputs")
        }
        spendScratch.removeAll(keepingCapacity: true)
        outputScratch.removeAll(keepingCapacity: true)
        var size = TxSize()
        var sumIn: Int64 = 0
        for c in inputs {
            let coin = coins[Int(c)]
            guard coin.state != .spent else {
                throw .inconsistency(height: height, message: "coin \(coin.txid.hex):\(coin.vout) spent twice")
            }
            hold(c)
            coins[Int(c)].state = .spent
            sumIn += coin.value
            size.addInput(coin.owner.type)
            spendScratch.append(SpendInput(txid: coin.txid, vout: coin.vout, owner: coin.owner, sequence: style.sequence))
        }
        var sumOut: Int64 = 0
        for o in outputs {
            if o.value < 0 || (o.value == 0 && o.payload != nil) {
                throw .inconsistency(height: height, message: "output value \(o.value) to \(o.ref)")
            }
            if o.payload != nil && o.value < o.type.dustLimit {
                throw .inconsistency(height: height, message: "dust output of \(o.value) sats (\(o.type.name))")
            }
            sumOut += o.value
            size.addOutput(scriptLength: o.script.count)
            outputScratch.append(TxOutput(value: o.value, script: o.script))
        }
        let fee = sumIn - sumOut
        guard fee >= Int64(size.vsize) else {
            throw .inconsistency(height: height, message: "fee \(fee) below 1 sat/vB for \(size.vsize) vB (in \(sumIn), out \(sumOut))")
        }
        let lockTime: UInt32 = style.antiSnipe && height > 0 ? UInt32(height - 1) : 0
        let before = builder.body.count
        let txid = builder.append(version: style.version, inputs: spendScratch, outputs: outputScratch,
                                  lockTime: lockTime, fee: fee)
        let total = size.hasWitness ? size.totalBase + 2 + size.witness : size.totalBase
        guard builder.body.count - before == total else {
            throw .inconsistency(height: height, message: "serialized \(builder.body.count - before) bytes, estimated \(total)")
        }
        for c in inputs { coins[Int(c)].state = .spent; freeCoinSlots.append(c); liveCoins -= 1 }

        lastCoins.removeAll(keepingCapacity: true)
        var nodeParent: Int32 = Int32.min, node: Int32 = noPath
        for (i, o) in outputs.enumerated() {
            if o.staticSlot >= 0 {
                if !statics[Int(o.staticSlot)].registered {
                    statics[Int(o.staticSlot)].registered = true
                    try register(ref: o.ref, payload: o.payload!, role: o.role)
                }
            } else if o.register {
                try register(ref: o.ref, payload: o.payload!, role: o.role)
            }
            var path = noPath
            if o.pathParent != noPath {
                if o.pathParent != nodeParent {
                    paths.append(PathNode(parent: o.pathParent, txid: txid))
                    node = Int32(paths.count - 1); nodeParent = o.pathParent
                }
                path = node
            }
            if o.paymentBuyer >= 0 {
                noteSellerPayment(sellerEntity: o.paymentSeller, ref: o.ref)
                try recordPayment(buyer: o.paymentBuyer, seller: o.paymentSeller, txid: txid, vout: i, value: o.value, path: path)
                path = noPath
            }
            if o.sink != .none && o.payload != nil && o.wallet >= 0 {
                lastCoins.append(addCoin(txid: txid, vout: UInt32(i), value: o.value, owner: o.ref, wallet: o.wallet,
                                         path: path, sink: o.sink))
            } else {
                lastCoins.append(-1)
            }
        }
        stats.transactions += 1
        stats.inputs += inputs.count
        stats.outputs += outputs.count
        stats.fees += fee
        if size.hasWitness { stats.witnessTransactions += 1 }
        blockWeight += size.weight
        return txid
    }

    /// The txids of a path, root first.
    func pathTxids(_ node: Int32) -> [Hash256] {
        var out: [Hash256] = []
        var n = node
        while n >= 0 {
            out.append(paths[Int(n)].txid)
            n = paths[Int(n)].parent
        }
        return out.reversed()
    }

    func recordPayment(buyer: Int32, seller: Int32, txid: Hash256, vout: Int, value: Int64, path: Int32) throws(SynthError) {
        let list = pathTxids(path).map { "\"\($0.hex)\"" }.joined(separator: ",")
        try truth.payments.write("{\"buyer\":\(buyer + 1),\"seller\":\(seller + 1),\"txid\":\"\(txid.hex)\",\"vout\":\(vout),\"value\":\(value),\"height\":\(height),\"time\":\(time),\"path\":[\(list)]}\n")
        stats.payments += 1
    }

    func recordCoinJoin(_ txid: Hash256, _ kind: String) throws(SynthError) {
        try truth.coinjoins.write("\(txid.hex),\(kind)\n")
        stats.coinjoins[kind, default: 0] += 1
    }

    // MARK: the common spend: pay some outputs, return change

    /// Pays `payees` from wallet `w` with change back to the wallet (fresh address of the wallet's
    /// type, sometimes the payee's type, sometimes an input's address). Returns the txid, or nil
    /// when the wallet cannot afford it (nothing is changed then).
    @discardableResult
    func pay(from w: Int32, _ payees: [PlannedOutput], rate: Double? = nil, maxInputs: Int = 12,
             inputs forced: [Int32]? = nil, changeRole: Role = .change, changePath: Int32 = noPath,
             allowNoChange: Bool = true, style: TxStyle? = nil) throws(SynthError) -> Hash256? {
        let r = rate ?? feeRate()
        let need = payees.reduce(Int64(0)) { $0 + $1.value }
        let wallet = wallets[Int(w)]
        var changeType = wallet.type
        if let p = payees.first, p.type != changeType, p.type != .p2wsh, rng.chance(0.2) { changeType = p.type }
        var target = need + fee(size(inputs: [], outputs: payees, extraOutputs: [changeType, wallet.type]), r)
        for _ in 0..<3 {
            guard let inputs = forced ?? selectCoins(w, target: target, maxInputs: maxInputs) else { return nil }
            let sumIn = inputs.reduce(Int64(0)) { $0 + coins[Int($1)].value }
            let withChange = fee(size(inputs: inputs, outputs: payees, extraOutputs: [changeType]), r)
            let noChange = fee(size(inputs: inputs, outputs: payees), r)
            let change = sumIn - need - withChange
            if change >= max(changeType.dustLimit, 1_000) {
                var change = change
                var out: PlannedOutput
                if rng.chance(wallet.reuseChance) {
                    let ref = coins[Int(inputs[0])].owner
                    out = reused(ref, wallet: w, role: changeRole)
                    // The reused address may have another type than planned: refigure the fee.
                    let f = fee(size(inputs: inputs, outputs: payees + [out]), r)
                    change = sumIn - need - f
                    if change < max(ref.type.dustLimit, 1_000) { return nil }
                } else {
                    out = fresh(w, changeType, role: changeRole)
                }
                out.value = change
                out.pathParent = changePath
                var outs = payees
                outs.insert(out, at: rng.below(outs.count + 1))
                return try emit(inputs, outs, style: style ?? wallet.style)
            }
            if allowNoChange && sumIn - need >= noChange {
                // Change would be dust: it goes to the miner (changeless spend).
                return try emit(inputs, payees, style: style ?? wallet.style)
            }
            if forced != nil { return nil }
            target = need + withChange + max(changeType.dustLimit, 1_000) + 1
        }
        return nil
    }
}
