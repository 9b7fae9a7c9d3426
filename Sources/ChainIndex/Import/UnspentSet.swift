/// The unspent outputs of an import, in memory: outpoint → (output id, value).
///
/// An open-addressing hash table (linear probing, backward-shift deletion, no tombstones) split
/// into 256 shards that grow independently, so growing never holds two copies of the whole set:
/// about 40 bytes per slot at a load between 0.375 and 0.75, i.e. 55–110 bytes per unspent output
/// (≈ 70 on average), against ≈ 100–160 for a `Dictionary` of the same entries during its growth.
///
/// Keys are the first 16 bytes of the txid and the output index (``OutpointKey``).
struct UnspentSet {
    private struct Slot {
        var a: UInt64       // txid bytes 0..<8
        var b: UInt64       // txid bytes 8..<16
        var id: Int64       // output id; 0 marks an empty slot (ids start at 1)
        var value: Int64
        var vout: UInt32
    }

    private struct Shard {
        var slots: [Slot]
        var count = 0
        var mask: Int { slots.count - 1 }

        init(capacity: Int) {
            slots = [Slot](repeating: Slot(a: 0, b: 0, id: 0, value: 0, vout: 0), count: capacity)
        }
    }

    private static let shardBits = 8
    private var shards: [Shard]
    private(set) var count = 0

    init() {
        shards = (0..<(1 << UnspentSet.shardBits)).map { _ in Shard(capacity: 16) }
    }

    @inline(__always) private static func hash(_ k: OutpointKey) -> UInt64 {
        // The txid is already uniform; mixing in the index spreads the outputs of one transaction.
        AddressKey.mix(k.a ^ (UInt64(k.vout) &* 0x9e37_79b9_7f4a_7c15))
    }

    @inline(__always) private static func matches(_ s: Slot, _ k: OutpointKey) -> Bool {
        s.id != 0 && s.a == k.a && s.b == k.b && s.vout == k.vout
    }

    /// Adds or replaces an entry (a repeated txid replaces the earlier outputs, as BIP30's
    /// duplicate coinbases do in Core).
    mutating func insert(_ k: OutpointKey, _ entry: UnspentOutput) {
        precondition(entry.id != 0, "output ids start at 1")
        let h = UnspentSet.hash(k)
        let s = Int(h >> UInt64(64 - UnspentSet.shardBits))
        if (shards[s].count + 1) * 4 > shards[s].slots.count * 3 { grow(s) }
        var i = Int(truncatingIfNeeded: h) & shards[s].mask
        while shards[s].slots[i].id != 0 {
            if UnspentSet.matches(shards[s].slots[i], k) {
                shards[s].slots[i].id = entry.id
                shards[s].slots[i].value = entry.value
                return
            }
            i = (i + 1) & shards[s].mask
        }
        shards[s].slots[i] = Slot(a: k.a, b: k.b, id: entry.id, value: entry.value, vout: k.vout)
        shards[s].count += 1
        count += 1
    }

    /// Removes and returns the entry of `k`, nil when absent.
    mutating func remove(_ k: OutpointKey) -> UnspentOutput? {
        let h = UnspentSet.hash(k)
        let s = Int(h >> UInt64(64 - UnspentSet.shardBits))
        let mask = shards[s].mask
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = shards[s].slots[i]
            if slot.id == 0 { return nil }
            if UnspentSet.matches(slot, k) { break }
            i = (i + 1) & mask
        }
        let found = UnspentOutput(id: shards[s].slots[i].id, value: shards[s].slots[i].value)
        // Backward-shift deletion: pull later members of the probe run into the hole.
        var hole = i
        var j = (i + 1) & mask
        while shards[s].slots[j].id != 0 {
            let home = Int(truncatingIfNeeded: UnspentSet.hash(OutpointKey(a: shards[s].slots[j].a, b: shards[s].slots[j].b,
                                                                          vout: shards[s].slots[j].vout))) & mask
            // Move j into the hole unless its home lies cyclically in (hole, j].
            let homeInRange = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !homeInRange {
                shards[s].slots[hole] = shards[s].slots[j]
                hole = j
            }
            j = (j + 1) & mask
        }
        shards[s].slots[hole].id = 0
        shards[s].count -= 1
        count -= 1
        return found
    }

    /// The entry of `k`, nil when absent.
    func lookup(_ k: OutpointKey) -> UnspentOutput? {
        let h = UnspentSet.hash(k)
        let s = Int(h >> UInt64(64 - UnspentSet.shardBits))
        let mask = shards[s].mask
        var i = Int(truncatingIfNeeded: h) & mask
        while shards[s].slots[i].id != 0 {
            if UnspentSet.matches(shards[s].slots[i], k) {
                return UnspentOutput(id: shards[s].slots[i].id, value: shards[s].slots[i].value)
            }
            i = (i + 1) & mask
        }
        return nil
    }

    mutating func removeAll() {
        self = UnspentSet()
    }

    private mutating func grow(_ s: Int) {
        let old = shards[s].slots
        var bigger = Shard(capacity: old.count * 2)
        let mask = bigger.mask
        for slot in old where slot.id != 0 {
            var i = Int(truncatingIfNeeded: UnspentSet.hash(OutpointKey(a: slot.a, b: slot.b, vout: slot.vout))) & mask
            while bigger.slots[i].id != 0 { i = (i + 1) & mask }
            bigger.slots[i] = slot
            bigger.count += 1
        }
        shards[s] = bigger
    }
}
