/// A block the store already holds, as the planner needs to see it.
public struct StoredBlock: Sendable {
    public var id: Int64
    public var hash: Hash256
    public var previousHash: Hash256
    public var height: Int?
    /// Cumulative work; nil for slice blocks not connected to genesis.
    public var chainWork: UInt256?
    /// True when the block is on the stored best chain from genesis.
    public var inChain: Bool
    /// Difficulty target (compact), for the work of slice blocks that join the chain.
    public var bits: UInt32 = 0
}

/// How the height of an imported block was established.
public enum HeightSource: String, Sendable, Codable {
    /// Linked by previous-block hash to the genesis block.
    case chain
    /// Read from the coinbase (BIP34), in a slice.
    case bip34
    /// Given by the user (`--height HASH=N` or `--start-height`).
    case user
    /// Counted from a parent in the store or in the same run whose height is known.
    case parent
    /// Unknown: a slice block with no BIP34 height and none given.
    case unknown
    /// An explorer's word (Esplora JSON `status.block_height`): a block stored without its header,
    /// outside the planner's block tree, until a block file or RPC JSON of it replaces it.
    case explorer
}

/// One block the import will add, in the order it must be written.
public struct PlannedBlock: Sendable {
    public var record: BlockRecord
    public var height: Int?
    public var heightSource: HeightSource
    public var chainWork: UInt256?
    public var inChain: Bool
}

/// A stored slice block that joins the chain.
public struct PromotedBlock: Sendable {
    public var hash: Hash256
    public var height: Int
    public var chainWork: UInt256
}

/// The outcome of the header pass: which blocks to write, which stored blocks to roll back, and what was left out.
public struct ImportPlan: Sendable {
    /// New blocks in write order (height order along each run).
    public var blocks: [PlannedBlock]
    /// Stored slice blocks that the new best chain now connects to genesis: their height and
    /// chain work are set and they join the chain.
    public var promote: [PromotedBlock]
    /// Stored blocks orphaned by a reorg, highest first. They are removed before new blocks are written.
    public var rollback: [StoredBlock]
    /// Records that are valid blocks but not on the best chain (or best branch of their run).
    public var stale: [BlockRecord]
    /// Records whose hash appeared earlier in the input (or is already stored and not re-imported).
    public var duplicates: Int
    public var alreadyStored: Int
    /// Blocks whose height could not be established (slice mode only).
    public var unplaced: Int
    /// Connected runs in slice mode (1 in chain mode when anything is new).
    public var runs: Int
}

/// Errors of the header pass.
public enum ChainPlanError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A block whose parent is neither in the input nor on the stored chain (chain mode); the parent
    /// may be a stored slice block that nothing connects to genesis.
    case missingParent(file: String, offset: Int, block: Hash256, parent: Hash256)
    /// Nothing in the input connects to the genesis block and the store is empty (chain mode).
    case noGenesis(network: String)
    /// A height given by the user contradicts the height the data fixes (linkage or BIP34).
    case heightConflict(file: String, offset: Int, block: Hash256, given: Int, derived: Int, source: String)

    public var description: String {
        switch self {
        case .missingParent(let file, let offset, let block, let parent):
            return "\(file): offset \(offset): block \(block.hex) has parent \(parent.hex), which is neither in the input nor on the index's chain (import the missing blocks first, or use --slice for a partial range)"
        case .heightConflict(let file, let offset, let block, let given, let derived, let source):
            return "\(file): offset \(offset): block \(block.hex) was given height \(given), but its height is \(derived) (from \(source))"
        case .noGenesis(let network):
            return "the input does not start at the \(network) genesis block and the index is empty (use --slice to import a partial range)"
        }
    }
}

/// Builds the block tree from headers and chooses what to import: the best chain (most
/// cumulative work) in chain mode, or each connected run's best branch in slice mode.
public struct ChainPlanner {
    public var network: Network
    public var slice: Bool
    /// User-given heights by block hash.
    public var userHeights: [Hash256: Int]
    /// The BIP34 height of a record's coinbase, if it has a valid one (called for run roots only).
    public var coinbaseHeight: (BlockRecord) -> Int?
    /// File path of a record, for errors.
    public var fileName: (BlockRecord) -> String

    public init(network: Network, slice: Bool, userHeights: [Hash256: Int] = [:],
                coinbaseHeight: @escaping (BlockRecord) -> Int?, fileName: @escaping (BlockRecord) -> String) {
        self.network = network; self.slice = slice; self.userHeights = userHeights
        self.coinbaseHeight = coinbaseHeight; self.fileName = fileName
    }

    private struct Node {
        var record: BlockRecord?
        var stored: StoredBlock?
        var hash: Hash256
        var prev: Hash256
        var parent: Int?
        var height: Int?
        var heightSource: HeightSource = .unknown
        var work: UInt256?
        var connected = false   // linked to genesis
        var resolved = false
        var root: Int = -1
    }

    /// Plans an import of `records` (in file order) against the `stored` blocks.
    /// - Complexity: O(n) in the number of records and stored blocks.
    public func plan(records: [BlockRecord], stored: [StoredBlock]) throws(ChainPlanError) -> ImportPlan {
        var nodes = [Node]()
        var index = [Hash256: Int]()
        var duplicates = 0, alreadyStored = 0
        nodes.reserveCapacity(records.count + stored.count)
        for s in stored {
            index[s.hash] = nodes.count
            // Chain blocks are settled; slice blocks are resolved again, since new blocks may now
            // connect them to genesis.
            var n = Node(record: nil, stored: s, hash: s.hash, prev: s.previousHash, height: s.height,
                         work: s.chainWork, connected: s.inChain, resolved: s.inChain)
            n.heightSource = s.inChain ? .chain : (s.height == nil ? .unknown : .parent)
            nodes.append(n)
        }
        for r in records {
            if let existing = index[r.hash] {
                if nodes[existing].record == nil, nodes[existing].stored != nil {
                    nodes[existing].record = r
                    alreadyStored += 1
                } else {
                    duplicates += 1
                }
                continue
            }
            index[r.hash] = nodes.count
            nodes.append(Node(record: r, stored: nil, hash: r.hash, prev: r.header.previousHash))
        }
        for i in nodes.indices { nodes[i].parent = index[nodes[i].prev] }

        // Resolve height, work and connection to genesis for every node, iteratively.
        var workCache = [UInt32: UInt256]()
        func blockWork(_ bits: UInt32) -> UInt256 {
            if let w = workCache[bits] { return w }
            let w = UInt256.work(bits: bits)
            workCache[bits] = w
            return w
        }
        for start in nodes.indices where !nodes[start].resolved {
            var pathNodes = [Int]()
            var cur = start
            while !nodes[cur].resolved {
                pathNodes.append(cur)
                guard let p = nodes[cur].parent else { break }
                cur = p
            }
            // `cur` is either resolved, or the unresolved top of the path (a root).
            for i in pathNodes.reversed() {
                let bits = nodes[i].record?.header.bits ?? nodes[i].stored?.bits ?? 0
                if let p = nodes[i].parent, nodes[p].resolved {
                    let parent = nodes[p]
                    nodes[i].connected = parent.connected
                    nodes[i].root = parent.root == -1 ? p : parent.root
                    nodes[i].work = (parent.work ?? .zero) &+ blockWork(bits)
                    if let h = parent.height {
                        nodes[i].height = h + 1
                        nodes[i].heightSource = parent.connected ? .chain : .parent
                    }
                } else if nodes[i].hash == network.genesisHash {
                    nodes[i].connected = true
                    nodes[i].height = 0
                    nodes[i].heightSource = .chain
                    nodes[i].work = blockWork(bits)
                    nodes[i].root = i
                } else {
                    // A run root: its parent is unknown.
                    nodes[i].root = i
                    nodes[i].work = blockWork(bits)
                    if nodes[i].stored != nil, nodes[i].record == nil {
                        // A stored slice root keeps its stored height.
                    } else if let r = nodes[i].record {
                        let bip34 = coinbaseHeight(r)
                        if let h = userHeights[r.hash] {
                            if let b = bip34, b != h {
                                throw .heightConflict(file: fileName(r), offset: r.recordOffset, block: r.hash, given: h,
                                                      derived: b, source: HeightSource.bip34.rawValue)
                            }
                            nodes[i].height = h; nodes[i].heightSource = .user
                        } else if let h = bip34 {
                            nodes[i].height = h; nodes[i].heightSource = .bip34
                        }
                    }
                }
                // A user-given height for a block whose height the data already fixes (linkage to a
                // placed parent or to genesis) must agree with it: a contradiction is an error, never
                // a silent renumbering.
                if let r = nodes[i].record, let h = userHeights[r.hash], nodes[i].heightSource != .user {
                    if let derived = nodes[i].height, derived != h {
                        throw .heightConflict(file: fileName(r), offset: r.recordOffset, block: r.hash, given: h,
                                              derived: derived, source: nodes[i].heightSource.rawValue)
                    }
                    if nodes[i].height == nil { nodes[i].height = h; nodes[i].heightSource = .user }
                }
                nodes[i].resolved = true
            }
        }

        var plan = ImportPlan(blocks: [], promote: [], rollback: [], stale: [], duplicates: duplicates,
                              alreadyStored: alreadyStored, unplaced: 0, runs: 0)
        var onBest = [Bool](repeating: false, count: nodes.count)

        // Chain part: everything connected to genesis (in both modes).
        let connected = nodes.indices.filter { nodes[$0].connected }
        if !slice {
            if let orphan = nodes.indices.first(where: { !nodes[$0].connected && nodes[$0].record != nil && nodes[$0].stored == nil }),
               let r = nodes[orphan].record {
                if connected.isEmpty && stored.isEmpty && nodes[orphan].parent == nil && records.first?.hash == r.hash {
                    throw .noGenesis(network: network.name)
                }
                // Report the root of the disconnected run: its parent is the missing block.
                var root = orphan
                while let p = nodes[root].parent, !nodes[p].connected { root = p }
                let rr = nodes[root].record ?? r
                throw .missingParent(file: fileName(rr), offset: rr.recordOffset, block: rr.hash, parent: rr.header.previousHash)
            }
        }
        if let tip = bestTip(connected, nodes) {
            var chain = [Int]()
            var cur: Int? = tip
            while let c = cur { chain.append(c); onBest[c] = true; cur = nodes[c].parent }
            chain.reverse()
            var forkHeight = -1
            for c in chain where nodes[c].stored?.inChain == true { forkHeight = max(forkHeight, nodes[c].height ?? -1) }
            plan.rollback = stored.filter { $0.inChain && ($0.height ?? -1) > forkHeight && !onBest[index[$0.hash]!] }
                .sorted { ($0.height ?? 0) > ($1.height ?? 0) }
            for c in chain {
                let n = nodes[c]
                if let s = n.stored {
                    if !s.inChain, let h = n.height, let w = n.work {
                        plan.promote.append(PromotedBlock(hash: s.hash, height: h, chainWork: w))
                    }
                } else if let record = n.record {
                    plan.blocks.append(PlannedBlock(record: record, height: n.height, heightSource: .chain, chainWork: n.work, inChain: true))
                }
            }
            if !plan.blocks.isEmpty { plan.runs += 1 }
        }

        // Slice part: runs not connected to genesis, each with its own best branch.
        if slice {
            var byRoot = [Int: [Int]]()
            for i in nodes.indices where !nodes[i].connected && nodes[i].record != nil && nodes[i].stored == nil {
                byRoot[nodes[i].root == -1 ? i : nodes[i].root, default: []].append(i)
            }
            for root in byRoot.keys.sorted(by: { (nodes[$0].record?.fileIndex ?? 0, nodes[$0].record?.recordOffset ?? 0) < (nodes[$1].record?.fileIndex ?? 0, nodes[$1].record?.recordOffset ?? 0) }) {
                let members = byRoot[root] ?? []
                guard let tip = bestTip(members, nodes) else { continue }
                var branch = [Int]()
                var cur: Int? = tip
                while let c = cur, !nodes[c].connected, nodes[c].record != nil || c == root {
                    branch.append(c); onBest[c] = true
                    if c == root { break }
                    cur = nodes[c].parent
                }
                branch.reverse()
                var added = false
                for c in branch {
                    let n = nodes[c]
                    guard let record = n.record, n.stored == nil else { continue }
                    if n.height == nil { plan.unplaced += 1 }
                    plan.blocks.append(PlannedBlock(record: record, height: n.height, heightSource: n.height == nil ? .unknown : n.heightSource,
                                                    chainWork: nil, inChain: false))
                    added = true
                }
                if added { plan.runs += 1 }
            }
        }
        for i in nodes.indices where !onBest[i] && nodes[i].stored == nil {
            if let r = nodes[i].record { plan.stale.append(r) }
        }
        return plan
    }

    /// The node with the most work; ties go to a stored block, then to the earliest record.
    private func bestTip(_ candidates: [Int], _ nodes: [Node]) -> Int? {
        var best: Int?
        for c in candidates {
            guard let b = best else { best = c; continue }
            let wc = nodes[c].work ?? .zero, wb = nodes[b].work ?? .zero
            if wb < wc { best = c; continue }
            if wc == wb {
                let cStored = nodes[c].stored?.inChain == true, bStored = nodes[b].stored?.inChain == true
                if cStored && !bStored { best = c }
            }
        }
        return best
    }
}
