extension BlockParser {
    /// Parses one block of a chain with the given block format (``Network/blockFormat``).
    ///
    /// `.bitcoin` is exactly ``parse(_:computeWtxids:)``. `.dogecoinAuxPoW` skips the AuxPoW data
    /// after a header with version bit 0x100 (``AuxPoW``); `.litecoinMWEB` accepts a HogEx as the
    /// last transaction and skips the MWEB extension block after it (``MWEBExtension``). The block
    /// hash is always SHA-256d of the 80-byte header; what was skipped is reported in
    /// ``ParsedBlock/auxPowBytes`` and ``ParsedBlock/mwebBytes``.
    /// - Throws: ``DecodeError`` with an offset relative to the buffer start.
    public static func parse(_ buffer: UnsafeRawBufferPointer, format: BlockFormat,
                             computeWtxids: Bool = true) throws(DecodeError) -> ParsedBlock {
        if format == .bitcoin { return try parse(buffer, computeWtxids: computeWtxids) }
        var cursor = ByteCursor(buffer)
        let header = try BlockHeader(from: &cursor)
        let hash = Hashing.sha256d(cursor.base, 80)
        var auxPowBytes = 0
        if format == .dogecoinAuxPoW && UInt32(bitPattern: header.version) & AuxPoW.versionBit != 0 {
            let start = cursor.position
            try AuxPoW.skip(&cursor)
            auxPowBytes = cursor.position - start
        }
        let allowMWEB = format == .litecoinMWEB
        let (txs, inputs, outputs) = try parseTransactionList(&cursor, computeWtxids: computeWtxids, allowMWEB: allowMWEB)
        var hasHogEx = false
        var mwebBytes = 0
        if allowMWEB {
            // Only the last transaction may be the HogEx, and only in a block of two or more
            // (Litecoin Core's `CBlock` serialization reads the extension block only then).
            for (i, tx) in txs.enumerated() where MWEBExtension.isHogEx(tx, in: buffer) {
                guard i == txs.count - 1, txs.count >= 2 else {
                    throw .unsupportedExtension(what: "HogEx transaction that is not the last of the block", offset: Int(tx.offset))
                }
                hasHogEx = true
            }
            if hasHogEx {
                let present = try cursor.readUInt8()
                if present != 0 {
                    let start = cursor.position
                    try MWEBExtension.skipBlock(&cursor)
                    mwebBytes = cursor.position - start
                }
            }
        }
        if cursor.remaining != 0 {
            throw .trailingBytes(count: cursor.remaining, offset: cursor.position)
        }
        let (root, mutated) = Merkle.rootAndMutation(txs.map(\.txid))
        return ParsedBlock(header: header, hash: hash, size: buffer.count, transactions: txs,
                           inputs: inputs, outputs: outputs, computedMerkleRoot: root, merkleMutated: mutated,
                           auxPowBytes: auxPowBytes, hasHogEx: hasHogEx, mwebBytes: mwebBytes)
    }
}
