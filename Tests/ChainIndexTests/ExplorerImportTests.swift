import Foundation
import GRDB
import Testing
@testable import ChainIndex
import ChainSynth

/// Explorer JSON (Esplora) import: header-less blocks, prevouts, replacement by the real block,
/// and the errors. Real data: all 2,107 transactions of mainnet block 831802 as mempool.space
/// serves them (`Fixtures/real/esplora/`), against python-bitcoinlib's dump of the same
/// transactions (`Fixtures/expected/ordpool_block_831802_synthetic-header.tx.ndjson.gz`).
/// Synthetic explorer JSON is written from the real block file of mainnet blocks 0–175 by
/// ``EsploraWriter`` below (the explorer's field layout, prevouts from the same file).
@Suite struct ExplorerImportTests {
    static let block831802 = "0000000000000000000221fd1ba086a7672e3e5a18ac5a4efc9f0cff0a78fe86"

    /// The real explorer file, decompressed into `dir`.
    static func realExplorerFile(_ dir: TempDir) throws -> String {
        let url = Fixture.root.appendingPathComponent("real/esplora/ordpool_block_831802_txns.esplora.json.gz")
        return try dir.write("block_831802_txs.json", [UInt8](try NDJSON.data(url)))
    }

    @Test func realBlockMatchesTheOracleAndTheExplorersOwnFields() throws {
        let dir = try TempDir()
        let file = try Self.realExplorerFile(dir)
        #expect(InputPreparation.detect(file) == .esplora)
        let summary = try Imports.run([file], into: dir.file("data")) { $0.network = .mainnet }
        #expect(summary.mode == "explorer")
        #expect(summary.blocksAdded == 1)
        #expect(summary.transactionsAdded == 2107)
        #expect(summary.formats[file] == "esplora")
        let explorer = try #require(summary.explorer)
        #expect(explorer.blocksComplete == 1, "the coinbase's witness commitment covers all 2,107 transactions")
        #expect(explorer.blocksPartial == 0)
        #expect(explorer.unconfirmed == 0)

        // The explorer's own derived fields (Esplora's Rust code) as a second reference.
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [[String: Any]])
        // Most inputs spend outputs of the same block (inscription commit and reveal pairs); the
        // others keep the explorer's prevout.
        let txids = Set(objects.compactMap { $0["txid"] as? String })
        let external = objects.dropFirst().flatMap { ($0["vin"] as? [[String: Any]]) ?? [] }.filter { !txids.contains($0["txid"] as? String ?? "") }
        #expect(external.count == 5)
        #expect(explorer.prevoutsStored == external.count)
        #expect(explorer.checkedWithinData == 2101)
        #expect(summary.unresolvedInputs == external.count)

        let expected = try NDJSON.read(ExpectedTx.self, Fixture.expected("ordpool_block_831802_synthetic-header.tx.ndjson"))
        #expect(expected.count == 2107)
        let store = try IndexStore(dataDirectory: dir.file("data"), create: false)
        var problems: [String] = []
        try store.read { db in
            let block = try #require(try Row.fetchOne(db, sql: "SELECT hash, height, height_source, in_chain, merkle, time, size FROM block"))
            #expect(Hash256(internalBytes: block.bytes(0))?.hex == Self.block831802)
            #expect(block[1] as Int == 831_802)
            #expect(block[2] as String == "explorer")
            #expect(block[3] as Int == 0)
            #expect(Hash256(internalBytes: block.bytes(4))?.hex == "dc2e74635cfa596ca2b8e4e9f17f09f731eeda6ed9ddf8be69bab2748e12fc50")
            #expect(block[5] as Int64 == 1_708_768_625)
            let txs = try Row.fetchAll(db, sql: "SELECT id, txid, size, weight, fee, output_first, output_count, input_first, input_count FROM tx ORDER BY id")
            #expect(txs.count == expected.count)
            for (i, (row, e)) in zip(txs, expected).enumerated() {
                let txid = Hash256(internalBytes: row.bytes(1))?.hex ?? "?"
                if txid != e.txid { problems.append("tx \(i): \(txid), oracle \(e.txid)"); continue }
                if row[2] as Int != e.size || row[3] as Int != e.weight { problems.append("tx \(i): size/weight \(row[2] as Int)/\(row[3] as Int)") }
                let object = objects[i]
                if i > 0, (row[4] as Int64?) != (object["fee"] as? NSNumber)?.int64Value {
                    problems.append("tx \(i): fee \(String(describing: row[4] as Int64?)), explorer \(object["fee"] ?? "nil")")
                }
                let outputs = try Row.fetchAll(db, sql: """
                    SELECT o.value, o.type, a.key FROM output o LEFT JOIN address a ON a.id = o.address WHERE o.id BETWEEN ? AND ? ORDER BY o.id
                    """, arguments: [row[5] as Int64, (row[5] as Int64) + (row[6] as Int64) - 1])
                if outputs.count != e.vout.count { problems.append("tx \(i): \(outputs.count) outputs, oracle \(e.vout.count)") }
                let explorerOutputs = object["vout"] as? [[String: Any]] ?? []
                for (k, (o, eo)) in zip(outputs, e.vout).enumerated() {
                    let type = ScriptType(rawValue: UInt8(o[1] as Int64))
                    let address = o.optBytes(2).flatMap(AddressKey.init(storageBytes:))?.render(on: .mainnet)
                    if o[0] as Int64 != eo.value { problems.append("tx \(i) vout \(k): value \(o[0] as Int64), oracle \(eo.value)") }
                    if type?.coreName != eo.type { problems.append("tx \(i) vout \(k): type \(type?.coreName ?? "?"), oracle \(eo.type)") }
                    if type != .pubkey, address != eo.address { problems.append("tx \(i) vout \(k): \(address ?? "nil"), oracle \(eo.address ?? "nil")") }
                    if k < explorerOutputs.count, type != .pubkey, address != explorerOutputs[k]["scriptpubkey_address"] as? String {
                        problems.append("tx \(i) vout \(k): \(address ?? "nil"), explorer \(explorerOutputs[k]["scriptpubkey_address"] ?? "nil")")
                    }
                }
            }
        }
        // Inputs as `spoor show tx` shows them (the spent output, else the explorer's prevout),
        // against the explorer's prevout fields.
        for (i, object) in objects.enumerated().dropFirst() {
            let info = try store.transaction(object["txid"] as? String ?? "")
            let vin = object["vin"] as? [[String: Any]] ?? []
            if info.inputs.count != vin.count { problems.append("tx \(i): \(info.inputs.count) inputs, explorer \(vin.count)") }
            for (k, (input, v)) in zip(info.inputs, vin).enumerated() {
                let prevout = v["prevout"] as? [String: Any] ?? [:]
                if input.value != (prevout["value"] as? NSNumber)?.int64Value { problems.append("tx \(i) vin \(k): value \(input.value ?? -1)") }
                if let given = prevout["scriptpubkey_address"] as? String, input.address != given {
                    problems.append("tx \(i) vin \(k): address \(input.address ?? "nil"), explorer \(given)")
                }
                let external = !txids.contains(v["txid"] as? String ?? "")
                if (input.valueSource == "explorer") != external || input.resolved == external {
                    problems.append("tx \(i) vin \(k): resolved \(input.resolved), source \(input.valueSource ?? "chain")")
                }
                // `show address` lists the spend the explorer reports for the prevout's address.
                if external, let address = input.address {
                    let spends = try store.address(address).explorerSpends
                    if !spends.contains(where: { $0.spentBy == "\(info.txid):\(k)" && $0.value == input.value && $0.outpoint == input.prevout }) {
                        problems.append("tx \(i) vin \(k): \(address) does not list the explorer spend")
                    }
                }
            }
        }
        #expect(problems.count == 0, Comment(rawValue: problems.prefix(20).joined(separator: "\n")))

        // The wrong network is caught by the explorer's own address text (JSON has no magic).
        for wrong in [Network.testnet3, .bitcoinCash, .litecoin] {
            let error = thrownError { try Imports.run([file], into: dir.file("wrong-\(wrong.name)")) { $0.network = wrong } }
            let text = "\(error.map { "\($0)" } ?? "")"
            #expect(text.hasPrefix("\(file):2: the explorer prints 15MdAHnkxt9TMC2Rj595hsg8Hnv693pPBB for a script that is "), Comment(rawValue: text))
            #expect(text.hasSuffix("the data is of another network (main)"))
            #expect(try Imports.count(dir.file("wrong-\(wrong.name)"), "tx") == 0)
        }

        // The same file again adds nothing and reports the overlap.
        let again = try Imports.run([file], into: dir.file("data"))
        #expect(again.blocksAdded == 0)
        #expect(again.alreadyStored == 1)
        #expect(again.explorer?.transactionsAlreadyStored == 2107)
    }

    @Test func aBlockImportedInPartsEqualsTheWholeBlock() throws {
        // An analyst fetches a block's transactions page by page (`/block/:hash/txs/:start`), in
        // separate imports: each rebuilds the explorer block with all transactions so far, and the
        // result is what one import of the whole block gives.
        let dir = try TempDir()
        let file = try Self.realExplorerFile(dir)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [[String: Any]])
        let pages = [0..<700, 650..<1400, 1400..<2107].map { range in Array(objects[range]) }
        for (i, page) in pages.enumerated() {
            let path = try dir.write("page\(i).json", Array(try Self.pretty(page).utf8))
            let summary = try Imports.run([path], into: dir.file("parts")) { $0.network = .mainnet }
            #expect(summary.explorer?.blocksExtended == (i == 0 ? 0 : 1))
            #expect(summary.explorer?.blocksComplete == (i == 2 ? 1 : 0), "complete once every transaction is there")
            #expect(summary.blocksAdded == (i == 0 ? 1 : 0))
            #expect(summary.transactionsAdded == [700, 700, 707][i])
            #expect(summary.explorer?.transactionsAlreadyStored == [0, 50, 0][i])
        }
        try Imports.run([file], into: dir.file("whole")) { $0.network = .mainnet }
        let parts = try IndexStore(dataDirectory: dir.file("parts"), create: false)
        let whole = try IndexStore(dataDirectory: dir.file("whole"), create: false)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var differences: [String] = []
        for object in objects {
            let txid = object["txid"] as? String ?? ""
            if try encoder.encode(try parts.transaction(txid)) != encoder.encode(try whole.transaction(txid)) { differences.append(txid) }
        }
        #expect(differences.count == 0, Comment(rawValue: differences.prefix(5).joined(separator: ", ")))
        let block = try parts.read { db in try Row.fetchAll(db, sql: "SELECT merkle, tx_count FROM block") }
        #expect(block.count == 1)
        #expect(Hash256(internalBytes: block[0].bytes(0))?.hex == "dc2e74635cfa596ca2b8e4e9f17f09f731eeda6ed9ddf8be69bab2748e12fc50")
        #expect(try Imports.count(dir.file("parts"), "explorer_tx") == 2107)
        let removed = try parts.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'blocks_removed'") }
        #expect(removed == "2", "each rebuild removes the stored explorer block")

        // A block proven complete takes no further transactions.
        var stray = try EsploraWriter.objects(heights: [170])
        for i in stray.indices {
            stray[i]["status"] = (objects[0]["status"] as? [String: Any]) ?? [:]
        }
        let strayFile = try dir.write("stray.json", Array(try Self.pretty(Array(stray.prefix(1))).utf8))
        let strayError = thrownError { try Imports.run([strayFile], into: dir.file("parts")) }
        #expect("\(strayError.map { "\($0)" } ?? "")".contains("whose transactions the index holds complete (witness commitment checked) without it"))

        // Address histories come newest first: the same block in two reversed halves holds every
        // transaction with the same values, but block order cannot be recovered, so it stays partial.
        let newest = try dir.write("newest.json", Array(try Self.pretty(Array(objects[1000...].reversed())).utf8))
        let oldest = try dir.write("oldest.json", Array(try Self.pretty(Array(objects[..<1000].reversed())).utf8))
        try Imports.run([newest], into: dir.file("history")) { $0.network = .mainnet }
        let rest = try Imports.run([oldest], into: dir.file("history"))
        #expect(rest.explorer?.blocksExtended == 1 && rest.explorer?.blocksPartial == 1)
        let history = try IndexStore(dataDirectory: dir.file("history"), create: false)
        var valueDifferences = 0
        for object in objects {
            let txid = object["txid"] as? String ?? ""
            let a = try history.transaction(txid), b = try whole.transaction(txid)
            if a.fee != b.fee || a.outputs.map(\.value) != b.outputs.map(\.value) || a.inputs.map(\.value) != b.inputs.map(\.value) { valueDifferences += 1 }
        }
        #expect(valueDifferences == 0)
    }

    // MARK: - Replacement, resolution, mismatch

    /// Blocks `range` of the mainnet 0–175 fixture as a blk file in `dir`.
    static func blockFile(_ dir: TempDir, _ range: ClosedRange<Int>, name: String) throws -> String {
        let records = try BlockFiles.records(Fixture.real("\(Fixture.floresta).dat"))
        return try dir.write(name, records[range].flatMap(\.bytes))
    }

    @Test func anExplorerBlockIsReplacedByTheRealBlockAndTheIndexEqualsADirectImport() throws {
        let dir = try TempDir()
        let explorer = try EsploraWriter.write(heights: [170], to: dir.file("170.json"))
        try Imports.run([try Self.blockFile(dir, 0...169, name: "a.dat")], into: dir.file("data"))
        let first = try Imports.run([explorer], into: dir.file("data"))
        #expect(first.blocksAdded == 1)
        #expect(first.explorer?.prevoutsChecked == 1, "block 170's second transaction spends block 9's coinbase, which the index holds")
        #expect(first.explorer?.prevoutsStored == 0)
        #expect(first.unresolvedInputs == 0)
        let second = try Imports.run([try Self.blockFile(dir, 170...175, name: "b.dat")], into: dir.file("data"))
        #expect(second.explorerBlocksReplaced == 1)
        #expect(second.explorerTransactionsDropped.isEmpty)
        #expect(second.blocksAdded == 6)
        #expect(second.tipHeight == 175)

        try Imports.run([Fixture.real("\(Fixture.floresta).dat")], into: dir.file("direct"))
        let exclude: Set<String> = ["import_run", "import_file", "meta", "block.import_run"]
        let difference = Imports.diff(try Imports.dump(dir.file("data"), exclude: exclude), try Imports.dump(dir.file("direct"), exclude: exclude))
        #expect(difference.isEmpty, Comment(rawValue: difference.joined(separator: "\n")))
        let removed = try IndexStore(dataDirectory: dir.file("data"), create: false).read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'blocks_removed'")
        }
        #expect(removed == "1")

        // Explorer JSON of blocks the index holds from block files adds nothing and reports the overlap.
        let overlap = try Imports.run([explorer], into: dir.file("data"))
        #expect(overlap.blocksAdded == 0 && overlap.alreadyStored == 1)
        #expect(overlap.explorer?.transactionsAlreadyStored == 2)
        let after = Imports.diff(try Imports.dump(dir.file("data"), exclude: exclude), try Imports.dump(dir.file("direct"), exclude: exclude))
        #expect(after.isEmpty)
    }

    @Test func aPrevoutIsStoredForASliceAndCheckedWhenTheFundingArrives() throws {
        let dir = try TempDir()
        // Block 170 alone: its second transaction spends 50 BTC from block 9, which the index lacks.
        let honest = try EsploraWriter.write(heights: [170], to: dir.file("honest.json"))
        let summary = try Imports.run([honest], into: dir.file("data")) { $0.network = .mainnet }
        #expect(summary.explorer?.prevoutsStored == 1)
        #expect(summary.unresolvedInputs == 1)
        let fee = try IndexStore(dataDirectory: dir.file("data"), create: false).read { db in
            try Int64.fetchOne(db, sql: "SELECT fee FROM tx WHERE id = 2")
        }
        #expect(fee == 0, "50 BTC in, 10 + 40 BTC out: the prevout gives the fee")
        // The real block 170 alone (a slice) replaces the explorer block; its input stays
        // unresolved and keeps the prevout.
        let real170 = try Imports.run([try Self.blockFile(dir, 170...170, name: "b170.dat")], into: dir.file("data")) { $0.slice = true }
        #expect(real170.explorerBlocksReplaced == 1 && real170.blocksAdded == 1)
        #expect(real170.explorerTransactionsDropped.isEmpty)
        #expect(try Imports.count(dir.file("data"), "input_prevout") == 1, "the prevout is carried to the real block's input")
        let carried = try IndexStore(dataDirectory: dir.file("data"), create: false).read { db in
            try Row.fetchOne(db, sql: "SELECT b.height_source, t.fee FROM tx t JOIN block b ON b.id = t.block WHERE t.id = 2")
        }
        #expect(carried?[0] as String? != "explorer" && carried?[1] as Int64? == 0)
        let funding = try Imports.run([try Self.blockFile(dir, 0...169, name: "a.dat")], into: dir.file("data"))
        #expect(funding.prevoutMismatches.isEmpty)
        #expect(try Imports.count(dir.file("data"), "input_prevout") == 0, "resolved inputs keep the block's output, not the prevout")

        // The same with a prevout that lies about the value (and no fee field to contradict it).
        let lying = try EsploraWriter.write(heights: [170], to: dir.file("lying.json")) { tx in
            guard var vin = tx["vin"] as? [[String: Any]], var prevout = vin[0]["prevout"] as? [String: Any] else { return }
            prevout["value"] = 4_900_000_000
            vin[0]["prevout"] = prevout
            tx["vin"] = vin
            tx["fee"] = nil
        }
        try Imports.run([lying], into: dir.file("lied")) { $0.network = .mainnet }
        let resolved = try Imports.run([try Self.blockFile(dir, 0...169, name: "a.dat")], into: dir.file("lied"))
        #expect(resolved.prevoutMismatches.count == 1)
        #expect(resolved.prevoutMismatches.first?.contains("4900000000 sat") == true)
        let realFee = try IndexStore(dataDirectory: dir.file("lied"), create: false).read { db in
            try Int64.fetchOne(db, sql: "SELECT fee FROM tx WHERE id = 2")
        }
        #expect(realFee == 0, "the fee is recomputed from the real output")
    }

    @Test func unconfirmedAndRepeatedTransactionsAndFileOrder() throws {
        let dir = try TempDir()
        var objects = try EsploraWriter.objects(heights: [170, 9])
        // Explorer address histories come newest first: block 170 before block 9, spender first.
        objects.append(objects[0])
        var mempool = objects[1]
        mempool["txid"] = objects[1]["txid"]
        mempool["status"] = ["confirmed": false]
        let ndjson = try objects.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n")
        let file = try dir.write("history.ndjson", Array(ndjson.utf8))
        #expect(InputPreparation.detect(file) == .esplora)
        let summary = try Imports.run([file], into: dir.file("data")) { $0.network = .mainnet }
        #expect(summary.explorer?.duplicates == 1)
        #expect(summary.blocksAdded == 2)
        #expect(summary.unresolvedInputs == 0, "block 9 is written before block 170, so 170 spends an output of the index")
        let heights = try IndexStore(dataDirectory: dir.file("data"), create: false).read { db in
            try Int.fetchAll(db, sql: "SELECT height FROM block ORDER BY id")
        }
        #expect(heights == [9, 170])

        let unconfirmed = try dir.write("mempool.json", Array(String(decoding: try JSONSerialization.data(withJSONObject: [mempool]), as: UTF8.self).utf8))
        let skipped = try Imports.run([unconfirmed], into: dir.file("other")) { $0.network = .mainnet }
        #expect(skipped.explorer?.unconfirmed == 1)
        #expect(skipped.blocksAdded == 0)
    }

    // MARK: - Errors: file and line, index unchanged

    /// Imports `text` as explorer JSON into an index holding blocks 0–169 and returns the error;
    /// the index must be unchanged.
    static func failure(_ text: String, network: Network? = .mainnet) throws -> String {
        let dir = try TempDir()
        try Imports.run([try blockFile(dir, 0...169, name: "a.dat")], into: dir.file("data"))
        let before = try Imports.dump(dir.file("data"))
        let file = try dir.write("bad.json", Array(text.utf8))
        let error = thrownError { try Imports.run([file], into: dir.file("data")) { $0.network = network; $0.format = .esplora } }
        #expect(try Imports.dump(dir.file("data")) == before, "the index is unchanged")
        return error.map { "\($0)".replacingOccurrences(of: file, with: "FILE") } ?? "no error"
    }

    static func pretty(_ objects: [[String: Any]]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    /// The line on which the object holding `"txid" : "<txid>"` starts in pretty-printed text.
    static func line(of txid: String, in text: String) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let at = lines.firstIndex(where: { $0.contains("\"txid\" : \"\(txid)\"") && !$0.hasPrefix("          ") }) else { return -1 }
        var i = at
        while i > 0 && lines[i].trimmingCharacters(in: .whitespaces) != "{" { i -= 1 }
        return i + 1
    }

    @Test func malformedExplorerJSONNamesFileAndLine() throws {
        let good = try EsploraWriter.objects(heights: [170])
        let text = try Self.pretty(good)
        let second = good[1]["txid"] as? String ?? ""
        let secondLine = Self.line(of: second, in: text)
        #expect(secondLine > 1)

        // Truncated: the second transaction is cut off.
        let truncated = String(text.prefix(text.count - 40))
        #expect(try Self.failure(truncated).hasPrefix("FILE:\(secondLine): truncated"))

        // A missing field, a wrong type, a changed value (the txid no longer matches).
        var missing = good
        var vout = missing[1]["vout"] as? [[String: Any]] ?? []
        vout[0]["value"] = nil
        missing[1]["vout"] = vout
        let m = try Self.failure(try Self.pretty(missing))
        #expect(m.hasPrefix("FILE:\(secondLine): transaction \(second) vout[0]: missing 'value'"), Comment(rawValue: m))

        var mistyped = good
        mistyped[1]["locktime"] = "zero"
        #expect(try Self.failure(try Self.pretty(mistyped)).hasPrefix("FILE:\(secondLine): transaction \(second): 'locktime' must be an integer"))

        var changed = good
        vout = changed[1]["vout"] as? [[String: Any]] ?? []
        vout[0]["value"] = 1_000_000_001
        changed[1]["vout"] = vout
        changed[1]["fee"] = nil
        #expect(try Self.failure(try Self.pretty(changed)).contains("FILE:\(secondLine): transaction \(second): its fields rebuild a transaction hashing to"))

        var wrongFee = good
        wrongFee[1]["fee"] = 5
        #expect(try Self.failure(try Self.pretty(wrongFee)).contains("'fee' is 5 but the prevouts (5000000000) minus the outputs (5000000000) give 0"))

        var wrongSize = good
        wrongSize[1]["size"] = 10
        #expect(try Self.failure(try Self.pretty(wrongSize)).contains("'size' is 10, the rebuilt transaction has 275 bytes"))

        // The explorer contradicts the index: block 9's coinbase output is 50 BTC, not 40.
        var lying = good
        var vin = lying[1]["vin"] as? [[String: Any]] ?? []
        var prevout = vin[0]["prevout"] as? [String: Any] ?? [:]
        prevout["value"] = 4_000_000_000
        vin[0]["prevout"] = prevout
        lying[1]["vin"] = vin
        lying[1]["fee"] = nil
        #expect(try Self.failure(try Self.pretty(lying)).contains("vin[0]: its prevout (4000000000 sat) differs from output"))

        // Another block at a height the index's chain holds.
        var otherChain = try EsploraWriter.objects(heights: [169])
        for i in otherChain.indices {
            var status = otherChain[i]["status"] as? [String: Any] ?? [:]
            status["block_hash"] = String(repeating: "ab", count: 32)
            otherChain[i]["status"] = status
        }
        #expect(try Self.failure(try Self.pretty(otherChain)).contains("the explorer's block at height 169 is abab"))

        // Two explorers disagree: another block at a height an earlier explorer import filled.
        let dir0 = try TempDir()
        try Imports.run([try EsploraWriter.write(heights: [170], to: dir0.file("a.json"))], into: dir0.file("data")) { $0.network = .mainnet }
        var rival = try EsploraWriter.objects(heights: [171])
        for i in rival.indices {
            var status = rival[i]["status"] as? [String: Any] ?? [:]
            status["block_height"] = 170
            rival[i]["status"] = status
        }
        let rivalFile = try dir0.write("b.json", Array(try Self.pretty(rival).utf8))
        let rivalError = thrownError { try Imports.run([rivalFile], into: dir0.file("data")) }
        #expect("\(rivalError.map { "\($0)" } ?? "")".contains("an earlier explorer import placed"))

        // Self-contradiction: one block hash at two heights.
        var twoHeights = good
        var status = twoHeights[1]["status"] as? [String: Any] ?? [:]
        status["block_height"] = 171
        twoHeights[1]["status"] = status
        #expect(try Self.failure(try Self.pretty(twoHeights)).contains("is at height 171"))

        // Not an explorer transaction at all, and no network.
        #expect(try Self.failure("[{\"hash\": 1}]").hasPrefix("FILE:1: missing 'txid'"))
        let dir = try TempDir()
        let file = try dir.write("x.json", Array(text.utf8))
        let noNetwork = thrownError { try Imports.run([file], into: dir.file("data")) }
        #expect("\(noNetwork.map { "\($0)" } ?? "")".contains("explorer JSON carries no network"))
        let blocks = try Imports.count(dir.file("data"), "block")
        #expect(blocks == 0)
    }

    /// `object` with its txid set to what its fields hash to (for made-up transactions).
    static func withOwnTxid(_ object: [String: Any]) throws -> [String: Any] {
        var object = object
        do { _ = try EsploraTransaction.parse(object, file: "-", line: 1) } catch {
            guard case .mismatch(_, _, let reason) = error, let range = reason.range(of: "hashing to ") else { throw error }
            object["txid"] = String(reason[range.upperBound...].prefix(64))
        }
        return object
    }

    @Test func aDoubleSpendIsRefused() throws {
        // Block 170's second transaction spends block 9's coinbase. A made-up transaction in a
        // made-up block 171 spending it again is refused, against the index and within the data.
        let dir = try TempDir()
        try Imports.run([try Self.blockFile(dir, 0...170, name: "a.dat")], into: dir.file("data"))
        let before = try Imports.dump(dir.file("data"))
        let spend = try EsploraWriter.objects(heights: [170])[1]
        var again = spend
        var vout = again["vout"] as? [[String: Any]] ?? []
        vout[0]["value"] = 999_000_000
        again["vout"] = vout
        again["fee"] = nil
        again["size"] = nil
        again["status"] = ["confirmed": true, "block_height": 171, "block_hash": String(repeating: "cd", count: 32), "block_time": 1_231_731_025]
        again = try Self.withOwnTxid(again)
        let file = try dir.write("again.json", Array(try Self.pretty([again]).utf8))
        let error = thrownError { try Imports.run([file], into: dir.file("data")) }
        let spender = spend["txid"] as? String ?? "?"
        #expect("\(error.map { "\($0)" } ?? "")".contains("is already spent by transaction \(spender) in the index"))
        #expect(try Imports.dump(dir.file("data")) == before)

        // Within the explorer data: both spends in one file, into an index without them.
        var original = spend
        original["status"] = again["status"]
        let both = try dir.write("both.json", Array(try Self.pretty([original, again]).utf8))
        let within = thrownError { try Imports.run([both], into: dir.file("fresh")) { $0.network = .mainnet } }
        #expect("\(within.map { "\($0)" } ?? "")".contains("is also spent by transaction"))
    }

    @Test func explorerJSONIsImportedOnItsOwn() throws {
        let dir = try TempDir()
        let explorer = try EsploraWriter.write(heights: [170], to: dir.file("170.json"))
        let blk = try Self.blockFile(dir, 0...169, name: "a.dat")
        let error = thrownError { try Imports.run([blk, explorer], into: dir.file("data")) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("explorer JSON is imported on its own"))
        // RPC JSON is still RPC JSON.
        #expect(InputPreparation.detect(Fixture.real("rpc-json")) == .rpcJSON)
    }
}

/// Explorer JSON for blocks of the mainnet 0–175 fixture (``ExplorerJSONWriter``).
enum EsploraWriter {
    static func objects(heights: [Int]) throws -> [[String: Any]] {
        let all = try ExplorerJSONWriter.objects(blockFiles: [Fixture.real("\(Fixture.floresta).dat")], heights: Set(heights))
        // In the order asked for (an address history lists newest first).
        return heights.flatMap { h in all.filter { ($0["status"] as? [String: Any])?["block_height"] as? Int == h } }
    }

    /// Writes the objects as a pretty-printed array after `edit` changes each non-coinbase one.
    @discardableResult
    static func write(heights: [Int], to path: String, edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        var objects = try objects(heights: heights)
        for i in objects.indices {
            if let vin = objects[i]["vin"] as? [[String: Any]], vin.first?["is_coinbase"] as? Bool == false { edit(&objects[i]) }
        }
        return try ExplorerJSONWriter.write(objects, to: path)
    }
}
