/// Parameters of one chain: everything the importer and the address codec need to know.
/// Networks are rows of one table (``Network/all``), as btcd's `chaincfg` does.
public struct Network: Sendable, Hashable, CustomStringConvertible {
    /// Stable short name used on the command line and in the store (`main`, `test`, ...).
    public let name: String
    /// The four message-start bytes that open every record of a block file.
    public let magic: [UInt8]
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
    /// CashAddr prefix (Bitcoin Cash: `bitcoincash`); nil on chains without CashAddr. When set,
    /// addresses render as CashAddr and legacy Base58 addresses are still accepted as input.
    public let cashAddrPrefix: String?
    /// What a serialized block carries beyond Bitcoin's header and transactions.
    public let blockFormat: BlockFormat
    /// Largest block record the scanner accepts, in bytes (Bitcoin's 4 MB weight limit bounds a
    /// serialized block; Bitcoin Cash allows 32 MB blocks).
    public let maxBlockSize: Int

    public var description: String { name }

    public init(name: String, magic: [UInt8], genesisHash: Hash256, pubkeyHashPrefix: UInt8, scriptHashPrefix: UInt8,
                bech32HRP: String, bip34Height: Int, powLimitBits: UInt32, supportsSegwit: Bool = true,
                cashAddrPrefix: String? = nil, blockFormat: BlockFormat = .bitcoin, maxBlockSize: Int = 4_000_000) {
        self.name = name; self.magic = magic; self.genesisHash = genesisHash
        self.pubkeyHashPrefix = pubkeyHashPrefix; self.scriptHashPrefix = scriptHashPrefix
        self.bech32HRP = bech32HRP; self.bip34Height = bip34Height; self.powLimitBits = powLimitBits
        self.supportsSegwit = supportsSegwit; self.cashAddrPrefix = cashAddrPrefix; self.blockFormat = blockFormat
        self.maxBlockSize = maxBlockSize
    }

    public static let mainnet = Network(
        name: "main", magic: [0xf9, 0xbe, 0xb4, 0xd9],
        genesisHash: Hash256(hex: "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")!,
        pubkeyHashPrefix: 0x00, scriptHashPrefix: 0x05, bech32HRP: "bc", bip34Height: 227_931,
        powLimitBits: 0x1d00ffff)
    public static let testnet3 = Network(
        name: "test", magic: [0x0b, 0x11, 0x09, 0x07],
        genesisHash: Hash256(hex: "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943")!,
        pubkeyHashPrefix: 0x6f, scriptHashPrefix: 0xc4, bech32HRP: "tb", bip34Height: 21_111,
        powLimitBits: 0x1d00ffff)
    public static let testnet4 = Network(
        name: "testnet4", magic: [0x1c, 0x16, 0x3f, 0x28],
        genesisHash: Hash256(hex: "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043")!,
        pubkeyHashPrefix: 0x6f, scriptHashPrefix: 0xc4, bech32HRP: "tb", bip34Height: 1,
        powLimitBits: 0x1d00ffff)
    public static let signet = Network(
        name: "signet", magic: [0x0a, 0x03, 0xcf, 0x40],
        genesisHash: Hash256(hex: "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6")!,
        pubkeyHashPrefix: 0x6f, scriptHashPrefix: 0xc4, bech32HRP: "tb", bip34Height: 1,
        powLimitBits: 0x1e0377ae)
    public static let regtest = Network(
        name: "regtest", magic: [0xfa, 0xbf, 0xb5, 0xda],
        genesisHash: Hash256(hex: "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")!,
        pubkeyHashPrefix: 0x6f, scriptHashPrefix: 0xc4, bech32HRP: "bcrt", bip34Height: 1,
        powLimitBits: 0x207fffff)
    /// Litecoin mainnet: same block and transaction format; block hashes for linkage are SHA-256d
    /// (scrypt is only its proof of work, which the index does not check). Blocks after the MWEB
    /// activation (LIP-0002/0003) may end with a HogEx transaction and MWEB extension data, which
    /// the parser skips and counts (``BlockFormat/litecoinMWEB``).
    public static let litecoin = Network(
        name: "litecoin", magic: [0xfb, 0xc0, 0xb6, 0xdb],
        genesisHash: Hash256(hex: "12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2")!,
        pubkeyHashPrefix: 0x30, scriptHashPrefix: 0x32, bech32HRP: "ltc", bip34Height: 710_000,
        powLimitBits: 0x1e0fffff, blockFormat: .litecoinMWEB)
    /// Bitcoin Cash mainnet: Bitcoin's history up to the 2017 fork (same genesis, same legacy
    /// prefixes), its own message start (Bitcoin Cash Node `chainparams.cpp`), CashAddr addresses,
    /// no segwit.
    public static let bitcoinCash = Network(
        name: "bch", magic: [0xe3, 0xe1, 0xf3, 0xe8],
        genesisHash: Hash256(hex: "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")!,
        pubkeyHashPrefix: 0x00, scriptHashPrefix: 0x05, bech32HRP: "", bip34Height: 227_931,
        powLimitBits: 0x1d00ffff, supportsSegwit: false, cashAddrPrefix: "bitcoincash", maxBlockSize: 32_000_000)
    /// Dogecoin mainnet: Base58 prefixes 0x1e (`D…`) and 0x16 (`9…`/`A…`), no segwit; merge-mined
    /// blocks carry AuxPoW data after the header (``BlockFormat/dogecoinAuxPoW``).
    public static let dogecoin = Network(
        name: "doge", magic: [0xc0, 0xc0, 0xc0, 0xc0],
        genesisHash: Hash256(hex: "1a91e3dace36e2be3bf030a65679fe821aa1d6ef92e7c9902eb318182c355691")!,
        pubkeyHashPrefix: 0x1e, scriptHashPrefix: 0x16, bech32HRP: "", bip34Height: 1_034_383,
        powLimitBits: 0x1e0fffff, supportsSegwit: false, blockFormat: .dogecoinAuxPoW)

    /// Every supported network, in the order they are tried when guessing from magic bytes.
    /// Bitcoin Cash shares Bitcoin's genesis block: only the magic tells their block files apart.
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

    /// The network whose block files start with these four bytes, if any.
    public static func withMagic(_ bytes: [UInt8]) -> Network? {
        all.first { $0.magic == bytes }
    }

    /// The magic as a little-endian word, for fast comparison.
    public var magicWord: UInt32 {
        UInt32(magic[0]) | UInt32(magic[1]) << 8 | UInt32(magic[2]) << 16 | UInt32(magic[3]) << 24
    }
}
