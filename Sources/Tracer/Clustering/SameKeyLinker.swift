import ChainIndex
import Dispatch
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
    ///
    /// Sort-merge rather than hash maps: a whole-chain run meets millions of key-hash addresses.
    func keyHashLinks(done: Int64, upTo: Int64, into links: inout LinkList) throws {
        guard upTo > done else { return }
        var keyHashes: [(key: Hash20, kind: UInt8, id: Int64)] = []
        var scripts: [(key: Hash20, id: Int64)] = []
        let rows = try RawStatement(db, "SELECT id, key FROM address WHERE id > ? AND id <= ? AND length(key) = 22")
        rows.bind(1, done); rows.bind(2, upTo)
        while try rows.step() {
            guard let (kind, key) = rows.keyHash(1) else { continue }
            switch AddressKey.Kind(rawValue: kind) {
            case .p2pkh, .p2wpkh: keyHashes.append((key, kind, rows.int64(0)))
            case .p2sh: scripts.append((key, rows.int64(0)))
            default: break
            }
        }
        keyHashes.sort { $0.key < $1.key || ($0.key == $1.key && $0.id < $1.id) }
        scripts.sort { $0.key < $1.key }

        let find = try RawStatement(db, "SELECT id FROM address WHERE substr(key, 3, 8) = ? AND key = ? AND id <= ?")
        func stored(_ kind: AddressKey.Kind, _ key: Hash20) throws -> Int64? {
            guard done > 0 else { return nil }
            let payload = key.bytes
            find.bind(1, Array(payload[0..<8])); find.bind(2, [kind.rawValue, 0] + payload); find.bind(3, done)
            return try find.queryInt()
        }
        // Groups of one key hash: P2PKH and P2WPKH forms, and the group's oldest address.
        var groups: [(key: Hash20, anchor: Int64)] = []
        var i = 0
        while i < keyHashes.count {
            var j = i
            var pkh: Int64?, wpkh: Int64?
            while j < keyHashes.count && keyHashes[j].key == keyHashes[i].key {
                if keyHashes[j].kind == AddressKey.Kind.p2pkh.rawValue { pkh = keyHashes[j].id } else { wpkh = keyHashes[j].id }
                j += 1
            }
            let key = keyHashes[i].key
            if pkh == nil { pkh = try stored(.p2pkh, key) }
            if wpkh == nil { wpkh = try stored(.p2wpkh, key) }
            if let pkh, let wpkh { links.append(min(pkh, wpkh), max(pkh, wpkh), tx: 0, rule: .sameKeyHash) }
            groups.append((key, [pkh, wpkh].compactMap { $0 }.min() ?? keyHashes[i].id))
            i = j
        }
        // Their P2SH-P2WPKH script hashes, on all cores.
        var wrapped = [(key: Hash20, anchor: Int64)](repeating: (Hash20(), 0), count: groups.count)
        groups.withUnsafeBufferPointer { g in
            wrapped.withUnsafeMutableBufferPointer { w in
                let input = SharedBuffer(base: UnsafeMutablePointer(mutating: g.baseAddress)), output = SharedBuffer(base: w.baseAddress)
                let count = g.count, chunk = 16_384
                DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { c in
                    guard let source = input.base, let target = output.base else { return }
                    for k in (c * chunk)..<min(count, (c + 1) * chunk) {
                        var raw = source[k].key.raw
                        var digest = (UInt64(0), UInt64(0), UInt64(0))
                        let out = withUnsafeBytes(of: &raw) { kb in
                            withUnsafeMutableBytes(of: &digest) { ob in
                                Hashing.wrappedKeyHash160(kb.baseAddress!, into: ob.baseAddress!)
                                return Hash20(UnsafeRawPointer(ob.baseAddress!))
                            }
                        }
                        target[k] = (out, source[k].anchor)
                    }
                }
            }
        }
        wrapped.sort { $0.key < $1.key }
        // Merge with the new P2SH addresses; older ones by lookup.
        var s = 0
        for w in wrapped {
            while s < scripts.count && scripts[s].key < w.key { s += 1 }
            if s < scripts.count && scripts[s].key == w.key {
                links.append(min(w.anchor, scripts[s].id), max(w.anchor, scripts[s].id), tx: 0, rule: .sameKeyWrapped)
            } else if let old = try stored(.p2sh, w.key) {
                links.append(min(w.anchor, old), max(w.anchor, old), tx: 0, rule: .sameKeyWrapped)
            }
        }
        // Remember the wrapped hashes (in key order: appends) for P2SH addresses of later runs.
        let remember = try RawStatement(db, "INSERT OR IGNORE INTO same_key_wrap(hash, address) VALUES (?, ?)")
        for w in wrapped { remember.bind(1, w.key.prefix); remember.bind(2, w.anchor); try remember.execute() }
        // New P2SH addresses whose key-hash form came in an earlier run.
        guard done > 0 else { return }
        let lookup = try RawStatement(db, "SELECT address FROM same_key_wrap WHERE hash = ? AND address <= ?")
        let keyOf = try RawStatement(db, "SELECT key FROM address WHERE id = ?")
        for script in scripts {
            lookup.bind(1, script.key.prefix); lookup.bind(2, done)
            var candidates: [Int64] = []
            while try lookup.step() { candidates.append(lookup.int64(0)) }
            for c in candidates {
                keyOf.bind(1, c)
                guard let key = try keyOf.queryBytes(), key.count == 22,
                      Hashing.hash160([0x00, 0x14] + Array(key[2...])) == script.key.bytes
                else { continue }
                links.append(min(c, script.id), max(c, script.id), tx: 0, rule: .sameKeyWrapped)
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

}

/// A 20-byte hash held inline (no heap allocation), ordered by its bytes.
struct Hash20: Equatable, Comparable {
    var head: UInt64 = 0   // bytes 0..<8, big-endian
    var middle: UInt64 = 0 // bytes 8..<16, big-endian
    var tail: UInt32 = 0   // bytes 16..<20, big-endian

    /// The bytes in order.
    var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(20)
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: head >> UInt64(s))) }
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: middle >> UInt64(s))) }
        for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: tail >> UInt32(s))) }
        return out
    }

    /// The 20 bytes in order, in a value (24 bytes; the last 4 unused).
    var raw: (UInt64, UInt64, UInt64) { (head.bigEndian, middle.bigEndian, UInt64(tail.bigEndian)) }

    /// The first eight bytes as an integer (the `same_key_wrap.hash` key).
    var prefix: Int64 { Int64(bitPattern: head) }

    static func < (l: Hash20, r: Hash20) -> Bool {
        (l.head, l.middle, l.tail) < (r.head, r.middle, r.tail)
    }
}

extension Hash20 {
    /// Reads 20 bytes.
    init(_ p: UnsafeRawPointer) {
        head = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
        middle = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        tail = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }
}

extension RawStatement {
    /// Column `i` as an address storage key of a 20-byte payload: its kind and the payload.
    func keyHash(_ i: Int32) -> (UInt8, Hash20)? {
        let bytes = self.bytes(i)
        guard bytes.count == 22 else { return nil }
        return bytes.withUnsafeBytes { (bytes[0], Hash20($0.baseAddress! + 2)) }
    }
}

/// A buffer shared by the workers of one `concurrentPerform`, each writing its own elements.
private struct SharedBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>?
}
