import Testing
@testable import ChainIndex

/// The import's unspent-output table against a `Dictionary` under random operations.
struct UnspentSetTests {
    /// SplitMix64, for reproducible operation sequences.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func behavesLikeADictionary(seed: UInt64) {
        var rng = Seeded(state: seed)
        var table = UnspentSet()
        var model = [OutpointKey: UnspentOutput]()
        // Few distinct txids and small vouts make collisions, replacements and long probe runs likely.
        let txids = (0..<3000).map { _ in (UInt64.random(in: 0...UInt64.max, using: &rng), UInt64.random(in: 0...UInt64.max, using: &rng)) }
        var nextId: Int64 = 1
        for step in 0..<60_000 {
            let (a, b) = txids[Int.random(in: 0..<txids.count, using: &rng)]
            let key = OutpointKey(a: a, b: b, vout: UInt32.random(in: 0..<4, using: &rng))
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6:
                let entry = UnspentOutput(id: nextId, value: Int64.random(in: 0...2_100_000_000_000_000, using: &rng))
                nextId += 1
                table.insert(key, entry)
                model[key] = entry
            case 6..<9:
                let got = table.remove(key), want = model.removeValue(forKey: key)
                #expect(got?.id == want?.id && got?.value == want?.value, "remove at step \(step)")
            default:
                let got = table.lookup(key), want = model[key]
                #expect(got?.id == want?.id && got?.value == want?.value, "lookup at step \(step)")
            }
            if table.count != model.count {
                Issue.record("count \(table.count) != \(model.count) at step \(step)")
                return
            }
        }
        // Everything left is still found, and removing it empties the table.
        for (key, want) in model {
            #expect(table.lookup(key)?.id == want.id)
            #expect(table.remove(key)?.value == want.value)
        }
        #expect(table.count == 0)
    }

    @Test func absentKeysAreNotFound() {
        var table = UnspentSet()
        table.insert(OutpointKey(a: 1, b: 2, vout: 0), UnspentOutput(id: 7, value: 50))
        #expect(table.lookup(OutpointKey(a: 1, b: 2, vout: 1)) == nil)
        #expect(table.lookup(OutpointKey(a: 1, b: 3, vout: 0)) == nil)
        #expect(table.remove(OutpointKey(a: 2, b: 2, vout: 0)) == nil)
        #expect(table.lookup(OutpointKey(a: 1, b: 2, vout: 0))?.value == 50)
    }
}
