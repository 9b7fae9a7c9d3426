/// What a chain's serialized block carries beyond Bitcoin's 80-byte header and transaction list.
/// A row of the network table (``Network/blockFormat``): the parser branches on it, so Bitcoin's
/// path stays exactly Bitcoin's.
public enum BlockFormat: Sendable, Hashable {
    /// Header, transaction count, transactions (BIP 144 serialization); nothing else.
    case bitcoin
    /// Litecoin after MWEB (LIP-0002/0003): a transaction may use the MWEB flag (0x08) of the
    /// extended serialization; a block whose last transaction is the HogEx (flag 0x08 with no MWEB
    /// data) is followed by the optional MWEB extension block, which is skipped exactly and counted.
    case litecoinMWEB
    /// Dogecoin: a header whose version has bit 8 (0x100) set is followed by AuxPoW data (the
    /// parent chain's coinbase, its block hash, two merkle branches, the 80-byte parent header),
    /// skipped exactly and counted. The block hash stays the SHA-256d of the 80-byte header.
    case dogecoinAuxPoW
}
