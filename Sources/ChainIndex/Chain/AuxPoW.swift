/// Dogecoin's (Namecoin-style) merged-mining proof, carried after the 80-byte header of a block
/// whose version has bit 8 set. Layout (`CAuxPow` in Dogecoin Core `src/auxpow.h`):
///
/// | field | bytes |
/// |---|---|
/// | parent coinbase transaction | a transaction (Bitcoin serialization) |
/// | parent block hash | 32 |
/// | coinbase merkle branch | CompactSize n, n × 32 |
/// | coinbase branch side mask (`nIndex`) | 4 |
/// | chain merkle branch | CompactSize n, n × 32 |
/// | chain branch side mask (`nChainIndex`) | 4 |
/// | parent block header | 80 |
///
/// The index does not verify the proof of work, so the proof is skipped, not checked.
public enum AuxPoW {
    /// The version bit that announces AuxPoW data (`BLOCK_VERSION_AUXPOW`).
    public static let versionBit: UInt32 = 0x100
    /// Longest merkle branch accepted (a branch of 2^30 leaves is far past any real block).
    static let maxBranchLength: UInt64 = 30

    /// Advances the cursor over one AuxPoW structure.
    /// - Throws: ``DecodeError`` for truncated or malformed data.
    public static func skip(_ cursor: inout ByteCursor) throws(DecodeError) {
        var inputs = [ParsedInput]()
        var outputs = [ParsedOutput]()
        _ = try BlockParser.parseTransaction(&cursor, inputs: &inputs, outputs: &outputs, computeWtxid: false)
        try cursor.skip(32)
        for what in ["AuxPoW coinbase branch length", "AuxPoW chain branch length"] {
            let n = try cursor.readCompactSize(limit: maxBranchLength, what: what)
            try cursor.skip(n * 32)
            try cursor.skip(4)
        }
        try cursor.skip(BlockHeader.size)
    }
}
