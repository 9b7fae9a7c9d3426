import Foundation
import Testing
@testable import ChainIndex

/// Slices: partial ranges placed at their height, unresolved inputs that resolve themselves when
/// the funding blocks arrive, and slice blocks that join the chain when it reaches them.
struct SliceImportTests {
    /// Writes the records `range` (by position in the file) of a blk file into a new file.
    static func extract(_ source: String, _ range: ClosedRange<Int>, to path: String) throws -> [BlockRecord] {
        let file = try BlockFile(path: source)
        var network: Network?
        var skipped = [SkippedRegion]()
        let records = try BlockFileScanner.scan(file, fileIndex: 0, network: &network, resync: false, skipped: &skipped)
        var out = Data()
        for r in records[range] {
            out.append(contentsOf: file.read(r.recordOffset, r.size + 8))
        }
        try out.write(to: URL(fileURLWithPath: path))
        return Array(records[range])
    }

    @Test func sliceIsPlacedAndResolvesWhenTheFundingBlocksArrive() throws {
        let source = Fixture.real(Fixture.jeffchan + ".dat")
        let temp = try TempDir("slice")
        let dir = temp.path
        let early = try Self.extract(source, 0...149, to: dir + "/early.dat")
        let late = try Self.extract(source, 150...400, to: dir + "/late.dat")
        #expect(early.count == 150 && late.count == 251)

        // Without --slice, a range that does not start at genesis is refused and nothing is written.
        let refused = try IndexStore(dataDirectory: dir + "/refused", create: true)
        #expect(throws: ImportError.self) { try Importer.run(ImportOptions(paths: [dir + "/late.dat"]), store: refused) }
        #expect(try refused.status().blocks == 0)

        // The slice: 2009 blocks carry no BIP34 height, so the user gives the first one.
        let store = try IndexStore(dataDirectory: dir + "/index", create: true)
        var options = ImportOptions(paths: [dir + "/late.dat"])
        options.slice = true
        options.startHeight = 150
        let sliced = try Importer.run(options, store: store)
        #expect(sliced.blocksAdded == 251)
        #expect(sliced.unplacedBlocks == 0)
        #expect(sliced.unresolvedInputs > 0)
        var status = try store.status()
        #expect(status.sliceBlocks == 251 && status.chainBlocks == 0)
        #expect(status.tipHeight == nil)
        #expect(try store.block("150").hash == late[0].hash.hex)
        #expect(try store.block(late[250].hash.hex).height == 400)
        #expect(try store.block("150").heightSource == "user")
        #expect(try store.block("151").heightSource == "parent")

        // Block 170's transaction spends the coinbase of block 9, outside the slice: unresolved, no fee.
        let hal = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16"
        var tx = try store.transaction(hal)
        #expect(tx.inputs[0].resolved == false)
        #expect(tx.inputs[0].prevout == "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0")
        #expect(tx.inputs[0].value == nil)
        #expect(tx.fee == nil)

        // Importing the same slice again adds nothing.
        #expect(try Importer.run(options, store: store).blocksAdded == 0)

        // The funding blocks arrive, as a chain from genesis: the slice joins the chain, every
        // input resolves and fees appear.
        let chained = try Importer.run(ImportOptions(paths: [dir + "/early.dat"]), store: store)
        #expect(chained.blocksAdded == 150)
        status = try store.status()
        #expect(status.chainBlocks == 401 && status.sliceBlocks == 0)
        #expect(status.tipHeight == 400)
        #expect(status.tipHash == late[250].hash.hex)
        #expect(status.unresolvedInputs == 0)
        tx = try store.transaction(hal)
        #expect(tx.inputs[0].resolved)
        #expect(tx.inputs[0].value == 5_000_000_000)
        #expect(tx.fee == 0)
        let coinbaseOfBlock9 = try store.transaction("0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9")
        #expect(coinbaseOfBlock9.outputs[0].spentBy == "\(hal):0")

        // Every transaction reads exactly as in a one-shot import of blocks 0-400.
        let whole = try Self.extract(source, 0...400, to: dir + "/whole.dat")
        let reference = try IndexStore(dataDirectory: dir + "/reference", create: true)
        _ = try Importer.run(ImportOptions(paths: [dir + "/whole.dat"]), store: reference)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for record in whole {
            for txid in try reference.block(record.hash.hex).txids {
                let a = try encoder.encode(try store.transaction(txid)), b = try encoder.encode(try reference.transaction(txid))
                #expect(a == b, "transaction \(txid) differs between the slice-then-chain index and the one-shot index")
            }
        }
    }

    @Test func userHeightsThatContradictTheDataAreRefused() throws {
        let source = Fixture.real(Fixture.jeffchan + ".dat")
        let temp = try TempDir("slice-heights")
        let dir = temp.path
        let records = try Self.extract(source, 100...200, to: dir + "/slice.dat")
        let store = try IndexStore(dataDirectory: dir + "/index", create: true)
        var options = ImportOptions(paths: [dir + "/slice.dat"])
        options.slice = true
        options.startHeight = 100
        options.userHeights[records[50].hash] = 999
        do {
            _ = try Importer.run(options, store: store)
            Issue.record("a height contradicting the parent's was accepted")
        } catch ImportError.plan(.heightConflict(let file, let offset, let block, let given, let derived, _)) {
            #expect(file == dir + "/slice.dat")
            // Offset in the slice file: the 50 records written before it.
            #expect(offset == records[0..<50].reduce(0) { $0 + $1.size + 8 })
            #expect(block == records[50].hash && given == 999 && derived == 150)
        }
        #expect(try store.status().blocks == 0)
        // A consistent height is accepted.
        options.userHeights[records[50].hash] = 150
        #expect(try Importer.run(options, store: store).blocksAdded == 101)
        #expect(try store.block(records[100].hash.hex).height == 200)
    }

    @Test func aUserHeightContradictingBIP34IsRefused() throws {
        // Block 482683 carries its BIP34 height; claiming another is an error naming the block.
        let temp = try TempDir("slice-bip34")
        let dir = temp.path
        let subset = Fixture.real(Fixture.mainnetSubset + ".dat")
        let file = try BlockFile(path: subset)
        var network: Network?
        var skipped = [SkippedRegion]()
        let records = try BlockFileScanner.scan(file, fileIndex: 0, network: &network, resync: false, skipped: &skipped)
        guard let segwit = records.first(where: { $0.hash.hex.hasPrefix("0000000000000000006d") || $0.size == 9288 }) else {
            Issue.record("block 482683 not found in the subset fixture"); return
        }
        var options = ImportOptions(paths: [subset])
        options.slice = true
        options.userHeights[segwit.hash] = 482_000
        let store = try IndexStore(dataDirectory: dir + "/index", create: true)
        do {
            _ = try Importer.run(options, store: store)
            Issue.record("a height contradicting BIP34 was accepted")
        } catch ImportError.plan(.heightConflict(_, _, let block, let given, let derived, let source)) {
            #expect(block == segwit.hash && given == 482_000 && derived == 482_683 && source == "bip34")
        }
    }
}
