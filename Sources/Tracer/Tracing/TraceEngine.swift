import ChainIndex

/// What a trace starts from: outputs, and the subject's own clusters (never an endpoint: money
/// moving within the subject's wallet is followed, not stopped).
public struct TraceStart: Sendable {
    public var description: String
    public var outputs: [Int64]
    public var ownClusters: Set<Int64>

    public init(description: String, outputs: [Int64], ownClusters: Set<Int64>) {
        self.description = description
        self.outputs = outputs
        self.ownClusters = ownClusters
    }
}

/// Follows money forward (where it went) or backward (where it came from) through a
/// ``FlowGraph`` under one ``TaintModel``, breadth first by hop, stopping at attributed clusters,
/// CoinJoins and the limits in ``TraceParameters``.
public final class TraceEngine {
    let graph: FlowGraph
    let parameters: TraceParameters

    private struct Node {
        var output: Int64
        var hop: Int
        var parent: Int64?
        var taint: Taint
        var cluster: Int64?
        var stop: TraceStop?
        var endpoint: FlowEndpoint?
        var coinJoin: String?
    }

    private var nodes: [Int64: Node] = [:]
    private var order: [Int64] = []
    private var transactions: [Int64: FlowTx] = [:]
    private var creatorOf: [Int64: Int64] = [:]
    private var edges: [(from: Int64, to: Int64, tx: Int64, amount: Double, hop: Int)] = []
    private var fees = 0.0
    /// Traced fee per transaction id (the parts of `fees`, for fiat values at each transaction's date).
    private var feeByTransaction: [Int64: Double] = [:]
    private var truncated = false

    public init(graph: FlowGraph, parameters: TraceParameters) {
        self.graph = graph
        self.parameters = parameters
    }

    /// Runs the trace.
    /// Runs the trace. With `detail: false` (screening) the result holds only the attributed
    /// nodes, without outpoints, addresses, edges or paths: the amounts and hops are the same.
    public func run(_ start: TraceStart, tipHeight: Int?, tipHash: String?, detail: Bool = true) throws -> TraceResult {
        var layer = Frontier()
        var startAmount: Int64 = 0
        for o in start.outputs where nodes[o] == nil {
            let coin = try coin(o)
            let taint = Taint.whole(coin.value, model: parameters.model)
            startAmount += coin.value
            nodes[o] = Node(output: o, hop: 0, parent: nil, taint: taint, cluster: try coin.address.map(graph.cluster(ofAddress:)))
            order.append(o)
            layer.add(o, taint)
        }
        // Breadth first, one hop at a time; taint reaching an output by several paths in one hop
        // is summed first, so each output is expanded at most once per hop.
        var hop = 0
        while !layer.isEmpty {
            var next = Frontier()
            for (o, delta) in layer.items {
                if hop >= parameters.maxHops { mark(o, .hopLimit); continue }
                switch parameters.direction {
                case .forward: try stepForward(o, delta, hop, start.ownClusters, &next)
                case .backward: try stepBackward(o, delta, hop, start.ownClusters, &next)
                }
            }
            layer = next
            hop += 1
        }
        if !detail { return summary(start, startAmount: startAmount) }
        return try result(start, startAmount: startAmount, tipHeight: tipHeight, tipHash: tipHash)
    }

    /// The attributed nodes only (for screening).
    private func summary(_ start: TraceStart, startAmount: Int64) -> TraceResult {
        var out: [TraceNode] = []
        var byCategory: [String: Double] = [:]
        for o in order {
            guard let n = nodes[o], n.stop == .attributed, let e = n.endpoint else { continue }
            out.append(TraceNode(outpoint: "", address: nil, cluster: n.cluster, value: 0, amount: wholeSatoshis(n.taint.amount),
                                 hop: n.hop, height: nil, time: "", stop: n.stop, endpoint: e, coinJoin: nil))
            for c in e.categories { byCategory[c, default: 0] += n.taint.amount }
        }
        return TraceResult(subject: start.description, parameters: parameters, tipHeight: nil, tipHash: nil, startAmount: startAmount,
                           nodes: out, edges: [], walletEdges: [], paths: [], reachedByCategory: byCategory.mapValues { wholeSatoshis($0) },
                           fees: wholeSatoshis(fees), truncated: truncated, transactionsVisited: transactions.count)
    }

    // MARK: - Steps

    private func stepForward(_ o: Int64, _ delta: Taint, _ hop: Int, _ own: Set<Int64>, _ next: inout Frontier) throws {
        guard let spender = try graph.spender(ofOutput: o) else { mark(o, .unspent); return }
        let tx = try transaction(spender)
        guard inWindow(tx) else { mark(o, .timeWindow); return }
        if let detector = tx.coinJoin { mark(o, .coinJoin, coinJoin: detector); return }
        var inputTaint = [Taint?](repeating: nil, count: tx.inputs.count)
        for (k, input) in tx.inputs.enumerated() where input?.output == o { inputTaint[k] = delta }
        let split = parameters.model.forward(inputs: inputTaint, inputValues: tx.inputValues,
                                             outputValues: tx.outputs.map(\.value))
        fees += split.fee
        if split.fee > 0 { feeByTransaction[tx.id, default: 0] += split.fee }
        for (j, share) in split.outputs.enumerated() {
            guard var d = share, d.amount > 0 else { continue }
            let target = tx.outputs[j]
            creatorOf[target.output] = tx.id
            if parameters.model == .poison, nodes[target.output] != nil { continue }
            if Int64(d.amount) < parameters.minValue { continue }
            if var existing = nodes[target.output] {
                if let r = d.ranges, let known = existing.taint.ranges {
                    let fresh = known.subtracting(from: r)
                    guard !fresh.isEmpty else { continue }
                    d = Taint(amount: Double(fresh.total), ranges: fresh)
                    existing.taint.ranges?.formUnion(fresh)
                }
                existing.taint.amount += d.amount
                nodes[target.output] = existing
                edges.append((o, target.output, tx.id, d.amount, hop + 1))
                if existing.stop == nil { next.add(target.output, d) }
                continue
            }
            edges.append((o, target.output, tx.id, d.amount, hop + 1))
            try addNode(target, hop: hop + 1, parent: o, taint: d, own: own, &next)
        }
    }

    private func stepBackward(_ o: Int64, _ delta: Taint, _ hop: Int, _ own: Set<Int64>, _ next: inout Frontier) throws {
        let tx = try transaction(try creator(o))
        if tx.isCoinbase { mark(o, .coinbase); return }
        guard inWindow(tx) else { mark(o, .timeWindow); return }
        if let detector = tx.coinJoin { mark(o, .coinJoin, coinJoin: detector); return }
        guard tx.inputsKnown, let j = tx.outputs.firstIndex(where: { $0.output == o }) else { mark(o, .unknownSource); return }
        let shares = parameters.model.backward(output: j, interest: delta, inputValues: tx.inputValues,
                                               outputValues: tx.outputs.map(\.value))
        for (k, share) in shares.enumerated() {
            guard let d = share, d.amount > 0, let source = tx.inputs[k] else { continue }
            if Int64(d.amount) < parameters.minValue { continue }
            if var existing = nodes[source.output] {
                if parameters.model == .poison { continue }
                existing.taint.amount += d.amount
                if let r = d.ranges { existing.taint.ranges = (existing.taint.ranges ?? SatRanges()); existing.taint.ranges?.formUnion(r) }
                nodes[source.output] = existing
                edges.append((source.output, o, tx.id, d.amount, hop + 1))
                if existing.stop == nil { next.add(source.output, d) }
                continue
            }
            edges.append((source.output, o, tx.id, d.amount, hop + 1))
            try addNode(source, hop: hop + 1, parent: o, taint: d, own: own, &next)
        }
    }

    private func addNode(_ coin: FlowCoin, hop: Int, parent: Int64, taint: Taint, own: Set<Int64>,
                         _ next: inout Frontier) throws {
        let cluster = try coin.address.map(graph.cluster(ofAddress:))
        var node = Node(output: coin.output, hop: hop, parent: parent, taint: taint, cluster: cluster)
        if let c = cluster, !own.contains(c), let endpoint = try graph.endpoint(ofCluster: c) {
            node.stop = .attributed
            node.endpoint = endpoint
        }
        nodes[coin.output] = node
        order.append(coin.output)
        guard node.stop == nil else { return }
        if nodes.count >= parameters.maxNodes {
            truncated = true
            return
        }
        next.add(coin.output, taint)
    }

    private func mark(_ o: Int64, _ stop: TraceStop, coinJoin: String? = nil) {
        guard var node = nodes[o], node.stop == nil else { return }
        node.stop = stop
        node.coinJoin = coinJoin
        nodes[o] = node
    }

    private func inWindow(_ tx: FlowTx) -> Bool {
        if let a = parameters.notBefore, tx.time < a { return false }
        if let b = parameters.notAfter, tx.time > b { return false }
        return true
    }

    // MARK: - Graph access with caches

    private func transaction(_ id: Int64) throws -> FlowTx {
        if let t = transactions[id] { return t }
        let t = try graph.transaction(id)
        transactions[id] = t
        for o in t.outputs { creatorOf[o.output] = id }
        return t
    }

    private func creator(_ output: Int64) throws -> Int64 {
        if let c = creatorOf[output] { return c }
        let c = try graph.creator(ofOutput: output)
        creatorOf[output] = c
        return c
    }

    private func coin(_ output: Int64) throws -> FlowCoin {
        let tx = try transaction(try creator(output))
        guard let c = tx.outputs.first(where: { $0.output == output }) else { throw TraceError.outputNotFound(output) }
        return c
    }

    // MARK: - Result

    private func result(_ start: TraceStart, startAmount: Int64, tipHeight: Int?, tipHash: String?) throws -> TraceResult {
        var out: [TraceNode] = []
        var outpoints: [Int64: String] = [:]
        var described: [Int64: (address: String?, height: Int?, time: String)] = [:]
        for o in order {
            guard let n = nodes[o] else { continue }
            let tx = try transaction(try creator(o))
            let index = tx.outputs.firstIndex { $0.output == o } ?? 0
            let coin = tx.outputs[index]
            let outpoint = "\(tx.txid):\(index)"
            let address = try coin.address.map(graph.addressText)
            outpoints[o] = outpoint
            described[o] = (address, tx.height, IndexStore.utc(tx.time))
            out.append(TraceNode(outpoint: outpoint, address: address, cluster: n.cluster, value: coin.value,
                                 amount: wholeSatoshis(n.taint.amount), hop: n.hop, height: tx.height, time: IndexStore.utc(tx.time),
                                 stop: n.stop, endpoint: n.endpoint, coinJoin: n.coinJoin))
        }
        var traceEdges: [TraceEdge] = []
        var wallet: [[Int64]: (amount: Double, txids: [String])] = [:]
        for e in edges {
            guard let from = outpoints[e.from], let to = outpoints[e.to], let tx = transactions[e.tx] else { continue }
            traceEdges.append(TraceEdge(from: from, to: to, txid: tx.txid, amount: wholeSatoshis(e.amount), hop: e.hop,
                                        time: IndexStore.utc(tx.time)))
            if let a = nodes[e.from]?.cluster, let b = nodes[e.to]?.cluster, a != b {
                var w = wallet[[a, b]] ?? (0, [])
                w.amount += e.amount
                if w.txids.last != tx.txid && !w.txids.contains(tx.txid) { w.txids.append(tx.txid) }
                wallet[[a, b]] = w
            }
        }
        let walletEdges = wallet.map { WalletEdge(from: $0.key[0], to: $0.key[1], amount: wholeSatoshis($0.value.amount), txids: $0.value.txids) }
            .sorted { ($0.amount, $1.from, $1.to) > ($1.amount, $0.from, $0.to) }
        var paths: [TracePath] = []
        var byCategory: [String: Double] = [:]
        for o in order {
            guard let n = nodes[o], n.stop == .attributed, let endpoint = n.endpoint, let cluster = n.cluster else { continue }
            var chain: [Int64] = [o]
            var at = n
            while let p = at.parent, let parent = nodes[p], chain.count <= parameters.maxHops + 1 {
                chain.append(p)
                at = parent
            }
            if parameters.direction == .forward { chain.reverse() }
            let steps = chain.compactMap { id -> PathStep? in
                guard let d = described[id], let node = nodes[id], let outpoint = outpoints[id] else { return nil }
                return PathStep(outpoint: outpoint, address: d.address, height: d.height, time: d.time, amount: wholeSatoshis(node.taint.amount))
            }
            paths.append(TracePath(cluster: cluster, categories: endpoint.categories, labels: endpoint.labels, hops: n.hop,
                                   amount: wholeSatoshis(n.taint.amount), steps: steps))
            for c in endpoint.categories { byCategory[c, default: 0] += n.taint.amount }
        }
        paths.sort { ($0.amount, $1.hops) > ($1.amount, $0.hops) }
        let feeTransactions = feeByTransaction.keys.sorted().compactMap { id -> TraceFee? in
            guard let tx = transactions[id], let fee = feeByTransaction[id] else { return nil }
            return TraceFee(txid: tx.txid, time: IndexStore.utc(tx.time), amount: wholeSatoshis(fee))
        }
        return TraceResult(
            subject: start.description, parameters: parameters, tipHeight: tipHeight, tipHash: tipHash, startAmount: startAmount,
            nodes: out, edges: traceEdges, walletEdges: walletEdges, paths: paths,
            reachedByCategory: byCategory.mapValues { wholeSatoshis($0) }, fees: wholeSatoshis(fees),
            truncated: truncated, transactionsVisited: transactions.count, feeTransactions: feeTransactions)
    }
}

/// Errors of tracing.
public enum TraceError: Error, Equatable, Sendable, CustomStringConvertible {
    case outputNotFound(Int64)
    case subjectNotFound(String)
    case invalidSubject(String)

    public var description: String {
        switch self {
        case .outputNotFound(let id): return "output \(id) is not in the index"
        case .subjectNotFound(let s): return "\(s) is not in the index"
        case .invalidSubject(let s): return "'\(s)' is not an address, txid:vout, txid or cluster id"
        }
    }
}

/// The outputs to expand at the next hop, in first-reached order, with the taint arriving there.
struct Frontier {
    private(set) var items: [(Int64, Taint)] = []
    private var index: [Int64: Int] = [:]

    var isEmpty: Bool { items.isEmpty }

    mutating func add(_ output: Int64, _ taint: Taint) {
        if let i = index[output] {
            items[i].1.amount += taint.amount
            if let r = taint.ranges { items[i].1.ranges = (items[i].1.ranges ?? SatRanges()); items[i].1.ranges?.formUnion(r) }
        } else {
            index[output] = items.count
            items.append((output, taint))
        }
    }
}

/// Whole satoshis of a (haircut) amount, rounded down; a value a hair under an integer because of
/// binary floating point (1797.9999999999998 for 1798) counts as that integer.
@inline(__always) func wholeSatoshis(_ x: Double) -> Int64 { Int64((x + 1e-6).rounded(.down)) }
