/// One transaction of a parsed block. Byte ranges point into the block buffer the block was
/// parsed from; inputs and outputs live in the block's flat arrays (no per-transaction allocation).
public struct ParsedTransaction: Sendable {
    public var txid: Hash256
    /// Witness txid; equal to `txid` for transactions without witness data.
    public var wtxid: Hash256
    public var version: Int32
    public var lockTime: UInt32
    /// Serialized size in bytes, witness included.
    public var size: Int32
    /// BIP141 weight: base size × 3 + total size.
    public var weight: Int32
    public var hasWitness: Bool
    /// Offset of the transaction within the block.
    public var offset: Int32
    public var firstInput: Int32
    public var inputCount: Int32
    public var firstOutput: Int32
    public var outputCount: Int32

    /// Virtual size (weight / 4, rounded up).
    public var vsize: Int32 { (weight + 3) / 4 }
}

/// A transaction input: the outpoint it spends and its scriptSig's position.
public struct ParsedInput: Sendable {
    public var previousTxid: Hash256
    public var previousIndex: UInt32
    public var sequence: UInt32
    public var scriptOffset: Int32
    public var scriptLength: Int32

    /// True for the null outpoint a coinbase input carries.
    public var isCoinbase: Bool { previousIndex == 0xffff_ffff && previousTxid == .zero }
}

/// A transaction output: value in satoshis and the scriptPubKey's position in the block.
public struct ParsedOutput: Sendable {
    public var value: Int64
    public var scriptOffset: Int32
    public var scriptLength: Int32
}

/// A fully decoded block. Script ranges refer to the buffer passed to ``BlockParser/parse(_:)``.
public struct ParsedBlock: Sendable {
    public var header: BlockHeader
    public var hash: Hash256
    public var size: Int
    public var transactions: [ParsedTransaction]
    public var inputs: [ParsedInput]
    public var outputs: [ParsedOutput]
    /// Merkle root recomputed from the txids.
    public var computedMerkleRoot: Hash256
    /// True when two identical hashes were paired on some level of the merkle tree: a list of
    /// transactions that is not the block's although it has the same root (CVE-2012-2459;
    /// Core's `ComputeMerkleRoot` flags it as `mutated` and rejects the block).
    public var merkleMutated: Bool = false
    /// Bytes of Dogecoin AuxPoW data skipped after the header (0: none). See ``BlockFormat``.
    public var auxPowBytes: Int = 0
    /// True when the last transaction is Litecoin's HogEx (integration) transaction.
    public var hasHogEx: Bool = false
    /// Bytes of the Litecoin MWEB extension block skipped after the transactions, without its
    /// one-byte presence flag (0: none).
    public var mwebBytes: Int = 0

    public var merkleMatches: Bool { computedMerkleRoot == header.merkleRoot }
    /// Whether the block carried AuxPoW data (merge-mined Dogecoin block).
    public var hasAuxPow: Bool { auxPowBytes > 0 }
    /// Whether the block carried a Litecoin MWEB extension block.
    public var hasMWEB: Bool { mwebBytes > 0 }
}

/// Decodes serialized blocks and transactions exactly as Bitcoin Core does (BIP144 segwit
/// serialization included) and computes txids, wtxids and the merkle root.
public enum BlockParser {
    /// Upper bounds for counts and lengths, from the consensus size limits (4 MB weight).
    static let maxBlockBytes: UInt64 = 4_000_000
    static let maxCount: UInt64 = 4_000_000 / 9

    /// Parses one block occupying the whole buffer.
    /// - Parameter computeWtxids: also hash each witness transaction's full serialization for its
    ///   wtxid (otherwise `wtxid` is left equal to `txid`). The index never needs wtxids, and for
    ///   segwit-heavy blocks they nearly double the hashing.
    /// - Throws: ``DecodeError`` with an offset relative to the buffer start.
    /// - Complexity: O(n) in the block size, plus one double SHA-256 per transaction (two for
    ///   witness transactions when `computeWtxids`).
    public static func parse(_ buffer: UnsafeRawBufferPointer, computeWtxids: Bool = true) throws(DecodeError) -> ParsedBlock {
        var cursor = ByteCursor(buffer)
        let header = try BlockHeader(from: &cursor)
        let hash = Hashing.sha256d(cursor.base, 80)
        let (txs, inputs, outputs) = try parseTransactionList(&cursor, computeWtxids: computeWtxids)
        if cursor.remaining != 0 {
            throw .trailingBytes(count: cursor.remaining, offset: cursor.position)
        }
        let (root, mutated) = Merkle.rootAndMutation(txs.map(\.txid))
        return ParsedBlock(header: header, hash: hash, size: buffer.count, transactions: txs,
                           inputs: inputs, outputs: outputs, computedMerkleRoot: root, merkleMutated: mutated)
    }

    /// Reads a block's transaction count and its transactions at the cursor.
    @inline(__always)
    static func parseTransactionList(_ cursor: inout ByteCursor, computeWtxids: Bool, allowMWEB: Bool = false) throws(DecodeError)
        -> (transactions: [ParsedTransaction], inputs: [ParsedInput], outputs: [ParsedOutput]) {
        let txCount = try cursor.readCompactSize(limit: maxCount, what: "transaction count")
        var txs = [ParsedTransaction]()
        txs.reserveCapacity(txCount)
        var inputs = [ParsedInput]()
        inputs.reserveCapacity(txCount * 2)
        var outputs = [ParsedOutput]()
        outputs.reserveCapacity(txCount * 2 + 1)
        for _ in 0..<txCount {
            txs.append(try parseTransaction(&cursor, inputs: &inputs, outputs: &outputs, computeWtxid: computeWtxids, allowMWEB: allowMWEB))
        }
        return (txs, inputs, outputs)
    }

    /// The serialized transaction at the start of `bytes` (script offsets relative to `bytes`);
    /// nil when it does not decode.
    public static func parseTransaction(bytes: [UInt8], computeWtxid: Bool = false)
        -> (transaction: ParsedTransaction, inputs: [ParsedInput], outputs: [ParsedOutput])? {
        bytes.withUnsafeBytes { buffer in
            var cursor = ByteCursor(buffer)
            var inputs: [ParsedInput] = [], outputs: [ParsedOutput] = []
            guard let tx = try? parseTransaction(&cursor, inputs: &inputs, outputs: &outputs, computeWtxid: computeWtxid) else { return nil }
            return (tx, inputs, outputs)
        }
    }

    /// Parses one transaction at the cursor, appending its inputs and outputs to the given arrays.
    /// - Parameter allowMWEB: accept Litecoin's MWEB flag (0x08) of the extended serialization;
    ///   only a HogEx (the flag with no MWEB transaction, and at least one output) is accepted,
    ///   an embedded MWEB transaction throws ``DecodeError/unsupportedExtension(what:offset:)``.
    ///   The txid excludes the marker, flag and MWEB byte (Litecoin Core's `SERIALIZE_NO_MWEB`).
    public static func parseTransaction(_ cursor: inout ByteCursor, inputs: inout [ParsedInput],
                                        outputs: inout [ParsedOutput], computeWtxid: Bool = true,
                                        allowMWEB: Bool = false) throws(DecodeError) -> ParsedTransaction {
        let start = cursor.position
        let version = Int32(bitPattern: try cursor.readUInt32())
        var hasWitness = false
        var hasMWEBFlag = false
        // BIP144: an input count of zero followed by flag 1 marks the extended serialization.
        try cursor.need(1)
        if cursor.base.load(fromByteOffset: cursor.position, as: UInt8.self) == 0 {
            try cursor.need(2)
            let flag = cursor.base.load(fromByteOffset: cursor.position + 1, as: UInt8.self)
            if flag == 0 {
                // Zero inputs and no witness flag: Core reads this as an empty input list.
            } else if flag == 1 {
                hasWitness = true
                cursor.position += 2
            } else if allowMWEB && flag & ~0x09 == 0 {
                // Litecoin: bit 0 witness, bit 3 MWEB (`UnserializeTransaction`); no other bits.
                hasWitness = flag & 0x01 != 0
                hasMWEBFlag = true
                cursor.position += 2
            } else {
                throw .invalidSegwitFlag(flag: flag, offset: cursor.position + 1)
            }
        }
        let bodyStart = cursor.position
        let firstInput = inputs.count
        let inputCount = try cursor.readCompactSize(limit: maxCount, what: "input count")
        for _ in 0..<inputCount {
            let prev = try cursor.readHash()
            let index = try cursor.readUInt32()
            let scriptLength = try cursor.readCompactSize(limit: maxBlockBytes, what: "script length")
            let scriptOffset = cursor.position
            try cursor.skip(scriptLength)
            let sequence = try cursor.readUInt32()
            inputs.append(ParsedInput(previousTxid: prev, previousIndex: index, sequence: sequence,
                                      scriptOffset: Int32(scriptOffset), scriptLength: Int32(scriptLength)))
        }
        let firstOutput = outputs.count
        let outputCount = try cursor.readCompactSize(limit: maxCount, what: "output count")
        for _ in 0..<outputCount {
            let value = Int64(bitPattern: try cursor.readUInt64())
            let scriptLength = try cursor.readCompactSize(limit: maxBlockBytes, what: "script length")
            let scriptOffset = cursor.position
            try cursor.skip(scriptLength)
            outputs.append(ParsedOutput(value: value, scriptOffset: Int32(scriptOffset), scriptLength: Int32(scriptLength)))
        }
        let bodyEnd = cursor.position
        if hasWitness {
            var anyWitness = false
            for _ in 0..<inputCount {
                let items = try cursor.readCompactSize(limit: maxCount, what: "witness item count")
                if items > 0 { anyWitness = true }
                for _ in 0..<items {
                    let length = try cursor.readCompactSize(limit: maxBlockBytes, what: "witness item length")
                    try cursor.skip(length)
                }
            }
            if !anyWitness { throw .superfluousWitness(offset: start) }
        }
        if hasMWEBFlag {
            // `OptionalPtr<mw::Transaction>`: a presence byte; absent marks the HogEx.
            let present = try cursor.readUInt8()
            if present != 0 {
                throw .unsupportedExtension(what: "MWEB transaction inside a block's transaction list", offset: cursor.position - 1)
            }
            if outputCount == 0 { throw .unsupportedExtension(what: "HogEx transaction without outputs", offset: start) }
        }
        let lockTimeOffset = cursor.position
        let lockTime = try cursor.readUInt32()
        let end = cursor.position
        let size = end - start
        let txid: Hash256
        let wtxid: Hash256
        let base = cursor.base
        if hasWitness || hasMWEBFlag {
            txid = Hashing.sha256d(UnsafeRawBufferPointer(start: base + start, count: 4),
                                   UnsafeRawBufferPointer(start: base + bodyStart, count: bodyEnd - bodyStart),
                                   UnsafeRawBufferPointer(start: base + lockTimeOffset, count: 4))
            wtxid = computeWtxid ? Hashing.sha256d(base + start, size) : txid
        } else {
            txid = Hashing.sha256d(base + start, size)
            wtxid = txid
        }
        let baseSize = hasWitness || hasMWEBFlag ? 4 + (bodyEnd - bodyStart) + 4 : size
        return ParsedTransaction(
            txid: txid, wtxid: wtxid, version: version, lockTime: lockTime, size: Int32(size),
            weight: Int32(baseSize * 3 + size), hasWitness: hasWitness, offset: Int32(start),
            firstInput: Int32(firstInput), inputCount: Int32(inputCount),
            firstOutput: Int32(firstOutput), outputCount: Int32(outputCount))
    }

    /// The BIP34 height committed in a coinbase scriptSig, if the script begins with a minimal
    /// height push (`OP_0`, `OP_1`…`OP_16`, or a 1–8 byte little-endian number).
    public static func coinbaseHeight(scriptSig: UnsafeRawBufferPointer) -> Int? {
        guard let first = scriptSig.first else { return nil }
        switch first {
        case 0x00: return 0
        case 0x51...0x60: return Int(first) - 0x50
        case 0x01...0x08:
            let n = Int(first)
            guard scriptSig.count >= 1 + n else { return nil }
            var value: UInt64 = 0
            for i in 0..<n { value |= UInt64(scriptSig[1 + i]) << (8 * UInt64(i)) }
            // A set sign bit in the last byte would make the number negative.
            if scriptSig[n] & 0x80 != 0 { return nil }
            return Int(value)
        default: return nil
        }
    }
}

/// Merkle tree over txids (Bitcoin's construction: the last node of an odd level is paired with itself).
public enum Merkle {
    public static func root(_ leaves: [Hash256]) -> Hash256 {
        rootAndMutation(leaves).root
    }

    /// The root, and whether two identical nodes were paired as a left/right pair on any level
    /// (Core's `mutated`): such a list has the same root as a shorter one.
    public static func rootAndMutation(_ leaves: [Hash256]) -> (root: Hash256, mutated: Bool) {
        guard !leaves.isEmpty else { return (.zero, false) }
        var level = leaves
        var mutated = false
        var pair = [UInt8](repeating: 0, count: 64)
        while level.count > 1 {
            var next = [Hash256]()
            next.reserveCapacity((level.count + 1) / 2)
            var i = 0
            while i < level.count {
                let left = level[i]
                if i + 1 < level.count && level[i + 1] == left { mutated = true }
                let right = i + 1 < level.count ? level[i + 1] : left
                let h: Hash256 = pair.withUnsafeMutableBytes { p in
                    left.storeBytes(to: p.baseAddress!)
                    right.storeBytes(to: p.baseAddress! + 32)
                    return Hashing.sha256d(UnsafeRawPointer(p.baseAddress!), 64)
                }
                next.append(h)
                i += 2
            }
            level = next
        }
        return (level[0], mutated)
    }
}
