/// An unsigned 256-bit integer, just enough arithmetic for cumulative chain work.
public struct UInt256: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Little-endian limbs: `limbs.0` is the least significant.
    public var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

    public static let zero = UInt256(l0: 0, l1: 0, l2: 0, l3: 0)

    public init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64) { self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3 }
    public init(_ v: UInt64) { self.init(l0: v, l1: 0, l2: 0, l3: 0) }

    subscript(i: Int) -> UInt64 {
        get { [l0, l1, l2, l3][i] }
        set {
            switch i {
            case 0: l0 = newValue
            case 1: l1 = newValue
            case 2: l2 = newValue
            default: l3 = newValue
            }
        }
    }

    public static func < (a: UInt256, b: UInt256) -> Bool { (a.l3, a.l2, a.l1, a.l0) < (b.l3, b.l2, b.l1, b.l0) }

    /// Wrapping addition (chain work never comes near 2^256).
    public static func &+ (a: UInt256, b: UInt256) -> UInt256 {
        var r = UInt256.zero
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (s1, o1) = a[i].addingReportingOverflow(b[i])
            let (s2, o2) = s1.addingReportingOverflow(carry)
            r[i] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        return r
    }

    static func &- (a: UInt256, b: UInt256) -> UInt256 {
        var r = UInt256.zero
        var borrow: UInt64 = 0
        for i in 0..<4 {
            let (d1, o1) = a[i].subtractingReportingOverflow(b[i])
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            r[i] = d2
            borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        return r
    }

    static prefix func ~ (a: UInt256) -> UInt256 { UInt256(l0: ~a.l0, l1: ~a.l1, l2: ~a.l2, l3: ~a.l3) }

    func shiftedLeft(by n: Int) -> UInt256 {
        var r = UInt256.zero
        let limbShift = n / 64, bitShift = n % 64
        for i in stride(from: 3, through: 0, by: -1) where i - limbShift >= 0 {
            var v = self[i - limbShift] << UInt64(bitShift)
            if bitShift > 0, i - limbShift - 1 >= 0 { v |= self[i - limbShift - 1] >> UInt64(64 - bitShift) }
            r[i] = v
        }
        return r
    }

    func bit(_ n: Int) -> Bool { (self[n / 64] >> UInt64(n % 64)) & 1 == 1 }

    /// Integer division by shift and subtract. `divisor` must be non-zero.
    func dividedBy(_ divisor: UInt256) -> UInt256 {
        var quotient = UInt256.zero
        var remainder = UInt256.zero
        for i in stride(from: 255, through: 0, by: -1) {
            remainder = remainder.shiftedLeft(by: 1)
            if bit(i) { remainder.l0 |= 1 }
            if !(remainder < divisor) {
                remainder = remainder &- divisor
                quotient[i / 64] |= 1 << UInt64(i % 64)
            }
        }
        return quotient
    }

    /// Big-endian 32 bytes, so that byte-wise comparison in SQL orders like the number.
    public var bigEndianBytes: [UInt8] {
        var out = [UInt8]()
        for limb in [l3, l2, l1, l0] {
            for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(s))) }
        }
        return out
    }

    public init?(bigEndianBytes b: [UInt8]) {
        guard b.count == 32 else { return nil }
        var limbs = [UInt64](repeating: 0, count: 4)
        for i in 0..<32 { limbs[3 - i / 8] = limbs[3 - i / 8] << 8 | UInt64(b[i]) }
        self.init(l0: limbs[0], l1: limbs[1], l2: limbs[2], l3: limbs[3])
    }

    public var description: String { Hex.encode(bigEndianBytes) }

    /// The expected number of hashes for a block with difficulty target `bits` (compact form):
    /// 2^256 / (target + 1), computed as Core does: ~target / (target + 1) + 1. Zero for an
    /// invalid (negative, zero or overflowing) target.
    public static func work(bits: UInt32) -> UInt256 {
        let exponent = Int(bits >> 24)
        let mantissa = UInt64(bits & 0x007f_ffff)
        if bits & 0x0080_0000 != 0 || mantissa == 0 { return .zero }
        var target: UInt256
        if exponent <= 3 {
            target = UInt256(mantissa >> UInt64(8 * (3 - exponent)))
        } else {
            let shift = 8 * (exponent - 3)
            // Overflow: any mantissa bit shifted beyond bit 255.
            if shift > 255 || (shift > 0 && 64 - mantissa.leadingZeroBitCount + shift > 256) { return .zero }
            target = UInt256(mantissa).shiftedLeft(by: shift)
        }
        if target == .zero { return .zero }
        return (~target).dividedBy(target &+ UInt256(1)) &+ UInt256(1)
    }
}
