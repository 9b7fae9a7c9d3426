/// Litecoin's MimbleWimble extension block (LIP-0002, LIP-0003), as Litecoin Core serializes it
/// after a block's transactions when the last one is the HogEx (`CBlock::SerializationOp`,
/// `MWEB::Block` = `OptionalPtr<mw::Block>`: a presence byte, then the block).
///
/// `mw::Block` = header, then inputs, outputs and kernels (each a CompactSize count and items).
/// VARINT is Core's base-128 `VarInt` (not CompactSize); vectors are CompactSize-prefixed.
///
/// | item | layout |
/// |---|---|
/// | header | VARINT height, output root 32, kernel root 32, leafset root 32, kernel offset 32, stealth offset 32, VARINT output MMR size, VARINT kernel MMR size |
/// | input | features 1, output id 32, commitment 33, output pubkey 33, [input pubkey 33 if 0x01], [vector if 0x02], signature 64 |
/// | output | commitment 33, sender pubkey 33, receiver pubkey 33, message (features 1, [key-exchange pubkey 33, view tag 1, masked value 8, masked nonce 16 if 0x01], [vector if 0x02]), range proof 675, signature 64 |
/// | kernel | features 1, [VARINT fee if 0x01], [VARINT peg-in if 0x02], [peg-outs if 0x04: CompactSize n × (VARINT amount, script vector)], [VARINT lock height if 0x08], [stealth excess 33 if 0x10], [vector if 0x20], excess 33, signature 64 |
///
/// Its contents are confidential (amounts and owners hidden); the index records only that it was
/// there and its size. Peg-ins and peg-outs that touch the canonical chain appear as ordinary
/// outputs and as the HogEx's inputs/outputs, which are indexed like any transaction.
public enum MWEBExtension {
    /// Whether `tx` (parsed from `buffer`) was serialized with the MWEB flag: after the checks in
    /// ``BlockParser/parseTransaction(_:inputs:outputs:computeWtxid:allowMWEB:)`` that is a HogEx.
    static func isHogEx(_ tx: ParsedTransaction, in buffer: UnsafeRawBufferPointer) -> Bool {
        let o = Int(tx.offset)
        guard o + 6 <= buffer.count else { return false }
        return buffer[o + 4] == 0 && buffer[o + 5] & 0x08 != 0
    }

    /// Bitcoin Core's `ReadVarInt` (MSB base-128 with the +1 per continuation byte).
    static func readVarInt(_ cursor: inout ByteCursor) throws(DecodeError) -> UInt64 {
        let start = cursor.position
        var n: UInt64 = 0
        while true {
            let ch = try cursor.readUInt8()
            if n > (UInt64.max >> 7) { throw .oversized(what: "MWEB VarInt", value: n, limit: UInt64.max >> 7, offset: start) }
            n = (n << 7) | UInt64(ch & 0x7f)
            guard ch & 0x80 != 0 else { return n }
            if n == UInt64.max { throw .oversized(what: "MWEB VarInt", value: n, limit: UInt64.max, offset: start) }
            n += 1
        }
    }

    private static func skipVector(_ cursor: inout ByteCursor, _ what: String) throws(DecodeError) {
        let n = try cursor.readCompactSize(limit: BlockParser.maxBlockBytes, what: what)
        try cursor.skip(n)
    }

    /// Advances the cursor over one `mw::Block` (the presence byte already read).
    /// - Throws: ``DecodeError`` for truncated or malformed data.
    public static func skipBlock(_ cursor: inout ByteCursor) throws(DecodeError) {
        // Header.
        _ = try readVarInt(&cursor)
        try cursor.skip(5 * 32)
        _ = try readVarInt(&cursor)
        _ = try readVarInt(&cursor)
        // Inputs.
        let inputCount = try cursor.readCompactSize(limit: BlockParser.maxCount, what: "MWEB input count")
        for _ in 0..<inputCount {
            let features = try cursor.readUInt8()
            try cursor.skip(32 + 33 + 33)
            if features & 0x01 != 0 { try cursor.skip(33) }
            if features & 0x02 != 0 { try skipVector(&cursor, "MWEB input extra data") }
            try cursor.skip(64)
        }
        // Outputs.
        let outputCount = try cursor.readCompactSize(limit: BlockParser.maxCount, what: "MWEB output count")
        for _ in 0..<outputCount {
            try cursor.skip(33 + 33 + 33)
            let features = try cursor.readUInt8()
            if features & 0x01 != 0 { try cursor.skip(33 + 1 + 8 + 16) }
            if features & 0x02 != 0 { try skipVector(&cursor, "MWEB output extra data") }
            try cursor.skip(675 + 64)
        }
        // Kernels.
        let kernelCount = try cursor.readCompactSize(limit: BlockParser.maxCount, what: "MWEB kernel count")
        for _ in 0..<kernelCount {
            let features = try cursor.readUInt8()
            if features & 0x01 != 0 { _ = try readVarInt(&cursor) }
            if features & 0x02 != 0 { _ = try readVarInt(&cursor) }
            if features & 0x04 != 0 {
                let pegouts = try cursor.readCompactSize(limit: BlockParser.maxCount, what: "MWEB peg-out count")
                for _ in 0..<pegouts {
                    _ = try readVarInt(&cursor)
                    try skipVector(&cursor, "MWEB peg-out script")
                }
            }
            if features & 0x08 != 0 { _ = try readVarInt(&cursor) }
            if features & 0x10 != 0 { try cursor.skip(33) }
            if features & 0x20 != 0 { try skipVector(&cursor, "MWEB kernel extra data") }
            try cursor.skip(33 + 64)
        }
    }
}
