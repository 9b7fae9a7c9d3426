/// A Bloom filter over the fingerprints of the addresses stored in the index: "absent" is
/// certain, "present" is probable. It lets the importer append a new address without looking it
/// up first, at about 1.2 bytes of memory per stored address (10 bits, 4 probes: ~1% false positives).
struct AddressFilter {
    private var bits: [UInt64]
    private var mask: UInt64
    private(set) var count = 0

    /// A filter sized for `expected` addresses; it doubles (rebuilt by the caller) when it fills up.
    init(expected: Int) {
        var words = 1
        while words * 64 < max(expected, 1 << 16) * 10 { words <<= 1 }
        bits = [UInt64](repeating: 0, count: words)
        mask = UInt64(words * 64 - 1)
    }

    /// True when more addresses were added than the filter was sized for (false positives rise).
    var isOverfull: Bool { count * 10 > bits.count * 64 }

    @inline(__always) private func probes(_ fingerprint: UInt64) -> (UInt64, UInt64) {
        let h = fingerprint
        return (h, (h >> 32) | 1)
    }

    mutating func insert(_ fingerprint: UInt64) {
        var (h, step) = probes(fingerprint)
        for _ in 0..<4 {
            let bit = h & mask
            bits[Int(bit >> 6)] |= 1 << (bit & 63)
            h &+= step
        }
        count += 1
    }

    func mayContain(_ fingerprint: UInt64) -> Bool {
        var (h, step) = probes(fingerprint)
        for _ in 0..<4 {
            let bit = h & mask
            if bits[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
            h &+= step
        }
        return true
    }
}
