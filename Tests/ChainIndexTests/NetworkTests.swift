import Foundation
import Testing
@testable import ChainIndex

struct NetworkTests {
    /// The parameter table's genesis hashes match real genesis headers (hashed here, not copied).
    @Test(arguments: [("signet_genesis_header.bin", Network.signet), ("mainnet_genesis_header.bin", Network.mainnet)])
    func genesisHashesMatchRealHeaders(file: String, network: Network) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixture.real(file))))
        #expect(bytes.count == 80)
        #expect(Hashing.sha256d(bytes) == network.genesisHash)
        // Work of the genesis block at the proof-of-work limit: 2^256 / (target + 1).
        let header = try bytes.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            return try BlockHeader(from: &cursor)
        }
        #expect(header.bits == network.powLimitBits)
        #expect(header.previousHash == .zero)
    }

    @Test func everyNetworkHasDistinctMagicAndGenesis() {
        #expect(Set(Network.all.map(\.magic)).count == Network.all.count)
        // Bitcoin Cash shares Bitcoin's genesis block (only its magic differs); every other genesis is distinct.
        let withOwnGenesis = Network.all.filter { $0 != .bitcoinCash }
        #expect(Set(withOwnGenesis.map(\.genesisHash)).count == withOwnGenesis.count)
        #expect(Network.bitcoinCash.genesisHash == Network.mainnet.genesisHash)
        for n in Network.all {
            #expect(Network.withMagic(n.magic) == n)
            #expect(Network.named(n.name) == n)
        }
    }

    @Test func chainWorkFromBits() {
        // Difficulty 1 (bits 0x1d00ffff): 2^256 / (0xffff * 2^208 + 1) = 0x100010001 (as Core computes).
        #expect(UInt256.work(bits: 0x1d00ffff) == UInt256(0x1_0001_0001))
        // Regtest's limit 0x207fffff: target 0x7fffff << 232, work 2.
        #expect(UInt256.work(bits: 0x207fffff) == UInt256(2))
        // Negative, zero and overflowing targets carry no work.
        #expect(UInt256.work(bits: 0x1d80ffff) == .zero)
        #expect(UInt256.work(bits: 0x1d000000) == .zero)
        #expect(UInt256.work(bits: 0xff00ffff) == .zero)
    }
}

/// The record size limit is the network's: Bitcoin Cash allows 32 MB blocks, Bitcoin 4 MB.
struct RecordSizeLimitTests {
    func scan(_ network: Network, claimedSize: Int) throws -> BlockFileError? {
        let dir = try TempDir()
        var bytes = network.magic
        bytes.appendLE(UInt32(claimedSize))
        bytes += [UInt8](repeating: 0x01, count: 100)
        let file = try BlockFile(path: try dir.write("blk00000.dat", bytes))
        var detected: Network?
        var skipped: [SkippedRegion] = []
        do {
            _ = try BlockFileScanner.scan(file, fileIndex: 0, network: &detected, resync: false, skipped: &skipped)
            return nil
        } catch { return error }
    }

    @Test func fiveMegabyteRecords() throws {
        // Bitcoin: too large a record. Bitcoin Cash: a legal size, so the error is the truncation.
        guard case .invalidRecordSize(_, 0, 5_000_000)? = try scan(.mainnet, claimedSize: 5_000_000) else {
            Issue.record("Bitcoin accepted a 5 MB record"); return
        }
        guard case .truncatedRecord(_, 0, 5_000_000, _)? = try scan(.bitcoinCash, claimedSize: 5_000_000) else {
            Issue.record("Bitcoin Cash refused a 5 MB record"); return
        }
        guard case .invalidRecordSize? = try scan(.bitcoinCash, claimedSize: 40_000_000) else {
            Issue.record("Bitcoin Cash accepted a 40 MB record"); return
        }
    }
}

/// The import summary counts the blocks whose extension data the parser skipped.
struct ExtensionCountTests {
    @Test func auxPowBlocksAreCountedByTheImport() throws {
        let dir = try TempDir()
        let merged = NetworkFamilyTests.syntheticDogeBlock()
        let path = try dir.write("doge.dat", RawRecord.make(magic: Network.dogecoin.magic, block: merged))
        let summary = try Imports.run([path], into: dir.file("index")) { $0.slice = true }
        #expect(summary.blocksAdded == 1 && summary.auxPowBlocks == 1 && summary.mwebBlocks == 0 && summary.network == "doge")
        let bitcoin = try TempDir()
        let plain = try Imports.run([Fixture.real("\(Fixture.floresta).dat")], into: bitcoin.path)
        #expect(plain.auxPowBlocks == 0 && plain.mwebBlocks == 0)
    }
}
