/// Errors reading Bitcoin Core block files. Every case names the file and, where it applies,
/// the byte offset in that file.
public enum BlockFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    /// Four bytes that are no network's magic, where a record should start.
    case badMagic(file: String, offset: Int, found: [UInt8])
    /// A record with the disk magic of another network than the one being imported; `found` is
    /// the network that magic is taken for (``Network/withMagic(_:)``).
    case wrongNetwork(file: String, offset: Int, expected: String, found: String)
    /// A record whose block exists only on another chain with the same disk magic
    /// (``Network/otherChainBlocks``: Bitcoin's or Bitcoin Cash's first block after their split),
    /// so the files are that chain's (`found`), not the import's (`expected`).
    case otherChainBlock(file: String, offset: Int, block: Hash256, expected: String, found: String)
    /// The record's size field claims more bytes than the file holds.
    case truncatedRecord(file: String, offset: Int, claimed: Int, available: Int)
    /// A record's size field is below a header's size or above the consensus maximum.
    case invalidRecordSize(file: String, offset: Int, size: Int)
    /// The block inside a record does not decode.
    case malformedBlock(file: String, offset: Int, cause: DecodeError)
    /// The merkle root recomputed from the txids differs from the header's.
    case merkleMismatch(file: String, offset: Int, block: Hash256, header: Hash256, computed: Hash256)
    /// The merkle root matches, but only because transactions are repeated so that two equal
    /// hashes are paired in the tree (CVE-2012-2459): not the block that was mined.
    case mutatedBlock(file: String, offset: Int, block: Hash256)
    /// `xor.dat` exists but is not 8 bytes long.
    case invalidXorKey(file: String, size: Int)
    /// No block files were found at the given path.
    case noBlockFiles(path: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read: \(reason)"
        case .badMagic(let file, let offset, let found):
            return "\(file): offset \(offset): unknown magic \(Hex.encode(found)) (garbage or corrupt data where a block record should start)"
        case .wrongNetwork(let file, let offset, let expected, let found):
            // Name every chain whose files carry that magic (`main` and `bch` share theirs).
            let sharing = Network.named(found).map { Network.allWithDiskMagic($0.diskMagic).map(\.name) } ?? []
            let others = sharing.filter { $0 != found }.map { "'\($0)'" }
            let also = others.isEmpty ? "" : " (or \(others.joined(separator: ", ")): same block-file magic)"
            return "\(file): offset \(offset): block record for network '\(found)'\(also), but this import is for '\(expected)'"
        case .otherChainBlock(let file, let offset, let block, let expected, let found):
            return "\(file): offset \(offset): block \(block.hex) exists only on '\(found)' (its first block after the chain split), "
                + "but this import is for '\(expected)'; '\(found)' and '\(expected)' block files carry the same magic, "
                + "so import '\(found)' files with --network \(found) into a '\(found)' index"
        case .truncatedRecord(let file, let offset, let claimed, let available):
            return "\(file): offset \(offset): record claims \(claimed) bytes, only \(available) left (truncated file)"
        case .invalidRecordSize(let file, let offset, let size):
            return "\(file): offset \(offset): invalid record size \(size)"
        case .malformedBlock(let file, let offset, let cause):
            return "\(file): offset \(offset + cause.offset): malformed block (record at offset \(offset)): \(cause)"
        case .merkleMismatch(let file, let offset, let block, let header, let computed):
            return "\(file): offset \(offset): merkle root mismatch in block \(block.hex): header \(header.hex), computed \(computed.hex)"
        case .mutatedBlock(let file, let offset, let block):
            return "\(file): offset \(offset): block \(block.hex) repeats transactions (mutated merkle tree, CVE-2012-2459)"
        case .invalidXorKey(let file, let size):
            return "\(file): xor key must be 8 bytes, found \(size)"
        case .noBlockFiles(let path):
            return "\(path): no block files (blk*.dat) found"
        }
    }
}
