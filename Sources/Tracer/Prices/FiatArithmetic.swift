/// Exact conversion of satoshis to a fiat amount, in 128-bit unsigned integer arithmetic built
/// from `UInt64`'s full-width multiply and divide (Swift's `UInt128` needs macOS 15).
///
/// amount in minor units = |satoshis| × price.e8 / 10^(16 − minor digits), rounded half to even:
/// satoshis × 10⁻⁸ BTC × price.e8 × 10⁻⁸ units per BTC, times 10^(minor digits). The product of
/// two values below 2⁶³ is below 2¹²⁶, so no step overflows.
enum FiatArithmetic {
    /// A 128-bit unsigned value.
    struct Wide: Equatable {
        var high: UInt64
        var low: UInt64

        var isZero: Bool { high == 0 && low == 0 }

        /// `self / divisor` and the remainder (`divisor` > 0).
        func divided(by divisor: UInt64) -> (quotient: Wide, remainder: UInt64) {
            let (qHigh, r1) = high.quotientAndRemainder(dividingBy: divisor)
            // r1 < divisor, so the quotient of (r1, low) fits in 64 bits.
            let (qLow, r) = divisor.dividingFullWidth((high: r1, low: low))
            return (Wide(high: qHigh, low: qLow), r)
        }

        /// `self + 1` (callers never reach 2¹²⁸).
        func incremented() -> Wide {
            low == .max ? Wide(high: high &+ 1, low: 0) : Wide(high: high, low: low + 1)
        }

        /// Decimal digits.
        var decimal: String {
            guard !isZero else { return "0" }
            var chunks = [UInt64]()
            var rest = self
            while !rest.isZero {
                let (q, r) = rest.divided(by: 10_000_000_000_000_000_000)
                chunks.append(r)
                rest = q
            }
            var text = String(chunks.removeLast())
            for chunk in chunks.reversed() {
                let s = String(chunk)
                text += String(repeating: "0", count: 19 - s.count) + s
            }
            return text
        }

        /// The value as an `Int64` when it fits.
        var int64: Int64? { high == 0 && low <= UInt64(Int64.max) ? Int64(low) : nil }
    }

    /// |satoshis| × price in minor units of a currency with `minorDigits` (0...8), rounded half to even.
    static func minorUnits(satoshis: Int64, priceE8: Int64, minorDigits: Int) -> Wide {
        var divisor: UInt64 = 1
        for _ in 0..<(16 - min(max(minorDigits, 0), 8)) { divisor *= 10 }
        let product = satoshis.magnitude.multipliedFullWidth(by: priceE8.magnitude)
        let (quotient, remainder) = Wide(high: product.high, low: product.low).divided(by: divisor)
        // remainder < divisor ≤ 10¹⁶, so doubling it cannot overflow.
        let twice = remainder * 2
        if twice > divisor || (twice == divisor && quotient.low & 1 == 1) { return quotient.incremented() }
        return quotient
    }

    /// Minor units as decimal text with `minorDigits` fraction digits: (1234, 2) → `12.34`,
    /// (5, 2) → `0.05`, (7, 0) → `7`. `negative` adds a `-` unless the value is zero.
    static func text(_ units: Wide, minorDigits: Int, negative: Bool) -> String {
        var digits = units.decimal
        let sign = negative && !units.isZero ? "-" : ""
        guard minorDigits > 0 else { return sign + digits }
        if digits.count <= minorDigits { digits = String(repeating: "0", count: minorDigits + 1 - digits.count) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -minorDigits)
        return sign + digits[..<split] + "." + digits[split...]
    }
}
