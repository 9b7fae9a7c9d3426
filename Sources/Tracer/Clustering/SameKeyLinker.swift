import ChainIndex
import GRDB

/// Links the script forms of one public key.
///
/// - P2PK: the index's `same_key` table, filled at import from pay-to-pubkey outputs (the key's
///   P2PKH compressed/uncompressed, P2WPKH and P2SH-P2WPKH forms).
/// - Key hashes: a P2PKH and a P2WPKH address with the same 20-byte hash are one compressed key;
///   a P2SH address whose hash is HASH160(`0x00 0x14` ‖ keyhash) is that key's P2SH-P2WPKH form.
///   The wrapped hash of every key-hash address is kept in `same_key_wrap`, so a P2SH-P2WPKH
///   address that appears after its P2WPKH form is linked by an incremental run as well.
///
/// Keys revealed only in spending scripts (P2PKH spends) are not linked: the index does not keep
/// input scripts.
struct SameKeyLinker {
    let db: Database

    /// Same-key links for the addresses with ids in `(done, upTo]` (new since the last run).
    func keyHashLinks(done: Int64, upTo: Int64, into links: inout LinkList) throws {
        guard upTo > done else { return }
        // New addresses of the three kinds, by payload.
        var keyHash: [[UInt8]: (p2pkh: Int64?, p2wpkh: Int64?)] = [:]
        var p2sh: [[UInt8]: Int64] = [:]
        let rows = try RawStatement(db, "SELECT id, key FROM address WHERE id > ? AND id <= ?")
        rows.bind(1, done); rows.bind(2, upTo)
        while try rows.step() {
            let key = rows.bytes(1)
            guard key.count == 22 else { continue }
            let id = rows.int64(0), payload = Array(key[2...])
            switch AddressKey.Kind(rawValue: key[0]) {
            case .p2pkh: keyHash[payload, default: (nil, nil)].p2pkh = id
            case .p2wpkh: keyHash[payload, default: (nil, nil)].p2wpkh = id
            case .p2sh: p2sh[payload] = id
            default: break
            }
        }
        let find = try RawStatement(db, "SELECT id FROM address WHERE substr(key, 3, 8) = ? AND key = ? AND id <= ?")
        func stored(_ kind: AddressKey.Kind, _ payload: [UInt8]) throws -> Int64? {
            guard done > 0 else { return nil }
            find.bind(1, Array(payload[0..<8])); find.bind(2, [kind.rawValue, 0] + payload); find.bind(3, done)
            return try find.queryInt()
        }
        let remember = try RawStatement(db, "INSERT OR IGNORE INTO same_key_wrap(hash, address) VALUES (?, ?)")
        var wrapped: [Int64: [Int64]] = [:]
        for (payload, ids) in keyHash.sorted(by: { ($0.value.p2pkh ?? $0.value.p2wpkh ?? 0) < ($1.value.p2pkh ?? $1.value.p2wpkh ?? 0) }) {
            let pkh = try ids.p2pkh ?? stored(.p2pkh, payload)
            let wpkh = try ids.p2wpkh ?? stored(.p2wpkh, payload)
            if let pkh, let wpkh { links.append(min(pkh, wpkh), max(pkh, wpkh), tx: 0, rule: .sameKeyHash) }
            let wrap = Hashing.hash160([0x00, 0x14] + payload)
            let anchor = [ids.p2pkh, ids.p2wpkh, pkh, wpkh].compactMap { $0 }.min()
            guard let anchor else { continue }
            if let s = try p2sh[wrap] ?? stored(.p2sh, wrap) {
                links.append(min(anchor, s), max(anchor, s), tx: 0, rule: .sameKeyWrapped)
            }
            let h = Self.prefix(wrap)
            wrapped[h, default: []].append(anchor)
            remember.bind(1, h); remember.bind(2, anchor); try remember.execute()
        }
        // New P2SH addresses whose key-hash form came in an earlier run.
        guard done > 0 else { return }
        let lookup = try RawStatement(db, "SELECT address FROM same_key_wrap WHERE hash = ? AND address <= ?")
        let keyOf = try RawStatement(db, "SELECT key FROM address WHERE id = ?")
        for (payload, s) in p2sh.sorted(by: { $0.value < $1.value }) {
            lookup.bind(1, Self.prefix(payload)); lookup.bind(2, done)
            var candidates: [Int64] = []
            while try lookup.step() { candidates.append(lookup.int64(0)) }
            for c in candidates {
                keyOf.bind(1, c)
                guard let key = try keyOf.queryBytes(), key.count == 22,
                      Hashing.hash160([0x00, 0x14] + Array(key[2...])) == payload
                else { continue }
                links.append(min(c, s), max(c, s), tx: 0, rule: .sameKeyWrapped)
            }
        }
    }

    /// Links the forms of the keys behind pay-to-pubkey outputs (one link per form, to the owner).
    func payToPubkeyLinks(_ outputs: [(address: Int64, tx: Int64)], into links: inout LinkList) throws {
        let ownerOf = try RawStatement(db, "SELECT owner FROM same_key WHERE address = ?")
        let forms = try RawStatement(db, "SELECT address FROM same_key WHERE owner = ? ORDER BY address")
        var done = Set<Int64>()
        for (address, tx) in outputs {
            ownerOf.bind(1, address)
            guard let owner = try ownerOf.queryInt(), done.insert(owner).inserted else { continue }
            forms.bind(1, owner)
            while try forms.step() {
                let f = forms.int64(0)
                if f != owner { links.append(min(f, owner), max(f, owner), tx: tx, rule: .sameKeyP2PK) }
            }
        }
    }

    /// The first eight bytes of a hash as an integer key.
    static func prefix(_ bytes: [UInt8]) -> Int64 {
        var v: UInt64 = 0
        for i in 0..<min(8, bytes.count) { v = v << 8 | UInt64(bytes[i]) }
        return Int64(bitPattern: v)
    }
}
