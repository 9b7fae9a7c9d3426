import Foundation

/// Every parameter of a synthetic chain. Equal configurations give byte-identical output.
public struct SynthConfig: Sendable, Codable, Equatable {
    /// Main-chain blocks including the genesis block (heights `0 ..< blocks`).
    public var blocks: Int = 200
    /// Average number of non-coinbase transactions per block once coinbases have matured.
    public var txPerBlock: Int = 50
    /// Seed of every random decision.
    public var seed: UInt64 = 1
    /// Number of stale (orphaned) blocks, in short forks of one or two blocks.
    public var staleBlocks: Int = 0
    /// Write blocks out of height order within small windows (as Core does while downloading in parallel).
    public var shuffle: Bool = false
    /// Obfuscate the block files with an 8-byte key in `blocks/xor.dat` (Bitcoin Core 28+).
    public var xor: Bool = false
    /// A block file is closed before a record would make it larger than this (Core: 128 MiB).
    public var maxFileSize: Int = 128 * 1024 * 1024
    /// Append a zero-filled tail to the last block file, as Core's preallocation leaves it.
    public var pad: Bool = false
    /// The last file is padded up to a multiple of this many bytes (Core preallocates 16 MiB chunks),
    /// but never beyond `maxFileSize`.
    public var padChunk: Int = 16 * 1024 * 1024
    /// Confirmations before a coinbase output may be spent (consensus: 100).
    public var coinbaseMaturity: Int = 100
    /// Unix time of block 1 (default 2024-01-01T00:00:00Z); blocks follow ~600 s apart.
    public var startTime: UInt32 = 1_704_067_200

    public init() {}

    public init(blocks: Int = 200, txPerBlock: Int = 50, seed: UInt64 = 1, staleBlocks: Int = 0,
                shuffle: Bool = false, xor: Bool = false, maxFileSize: Int = 128 * 1024 * 1024,
                pad: Bool = false, padChunk: Int = 16 * 1024 * 1024, coinbaseMaturity: Int = 100,
                startTime: UInt32 = 1_704_067_200) {
        self.blocks = blocks; self.txPerBlock = txPerBlock; self.seed = seed
        self.staleBlocks = staleBlocks; self.shuffle = shuffle; self.xor = xor
        self.maxFileSize = maxFileSize; self.pad = pad; self.padChunk = padChunk
        self.coinbaseMaturity = coinbaseMaturity; self.startTime = startTime
    }

    /// Checks the parameters; throws ``SynthError/invalidParameter(name:value:reason:)``.
    public func validate() throws(SynthError) {
        if blocks < 1 || blocks > 10_000_000 {
            throw .invalidParameter(name: "blocks", value: "\(blocks)", reason: "must be between 1 and 10,000,000")
        }
        if txPerBlock < 0 || txPerBlock > 5_000 {
            throw .invalidParameter(name: "tx-per-block", value: "\(txPerBlock)",
                                    reason: "must be between 0 and 5,000 (a block holds at most a few thousand)")
        }
        if staleBlocks < 0 {
            throw .invalidParameter(name: "stale", value: "\(staleBlocks)", reason: "must not be negative")
        }
        // Stale blocks sit at heights 1 ... blocks-2, so the main chain always stays strictly longer.
        let forkSlots = max(0, blocks - 2)
        if staleBlocks > forkSlots {
            throw .invalidParameter(name: "stale", value: "\(staleBlocks)",
                                    reason: "a chain of \(blocks) blocks has room for at most \(forkSlots) stale blocks")
        }
        if maxFileSize < 1024 * 1024 || maxFileSize > Int(UInt32.max) {
            throw .invalidParameter(name: "max-file-size", value: "\(maxFileSize)",
                                    reason: "must be between 1 MiB and 4 GiB")
        }
        if pad && padChunk < 1 {
            throw .invalidParameter(name: "pad-chunk", value: "\(padChunk)", reason: "must be positive")
        }
        if coinbaseMaturity < 1 || coinbaseMaturity > 1000 {
            throw .invalidParameter(name: "coinbase-maturity", value: "\(coinbaseMaturity)",
                                    reason: "must be between 1 and 1000 (consensus uses 100)")
        }
    }
}

/// What a run produced. Deterministic (no timings): it is also written as `truth/summary.json`.
public struct SynthSummary: Codable, Sendable, Equatable {
    public var network: String
    public var seed: UInt64
    /// Main-chain blocks, genesis included.
    public var blocks: Int
    public var tipHeight: Int
    public var tipHash: String
    public var staleBlocks: Int
    /// Main-chain transactions, coinbases included.
    public var transactions: Int
    /// Main-chain inputs, the coinbase inputs included.
    public var inputs: Int
    /// Main-chain outputs, OP_RETURN outputs included.
    public var outputs: Int
    public var coinbaseTransactions: Int
    public var witnessTransactions: Int
    public var payments: Int
    public var coinjoins: [String: Int]
    public var payjoins: Int
    public var peelChainSteps: Int
    public var entities: [String: Int]
    public var addresses: Int
    /// Outputs of the main chain left unspent at the tip.
    public var unspentOutputs: Int
    public var totalFees: Int64
    /// Block files written, relative to the output directory (`blocks/blk00000.dat`, ...).
    public var files: [String]
    public var bytes: Int64
    /// Hex of `blocks/xor.dat` when the files are obfuscated.
    public var xorKey: String?
    public var parameters: SynthConfig
}

/// Errors of the synthesizer, each with the context needed to act on it.
public enum SynthError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidParameter(name: String, value: String, reason: String)
    /// A file or directory could not be created or written.
    case io(path: String, operation: String, reason: String)
    /// The output directory already holds block files (refusing to mix two chains).
    case outputNotEmpty(path: String)
    /// An internal invariant broke (a bug): the message says which, at which height.
    case inconsistency(height: Int, message: String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let reason):
            return "invalid --\(name) \(value): \(reason)"
        case .io(let path, let operation, let reason):
            return "cannot \(operation) \(path): \(reason)"
        case .outputNotEmpty(let path):
            return "\(path) already contains block files; choose an empty output directory"
        case .inconsistency(let height, let message):
            return "internal inconsistency at height \(height): \(message)"
        }
    }
}
