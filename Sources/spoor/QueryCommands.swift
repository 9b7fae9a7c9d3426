import ArgumentParser
import ChainIndex
import Tracer
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the index: tip, counts, stale blocks, import runs.")
    @OptionGroup var options: DataOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let status: IndexStatus
        do { status = try IndexStore(dataDirectory: options.data, create: false).status() } catch { throw fail("\(error)") }
        if json { try printJSON(status); return }
        print("network:        \(status.network ?? "-")")
        print("tip:            \(status.tipHeight.map(String.init) ?? "-") \(status.tipHash ?? "") \(status.tipTime ?? "")")
        print("blocks:         \(status.blocks) (\(status.chainBlocks) chain, \(status.sliceBlocks) slice, \(status.unplacedBlocks) unplaced)")
        print("transactions:   \(status.transactions)")
        print("outputs:        \(status.outputs)")
        print("inputs:         \(status.inputs) (\(status.unresolvedInputs) unresolved)")
        if status.explorerBlocks > 0 || status.explorerPrevouts > 0 {
            print("explorer JSON:  \(status.explorerBlocks) blocks without header, \(status.explorerPrevouts) inputs valued by explorer prevouts")
        }
        print("addresses:      \(status.addresses)")
        print("stale blocks:   \(status.staleBlocks)")
        print("import runs:")
        for r in status.importRuns {
            print("  #\(r.id) \(r.started) \(r.status) \(r.mode): +\(r.blocksAdded) blocks, +\(r.transactionsAdded) txs, \(r.rolledBack) rolled back, \(r.staleSeen) stale")
            for f in r.files { print("      \(f.path) \(f.size) bytes sha256 \(f.sha256)") }
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a block, transaction, address or cluster.",
        subcommands: [ShowBlock.self, ShowTx.self, ShowAddress.self, ShowCluster.self])
}

struct ShowBlock: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "block", abstract: "A block by hash or height.")
    @OptionGroup var options: DataOptions
    @Argument(help: "Block hash or height.") var block: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let info: BlockInfo
        do { info = try IndexStore(dataDirectory: options.data, create: false).block(block) } catch { throw fail("\(error)") }
        if json { try printJSON(info); return }
        print("block \(info.hash)")
        print("  height \(info.height.map(String.init) ?? "unknown") (\(info.heightSource))\(info.inChain ? "" : ", slice")")
        if info.heightSource == HeightSource.explorer.rawValue {
            // Explorer JSON has no header: hash, height and time are the explorer's word.
            print("  no header (from explorer JSON): previous hash, version, bits and nonce unknown")
            print("  time \(info.time)  size \(info.size) (of the transactions held)")
            let zero = String(repeating: "0", count: 64)
            print("  merkle \(info.merkleRoot == zero ? "unknown (not every transaction is known to be here)" : "\(info.merkleRoot) (of the complete transaction list)")")
        } else {
            print("  prev \(info.previousHash)")
            print("  time \(info.time)  size \(info.size)  version \(info.version)  bits \(info.bits)")
            print("  merkle \(info.merkleRoot)")
        }
        print("  \(info.txCount) transactions")
        for t in info.txids { print("    \(t)") }
    }
}

struct ShowTx: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx", abstract: "A transaction by txid.",
        discussion: showFiatDiscussion + " Here: the fee and every input and output, at the date of the transaction's block.")
    @OptionGroup var options: DataOptions
    @Argument(help: "Transaction id.") var txid: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var prices: PriceOptions

    func run() throws {
        let info: TransactionInfo
        let coinJoin: CoinJoinFlag?
        let converter: FiatConverter?
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            converter = try prices.converter(index: store)
            info = try store.transaction(txid)
            coinJoin = try ClusterQueries(store: store).coinJoin(txid: info.txid)
        } catch let exit as ExitCode { throw exit } catch { throw fail("\(error)") }
        let values = converter.map { TxFiat(info, converter: $0) }
        if json {
            let keys: [String: (any Encodable)?] = ["coinjoin": coinJoin]
            try printJSON(info, adding: keys.merging(values?.jsonKeys(info) ?? [:]) { a, _ in a })
            return
        }
        let fiat = FiatText(converter)
        print("tx \(info.txid)")
        values?.citation.printLines(indent: "  ")
        print("  block \(info.blockHash) height \(info.height.map(String.init) ?? "unknown") time \(info.time)")
        print("  size \(info.size) vsize \(info.vsize) fee \(info.fee.map { "\($0) sat\(fiat.one(values?.fee, time: info.time))" } ?? "unknown")")
        if let c = coinJoin {
            print("  CoinJoin: \(c.detector) (confidence \(c.confidence)\(c.multiParty ? "" : ", single owner")): \(c.reason)")
        }
        print("  inputs:")
        for (k, i) in info.inputs.enumerated() {
            if i.coinbase { print("    #\(i.n) coinbase"); continue }
            let source = i.valueSource.map { " (\($0) prevout: funding transaction not in the index)" } ?? ""
            let value = i.value.map { btc($0) + fiat.one(values?.inputs[k], time: info.time) } ?? "unresolved"
            print("    #\(i.n) \(i.prevout ?? "?") \(value) \(i.address ?? "")\(source)")
        }
        print("  outputs:")
        for (k, o) in info.outputs.enumerated() {
            let who = o.address ?? o.ownerAddress.map { "(key of \($0))" } ?? "-"
            let value = btc(o.value) + fiat.one(values?.outputs[k], time: info.time)
            print("    #\(o.n) \(value) \(o.type) \(who)\(o.spentBy.map { " spent by \($0)" } ?? "")")
        }
    }
}

struct ShowAddress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address", abstract: "An address: received, sent, balance, first/last seen.",
        discussion: showFiatDiscussion + " Here: each output at the date of its block and, once spent, at the date of the "
            + "spending block; received and sent as sums of those; explorer spends at their spending block's date. "
            + "The balance has no fiat value (received and sent are valued at different dates).")
    @OptionGroup var options: DataOptions
    @Argument(help: "Address.") var address: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var prices: PriceOptions

    func run() throws {
        let info: AddressInfo
        var clusters: [String: AddressCluster] = [:]
        let tags: [TagView]
        var clusterTags: ClusterAttribution?
        let converter: FiatConverter?
        let values: AddressFiat?
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            converter = try prices.converter(index: store)
            info = try store.address(address)
            values = try converter.map {
                AddressFiat(info, converter: $0, spendTimes: try store.blockTimes(ofTransactions: AddressFiat.spendingTransactions(info)))
            }
            let queries = try ClusterQueries(store: store)
            for layer in ClusterLayer.allCases {
                if let c = try queries.clusterOf(address: address, layer: layer) { clusters[layer.description] = AddressCluster(id: c.id, size: c.size) }
            }
            tags = try queries.addressTags(address)
            if let strict = clusters["strict"] { clusterTags = try queries.attribution(cluster: strict.id, layer: .strict) }
        } catch let exit as ExitCode { throw exit } catch { throw fail("\(error)") }
        if json {
            let keys: [String: (any Encodable)?] = ["cluster": clusters.isEmpty ? nil : clusters, "tags": tags, "cluster_tags": clusterTags?.tags,
                                                   "tag_conflicts": clusterTags?.conflicts]
            try printJSON(info, adding: keys.merging(values?.jsonKeys(info) ?? [:]) { a, _ in a })
            return
        }
        let fiat = FiatText(converter)
        print("address \(info.address) (\(info.type))")
        values?.citation.printLines(indent: "  ")
        let balanceNote = converter.map { " (no \($0.currency.code) value: received and sent are valued at different dates)" } ?? ""
        print("  received \(btc(info.received))\(fiat.sum(values?.received))  sent \(btc(info.sent))\(fiat.sum(values?.sent))  "
              + "balance \(btc(info.balance))\(balanceNote)")
        print("  \(info.txCount) transactions, \(info.outputCount) outputs; first seen \(info.firstSeen ?? "-"), last seen \(info.lastSeen ?? "-")")
        if !info.sameKeyAddresses.isEmpty { print("  same key: \(info.sameKeyAddresses.joined(separator: ", "))") }
        if !info.explorerSpends.isEmpty {
            let total = info.explorerSpends.reduce(Int64(0)) { $0 + $1.value }
            print("  spent per explorer prevouts (outputs not in the index, not counted above): \(info.explorerSpends.count) input(s), "
                  + "\(btc(total))\(fiat.sum(values?.explorerSpent))")
            for (k, e) in info.explorerSpends.enumerated() {
                print("    \(e.outpoint) \(btc(e.value))\(fiat.one(values?.explorerSpends[k], time: e.time)) spent by \(e.spentBy) "
                      + "at \(e.height.map(String.init) ?? "?") \(e.time)")
            }
        }
        if clusters.isEmpty {
            print("  cluster: not clustered yet (spoor cluster)")
        } else {
            for (name, c) in clusters.sorted(by: { $0.key > $1.key }) { print("  cluster (\(name)): \(c.id), \(c.size) address(es)") }
        }
        if !tags.isEmpty {
            print("  tags on this address:")
            for t in tags { print("    \(describe(t))") }
        }
        if let c = clusterTags, !c.tags.isEmpty {
            printTags(c.tags, conflicts: c.conflicts, header: "tags on its strict cluster")
        }
        for (k, m) in info.outputs.enumerated() {
            let movement = values?.outputs[k]
            print("    \(m.outpoint) \(btc(m.value))\(fiat.one(movement?.value, time: m.time)) h\(m.height.map(String.init) ?? "?") \(m.time)"
                  + "\(m.spentBy.map { " spent by \($0)" + AddressFiat.spentText(movement, fiat) } ?? "")")
        }
    }
}

/// An address's cluster in one layer, in `show address --json`.
struct AddressCluster: Codable {
    var id: Int64
    var size: Int
}

struct ShowCluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "A cluster (by id or by one of its addresses): size, addresses, activity, totals, CoinJoins.",
        discussion: showFiatDiscussion + " Here: received as the sum of every output paying a member at the date of its block; "
            + "sent as the sum of every spent one at the date of the spending block.")
    @OptionGroup var options: DataOptions
    @OptionGroup var layerOption: LayerOption
    @Argument(help: "Cluster id or address.") var subject: String
    @Option(help: "Addresses to list (the count is always complete).") var limit = 50
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var prices: PriceOptions

    func run() throws {
        let layer = try layerOption.value()
        let info: ClusterSummary
        let attribution: ClusterAttribution
        let converter: FiatConverter?
        let values: ClusterFiat?
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            converter = try prices.converter(index: store)
            let queries = try ClusterQueries(store: store)
            info = try queries.summary(subject, layer: layer, limit: limit)
            attribution = try queries.attribution(cluster: info.id, layer: layer)
            values = try converter.map { try ClusterFiat(cluster: info.id, layer: layer, queries: queries, converter: $0) }
        } catch let exit as ExitCode { throw exit } catch { throw fail("\(error)") }
        if json {
            let keys: [String: (any Encodable)?] = ["tags": attribution.tags, "tag_conflicts": attribution.conflicts]
            try printJSON(info, adding: keys.merging(values?.jsonKeys ?? [:]) { a, _ in a })
            return
        }
        let fiat = FiatText(converter)
        print("cluster \(info.id) (\(info.layer) layer): \(info.size) address(es)")
        values?.citation.printLines(indent: "  ")
        print("  received \(btc(info.totalReceived))\(fiat.sum(values?.totals.received))  sent \(btc(info.totalSent))"
              + "\(fiat.sum(values?.totals.sent))  \(info.transactionCount) transactions")
        print("  first activity \(info.firstActivity ?? "-"), last activity \(info.lastActivity ?? "-")")
        print("  CoinJoin transactions touching it: \(info.coinJoinTransactions)")
        if !info.mergedClusters.isEmpty { print("  merged clusters: \(info.mergedClusters.map(String.init).joined(separator: ", "))") }
        printTags(attribution.tags, conflicts: attribution.conflicts)
        print("  addresses\(info.addressesTruncated ? " (first \(info.addresses.count))" : ""):")
        for a in info.addresses { print("    \(a)") }
    }
}

/// One tag on one line.
func describe(_ t: TagView) -> String {
    let target = t.address ?? t.cluster.map { "cluster \($0)" } ?? "?"
    return "[\(t.category)] \(t.label) on \(target); source \(t.source)\(t.isPrivate ? " (private)" : ""), confidence \(t.confidence)"
        + (t.caseRef.map { ", case \($0)" } ?? "")
}

/// Tags and their conflicts, for human output.
func printTags(_ tags: [TagView], conflicts: [TagConflictView], header: String = "tags") {
    if tags.isEmpty { print("  \(header): none"); return }
    print("  \(header):")
    for t in tags { print("    \(describe(t))") }
    for c in conflicts {
        print("  CONFLICT (\(c.rule)): \(c.first) (tags \(c.firstTags.map(String.init).joined(separator: ","))) vs \(c.second) (tags \(c.secondTags.map(String.init).joined(separator: ",")))")
    }
}
