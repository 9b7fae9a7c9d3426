/// A fiat annotation on a result type: a value derived from the satoshis and a price series.
///
/// Always encoded, as `null` when there is no value (no `--fiat`, or no price for the date), so
/// that every documented key is present (`docs/json.md`). Never decoded: fiat values are derived
/// data, and a decoded result has none; annotate it again with a ``FiatConverter``. (This keeps the
/// result types `Codable` although ``FiatValue`` and ``FiatSum`` are only `Encodable`.)
@propertyWrapper
public struct FiatField<Value: Encodable & Sendable>: Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }
}

extension FiatField: Equatable where Value: Equatable {}

extension FiatField: Codable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }

    /// Decodes nothing: the value is derived (see the type's note).
    public init(from decoder: any Decoder) throws {
        wrappedValue = nil
    }
}

extension KeyedDecodingContainer {
    /// A fiat field is never read back, so a missing key is not an error.
    public func decode<Value>(_ type: FiatField<Value>.Type, forKey key: Key) throws -> FiatField<Value> {
        FiatField(wrappedValue: nil)
    }
}
