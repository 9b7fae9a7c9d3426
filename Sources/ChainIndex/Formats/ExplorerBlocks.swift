import Foundation

/// The transactions an explorer places in one block. The block's header is not in explorer JSON
/// (its version, previous hash, bits and nonce are unknown), so the block's hash, height and time
/// are the explorer's word, and the block is stored as a slice block with `height_source =
/// 'explorer'` until a block file or RPC JSON of the same block replaces it.
public struct ExplorerBlock: Sendable {
    public var hash: Hash256
    public var height: Int
    public var time: Int64
    /// In block order when `complete`; otherwise in file order, funding transactions first.
    public var transactions: [EsploraTransaction]
    /// True when the coinbase is present and its witness commitment (BIP141) is the witness merkle
    /// root of exactly these transactions in this order: the list is the whole block, in order.
    public var complete: Bool
    /// True when file order was changed so that a transaction comes after those it spends.
    public var reordered: Bool
    public var file: String

    /// The line of the block's first transaction in its file.
    public var line: Int { transactions.first?.line ?? 1 }

    /// The merkle root of the txids when the list is complete; the zero hash otherwise.
    public var merkleRoot: Hash256 { complete ? Merkle.root(transactions.map(\.txid)) : .zero }

    /// A block buffer for the index's writer: an 80-byte header holding only what is known (the
    /// time, and the merkle root of a complete list; version, previous hash, bits and nonce zero),
    /// then the transactions. Its size is the real block's size when the list is complete.
    public var buffer: [UInt8] {
        let header = BlockHeader(version: 0, previousHash: .zero, merkleRoot: merkleRoot, time: UInt32(clamping: time), bits: 0, nonce: 0)
        var bytes = header.serialized
        bytes.appendCompactSize(transactions.count)
        for tx in transactions { bytes += tx.bytes }
        return bytes
    }
}

/// Groups explorer transactions into their blocks and orders them.
public enum ExplorerBlocks {
    /// The grouping of one import's explorer transactions.
    public struct Grouped: Sendable {
        /// In height order.
        public var blocks: [ExplorerBlock]
        /// Unconfirmed (mempool) transactions, left out.
        public var unconfirmed: Int
        /// Transactions given more than once (identical), kept once.
        public var duplicates: Int
    }

    /// Groups transactions (each with its file) by block. Fails when the explorer data contradicts
    /// itself: one txid with two different contents or blocks, one block hash at two heights or
    /// times, two block hashes at one height.
    public static func group(_ items: [(tx: EsploraTransaction, file: String)]) throws(BlockJSONError) -> Grouped {
        var out = Grouped(blocks: [], unconfirmed: 0, duplicates: 0)
        var seen: [Hash256: (tx: EsploraTransaction, file: String)] = [:]
        var byBlock: [Hash256: Int] = [:], byHeight: [Int: Int] = [:]
        for (tx, file) in items {
            if let first = seen[tx.txid] {
                guard first.tx.bytes == tx.bytes, first.tx.status == tx.status, first.tx.prevouts == tx.prevouts else {
                    throw .mismatch(
                        file: file, line: tx.line,
                        reason: "transaction \(tx.txid.hex) differs from the one at \(first.file):\(first.tx.line) (content, prevouts or block)")
                }
                out.duplicates += 1
                continue
            }
            seen[tx.txid] = (tx, file)
            guard let status = tx.status else {
                out.unconfirmed += 1
                continue
            }
            if let b = byBlock[status.blockHash] {
                let block = out.blocks[b]
                guard block.height == status.height, block.time == status.time else {
                    throw .mismatch(
                        file: file, line: tx.line,
                        reason: "block \(status.blockHash.hex) is at height \(status.height) time \(status.time) here but at height \(block.height) time \(block.time) at \(block.file):\(block.line)")
                }
                out.blocks[b].transactions.append(tx)
                continue
            }
            if let other = byHeight[status.height] {
                let block = out.blocks[other]
                throw .mismatch(
                    file: file, line: tx.line,
                    reason: "height \(status.height) is block \(status.blockHash.hex) here but block \(block.hash.hex) at \(block.file):\(block.line)")
            }
            byBlock[status.blockHash] = out.blocks.count
            byHeight[status.height] = out.blocks.count
            out.blocks.append(ExplorerBlock(hash: status.blockHash, height: status.height, time: status.time, transactions: [tx],
                                            complete: false, reordered: false, file: file))
        }
        for i in out.blocks.indices { try settle(&out.blocks[i]) }
        out.blocks.sort { $0.height < $1.height }
        return out
    }

    /// Orders one block's transactions and decides whether they are the whole block.
    static func settle(_ block: inout ExplorerBlock) throws(BlockJSONError) {
        let coinbases = block.transactions.filter(\.isCoinbase)
        if coinbases.count > 1 {
            throw .mismatch(file: block.file, line: coinbases[1].line, reason: "block \(block.hash.hex) has two coinbase transactions")
        }
        if witnessCommitmentMatches(block.transactions) {
            block.complete = true
            return
        }
        let ordered = fundingFirst(block.transactions)
        block.reordered = ordered.map(\.txid) != block.transactions.map(\.txid)
        block.transactions = ordered
        block.complete = witnessCommitmentMatches(ordered)
    }

    /// The coinbase first, then file order with every transaction after the ones it spends
    /// (a stable topological order).
    static func fundingFirst(_ txs: [EsploraTransaction]) -> [EsploraTransaction] {
        let position = Dictionary(txs.enumerated().map { ($0.element.txid, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var placed = [Bool](repeating: false, count: txs.count)
        var out: [EsploraTransaction] = []
        out.reserveCapacity(txs.count)
        func place(_ i: Int, _ depth: Int) {
            guard !placed[i] else { return }
            placed[i] = true
            // A chain deeper than the list means a cycle, which no valid data has; stop following it.
            if depth < txs.count {
                for spend in txs[i].spends { if let j = position[spend.txid], j != i { place(j, depth + 1) } }
            }
            out.append(txs[i])
        }
        if let cb = txs.firstIndex(where: \.isCoinbase) { place(cb, 0) }
        for i in txs.indices { place(i, 0) }
        return out
    }

    /// BIP141: the coinbase's last output of the form `OP_RETURN 0xaa21a9ed <32 bytes>` commits to
    /// SHA256d(witness merkle root ‖ the coinbase's 32-byte witness reserved value), where the
    /// witness merkle root is over the wtxids with the coinbase's set to zero. True only when the
    /// first transaction is a coinbase with such a commitment and it matches these transactions.
    static func witnessCommitmentMatches(_ txs: [EsploraTransaction]) -> Bool {
        guard let coinbase = txs.first, coinbase.isCoinbase,
            let commitment = lastCommitment(coinbase.bytes), let reserved = reservedValue(coinbase.bytes)
        else { return false }
        var wtxids = [Hash256.zero]
        for tx in txs.dropFirst() { wtxids.append(Hashing.sha256d(tx.bytes)) }
        let root = Merkle.root(wtxids)
        return Hashing.sha256d(root.bytes + reserved).bytes == commitment
    }

    /// The 32 committed bytes of the last witness commitment output of a coinbase.
    static func lastCommitment(_ tx: [UInt8]) -> [UInt8]? {
        guard let outputs = BlockParser.parseTransaction(bytes: tx)?.outputs else { return nil }
        for o in outputs.reversed() where o.scriptLength >= 38 {
            let script = tx[Int(o.scriptOffset)..<Int(o.scriptOffset + o.scriptLength)]
            if script.prefix(6).elementsEqual([0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed]) {
                return Array(script.dropFirst(6).prefix(32))
            }
        }
        return nil
    }

    /// The coinbase's witness reserved value: its only witness item, 32 bytes (BIP141).
    static func reservedValue(_ tx: [UInt8]) -> [UInt8]? {
        // Marker and flag after the version, then the one input; the witness follows the outputs.
        guard tx.count > 6 + 32 + 4, tx[4] == 0, tx[5] == 1 else { return nil }
        // The stack is the last 4 (locktime) + 33 (item) + 1 (count) bytes before the end.
        let end = tx.count - 4
        guard end >= 34, tx[end - 34] == 1, tx[end - 33] == 32 else { return nil }
        return Array(tx[(end - 32)..<end])
    }
}
