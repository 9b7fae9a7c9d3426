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

    /// Network (P2P) magics are distinct for every row; disk magics, which open block-file records,
    /// may repeat: Bitcoin Cash Node writes its block files with Bitcoin's `f9 be b4 d9`, so
    /// `main` and `bch` share it and detection from the magic gives `main`.
    @Test func everyNetworkHasDistinctNetworkMagicAndGenesis() {
        #expect(Set(Network.all.map(\.networkMagic)).count == Network.all.count)
        // The one repeated disk magic is Bitcoin's, shared by Bitcoin and Bitcoin Cash only.
        #expect(Set(Network.all.map(\.diskMagic)).count == Network.all.count - 1)
        #expect(Network.allWithDiskMagic([0xf9, 0xbe, 0xb4, 0xd9]) == [.mainnet, .bitcoinCash])
        for n in Network.all where n != .bitcoinCash {
            #expect(Network.allWithDiskMagic(n.diskMagic).count == (n == .mainnet ? 2 : 1), "\(n)")
            #expect(n.diskMagic == n.networkMagic, "\(n): one magic for P2P and block files")
        }
        #expect(Network.bitcoinCash.diskMagic == Network.mainnet.diskMagic)
        #expect(Network.bitcoinCash.networkMagic == [0xe3, 0xe1, 0xf3, 0xe8])
        // Bitcoin Cash shares Bitcoin's genesis block too; every other genesis is distinct.
        let withOwnGenesis = Network.all.filter { $0 != .bitcoinCash }
        #expect(Set(withOwnGenesis.map(\.genesisHash)).count == withOwnGenesis.count)
        #expect(Network.bitcoinCash.genesisHash == Network.mainnet.genesisHash)
        for n in Network.all {
            #expect(n.magic == n.diskMagic, "\(n): `magic` is the block-file magic")
            #expect(Network.withMagic(n.diskMagic) == (n == .bitcoinCash ? .mainnet : n), "\(n)")
            #expect(Network.withNetworkMagic(n.networkMagic) == n, "\(n)")
            #expect(Network.named(n.name) == n)
        }
        #expect(Network.withMagic([0xe3, 0xe1, 0xf3, 0xe8]) == nil, "Bitcoin Cash's P2P magic opens no block record")
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

/// The record size limit is the network's: Bitcoin Cash allows 32 MB blocks, Bitcoin 4 MB. Both
/// chains' records start with `f9 be b4 d9`, so Bitcoin Cash's limit applies only when the network
/// is given (`--network bch` or an index recorded as `bch`).
struct RecordSizeLimitTests {
    /// Scans one record of `claimedSize` with Bitcoin's (and Bitcoin Cash's) disk magic, the
    /// network given or (nil) detected; returns the error and the network the scan ended with.
    func scan(_ given: Network?, claimedSize: Int) throws -> (error: BlockFileError?, network: Network?) {
        let dir = try TempDir()
        var bytes: [UInt8] = [0xf9, 0xbe, 0xb4, 0xd9]
        bytes.appendLE(UInt32(claimedSize))
        bytes += [UInt8](repeating: 0x01, count: 100)
        let file = try BlockFile(path: try dir.write("blk00000.dat", bytes))
        var network = given
        var skipped: [SkippedRegion] = []
        do {
            _ = try BlockFileScanner.scan(file, fileIndex: 0, network: &network, resync: false, skipped: &skipped)
            return (nil, network)
        } catch { return (error, network) }
    }

    @Test func fiveMegabyteRecords() throws {
        // Bitcoin (given or detected): too large a record.
        for given in [Network.mainnet, nil] {
            let (error, network) = try scan(given, claimedSize: 5_000_000)
            guard case .invalidRecordSize(_, 0, 5_000_000)? = error else {
                Issue.record("Bitcoin accepted a 5 MB record (given \(String(describing: given)))"); return
            }
            #expect(network == .mainnet, "f9beb4d9 is taken for Bitcoin, never Bitcoin Cash")
        }
        // Bitcoin Cash, given: a legal size, so the error is the truncation; 40 MB is too large.
        guard case .truncatedRecord(_, 0, 5_000_000, _)? = try scan(.bitcoinCash, claimedSize: 5_000_000).error else {
            Issue.record("Bitcoin Cash refused a 5 MB record"); return
        }
        guard case .invalidRecordSize(_, 0, 40_000_000)? = try scan(.bitcoinCash, claimedSize: 40_000_000).error else {
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
