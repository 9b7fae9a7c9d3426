/// How a chain's reference node reads output scripts shaped like witness programs (BIP 141:
/// `OP_0`...`OP_16` followed by one push of 2...40 bytes filling the script): which of Bitcoin
/// Core's witness templates its `Solver` knows, and whether such outputs have an address.
///
/// A row of the network table (``Network/witnessOutputs``). The rule is applied after
/// ``ScriptClassifier`` (which follows today's Bitcoin Core) so the Bitcoin path is untouched:
/// ``apply(_:)`` returns a Core classification unchanged under ``segwit``.
public enum WitnessOutputRule: Sendable, Hashable {
    /// Bitcoin Core's `Solver`: v0 key and script hash, v1 taproot, the anchor and any other
    /// version as `witness_unknown`, each with its segwit address (Bitcoin, Litecoin).
    case segwit
    /// Bitcoin Core 0.14's `Solver`, which Dogecoin Core 1.14 keeps (`src/script/standard.cpp`):
    /// version 0 with a 20- or 32-byte program is `witness_v0_keyhash` / `witness_v0_scripthash`,
    /// every other witness-shaped script is nonstandard; and `ExtractDestination` gives none of
    /// them an address (segwit never activated, and the chain has no Bech32 HRP).
    case v0TypesWithoutAddresses
    /// No witness templates at all (Bitcoin Cash Node's `Solver`, `src/script/standard.cpp`):
    /// every witness-shaped script is nonstandard and has no address.
    case nonstandard

    /// The classification a node following this rule reports for a script that Bitcoin Core
    /// classifies as `classification`. Non-witness types are returned unchanged; a witness type
    /// the node does not know becomes ``ScriptClassification/nonstandard`` (no payload).
    @inlinable
    public func apply(_ classification: ScriptClassification) -> ScriptClassification {
        switch self {
        case .segwit:
            return classification
        case .v0TypesWithoutAddresses:
            switch classification.type {
            case .witnessV1Taproot, .witnessUnknown, .anchor: return .nonstandard
            default: return classification
            }
        case .nonstandard:
            return classification.type.isWitness ? .nonstandard : classification
        }
    }

    /// Whether an output of `type` (already passed through ``apply(_:)``) has an address under
    /// this rule: always for non-witness types, and for witness types only under ``segwit``.
    @inlinable
    public func hasAddress(_ type: ScriptType) -> Bool {
        self == .segwit || !type.isWitness
    }

    /// Classifies `script` as this chain's node does, and derives the address it pays to (nil for
    /// types without one, and for witness types on a chain without segwit addresses).
    public func classify(_ script: UnsafeRawBufferPointer) -> (classification: ScriptClassification, address: AddressKey?) {
        let c = apply(ScriptClassifier.classify(script))
        guard hasAddress(c.type) else { return (c, nil) }
        return (c, AddressKey(classification: c, script: script))
    }

    /// Classifies `script` as this chain's node does (the array form of the buffer variant).
    public func classify(_ script: [UInt8]) -> (classification: ScriptClassification, address: AddressKey?) {
        script.withUnsafeBytes { classify($0) }
    }
}
