import CSecp256k1

/// The process's one libsecp256k1 context. Parsing and serializing only read it, which the
/// library documents as safe from any number of threads; it is never destroyed.
private nonisolated(unsafe) let secp256k1Context: OpaquePointer? =
    secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))

/// A secp256k1 public key (a point on the curve), parsed and checked by libsecp256k1.
public struct PublicKey: Sendable, Equatable {
    /// The 65-byte uncompressed serialization (`04 || x || y`); the canonical stored form.
    public let uncompressed: [UInt8]

    /// Parses a 33-byte compressed (02/03), 65-byte uncompressed (04) or hybrid (06/07) key;
    /// nil for any other size or prefix, a point not on the curve, or a hybrid key whose prefix
    /// disagrees with the parity of y.
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 33 || bytes.count == 65,
              let input = bytes.baseAddress, let context = secp256k1Context else { return nil }
        var key = secp256k1_pubkey()
        // libsecp256k1 (>= 0.1) accepts hybrid keys itself and checks their parity bit.
        guard secp256k1_ec_pubkey_parse(context, &key, input.assumingMemoryBound(to: UInt8.self), bytes.count) == 1
        else { return nil }
        var out = [UInt8](repeating: 0, count: 65)
        var outLength = 65
        let written = secp256k1_ec_pubkey_serialize(context, &out, &outLength, &key, UInt32(SECP256K1_EC_UNCOMPRESSED))
        guard written == 1, outLength == 65 else { return nil }
        uncompressed = out
    }

    /// Parses a 33-byte compressed, 65-byte uncompressed or hybrid key (see ``init(_:)-(UnsafeRawBufferPointer)``).
    public init?(_ bytes: [UInt8]) {
        guard let key = bytes.withUnsafeBytes({ PublicKey($0) }) else { return nil }
        self = key
    }

    /// The 33-byte compressed serialization (`02`/`03` by the parity of y, then x).
    public var compressed: [UInt8] {
        [0x02 | (uncompressed[64] & 1)] + uncompressed[1...32]
    }

    /// Every address key an owner of this key controls with standard single-key scripts, in this
    /// order: P2PKH of the compressed key, P2PKH of the uncompressed key, P2WPKH of the compressed
    /// key, and P2SH-P2WPKH (hash160 of the script `0014 <hash160(compressed)>`).
    public var ownerAddressKeys: [AddressKey] {
        let compressedHash = Hashing.hash160(compressed)
        let uncompressedHash = Hashing.hash160(uncompressed)
        let nestedScript: [UInt8] = [0x00, 0x14] + compressedHash
        return [
            AddressKey(kind: .p2pkh, payload: compressedHash),
            AddressKey(kind: .p2pkh, payload: uncompressedHash),
            AddressKey(kind: .p2wpkh, payload: compressedHash),
            AddressKey(kind: .p2sh, payload: Hashing.hash160(nestedScript)),
        ]
    }
}
