import ChainSynth
import Foundation
import GRDB
import Testing
@testable import ChainIndex

/// Every refusal of the explorer import not covered in ``ExplorerImportTests``: the message, and
/// an index left exactly as it was. Inputs are synthetic explorer JSON of mainnet blocks 0–175
/// (``EsploraWriter``), edited per case.
@Suite struct ExplorerImportErrorTests {
    typealias Object = [String: Any]

    /// Block 170: its coinbase and the transaction spending block 9's coinbase output.
    static func block170() throws -> (coinbase: Object, spend: Object) {
        let objects = try EsploraWriter.objects(heights: [170])
        return (objects[0], objects[1])
    }

    static func text(_ objects: [Object]) throws -> String { try ExplorerImportTests.pretty(objects) }

    /// Imports `text` into `index` (made by `setup`) and returns the error's text; the index must
    /// be unchanged.
    static func refusal(_ text: String, network: Network = .mainnet, setup: (TempDir, String) throws -> Void = { _, _ in })
        throws -> String {
        let dir = try TempDir()
        let index = dir.file("data")
        try setup(dir, index)
        _ = try IndexStore(dataDirectory: index, create: true)
        let before = try Imports.dump(index)
        let file = try dir.write("bad.json", Array(text.utf8))
        let error = thrownError { try Imports.run([file], into: index) { $0.network = network; $0.format = .esplora } }
        #expect(try Imports.dump(index) == before, "the index is unchanged")
        return error.map { "\($0)".replacingOccurrences(of: file, with: "FILE") } ?? "no error"
    }

    /// An index holding blocks 0…`last` from the block file.
    static func chain(_ last: Int) -> (TempDir, String) throws -> Void {
        { dir, index in try Imports.run([try ExplorerImportTests.blockFile(dir, 0...last, name: "chain.dat")], into: index) }
    }

    static func with(_ object: Object, status: Object) -> Object {
        var o = object
        o["status"] = status
        return o
    }

    static func status(_ object: Object, height: Int? = nil, hash: String? = nil, time: Int64? = nil) -> Object {
        var s = object["status"] as? Object ?? [:]
        if let height { s["block_height"] = height }
        if let hash { s["block_hash"] = hash }
        if let time { s["block_time"] = time }
        return s
    }

    /// `object` with `edit` applied to its input `k`, no fee, and the txid its fields give.
    static func editingInput(_ object: Object, _ k: Int = 0, _ edit: (inout Object) -> Void) throws -> Object {
        var o = object
        var vin = o["vin"] as? [Object] ?? []
        edit(&vin[k])
        o["vin"] = vin
        o["fee"] = nil
        return try ExplorerImportTests.withOwnTxid(o)
    }

    // MARK: - The file

    @Test func notAnExplorerFile() throws {
        #expect(try Self.refusal("").hasPrefix("FILE:1: the file holds no JSON value"))
        #expect(try Self.refusal("[{\"a\": 1}\n {\"b\": 2}]").hasPrefix("FILE:2: expected ',' or ']' after an array element"))
        #expect(try Self.refusal("[{\"a\": 1}] x").hasPrefix("FILE:1: text after the closing ']'"))
        #expect(try Self.refusal("[\n{\"txid\": tru}\n]").hasPrefix("FILE:2: not JSON"))
    }

    // MARK: - One transaction

    @Test func transactionFieldsThatDoNotAddUp() throws {
        let (coinbase, spend) = try Self.block170()
        let txid = spend["txid"] as? String ?? ""
        var o = spend
        o["weight"] = 1
        #expect(try Self.refusal(try Self.text([o])).contains("transaction \(txid): 'weight' is 1, the rebuilt transaction weighs"))
        o = spend
        o["vin"] = [Object]()
        #expect(try Self.refusal(try Self.text([o])).contains("transaction \(txid): 'vin' is empty"))
        o = spend
        var vin = o["vin"] as? [Object] ?? []
        vin[0]["is_coinbase"] = true
        o["vin"] = vin
        #expect(try Self.refusal(try Self.text([o])).contains("vin[0]: 'is_coinbase' is true but the outpoint says otherwise"))
        o = coinbase
        vin = o["vin"] as? [Object] ?? []
        o["vin"] = vin + vin
        #expect(try Self.refusal(try Self.text([o])).contains("vin[0]: a coinbase input must be the only input"))
        o = spend
        var vout = o["vout"] as? [Object] ?? []
        vout[0]["value"] = EsploraTransaction.maxMoney
        vout[1]["value"] = EsploraTransaction.maxMoney
        o["vout"] = vout
        #expect(try Self.refusal(try Self.text([o])).contains("the outputs add up to more than 21 million coins"))
        o = spend
        vin = o["vin"] as? [Object] ?? []
        vin[0]["prevout"] = 5
        o["vin"] = vin
        #expect(try Self.refusal(try Self.text([o])).contains("vin[0]: 'prevout' must be an object or null"))
        o = spend
        o["status"] = nil
        #expect(try Self.refusal(try Self.text([o])).contains("missing 'status'"))
    }

    // MARK: - The explorer against itself

    @Test func explorerDataThatContradictsItself() throws {
        let (coinbase, spend) = try Self.block170()
        var other = spend
        var vin = other["vin"] as? [Object] ?? []
        var prevout = vin[0]["prevout"] as? Object ?? [:]
        prevout["value"] = 1
        vin[0]["prevout"] = prevout
        other["vin"] = vin
        other["fee"] = nil
        #expect(try Self.refusal(try Self.text([spend, other])).contains("differs from the one at FILE:"))

        let nine = try EsploraWriter.objects(heights: [9])[0]
        let atHeight170 = Self.with(nine, status: Self.status(nine, height: 170))
        #expect(try Self.refusal(try Self.text([coinbase, atHeight170])).contains("height 170 is block"))

        let coinbase171 = try EsploraWriter.objects(heights: [171])[0]
        let second = Self.with(coinbase171, status: coinbase["status"] as? Object ?? [:])
        #expect(try Self.refusal(try Self.text([coinbase, second])).contains("has two coinbase transactions"))

        // Block 170's second transaction spending an output its coinbase does not have, and then
        // the coinbase's output with a wrong prevout.
        let cbTxid = coinbase["txid"] as? String ?? ""
        let outOfRange = try Self.editingInput(spend) { $0["txid"] = cbTxid; $0["vout"] = 5 }
        #expect(try Self.refusal(try Self.text([coinbase, outOfRange])).contains("spends output 5 of \(cbTxid), which has 1 outputs"))
        let wrongPrevout = try Self.editingInput(spend) { input in
            input["txid"] = cbTxid
            input["vout"] = 0
            input["prevout"] = ["scriptpubkey": "51", "value": 1] as Object
        }
        #expect(try Self.refusal(try Self.text([coinbase, wrongPrevout])).contains("its prevout differs from output 0 of \(cbTxid) in the same data"))
    }

    // MARK: - The explorer against the index

    @Test func explorerDataThatContradictsTheIndex() throws {
        let (coinbase, spend) = try Self.block170()
        let nine = try EsploraWriter.objects(heights: [9])[0]
        let nineTxid = nine["txid"] as? String ?? ""

        // A block the index holds from block files, said to hold another transaction.
        let stray = Self.with(try EsploraWriter.objects(heights: [171])[0], status: coinbase["status"] as? Object ?? [:])
        #expect(try Self.refusal(try Self.text([stray]), setup: Self.chain(170)).contains("but the index's block"))
        // A transaction the index holds in another block.
        let moved = Self.with(spend, status: Self.status(spend, height: 171, hash: String(repeating: "ef", count: 32)))
        #expect(try Self.refusal(try Self.text([moved]), setup: Self.chain(170)).contains("of the index, but the explorer places it in block efef"))
        // An output the index holds, spent beyond its outputs.
        let beyond = try Self.editingInput(spend) { $0["vout"] = 7 }
        #expect(try Self.refusal(try Self.text([beyond]), setup: Self.chain(169)).contains("spends output 7 of \(nineTxid), which has 1 outputs in the index"))
        // An output an unresolved input of the index already spends.
        let again = Self.with(try Self.editingInput(spend) { _ in }, status: Self.status(spend, height: 300, hash: String(repeating: "ab", count: 32)))
        var changed = again
        var vout = changed["vout"] as? [Object] ?? []
        vout[0]["value"] = 999_000_000
        changed["vout"] = vout
        changed = try ExplorerImportTests.withOwnTxid(changed)
        let unresolvedFirst: (TempDir, String) throws -> Void = { dir, index in
            let file = try dir.write("first.json", Array(try Self.text([spend]).utf8))
            try Imports.run([file], into: index) { $0.network = .mainnet }
        }
        #expect(try Self.refusal(try Self.text([changed]), setup: unresolvedFirst)
            .contains("output \(nineTxid):0 is already spent by another transaction in the index"))
    }

    @Test func aStaleBlockIsNotConfirmed() throws {
        // The fork fixture (mainnet magic): 0–4, then 3A–5A, which wins; blocks 3 and 4 are stale.
        let fork = Fixture.real("\(Fixture.synthetic).dat")
        let three = try ExplorerJSONWriter.objects(blockFiles: [fork], heights: [3])
        let moved = three.map { Self.with($0, status: Self.status($0, height: 100)) }
        let text = try Self.refusal(try Self.text(moved), network: .mainnet) { _, index in try Imports.run([fork], into: index) }
        #expect(text.contains("is a stale block in the index, but the explorer reports it as confirmed"), Comment(rawValue: text))
    }

    // MARK: - Extending a stored explorer block

    @Test func anExplorerBlockIsExtendedOnlyConsistently() throws {
        let (coinbase, spend) = try Self.block170()
        let storedCoinbase: (TempDir, String) throws -> Void = { dir, index in
            try Imports.run([try ExplorerImportTests.blockFile(dir, 0...169, name: "chain.dat")], into: index)
            try Imports.run([try dir.write("cb.json", Array(try Self.text([coinbase]).utf8))], into: index)
        }
        // Another time for the same block.
        let later = Self.with(spend, status: Self.status(spend, time: 1_300_000_000))
        #expect(try Self.refusal(try Self.text([later]), setup: storedCoinbase).contains("with another height or time"))
        // A transaction of another block of the index.
        let nine = Self.with(try EsploraWriter.objects(heights: [9])[0], status: coinbase["status"] as? Object ?? [:])
        #expect(try Self.refusal(try Self.text([nine]), setup: storedCoinbase).contains("is in another block of the index"))
        // An index whose explorer block has no stored sources (made before explorer_tx).
        let noSources: (TempDir, String) throws -> Void = { dir, index in
            try storedCoinbase(dir, index)
            try IndexStore(dataDirectory: index, create: false).write { db in try db.execute(sql: "DELETE FROM explorer_tx") }
        }
        #expect(try Self.refusal(try Self.text([spend]), setup: noSources).contains("without its source transactions"))
    }
}
