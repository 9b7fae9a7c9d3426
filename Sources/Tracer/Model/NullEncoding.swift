/// The JSON interface (docs/json.md) promises that a documented key is never missing: an absent
/// value is written as `null`. Synthesized `Encodable` conformances skip nil optionals through
/// `encodeIfPresent`; these overloads, visible to every conformance in this module, make them
/// write `null` instead (the same overloads as in ChainIndex; an extension's members are visible
/// only in the module that declares them, so each module that emits JSON needs its own).
extension KeyedEncodingContainer {
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try encode(value, forKey: key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encode(value, forKey: key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encode(value, forKey: key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encode(value, forKey: key) }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encode(value, forKey: key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encode(value, forKey: key) }
}
