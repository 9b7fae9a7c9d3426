/// Parameters of one chain: everything the importer and the address codec need to know.
/// Networks are rows of one table (``Network/all``), as btcd's `chaincfg` does.
public struct Network: Sendable, Hashable, CustomStringConvertible {
    /// Stable short name used on the command line and in the store (`main`, `test`, ...).
    public let name: String
    /// The four bytes that open every record of the node's block files (`blk*.dat`): Bitcoin Cash
    /// Node's and Bitcoin ABC's `diskMagic`, the `pchMessageStart` of nodes that have one magic
    /// (Bitcoin Core, Litecoin Core, Dogecoin Core). Two chains may share it (Bitcoin and Bitcoin
    /// Cash: `f9 be b4 d9`), so it does not always identify the chain; see ``withMagic(_:)``.
    public let diskMagic: [UInt8]
    /// The four message-start bytes of the node's P2P messages (Bitcoin Cash Node's `netMagic`);
    /// the same as ``diskMagic`` on chains whose node has one magic. Distinct for every row. The
    /// index reads no P2P traffic: this is recorded to tell the two magics apart.
    public let networkMagic: [UInt8]
    /// The block-file magic, ``diskMagic``: what the scanner compares each record with and what
    /// block files written for the import (from JSON inputs) start their records with.
    public var magic: [UInt8] { diskMagic }
    /// Blocks that exist only on another chain with the same ``diskMagic``, each with that chain's
    /// name: for Bitcoin and Bitcoin Cash, the other chain's first block after the August 2017
    /// split (height 478,559). A record whose hash is one of them proves the files are that
    /// chain's, which the magic cannot show. Their nodes never store such a block: Bitcoin Core
    /// refuses Bitcoin Cash's (larger than its block weight limit) before writing it, and Bitcoin
    /// Cash Node checkpoints its own block at that height.
    public let otherChainBlocks: [Hash256: String]
    /// Hash of the genesis block (display hex).
    public let genesisHash: Hash256
    /// Base58Check version byte of P2PKH addresses.
    public let pubkeyHashPrefix: UInt8
    /// Base58Check version byte of P2SH addresses.
    public let scriptHashPrefix: UInt8
    /// Bech32 human-readable part of segwit addresses.
    public let bech32HRP: String
    /// First height at which BIP34 (height in coinbase) is enforced.
    public let bip34Height: Int
    /// Smallest difficulty target allowed (nBits of the proof-of-work limit).
    public let powLimitBits: UInt32
    /// Whether segwit (BIP 141) addresses exist on this chain; when false ``bech32HRP`` is empty
    /// and witness address kinds are neither rendered as addresses nor accepted as input.
    public let supportsSegwit: Bool
    /// How the chain's node classifies output scripts shaped like witness programs, and whether
    /// they have addresses (the import applies it to every output).
    public let witnessOutputs: WitnessOutputRule
    /// CashAddr prefix (Bitcoin Cash: `bitcoincash`); nil on chains without CashAddr. When set,
    /// addresses render as CashAddr and legacy Base58 addresses are still accepted as input.
    public let cashAddrPrefix: String?
    /// What a serialized block carries beyond Bitcoin's header and transactions.
    public let blockFormat: BlockFormat
    /// Largest block record the scanner accepts, in bytes (Bitcoin's 4 MB weight limit bounds a
    /// serialized block; Bitcoin Cash: 32 MB, Bitcoin Cash Node's `DEFAULT_CONSENSUS_BLOCK_SIZE`,
    /// which since May 2024 is only the floor of its adaptive limit, ABLA).
    public let maxBlockSize: Int

    public var description: String { name }

    /// Builds a row. `networkMagic` defaults to `diskMagic` (one magic for both, as in Bitcoin
    /// Core); `witnessOutputs` defaults to ``WitnessOutputRule/segwit`` when `supportsSegwit`, else
    /// to ``WitnessOutputRule/nonstandard``.
    public init(name: String, diskMagic: [UInt8], networkMagic: [UInt8]? = nil, genesisHash: Hash256,
                pubkeyHashPrefix: UInt8, scriptHashPrefix: UInt8,
                bech32HRP: String, bip34Height: Int, powLimitBits: UInt32, supportsSegwit: Bool = true,
                witnessOutputs: WitnessOutputRule? = nil, cashAddrPrefix: String? = nil, blockFormat: BlockFormat = .bitcoin,
                maxBlockSize: Int = 4_000_000, otherChainBlocks: [Hash256: String] = [:]) {
        self.name = name; self.diskMagic = diskMagic; self.networkMagic = networkMagic ?? diskMagic
        self.genesisHash = genesisHash
        self.otherChainBlocks = otherChainBlocks
        self.pubkeyHashPrefix = pubkeyHashPrefix; self.scriptHashPrefix = scriptHashPrefix
        self.bech32HRP = bech32HRP; self.bip34Height = bip34Height; self.powLimitBits = powLimitBits
        self.supportsSegwit = supportsSegwit
        self.witnessOutputs = witnessOutputs ?? (supportsSegwit ? .segwit : .nonstandard)
        self.cashAddrPrefix = cashAddrPrefix; self.blockFormat = blockFormat
        self.maxBlockSize = maxBlockSize
    }

    public static let mainnet = Network(
        name: "main", diskMagic: [0xf9, 0xbe, 0xb4, 0xd9],
        genesisHash: Hash256(hex: "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")!,
        pubkeyHashPrefix: 0x00, scriptHashPrefix: 0x05, bech32HRP: "bc", bip34Height: 227_931,
        powLimitBits: 0x1d00ffff, otherChainBlocks: [bitcoinCashFirstBlock: "bch"])
    public static let testnet3 = Network(
        name: "test", diskMagic: [0x0b, 0x11, 0x09, 0x07],
        genesisHash: Hash256(hex: "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943")!,
        pubkeyHashPrefix: 0x6f, scriptHashPrefix: 0xc4, bech32HRP: "tb", bip34Height: 21_111,
        powLimitBits: 0x1d00ffff)
    public static let testnet4 = Network(
        name: "testnet4", diskMagic: [0x1c, 0x16, 0x3f, 0x28],
        genesisHash: Hash256(hex: "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043")!,
        pubkeyHashPrefix: 0x6f, scriptHashPrefix: 0xc4, bech32HRP: "tb", bip34Height: 1,
        powLimitBits: 0x1d00ffff)
    public static let signet = Network(
        name: "signet", diskMagic: [0x0a, 0x03, 0xcf, 0x40],
        genesisHash: Hash256(hex: "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6")!,
        pubkeyHashPrefix: 0x6f, scriptHashPrefix: 0xc4, bech32HRP: "tb", bip34Height: 1,
        powLimitBits: 0x1e0377ae)
    public static let regtest = Network(
        name: "regtest", diskMagic: [0xfa, 0xbf, 0xb5, 0xda],
        genesisHash: Hash256(hex: "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")!,
        pubkeyHashPrefix: 0x6f, scriptHashPrefix: 0xc4, bech32HRP: "bcrt", bip34Height: 1,
        powLimitBits: 0x207fffff)
    /// Litecoin mainnet: same block and transaction format; block hashes for linkage are SHA-256d
    /// (scrypt is only its proof of work, which the index does not check). Blocks after the MWEB
    /// activation (LIP-0002/0003) may end with a HogEx transaction and MWEB extension data, which
    /// the parser skips and counts (``BlockFormat/litecoinMWEB``). P2SH renders with Litecoin
    /// Core's `SCRIPT_ADDRESS2` (50, `M…`); its legacy `SCRIPT_ADDRESS` 5 (`3…`) is not accepted.
    /// Source: litecoin-project/litecoin `src/chainparams.cpp` (`CMainParams`, commit 17f16cef).
    /// One magic: `pchMessageStart` is also what `SaveBlockToDisk` writes block records with
    /// (`WriteBlockToDisk(..., chainparams.MessageStart())`, `src/node/blockstorage.cpp`, commit b338ab73).
    public static let litecoin = Network(
        name: "litecoin", diskMagic: [0xfb, 0xc0, 0xb6, 0xdb],
        genesisHash: Hash256(hex: "12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2")!,
        pubkeyHashPrefix: 0x30, scriptHashPrefix: 0x32, bech32HRP: "ltc", bip34Height: 710_000,
        powLimitBits: 0x1e0fffff, blockFormat: .litecoinMWEB)
    /// Bitcoin Cash mainnet: Bitcoin's history up to the 2017 fork (same genesis, same legacy
    /// prefixes), CashAddr addresses, no segwit (witness-shaped scripts are nonstandard). Its block
    /// files carry Bitcoin's magic: Bitcoin Cash Node sets `diskMagic` `f9 be b4 d9` and `netMagic`
    /// `e3 e1 f3 e8`, and writes block records with `diskMagic` (`SaveBlockToDisk` →
    /// `WriteBlockToDisk(..., chainparams.DiskMagic())`), so its files import as `bch` only with
    /// `--network bch` or into an index recorded as `bch` (docs/formats.md, "Bitcoin-family chains").
    /// Source: bitcoin-cash-node/bitcoin-cash-node `src/chainparams.cpp` (`CMainParams`, commit
    /// f426b038) and `src/node/blockstorage.cpp` (commit 51d6b49a).
    public static let bitcoinCash = Network(
        name: "bch", diskMagic: [0xf9, 0xbe, 0xb4, 0xd9], networkMagic: [0xe3, 0xe1, 0xf3, 0xe8],
        genesisHash: Hash256(hex: "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")!,
        pubkeyHashPrefix: 0x00, scriptHashPrefix: 0x05, bech32HRP: "", bip34Height: 227_931,
        powLimitBits: 0x1d00ffff, supportsSegwit: false, witnessOutputs: .nonstandard, cashAddrPrefix: "bitcoincash",
        maxBlockSize: 32_000_000, otherChainBlocks: [bitcoinFirstBlock: "main"])

    /// The last block Bitcoin and Bitcoin Cash share (height 478,558); the next block differs.
    static let lastSharedBlock = Hash256(hex: "0000000000000000011865af4122fe3b144e2cbeea86142e8ff2fb4107352d43")!
    /// Bitcoin's block 478,559, child of ``lastSharedBlock`` (at most 1 MB, so invalid on Bitcoin
    /// Cash, whose first block after the split had to be larger).
    static let bitcoinFirstBlock = Hash256(hex: "00000000000000000019f112ec0a9982926f1258cdcc558dd7c3b7e5dc7fa148")!
    /// Bitcoin Cash's block 478,559, child of ``lastSharedBlock``: Bitcoin Cash Node's checkpoint
    /// "UAHF fork block" (`src/chainparams.cpp`, commit f426b038), too large for Bitcoin.
    static let bitcoinCashFirstBlock = Hash256(hex: "000000000000000000651ef99cb9fcbe0dadde1d424bd9f15ff20136191a5eec")!
    /// Dogecoin mainnet: Base58 prefixes 0x1e (`D…`) and 0x16 (`9…`/`A…`), no segwit (deployment
    /// disabled, no Bech32 HRP; witness v0 scripts keep Core 0.14's types but have no address);
    /// merge-mined blocks carry AuxPoW data after the header (``BlockFormat/dogecoinAuxPoW``).
    /// Source: dogecoin/dogecoin `src/chainparams.cpp` (1.14 `CMainParams`, commit d0902798).
    /// One magic: `pchMessageStart` is also what `AcceptBlock` writes block records with
    /// (`WriteBlockToDisk(..., chainparams.MessageStart())`, `src/validation.cpp`, commit 097d87df).
    public static let dogecoin = Network(
        name: "doge", diskMagic: [0xc0, 0xc0, 0xc0, 0xc0],
        genesisHash: Hash256(hex: "1a91e3dace36e2be3bf030a65679fe821aa1d6ef92e7c9902eb318182c355691")!,
        pubkeyHashPrefix: 0x1e, scriptHashPrefix: 0x16, bech32HRP: "", bip34Height: 1_034_383,
        powLimitBits: 0x1e0fffff, supportsSegwit: false, witnessOutputs: .v0TypesWithoutAddresses,
        blockFormat: .dogecoinAuxPoW)

    /// Every supported network, in the order they are tried when guessing from magic bytes
    /// (Bitcoin before Bitcoin Cash, which shares its genesis block and its disk magic).
    public static let all: [Network] = [.mainnet, .testnet3, .testnet4, .signet, .regtest, .litecoin, .bitcoinCash, .dogecoin]

    /// Looks a network up by its name or a common alias (`mainnet`, `bitcoin`, `testnet`, `testnet3`, `ltc`,
    /// `bitcoincash`, `dogecoin`).
    public static func named(_ name: String) -> Network? {
        switch name.lowercased() {
        case "main", "mainnet", "bitcoin", "btc": return .mainnet
        case "test", "testnet", "testnet3": return .testnet3
        case "testnet4": return .testnet4
        case "signet": return .signet
        case "regtest": return .regtest
        case "litecoin", "ltc": return .litecoin
        case "bch", "bitcoincash", "bitcoin-cash": return .bitcoinCash
        case "doge", "dogecoin": return .dogecoin
        default: return nil
        }
    }

    /// The network taken for block files whose records start with these four bytes (its
    /// ``diskMagic``), if any: the first such row of ``all``. `f9 be b4 d9` gives ``mainnet``:
    /// Bitcoin and Bitcoin Cash files cannot be told apart by magic, so Bitcoin Cash needs
    /// `--network bch` (or an index recorded as `bch`).
    public static func withMagic(_ bytes: [UInt8]) -> Network? {
        all.first { $0.diskMagic == bytes }
    }

    /// Every network whose block files start with these bytes, in ``all``'s order (`f9 be b4 d9`:
    /// `main` and `bch`).
    public static func allWithDiskMagic(_ bytes: [UInt8]) -> [Network] {
        all.filter { $0.diskMagic == bytes }
    }

    /// The network whose P2P messages start with these four bytes (its ``networkMagic``), if any.
    public static func withNetworkMagic(_ bytes: [UInt8]) -> Network? {
        all.first { $0.networkMagic == bytes }
    }

    /// The disk magic as a little-endian word, for fast comparison.
    public var magicWord: UInt32 {
        UInt32(diskMagic[0]) | UInt32(diskMagic[1]) << 8 | UInt32(diskMagic[2]) << 16 | UInt32(diskMagic[3]) << 24
    }
}
