import ChainIndex
import Foundation
import GRDB
import Testing
@testable import Tracer

// Same-key links: the script forms of one public key are one owner.

private func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ChainIndexTests/Fixtures/real").appendingPathComponent(name).path
}

private func temporaryIndex() throws -> (IndexStore, URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-samekey-\(UUID().uuidString)")
    return (try IndexStore(dataDirectory: dir.path, create: true), dir)
}

@Suite struct SameKeyTests {
    /// Block 1's coinbase pays an uncompressed public key (P2PK). Its other forms were computed
    /// independently with python-bitcoinlib from the key
    /// 0496b538…2342c858ee: compressed P2PKH, P2WPKH and P2SH-P2WPKH of the compressed key.
    @Test func payToPubkeyFormsAreOneCluster() throws {
        let (store, dir) = try temporaryIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Importer.run(ImportOptions(paths: [fixture("mainnet_000000-000175_floresta.dat")]), store: store)
        _ = try ClusterEngine(store: store, rules: StandardRules.make()).run()
        let queries = try ClusterQueries(store: store)
        let forms = ["12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX", "1PKW9GWX2P2JhCSR17BXa4B8MJ4ozUjW9Y",
                     "bc1q7nfffh4uj7vlrdhq69wdd94jql8xmu8em08l6t", "35izUwfUZudEf8WwDoUbCKpm1gq2vd9Nmv"]
        let summary = try queries.summary(forms[0], layer: .strict, limit: 10)
        #expect(Set(summary.addresses) == Set(forms))
        #expect(summary.totalReceived == 50 * 100_000_000)
        let e = try queries.explain(forms[0], forms[2], layer: .strict)
        #expect(e.linked)
        #expect(e.steps.allSatisfy { $0.rule == LinkRule.sameKeyP2PK.rawValue })
        // Another early miner's key is a different owner (no co-spends in these blocks).
        let block2 = try store.transaction(try store.block("2").txids[0])
        let other = try #require(block2.outputs[0].ownerAddress ?? block2.outputs[0].address)
        #expect(try !queries.explain(forms[0], other, layer: .strict).linked)
    }

    /// Key-hash relations on hand-written address rows, in one run and across two runs (the
    /// P2SH-P2WPKH form arriving after its P2WPKH form must still be linked).
    @Test(arguments: [false, true]) func keyHashFormsAreLinked(split: Bool) throws {
        let (store, dir) = try temporaryIndex()
        defer { try? FileManager.default.removeItem(at: dir) }
        let h = [UInt8](repeating: 0x11, count: 20)
        let other = [UInt8](repeating: 0x22, count: 20)
        let wrapped = Hashing.hash160([0x00, 0x14] + h)
        let rows: [[UInt8]] = [
            [AddressKey.Kind.p2wpkh.rawValue, 0] + h,          // 1
            [AddressKey.Kind.p2pkh.rawValue, 0] + other,       // 2: unrelated
            [AddressKey.Kind.p2pkh.rawValue, 0] + h,           // 3: same hash as 1
            [AddressKey.Kind.p2sh.rawValue, 0] + h,            // 4: P2SH of the raw hash: not a key form
            [AddressKey.Kind.p2sh.rawValue, 0] + wrapped,      // 5: P2SH-P2WPKH of h
        ]
        var links = LinkList()
        try store.write { db in
            try TracerSchema.ensure(db)
            for key in rows { try db.execute(sql: "INSERT INTO address(key) VALUES (?)", arguments: [Data(key)]) }
            let linker = SameKeyLinker(db: db)
            if split {
                try linker.keyHashLinks(done: 0, upTo: 3, into: &links)
                try linker.keyHashLinks(done: 3, upTo: 5, into: &links)
            } else {
                try linker.keyHashLinks(done: 0, upTo: 5, into: &links)
            }
        }
        var pairs = Set<[Int64]>()
        for i in 0..<links.count { pairs.insert([links.a[i], links.b[i], links.rule[i] == .sameKeyHash ? 0 : 1]) }
        #expect(pairs == [[1, 3, 0], [1, 5, 1]])
    }
}
