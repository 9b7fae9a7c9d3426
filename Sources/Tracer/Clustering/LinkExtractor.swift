import ChainIndex

/// Everything one pass over a range of transactions found.
public struct ExtractedLinks: Sendable {
    /// Strict-layer links (co-spend, same key) and extended-only links (change), in the order found.
    public var links = LinkList()
    /// Transactions flagged by a CoinJoin detector.
    public var coinJoins: [(tx: Int64, detection: CoinJoinDetection)] = []
    /// Transactions with inputs whose funding outputs are not in the index yet: they are
    /// clustered when those arrive.
    public var pending: [Int64] = []
    /// Addresses paid by pay-to-pubkey outputs, with the transaction, for same-key links.
    public var payToPubkey: [(address: Int64, tx: Int64)] = []
    public var transactions = 0
    public var inputs = 0
    public var changeLinks = 0
    /// The last transaction id seen.
    public var lastTx: Int64 = 0
}

/// Applies the per-transaction rules: CoinJoin detection, co-spend, change.
public struct LinkExtractor: Sendable {
    public let rules: ClusterRules

    public init(rules: ClusterRules) { self.rules = rules }

    /// Adds the links of one transaction to `out`.
    public func extract(_ tx: TxShape, into out: inout ExtractedLinks) {
        out.transactions += 1
        out.lastTx = max(out.lastTx, tx.id)
        for o in tx.outputs where o.type == .pubkey {
            if let a = o.address { out.payToPubkey.append((a, tx.id)) }
        }
        if tx.isCoinbase { return }
        if tx.unresolvedInputs > 0 {
            out.pending.append(tx.id)
            return
        }
        out.inputs += tx.inputs.count
        let verdict = rules.coinJoin(tx)
        if let verdict { out.coinJoins.append((tx.id, verdict)) }
        if verdict?.multiParty == true { return }
        // Co-spend: every input address with the first one.
        var first: Int64?
        for input in tx.inputs {
            guard let a = input.address else { continue }
            if let f = first {
                if a != f { out.links.append(f, a, tx: tx.id, rule: .coSpend) }
            } else {
                first = a
            }
        }
        // Change (extended layer); not on anything a CoinJoin detector flagged.
        guard verdict == nil, let change = rules.change, let f = first, let decision = change(tx),
              decision.output >= 0, decision.output < tx.outputs.count,
              let c = tx.outputs[decision.output].address, c != f
        else { return }
        out.links.append(f, c, tx: tx.id, rule: .change, detail: decision.votesFor.names)
        out.changeLinks += 1
    }
}
