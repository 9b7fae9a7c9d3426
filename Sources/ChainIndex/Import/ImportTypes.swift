import Foundation

/// What `spoor import` was asked to do.
public struct ImportOptions: Sendable {
    /// Block files and/or `blocks/` directories.
    public var paths: [String]
    /// The expected network; nil takes it from the index, or from the first record's magic.
    public var network: Network?
    /// Import partial ranges and loose blocks (runs not connected to genesis).
    public var slice: Bool = false
    /// Skip damaged regions by scanning for the next magic, as Core's `-reindex` reader does.
    public var resync: Bool = false
    /// Heights given by the user for blocks whose height the data cannot tell.
    public var userHeights: [Hash256: Int] = [:]
    /// Height of the first block of the input (slice mode).
    public var startHeight: Int?
    /// Obfuscation key overriding `xor.dat`.
    public var xorKey: [UInt8]?
    /// Transactions per committed batch (a kill loses at most one batch).
    public var batchTransactions: Int = 50_000
    /// Most addresses kept in the interning cache (beyond it, lookups go to the index).
    public var addressCacheCapacity: Int = 250_000
    /// What the paths hold (default: decided per path from its content).
    public var format: InputFormat = .auto

    public init(paths: [String], network: Network? = nil) {
        self.paths = paths
        self.network = network
    }
}

/// Progress of the write pass, reported after every committed batch.
public struct ImportProgress: Sendable {
    public var blocksDone: Int
    public var blocksTotal: Int
    public var transactionsDone: Int
    public var elapsed: Double
}

/// The result of an import, as printed by `spoor import --json`.
public struct ImportSummary: Codable, Sendable {
    public var network: String
    public var mode: String
    public var files: Int
    public var bytes: Int
    public var blocksScanned: Int
    public var blocksAdded: Int
    public var transactionsAdded: Int
    public var inputsAdded: Int
    public var outputsAdded: Int
    public var staleBlocks: Int
    public var duplicateBlocks: Int
    public var alreadyStored: Int
    public var rolledBack: Int
    public var unplacedBlocks: Int
    public var runs: Int
    public var unresolvedInputs: Int
    public var tipHeight: Int?
    public var tipHash: String?
    public var seconds: Double
    public var skipped: [String]
    public var importRun: Int64?
    /// Seconds per phase: scan, plan, validate, provenance, load_state, write, index, checkpoint.
    public var timings: [String: Double] = [:]
    /// Most unspent outputs held in memory at once during the run.
    public var peakUnspentOutputs: Int = 0
    /// Each input path with the format it was read as (`blk`, `rpc-json`).
    public var formats: [String: String] = [:]
    /// Blocks to be written whose merge-mining data (Dogecoin AuxPoW) was skipped.
    public var auxPowBlocks: Int = 0
    /// Blocks to be written whose MWEB extension data (Litecoin) was skipped.
    public var mwebBlocks: Int = 0
    /// Blocks stored from explorer JSON (without header) that this import's block of the same
    /// hash replaced.
    public var explorerBlocksReplaced: Int = 0
    /// Txids an explorer had placed in a replaced block that the real block does not contain.
    public var explorerTransactionsDropped: [String] = []
    /// Explorer prevouts that differed from the real output when it arrived.
    public var prevoutMismatches: [String] = []
    /// What an explorer JSON import read and stored (nil for other formats).
    public var explorer: ExplorerImportSummary?

    enum CodingKeys: String, CodingKey {
        case network, mode, files, bytes
        case blocksScanned = "blocks_scanned", blocksAdded = "blocks_added", transactionsAdded = "transactions_added"
        case inputsAdded = "inputs_added", outputsAdded = "outputs_added", staleBlocks = "stale_blocks"
        case duplicateBlocks = "duplicate_blocks", alreadyStored = "already_stored", rolledBack = "rolled_back"
        case unplacedBlocks = "unplaced_blocks", runs, unresolvedInputs = "unresolved_inputs"
        case tipHeight = "tip_height", tipHash = "tip_hash", seconds, skipped, importRun = "import_run", timings, peakUnspentOutputs = "peak_unspent_outputs", formats
        case auxPowBlocks = "auxpow_blocks", mwebBlocks = "mweb_blocks"
        case explorerBlocksReplaced = "explorer_blocks_replaced", explorerTransactionsDropped = "explorer_transactions_dropped"
        case prevoutMismatches = "prevout_mismatches", explorer
    }

}

/// The explorer-specific part of an import summary.
public struct ExplorerImportSummary: Codable, Sendable, Equatable {
    /// Transactions read (each distinct transaction once).
    public var transactions: Int = 0
    /// Unconfirmed (mempool) transactions, not imported.
    public var unconfirmed: Int = 0
    /// Transactions given more than once, imported once.
    public var duplicates: Int = 0
    /// Blocks whose coinbase witness commitment proves the list is the whole block, in order.
    public var blocksComplete: Int = 0
    /// Blocks with only some of their transactions (or no way to tell: no witness commitment).
    public var blocksPartial: Int = 0
    /// Blocks whose transactions were put in funding-first order.
    public var blocksReordered: Int = 0
    /// Blocks stored from an earlier explorer import, rebuilt with this import's further transactions.
    public var blocksExtended: Int = 0
    /// Transactions the index already held in the same block (nothing added for them).
    public var transactionsAlreadyStored: Int = 0
    /// Prevouts stored for inputs whose funding transaction is not in the index.
    public var prevoutsStored: Int = 0
    /// Inputs checked against the output the index already holds (value and script agree).
    public var prevoutsChecked: Int = 0
    /// Inputs checked against an output of another transaction in the same explorer data.
    public var checkedWithinData: Int = 0

    enum CodingKeys: String, CodingKey {
        case transactions, unconfirmed, duplicates
        case blocksComplete = "blocks_complete", blocksPartial = "blocks_partial", blocksReordered = "blocks_reordered"
        case blocksExtended = "blocks_extended"
        case transactionsAlreadyStored = "transactions_already_stored", prevoutsStored = "prevouts_stored"
        case prevoutsChecked = "prevouts_checked", checkedWithinData = "prevouts_checked_within_data"
    }
}

/// An outpoint as a compact dictionary key: the first 16 bytes of the txid and the output index.
/// 128 bits of a SHA-256d output cannot collide by accident; identical txids (BIP30's duplicate
/// coinbases) map to one key, and the later output replaces the earlier, as in Core.
struct OutpointKey: Hashable {
    var a: UInt64
    var b: UInt64
    var vout: UInt32

    @inline(__always) init(_ txid: Hash256, _ vout: UInt32) {
        a = txid.w0; b = txid.w1; self.vout = vout
    }

    @inline(__always) init(a: UInt64, b: UInt64, vout: UInt32) {
        self.a = a; self.b = b; self.vout = vout
    }
}

/// An unspent output held in memory during import: its id and value.
struct UnspentOutput {
    var id: Int64
    var value: Int64
}

/// One output, classified on a worker thread before the writer sees it.
struct PreparedOutput {
    var type: ScriptType
    var address: AddressKey?
    /// The script, kept for outputs without an address string (P2PK, multisig, OP_RETURN, non-standard).
    var script: [UInt8]?
    /// For P2PK: every standard address of the key (one owner).
    var ownerKeys: [AddressKey]?
}

/// A parsed, validated block ready for the writer.
struct PreparedBlock {
    var planned: PlannedBlock
    var block: ParsedBlock
    var outputs: [PreparedOutput]
    /// Per input of the block (explorer JSON only): the spent output as the source gives it,
    /// stored for inputs whose funding transaction is not in the index.
    var prevouts: [PreparedPrevout?]? = nil
    /// Per transaction (explorer JSON only): its serialization and prevouts, kept in `explorer_tx`.
    var explorerSources: [[UInt8]]? = nil
}

/// A spent output as an explorer reports it, classified like an output.
struct PreparedPrevout {
    var value: Int64
    var output: PreparedOutput
}
