/// The price of one bitcoin in a fiat currency, exact: an integer number of 10⁻⁸ currency units.
///
/// Written in price files as a positive decimal with at most 8 fraction digits (`42000`,
/// `42000.5`, `0.00000001`); no sign, exponent, thousands separator or leading/trailing `.`.
/// Stored as the integer ``e8`` (`42000.5` → `4_200_050_000_000`); never binary floating point.
public struct FiatPrice: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Largest number of fraction digits a price may have.
    public static let maximumFractionDigits = 8

    /// The price in 10⁻⁸ currency units; always positive.
    public let e8: Int64

    /// A price from its integer form; nil unless positive.
    public init?(e8: Int64) {
        guard e8 > 0 else { return nil }
        self.e8 = e8
    }

    /// Why a text is not a price.
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notADecimal
        case tooManyFractionDigits(Int)
        case notPositive
        case tooLarge

        public var description: String {
            switch self {
            case .notADecimal: return "not a plain decimal number (digits, optionally '.' and 1-8 digits)"
            case .tooManyFractionDigits(let n): return "\(n) fraction digits; at most \(FiatPrice.maximumFractionDigits) are allowed"
            case .notPositive: return "a price must be greater than zero"
            case .tooLarge: return "too large (at most 92233720368.54775807)"
            }
        }
    }

    /// Parses a price (see the type's note).
    /// - Throws: ``ParseError``.
    public static func parse(_ text: String) throws(ParseError) -> FiatPrice {
        let b = Array(text.utf8)
        let dot = b.firstIndex(of: 0x2e)
        let integerPart = b[..<(dot ?? b.count)]
        let fractionPart = dot.map { b[($0 + 1)...] } ?? []
        func isDigits(_ s: ArraySlice<UInt8>) -> Bool { !s.isEmpty && s.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        guard isDigits(integerPart), dot == nil || isDigits(fractionPart) else { throw .notADecimal }
        guard fractionPart.count <= maximumFractionDigits else { throw .tooManyFractionDigits(fractionPart.count) }
        var value: Int64 = 0
        for digit in integerPart {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(digit - 0x30))
            guard !o1, !o2 else { throw .tooLarge }
            value = sum
        }
        var fraction: Int64 = 0
        for i in 0..<maximumFractionDigits {
            let digit = i < fractionPart.count ? Int64(fractionPart[fractionPart.startIndex + i] - 0x30) : 0
            fraction = fraction * 10 + digit
        }
        let (scaled, o1) = value.multipliedReportingOverflow(by: 100_000_000)
        let (e8, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2 else { throw .tooLarge }
        guard let price = FiatPrice(e8: e8) else { throw .notPositive }
        return price
    }

    /// The price with trailing zeros of the fraction removed, keeping at least
    /// `minimumFractionDigits` (`4200050000000` → `42000.50` for 2).
    public func text(minimumFractionDigits: Int = 2) -> String {
        let whole = e8 / 100_000_000, fraction = e8 % 100_000_000
        var digits = Array(String(fraction))
        digits = Array(repeating: "0", count: 8 - digits.count) + digits
        let keep = max(min(minimumFractionDigits, 8), 0)
        while digits.count > keep, digits.last == "0" { digits.removeLast() }
        return digits.isEmpty ? "\(whole)" : "\(whole).\(String(digits))"
    }

    /// All eight fraction digits: `42000.50000000`.
    public var description: String { text(minimumFractionDigits: 8) }

    public static func < (a: FiatPrice, b: FiatPrice) -> Bool { a.e8 < b.e8 }
}
