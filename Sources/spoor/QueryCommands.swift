import ArgumentParser
import ChainIndex
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
        commandName: "show", abstract: "Show a block, transaction or address.",
        subcommands: [ShowBlock.self, ShowTx.self, ShowAddress.self])
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
        print("  prev \(info.previousHash)")
        print("  time \(info.time)  size \(info.size)  version \(info.version)  bits \(info.bits)")
        print("  merkle \(info.merkleRoot)")
        print("  \(info.txCount) transactions")
        for t in info.txids { print("    \(t)") }
    }
}

struct ShowTx: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tx", abstract: "A transaction by txid.")
    @OptionGroup var options: DataOptions
    @Argument(help: "Transaction id.") var txid: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let info: TransactionInfo
        do { info = try IndexStore(dataDirectory: options.data, create: false).transaction(txid) } catch { throw fail("\(error)") }
        if json { try printJSON(info); return }
        print("tx \(info.txid)")
        print("  block \(info.blockHash) height \(info.height.map(String.init) ?? "unknown") time \(info.time)")
        print("  size \(info.size) vsize \(info.vsize) fee \(info.fee.map { "\($0) sat" } ?? "unknown")")
        print("  inputs:")
        for i in info.inputs {
            if i.coinbase { print("    #\(i.n) coinbase"); continue }
            print("    #\(i.n) \(i.prevout ?? "?") \(i.value.map { btc($0) } ?? "unresolved") \(i.address ?? "")")
        }
        print("  outputs:")
        for o in info.outputs {
            let who = o.address ?? o.ownerAddress.map { "(key of \($0))" } ?? "-"
            print("    #\(o.n) \(btc(o.value)) \(o.type) \(who)\(o.spentBy.map { " spent by \($0)" } ?? "")")
        }
    }
}

struct ShowAddress: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "address", abstract: "An address: received, sent, balance, first/last seen.")
    @OptionGroup var options: DataOptions
    @Argument(help: "Address.") var address: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let info: AddressInfo
        do { info = try IndexStore(dataDirectory: options.data, create: false).address(address) } catch { throw fail("\(error)") }
        if json { try printJSON(info); return }
        print("address \(info.address) (\(info.type))")
        print("  received \(btc(info.received))  sent \(btc(info.sent))  balance \(btc(info.balance))")
        print("  \(info.txCount) transactions, \(info.outputCount) outputs; first seen \(info.firstSeen ?? "-"), last seen \(info.lastSeen ?? "-")")
        if !info.sameKeyAddresses.isEmpty { print("  same key: \(info.sameKeyAddresses.joined(separator: ", "))") }
        for m in info.outputs {
            print("    \(m.outpoint) \(btc(m.value)) h\(m.height.map(String.init) ?? "?") \(m.time)\(m.spentBy.map { " spent by \($0)" } ?? "")")
        }
    }
}
