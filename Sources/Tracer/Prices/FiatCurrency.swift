/// A fiat currency: its ISO 4217 alphabetic code and the number of digits of its minor unit.
///
/// Any three upper-case ASCII letters are accepted as a code (a price file may use a code this
/// table does not know). The minor unit is ISO 4217's exponent for the currencies whose exponent is
/// not 2 (list of 2024: 0 for the yen, won, ... and 3 for the dinars of Bahrain, Iraq, Jordan,
/// Kuwait, Libya, Tunisia and the Omani rial, 4 for the Chilean and Uruguayan units of account);
/// every other code, including codes ISO gives no minor unit (gold, SDR, ...), rounds to 2 digits.
public struct FiatCurrency: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The alphabetic code, e.g. `USD`.
    public let code: String
    /// Digits after the decimal point of an amount (2 for USD: cents).
    public let minorUnitDigits: Int

    /// A currency from its code; nil unless `code` is exactly three upper-case letters A-Z.
    public init?(code: String) {
        let b = Array(code.utf8)
        guard b.count == 3, b.allSatisfy({ $0 >= 0x41 && $0 <= 0x5a }) else { return nil }
        self.code = code
        minorUnitDigits = Self.exceptions[code] ?? 2
    }

    public var description: String { code }

    public static func < (a: FiatCurrency, b: FiatCurrency) -> Bool { a.code < b.code }

    /// ISO 4217 minor units other than 2.
    static let exceptions: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]

    /// Encoded as its code.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let currency = FiatCurrency(code: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a currency code: \(text)"))
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
