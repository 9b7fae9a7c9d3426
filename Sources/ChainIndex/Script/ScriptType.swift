/// The standard output-script templates, numbered and named as Bitcoin Core's `TxoutType`.
///
/// Raw values are stable: they are stored in the index, so never renumber a case.
public enum ScriptType: UInt8, Sendable, CaseIterable {
    /// Matches no template (also the empty script and witness v0 programs of other sizes).
    case nonstandard = 0
    /// Pay-to-public-key: `<pubkey> OP_CHECKSIG`.
    case pubkey = 1
    /// Pay-to-public-key-hash: `OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG`.
    case pubkeyhash = 2
    /// Pay-to-script-hash: `OP_HASH160 <20> OP_EQUAL`.
    case scripthash = 3
    /// Bare multisig: `OP_m <keys...> OP_n OP_CHECKMULTISIG`.
    case multisig = 4
    /// Provably unspendable data carrier: `OP_RETURN` followed only by pushes.
    case nulldata = 5
    /// Witness v0 with a 20-byte program (P2WPKH).
    case witnessV0KeyHash = 6
    /// Witness v0 with a 32-byte program (P2WSH).
    case witnessV0ScriptHash = 7
    /// Witness v1 with a 32-byte program (P2TR).
    case witnessV1Taproot = 8
    /// Any other witness program of version 1...16.
    case witnessUnknown = 9
    /// Pay-to-anchor, `OP_1 <0x4e73>` (BIP 431 / Core 28).
    case anchor = 10

    /// The name Bitcoin Core uses for this type (`GetTxnOutputType`), e.g. in `decodescript`'s `type`.
    public var coreName: String {
        switch self {
        case .nonstandard: return "nonstandard"
        case .pubkey: return "pubkey"
        case .pubkeyhash: return "pubkeyhash"
        case .scripthash: return "scripthash"
        case .multisig: return "multisig"
        case .nulldata: return "nulldata"
        case .witnessV0KeyHash: return "witness_v0_keyhash"
        case .witnessV0ScriptHash: return "witness_v0_scripthash"
        case .witnessV1Taproot: return "witness_v1_taproot"
        case .witnessUnknown: return "witness_unknown"
        case .anchor: return "anchor"
        }
    }

    /// Whether the type is one of Core's witness-program templates (v0 key/script hash, v1
    /// taproot, unknown versions, the anchor).
    @inlinable
    public var isWitness: Bool {
        switch self {
        case .witnessV0KeyHash, .witnessV0ScriptHash, .witnessV1Taproot, .witnessUnknown, .anchor: return true
        case .nonstandard, .pubkey, .pubkeyhash, .scripthash, .multisig, .nulldata: return false
        }
    }

    /// The type with this Core name, or nil if the name is not one of Core's.
    public init?(coreName: String) {
        guard let match = ScriptType.allCases.first(where: { $0.coreName == coreName }) else { return nil }
        self = match
    }
}
