import Foundation
import Testing
@testable import ChainIndex

/// `--resync` skips blocks it cannot read, as Core's -reindex does, and says where.
struct ResyncTests {
    @Test func aDamagedCopyOfABlockIsSkippedAndTheIntactCopyImported() throws {
        let source = try BlockFile(path: Fixture.real(Fixture.jeffchan + ".dat"))
        var network: Network?
        var skipped = [SkippedRegion]()
        let records = try BlockFileScanner.scan(source, fileIndex: 0, network: &network, resync: false, skipped: &skipped)
        func bytes(_ r: BlockRecord) -> [UInt8] { source.read(r.recordOffset, r.size + 8) }
        // Blocks 0-60, with a damaged copy of block 51 written before the intact one (a torn
        // write that the node wrote again): one byte of its coinbase changed, header intact.
        var damaged = bytes(records[51])
        damaged[damaged.count - 10] ^= 0xff
        var file = [UInt8]()
        for r in records[0...50] { file += bytes(r) }
        let damagedOffset = file.count
        file += damaged
        for r in records[51...60] { file += bytes(r) }
        let temp = try TempDir("resync")
        let dir = temp.path
        let path = dir + "/blk00000.dat"
        try Data(file).write(to: URL(fileURLWithPath: path))

        // Strict: the merkle mismatch stops the import, naming file and offset; nothing written.
        let strictStore = try IndexStore(dataDirectory: dir + "/strict", create: true)
        do {
            _ = try Importer.run(ImportOptions(paths: [path]), store: strictStore)
            Issue.record("the damaged block was accepted")
        } catch ImportError.file(.merkleMismatch(let f, let offset, _, _, _)) {
            #expect(f == path && offset == damagedOffset)
        }
        #expect(try strictStore.status().blocks == 0)

        // Resync: the damaged copy is skipped and reported; the intact copy completes the chain.
        let store = try IndexStore(dataDirectory: dir + "/resync", create: true)
        var options = ImportOptions(paths: [path])
        options.resync = true
        let summary = try Importer.run(options, store: store)
        #expect(summary.blocksAdded == 61)
        #expect(summary.duplicateBlocks == 0)
        #expect(summary.skipped.count == 1)
        #expect(summary.skipped.first?.contains(path) == true)
        #expect(summary.skipped.first?.contains("offset \(damagedOffset)") == true)
        #expect(try store.status().tipHeight == 60)
        #expect(try store.block("51").hash == records[51].hash.hex)
    }
}
