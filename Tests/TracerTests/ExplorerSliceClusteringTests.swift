import ChainIndex
import ChainSynth
import Foundation
import Testing
@testable import Tracer

// Explorer JSON (Esplora) carries each input's prevout, so a slice imported from it can be
// clustered without its funding transactions; when the real blocks arrive and replace the
// explorer blocks, the next clustering run is a full one and equals clustering the chain.
@Suite(.serialized)
struct ExplorerSliceClusteringTests {
    @Test func anExplorerSliceIsClusteredFromItsPrevoutsAndTheRealBlocksReplaceIt() throws {
        let chain = try ClusteredSynthChain.get()
        let heights = Set(340..<360)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-explorer-slice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = try ExplorerJSONWriter.write(try ExplorerJSONWriter.objects(blockFiles: chain.allFiles, heights: heights),
                                                to: dir.appendingPathComponent("slice.json").path)
        let magic = [UInt8](try Data(contentsOf: URL(fileURLWithPath: chain.allFiles[0])).prefix(4))
        let network = try #require(Network.withMagic(magic))

        let store = try IndexStore(dataDirectory: dir.appendingPathComponent("index").path, create: true)
        var options = ImportOptions(paths: [json], network: network)
        options.format = .esplora
        let imported = try Importer.run(options, store: store)
        #expect(imported.blocksAdded == heights.count)
        let prevouts = try #require(imported.explorer?.prevoutsStored)
        #expect(prevouts > 0)
        let rules = StandardRules.make()
        let first = try ClusterEngine(store: store, rules: rules).run()
        #expect(first.pending == 0, "every input of the slice has a value and an address from its prevout")
        #expect(first.strictLinks > 0)
        let slice = try exportedClusters(store, .strict)
        #expect(!slice.isEmpty)

        // "Who paid this seller": buyers' payments in the slice name the payer through the
        // prevouts (a block-file slice has no address for those inputs), marked as such.
        let text = try String(contentsOf: chain.truth.appendingPathComponent("payments.ndjson"), encoding: .utf8)
        let truth = try text.split(separator: "\n").map { try JSONDecoder().decode(TruthPayment.self, from: Data($0.utf8)) }
            .filter { heights.contains($0.height) }
        #expect(truth.count >= 3)
        let owners = try chain.owners()
        let payments = try SellerPayments(store: store)
        var named = 0
        for t in truth.prefix(8) {
            let tx = try store.transaction(t.txid)
            let address = try #require(tx.outputs.first { $0.n == t.vout }?.address)
            let report = try payments.run([address])
            let p = try #require(report.payments.first { $0.txid == t.txid })
            #expect(p.explorerPrevoutInputs == tx.inputs.filter { $0.valueSource == "explorer" }.count)
            guard p.explorerPrevoutInputs > 0 else { continue }
            #expect(!p.payers.isEmpty && p.payerKey != "unknown")
            #expect(tx.inputs.contains { $0.address.flatMap { owners[$0] } == t.buyer }, "the buyer's own address pays")
            named += 1
        }
        #expect(named > 0)

        // Every strict cluster of the slice lies within one cluster of the whole chain.
        let (ordered, orderedDir) = try chain.index(chain.allFiles)
        defer { try? FileManager.default.removeItem(at: orderedDir) }
        _ = try ClusterEngine(store: ordered, rules: rules).run()
        let whole = try exportedClusters(ordered, .strict)
        for group in partition(slice) {
            let owners = Set(group.map { whole[$0] })
            #expect(owners.count == 1 && owners.first! != nil, "slice cluster \(group.sorted().prefix(3)) is split in the chain's clustering")
        }

        // The block files replace the explorer blocks; clustering starts again and equals the chain's.
        let replaced = try Importer.run(ImportOptions(paths: chain.allFiles), store: store)
        #expect(replaced.explorerBlocksReplaced == heights.count)
        #expect(replaced.explorerTransactionsDropped.isEmpty)
        #expect(replaced.prevoutMismatches.isEmpty)
        #expect(try store.status().unresolvedInputs == 0)
        let second = try ClusterEngine(store: store, rules: rules).run()
        #expect(second.mode == "full")
        #expect(second.reason?.contains("blocks were removed") == true)
        #expect(partition(try exportedClusters(store, .strict)) == partition(whole))
    }
}
