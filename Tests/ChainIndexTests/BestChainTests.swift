import Foundation
import GRDB
import Testing
@testable import ChainIndex

/// Best-chain selection, stale blocks, reorgs, idempotence and incremental imports, on the
/// btcd fork fixture (0–4 plus a longer side branch 3A–5A from block 2) and on jeffchan 0–4312.
struct BestChainTests {
    /// Record positions in the synthetic file: 0, 1, 2, 3, 4, 3A, 4A, 5A.
    enum Fork {
        static let b0 = 0, b1 = 1, b2 = 2, b3 = 3, b4 = 4, b3A = 5, b4A = 6, b5A = 7
        static let best = [b0, b1, b2, b3A, b4A, b5A]
        static let stale = [b3, b4]
    }

    struct ForkData {
        var records: [RawRecord]
        var blocks: [ExpectedBlock]
        var txs: [ExpectedTx]
        var hash: (Int) -> String { { self.blocks[$0].block_hash } }
        func txids(of i: Int) -> [String] { txs.filter { $0.block_hash == blocks[i].block_hash }.map(\.txid) }
        var bestTxids: [String] { Fork.best.flatMap { txids(of: $0) } }
        /// Txids only in the stale blocks 3 and 4 (two of their transactions are also in 3A and 5A).
        var staleOnlyTxids: [String] { Fork.stale.flatMap { txids(of: $0) }.filter { !Set(bestTxids).contains($0) } }
    }

    static func forkData() throws -> ForkData {
        let records = try BlockFiles.records(Fixture.real("\(Fixture.synthetic).dat"))
        let blocks = try NDJSON.read(ExpectedBlock.self, Fixture.expected("\(Fixture.synthetic).summary.ndjson"))
        let txs = try NDJSON.read(ExpectedTx.self, Fixture.expected("\(Fixture.synthetic).tx.ndjson.gz"))
        #expect(records.count == 8 && blocks.count == 8)
        // The oracle's view of the fork: 3A's parent is 2, heights 3, 4, 5 on the side branch.
        #expect(blocks[Fork.b3A].prev_hash == blocks[Fork.b2].block_hash)
        #expect([Fork.b3A, Fork.b4A, Fork.b5A].map { blocks[$0].height } == [3, 4, 5])
        return ForkData(records: records, blocks: blocks, txs: txs)
    }

    /// Every transaction of `txids` as the index shows it, JSON-encoded (ids never appear in it).
    static func transactions(_ dir: String, _ txids: [String]) throws -> [String: String] {
        let store = try IndexStore(dataDirectory: dir, create: false)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var out = [String: String]()
        for t in txids { out[t] = String(decoding: try encoder.encode(try store.transaction(t)), as: UTF8.self) }
        return out
    }

    static func staleHashes(_ dir: String) throws -> [String: String] {
        let store = try IndexStore(dataDirectory: dir, create: false)
        return try store.read { db in
            var out = [String: String]()
            for row in try Row.fetchAll(db, sql: "SELECT hash, reason FROM stale_block") {
                out[Hash256(internalBytes: [UInt8](row[0] as Data))!.hex] = row[1]
            }
            return out
        }
    }

    /// Checks the index holds exactly the best chain 0, 1, 2, 3A, 4A, 5A.
    static func expectBestChain(_ dir: String, _ d: ForkData, staleCount: Int = 2, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let store = try IndexStore(dataDirectory: dir, create: false)
        let status = try store.status()
        #expect(status.tipHeight == 5 && status.tipHash == d.hash(Fork.b5A), sourceLocation: sourceLocation)
        #expect(status.blocks == 6 && status.chainBlocks == 6, sourceLocation: sourceLocation)
        #expect(status.staleBlocks == staleCount, sourceLocation: sourceLocation)
        #expect(status.transactions == d.bestTxids.count, sourceLocation: sourceLocation)
        for (h, i) in Fork.best.enumerated() {
            let b = try store.block(d.hash(i))
            #expect(b.height == h && b.inChain && b.heightSource == "chain", "block \(i)", sourceLocation: sourceLocation)
            #expect(b.txids == d.txids(of: i), sourceLocation: sourceLocation)
        }
        for i in Fork.stale {
            #expect(thrownError { _ = try store.block(d.hash(i)) } as? QueryError == .notFound("block \(d.hash(i))"),
                    "stale block \(i) stored", sourceLocation: sourceLocation)
        }
        #expect(d.staleOnlyTxids.count == 3, sourceLocation: sourceLocation)
        for t in d.staleOnlyTxids {
            #expect(thrownError { _ = try store.transaction(t) } as? QueryError == .notFound("transaction \(t)"),
                    "txid \(t) of a stale block is in the index", sourceLocation: sourceLocation)
        }
        // Transactions in both branches belong to the best-chain block.
        for t in d.bestTxids {
            let info = try store.transaction(t)
            #expect(Fork.best.map(d.hash).contains(info.blockHash), sourceLocation: sourceLocation)
        }
        let stale = try staleHashes(dir)
        for i in Fork.stale { #expect(stale[d.hash(i)] != nil, "stale block \(i) not recorded", sourceLocation: sourceLocation) }
    }

    @Test("Fork file: best chain 0,1,2,3A,4A,5A; 3 and 4 stale and never imported")
    func forkFile() throws {
        let d = try Self.forkData()
        let dir = try TempDir()
        let summary = try Imports.run([Fixture.real("\(Fixture.synthetic).dat")], into: dir.path)
        #expect(summary.blocksScanned == 8 && summary.blocksAdded == 6 && summary.staleBlocks == 2 && summary.rolledBack == 0)
        #expect(summary.tipHeight == 5 && summary.tipHash == d.hash(Fork.b5A))
        try Self.expectBestChain(dir.path, d)
        #expect(try Self.staleHashes(dir.path).values.allSatisfy { $0 == "stale" })
        // The spends inside the branch point at the right outputs.
        let store = try IndexStore(dataDirectory: dir.path, create: false)
        let tx5A = try store.transaction(d.txids(of: Fork.b5A)[1])
        #expect(tx5A.inputs.first?.resolved == true && tx5A.fee != nil && tx5A.fee! >= 0)
    }

    @Test("Same result whatever the order of the records", arguments: [
        [0, 1, 2, 5, 6, 7, 3, 4],   // side branch first
        [0, 1, 2, 3, 4, 5, 7, 6],   // 5A before 4A
        [7, 6, 5, 4, 3, 2, 1, 0],   // reversed
        [3, 7, 0, 4, 6, 1, 5, 2],
    ])
    func recordOrder(_ order: [Int]) throws {
        let d = try Self.forkData()
        let reference = try TempDir()
        try Imports.run([Fixture.real("\(Fixture.synthetic).dat")], into: reference.path)
        let dir = try TempDir()
        let path = try dir.write("fork.dat", order.flatMap { d.records[$0].bytes })
        let data = try dir.subdirectory("index")
        let summary = try Imports.run([path], into: data)
        #expect(summary.blocksAdded == 6 && summary.staleBlocks == 2)
        try Self.expectBestChain(data, d)
        let exclude: Set<String> = ["import_run", "import_file", "stale_block"]
        let diff = Imports.diff(try Imports.dump(reference.path, exclude: exclude), try Imports.dump(data, exclude: exclude))
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
        #expect(try Self.staleHashes(data) == Self.staleHashes(reference.path))
    }

    @Test("Reorg: 0–4 imported, then 3A–5A → 3 and 4 rolled back, their transactions gone")
    func reorg() throws {
        let d = try Self.forkData()
        let dir = try TempDir()
        let first = try dir.write("main.dat", d.records[0...4].flatMap(\.bytes))
        let side = try dir.write("side.dat", d.records[5...7].flatMap(\.bytes))
        let index = try dir.subdirectory("index")
        let s1 = try Imports.run([first], into: index)
        #expect(s1.tipHeight == 4 && s1.tipHash == d.hash(Fork.b4) && s1.blocksAdded == 5)
        let store = try IndexStore(dataDirectory: index, create: false)
        for t in d.staleOnlyTxids { _ = try store.transaction(t) }   // present before the reorg

        let s2 = try Imports.run([side], into: index)
        #expect(s2.rolledBack == 2)
        #expect(s2.blocksAdded == 3)
        #expect(s2.tipHeight == 5 && s2.tipHash == d.hash(Fork.b5A))
        try Self.expectBestChain(index, d)
        #expect(try Self.staleHashes(index) == [d.hash(Fork.b3): "reorg", d.hash(Fork.b4): "reorg"])
        #expect(try store.status().importRuns.last?.rolledBack == 2)

        // Every best-chain transaction reads exactly as after a one-shot import of the whole file.
        let reference = try TempDir()
        try Imports.run([Fixture.real("\(Fixture.synthetic).dat")], into: reference.path)
        let ours = try Self.transactions(index, d.bestTxids), theirs = try Self.transactions(reference.path, d.bestTxids)
        for t in d.bestTxids { #expect(ours[t] == theirs[t], "tx \(t):\n\(ours[t] ?? "")\n\(theirs[t] ?? "")") }
        #expect(try store.status().unresolvedInputs == 0)
    }

    @Test("Importing the same file twice adds nothing", arguments: [Fixture.synthetic, Fixture.jeffchan])
    func importTwice(_ name: String) throws {
        let dir = try TempDir()
        let path = Fixture.real("\(name).dat")
        let s1 = try Imports.run([path], into: dir.path)
        #expect(s1.blocksAdded > 0)
        let before = try Imports.dump(dir.path)
        let s2 = try Imports.run([path], into: dir.path)
        #expect(s2.blocksAdded == 0 && s2.transactionsAdded == 0 && s2.rolledBack == 0)
        #expect(s2.alreadyStored == s1.blocksAdded)
        let diff = Imports.diff(before, try Imports.dump(dir.path))
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
    }

    @Test("Incremental: jeffchan 0–2000, then the full file → only 2001–4312 added; equal to a one-shot import")
    func incremental() throws {
        let r = try BlockFiles.records(Fixture.real("\(Fixture.jeffchan).dat"))
        #expect(r.count == 4313)
        let dir = try TempDir()
        let partial = try dir.write("blk-partial.dat", r[0...2000].flatMap(\.bytes))
        let index = try dir.subdirectory("incremental")
        let s1 = try Imports.run([partial], into: index)
        #expect(s1.blocksAdded == 2001 && s1.tipHeight == 2000)
        let s2 = try Imports.run([Fixture.real("\(Fixture.jeffchan).dat")], into: index)
        #expect(s2.blocksAdded == 2312)
        #expect(s2.alreadyStored == 2001)
        #expect(s2.tipHeight == 4312)

        let oneShot = try dir.subdirectory("one-shot")
        try Imports.run([Fixture.real("\(Fixture.jeffchan).dat")], into: oneShot)
        let exclude: Set<String> = ["import_run", "import_file", "block.import_run"]
        let a = try Imports.dump(index, exclude: exclude), b = try Imports.dump(oneShot, exclude: exclude)
        #expect(a["tx"]?.count == 4371)
        let diff = Imports.diff(a, b)
        #expect(diff.isEmpty, "\(diff.joined(separator: "\n"))")
    }

    @Test("Slice import of 100–200, then a chain import of 0–4312 places the slice on the chain")
    func sliceThenChain() throws {
        let r = try BlockFiles.records(Fixture.real("\(Fixture.jeffchan).dat"))
        let txs = try NDJSON.read(ExpectedTx.self, Fixture.expected("\(Fixture.jeffchan).tx.ndjson.gz"))
        let dir = try TempDir()
        let slice = try dir.write("slice.dat", r[100...200].flatMap(\.bytes))
        let index = try dir.subdirectory("index")
        let s1 = try Imports.run([slice], into: index) { $0.slice = true; $0.startHeight = 100 }
        #expect(s1.blocksAdded == 101)
        let s2 = try Imports.run([Fixture.real("\(Fixture.jeffchan).dat")], into: index)
        #expect(s2.tipHeight == 4312)
        let status = try IndexStore(dataDirectory: index, create: false).status()
        #expect(status.blocks == 4313 && status.chainBlocks == 4313 && status.sliceBlocks == 0)
        #expect(status.transactions == 4371 && status.unresolvedInputs == 0)

        let oneShot = try dir.subdirectory("one-shot")
        try Imports.run([Fixture.real("\(Fixture.jeffchan).dat")], into: oneShot)
        let chosen = txs.filter { !$0.coinbase }.map(\.txid) + txs[95...205].map(\.txid)
        let ours = try Self.transactions(index, chosen), theirs = try Self.transactions(oneShot, chosen)
        for t in chosen { #expect(ours[t] == theirs[t], "tx \(t):\n\(ours[t] ?? "")\n\(theirs[t] ?? "")") }
    }
}
