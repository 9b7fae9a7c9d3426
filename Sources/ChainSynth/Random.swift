/// Small deterministic pseudo-random generators. The synthesizer never touches the system
/// generator: the same seed must give byte-identical output on every machine and run.

/// SplitMix64 (Steele, Lea and Flood): used to seed other generators and to derive keys.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    @inline(__always) mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function: a strong 64-bit finalizer.
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman and Vigna), the generator behind every decision of the economy.
struct Xoshiro256 {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always) mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform integer in `0..<n` (Lemire's multiply-high; the tiny bias is irrelevant here).
    @inline(__always) mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(0)")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform integer in the closed range.
    @inline(__always) mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform double in [0, 1).
    @inline(__always) mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    @inline(__always) mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Log-uniform integer in [lo, hi] (lo >= 1): many small values, few large ones.
    mutating func logUniform(_ lo: Int64, _ hi: Int64) -> Int64 {
        if hi <= lo { return lo }
        let span = DetMath.log2(Double(hi) / Double(lo))
        let v = Int64(Double(lo) * DetMath.exp2(span * unit()))
        return min(max(v, lo), hi)
    }

    /// Exponentially distributed double with the given mean.
    mutating func exponential(mean: Double) -> Double {
        -mean * DetMath.log2(1 - unit()) * 0.693_147_180_559_945_3
    }

    /// Index into `0..<n` skewed towards small indexes (popular sellers, busy merchants):
    /// the density falls like u^power.
    mutating func skewed(_ n: Int, power: Int = 2) -> Int {
        let u = unit()
        var p = 1.0
        for _ in 0..<power { p *= u }
        return min(n - 1, Int(Double(n) * p))
    }

    mutating func shuffle<T>(_ array: inout [T]) {
        var i = array.count - 1
        while i > 0 {
            let j = below(i + 1)
            if i != j { array.swapAt(i, j) }
            i -= 1
        }
    }

    mutating func pick<T>(_ array: [T]) -> T { array[below(array.count)] }
}

/// log2 and exp2 built from IEEE-754 basic operations only, so that results (and therefore
/// every random decision) are identical on every platform, whatever its libm does.
enum DetMath {
    static func log2(_ x: Double) -> Double {
        precondition(x > 0, "log2 of a non-positive number")
        let e = Double(x.exponent)
        let m = x.significand            // in [1, 2)
        let t = (m - 1) / (m + 1)        // in [0, 1/3)
        let t2 = t * t
        var term = t, sum = 0.0, k = 1.0
        for _ in 0..<24 {
            sum += term / k
            term *= t2
            k += 2
        }
        return e + 2 * sum * 1.442_695_040_888_963_4   // 2·atanh(t) / ln 2
    }

    static func exp2(_ x: Double) -> Double {
        let k = (x).rounded(.down)
        let f = (x - k) * 0.693_147_180_559_945_3     // in [0, ln 2)
        var term = 1.0, sum = 1.0
        for i in 1...20 {
            term *= f / Double(i)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }
}
