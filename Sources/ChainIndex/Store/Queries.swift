import Foundation
import GRDB

/// `spoor status --json`: a documented, stable interface (docs/json.md).
public struct IndexStatus: Codable, Sendable {
    public var network: String?
    public var tipHeight: Int?
    public var tipHash: String?
    public var tipTime: String?
    public var blocks: Int
    public var chainBlocks: Int
    public var sliceBlocks: Int
    public var unplacedBlocks: Int
    public var transactions: Int
    public var outputs: Int
    public var inputs: Int
    public var unresolvedInputs: Int
    public var addresses: Int
    public var staleBlocks: Int
    public var importRuns: [ImportRunInfo]
    /// Blocks stored from explorer JSON, without header (hash, height and time are the explorer's).
    public var explorerBlocks: Int = 0
    /// Unresolved inputs whose value and address are an explorer's prevout.
    public var explorerPrevouts: Int = 0

    enum CodingKeys: String, CodingKey {
        case network, tipHeight = "tip_height", tipHash = "tip_hash", tipTime = "tip_time", blocks
        case chainBlocks = "chain_blocks", sliceBlocks = "slice_blocks", unplacedBlocks = "unplaced_blocks"
        case transactions, outputs, inputs, unresolvedInputs = "unresolved_inputs", addresses
        case staleBlocks = "stale_blocks", importRuns = "import_runs"
        case explorerBlocks = "explorer_blocks", explorerPrevouts = "explorer_prevouts"
    }

}

public struct ImportRunInfo: Codable, Sendable {
    public var id: Int64
    public var started: String
    public var finished: String?
    public var status: String
    public var mode: String
    public var blocksAdded: Int
    public var transactionsAdded: Int
    public var rolledBack: Int
    public var staleSeen: Int
    public var software: String
    public var message: String?
    public var files: [ImportFileInfo]

    enum CodingKeys: String, CodingKey {
        case id, started, finished, status, mode, software, message, files
        case blocksAdded = "blocks_added", transactionsAdded = "transactions_added", rolledBack = "rolled_back", staleSeen = "stale_seen"
    }

}

public struct ImportFileInfo: Codable, Sendable {
    public var path: String
    public var size: Int
    public var sha256: String
}

/// `spoor show block --json`.
public struct BlockInfo: Codable, Sendable {
    public var hash: String
    public var previousHash: String
    public var height: Int?
    public var heightSource: String
    public var inChain: Bool
    public var version: Int
    public var merkleRoot: String
    public var time: String
    public var bits: String
    public var nonce: Int64
    public var size: Int
    public var txCount: Int
    public var txids: [String]

    enum CodingKeys: String, CodingKey {
        case hash, previousHash = "previous_hash", height, heightSource = "height_source", inChain = "in_chain", version
        case merkleRoot = "merkle_root", time, bits, nonce, size, txCount = "tx_count", txids
    }

}

/// `spoor show tx --json`.
public struct TransactionInfo: Codable, Sendable {
    public struct Input: Codable, Sendable {
        public var n: Int
        /// "txid:vout" of the output spent; nil for a coinbase.
        public var prevout: String?
        public var coinbase: Bool
        /// Value of the spent output; nil for a coinbase or an unresolved input.
        public var value: Int64?
        public var address: String?
        public var resolved: Bool
        public var sequence: Int64
        /// For an unresolved input: `explorer` when value and address are an explorer's prevout
        /// (the funding transaction is not in the index); nil otherwise.
        public var valueSource: String? = nil

        enum CodingKeys: String, CodingKey { case n, prevout, coinbase, value, address, resolved, sequence, valueSource = "value_source" }

    }
    public struct Output: Codable, Sendable {
        public var n: Int
        public var value: Int64
        /// Address as Bitcoin Core v22+ renders it; nil for P2PK, multisig, OP_RETURN, non-standard.
        public var address: String?
        /// Core's TxoutType name.
        public var type: String
        /// For P2PK: the P2PKH address of the key (as explorers show it).
        public var ownerAddress: String?
        /// "txid:n" of the input spending this output, nil while unspent (in this index).
        public var spentBy: String?
        public var script: String?

        enum CodingKeys: String, CodingKey {
            case n, value, address, type, ownerAddress = "owner_address", spentBy = "spent_by", script
        }

    }
    public var txid: String
    public var blockHash: String
    public var height: Int?
    public var time: String
    public var index: Int
    public var size: Int
    public var vsize: Int
    public var weight: Int
    public var version: Int
    public var locktime: Int64
    /// Fee in satoshis; nil for a coinbase or when an input is unresolved.
    public var fee: Int64?
    public var inputs: [Input]
    public var outputs: [Output]

    enum CodingKeys: String, CodingKey {
        case txid, blockHash = "block_hash", height, time, index, size, vsize, weight, version, locktime, fee, inputs, outputs
    }

}

/// `spoor show address --json`.
public struct AddressInfo: Codable, Sendable {
    public struct Movement: Codable, Sendable {
        public var outpoint: String
        public var value: Int64
        public var height: Int?
        public var time: String
        public var spentBy: String?
        public var spentHeight: Int?
        enum CodingKeys: String, CodingKey { case outpoint, value, height, time, spentBy = "spent_by", spentHeight = "spent_height" }

    }
    public var address: String
    public var type: String
    public var received: Int64
    public var sent: Int64
    public var balance: Int64
    public var txCount: Int
    public var outputCount: Int
    public var firstSeen: String?
    public var lastSeen: String?
    /// Other addresses of the same public key (one owner), from P2PK outputs.
    public var sameKeyAddresses: [String]
    public var outputs: [Movement]
    /// Spends from this address that only an explorer's prevouts show (the outputs spent are not
    /// in the index): not in `received`, `sent` or `balance`.
    public var explorerSpends: [ExplorerSpend] = []

    /// An input whose explorer prevout names this address.
    public struct ExplorerSpend: Codable, Sendable {
        /// `txid:vout` of the output spent (not in the index).
        public var outpoint: String
        public var value: Int64
        /// `txid:n` of the spending input.
        public var spentBy: String
        public var height: Int?
        public var time: String
        enum CodingKeys: String, CodingKey { case outpoint, value, spentBy = "spent_by", height, time }
    }

    enum CodingKeys: String, CodingKey {
        case address, type, received, sent, balance, txCount = "tx_count", outputCount = "output_count"
        case firstSeen = "first_seen", lastSeen = "last_seen", sameKeyAddresses = "same_key_addresses", outputs
        case explorerSpends = "explorer_spends"
    }

}

/// Errors of lookups.
public enum QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case invalidArgument(String)
    public var description: String {
        switch self {
        case .notFound(let what): return "not found: \(what)"
        case .invalidArgument(let what): return what
        }
    }
}

extension IndexStore {
    /// A Unix time as ISO 8601 UTC.
    ///
    /// Computed directly (``CivilDate``):
    /// a Foundation date formatter costs tens of microseconds per call, and traces format
    /// thousands of times.
    /// A time as ISO 8601 UTC, whole seconds (rounded down).
    public static func utc(date: Date) -> String { utc(Int64(floor(date.timeIntervalSince1970))) }

    public static func utc(_ unix: Int64) -> String {
        let days = CivilDate.days(unixTime: unix)
        let seconds = unix - days * 86_400
        let (year, month, day) = CivilDate.civil(days: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let y = year < 1000 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        return "\(y)-\(two(month))-\(two(day))T\(two(seconds / 3600)):\(two(seconds % 3600 / 60)):\(two(seconds % 60))Z"
    }

    /// Summary of the index: tip, counts, stale blocks, import runs.
    public func status() throws -> IndexStatus {
        try read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            let tip = try Row.fetchOne(db, sql: "SELECT height, hash, time FROM block WHERE in_chain = 1 ORDER BY height DESC LIMIT 1")
            var runs = [ImportRunInfo]()
            for r in try Row.fetchAll(db, sql: "SELECT id, started, finished, status, mode, blocks_added, txs_added, blocks_rolled_back, stale_seen, software, message FROM import_run ORDER BY id") {
                let files = try Row.fetchAll(db, sql: "SELECT path, size, sha256 FROM import_file WHERE run = ? ORDER BY path", arguments: [r[0] as Int64])
                    .map { ImportFileInfo(path: $0[0], size: $0[1], sha256: $0[2]) }
                runs.append(ImportRunInfo(id: r[0], started: r[1], finished: r[2], status: r[3], mode: r[4], blocksAdded: r[5],
                                          transactionsAdded: r[6], rolledBack: r[7], staleSeen: r[8], software: r[9], message: r[10], files: files))
            }
            return IndexStatus(
                network: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'network'"),
                tipHeight: tip?[0], tipHash: tip.flatMap { $0.optBytes(1) }.flatMap { Hash256(internalBytes: $0)?.hex },
                tipTime: (tip?[2] as Int64?).map(IndexStore.utc),
                blocks: try count("SELECT COUNT(*) FROM block"),
                chainBlocks: try count("SELECT COUNT(*) FROM block WHERE in_chain = 1"),
                sliceBlocks: try count("SELECT COUNT(*) FROM block WHERE in_chain = 0"),
                unplacedBlocks: try count("SELECT COUNT(*) FROM block WHERE height IS NULL"),
                transactions: try count("SELECT COUNT(*) FROM tx"),
                outputs: try count("SELECT COUNT(*) FROM output"),
                inputs: try count("SELECT COUNT(*) FROM input"),
                unresolvedInputs: try count("SELECT COUNT(*) FROM input WHERE prev_txid IS NOT NULL"),
                addresses: try count("SELECT COUNT(*) FROM address"),
                staleBlocks: try count("SELECT COUNT(*) FROM stale_block"),
                importRuns: runs,
                explorerBlocks: try count("SELECT COUNT(*) FROM block WHERE height_source = 'explorer'"),
                explorerPrevouts: try count("SELECT COUNT(*) FROM input_prevout"))
        }
    }

    /// A block by hash or by height on the best chain.
    public func block(_ query: String) throws -> BlockInfo {
        try read { db in
            let row: Row?
            if let height = Int(query) {
                row = try Row.fetchOne(db, sql: "SELECT * FROM block WHERE height = ? ORDER BY in_chain DESC LIMIT 1", arguments: [height])
            } else if let hash = Hash256(hex: query) {
                row = try Row.fetchOne(db, sql: "SELECT * FROM block WHERE hash = ?", arguments: [Data(hash.bytes)])
            } else {
                throw QueryError.invalidArgument("'\(query)' is neither a height nor a 64-hex-digit block hash")
            }
            guard let row else { throw QueryError.notFound("block \(query)") }
            let txids = try Data.fetchAll(db, sql: "SELECT txid FROM tx WHERE id BETWEEN ? AND ? ORDER BY id",
                                            arguments: [row["tx_first"] as Int64, (row["tx_first"] as Int64) + (row["tx_count"] as Int64) - 1])
                .compactMap { Hash256(internalBytes: $0)?.hex }
            return BlockInfo(
                hash: Hash256(internalBytes: row.bytes("hash"))?.hex ?? "", previousHash: Hash256(internalBytes: row.bytes("prev"))?.hex ?? "",
                height: row["height"], heightSource: row["height_source"], inChain: (row["in_chain"] as Int) != 0,
                version: row["version"], merkleRoot: Hash256(internalBytes: row.bytes("merkle"))?.hex ?? "",
                time: IndexStore.utc(row["time"]), bits: String(format: "%08x", row["bits"] as Int64), nonce: row["nonce"],
                size: row["size"], txCount: row["tx_count"], txids: txids)
        }
    }

    /// The index id of a transaction (the latest of BIP30's duplicate coinbases), through the
    /// index on the txid's first eight bytes.
    public func transactionId(_ db: Database, _ txid: Hash256) throws -> Int64? {
        try Self.transactionId(in: db, txid)
    }

    /// ``transactionId(_:_:)`` for code that holds a database but not the store.
    public static func transactionId(in db: Database, _ txid: Hash256) throws -> Int64? {
        let ids = try Row.fetchAll(db, sql: "SELECT id, txid FROM tx WHERE substr(txid, 1, 8) = ? ORDER BY id DESC", arguments: [Data(txid.bytes.prefix(8))])
        return ids.first { ($0.bytes(1)) == txid.bytes }?[0]
    }

    /// A transaction with its inputs (and the outputs they spend) and its outputs (and what spends them).
    public func transaction(_ txidText: String) throws -> TransactionInfo {
        guard let txid = Hash256(hex: txidText) else { throw QueryError.invalidArgument("'\(txidText)' is not a 64-hex-digit txid") }
        let network = try network() ?? .mainnet
        return try read { db in
            guard let id = try transactionId(db, txid),
                  let t = try Row.fetchOne(db, sql: """
                    SELECT t.*, b.hash AS bhash, b.height AS bheight, b.time AS btime, b.tx_first AS btxfirst
                    FROM tx t JOIN block b ON b.id = t.block WHERE t.id = ?
                    """, arguments: [id]) else { throw QueryError.notFound("transaction \(txidText)") }
            let inputFirst: Int64 = t["input_first"], inputCount: Int64 = t["input_count"]
            let outputFirst: Int64 = t["output_first"], outputCount: Int64 = t["output_count"]
            var inputs = [TransactionInfo.Input]()
            let inRows = try Row.fetchAll(db, sql: """
                SELECT i.id, i.spends, i.prev_txid, i.prev_vout, i.sequence, COALESCE(o.value, p.value), COALESCE(o.address, p.address),
                  COALESCE(o.type, p.type), st.txid, o.id - st.output_first, p.input IS NOT NULL
                FROM input i LEFT JOIN output o ON o.id = i.spends LEFT JOIN tx st ON st.id = o.tx
                LEFT JOIN input_prevout p ON p.input = i.id
                WHERE i.id BETWEEN ? AND ? ORDER BY i.id
                """, arguments: [inputFirst, inputFirst + inputCount - 1])
            for (n, r) in inRows.enumerated() {
                let spends: Int64? = r[1]
                var prevout: String?
                if spends != nil, let h = Hash256(internalBytes: r.bytes(8)) {
                    prevout = "\(h.hex):\(r[9] as Int64)"
                } else if let p = r.optBytes(2), let h = Hash256(internalBytes: p) {
                    prevout = "\(h.hex):\(r[3] as Int64)"
                }
                var address: String?
                if let a = r[6] as Int64?, let type = (r[7] as Int?).flatMap({ ScriptType(rawValue: UInt8($0)) }), type != .pubkey {
                    address = try renderAddress(db, a, network)
                }
                inputs.append(.init(n: n, prevout: prevout, coinbase: prevout == nil, value: r[5], address: address,
                                    resolved: spends != nil, sequence: r[4], valueSource: (r[10] as Bool) ? "explorer" : nil))
            }
            var outputs = [TransactionInfo.Output]()
            let outRows = try Row.fetchAll(db, sql: """
                SELECT o.id, o.value, o.address, o.type, s.script, si.id, st.txid, si.id - st.input_first
                FROM output o LEFT JOIN output_script s ON s.output = o.id
                LEFT JOIN input si ON si.spends = o.id LEFT JOIN tx st ON st.id = si.tx
                WHERE o.id BETWEEN ? AND ? ORDER BY o.id
                """, arguments: [outputFirst, outputFirst + outputCount - 1])
            for r in outRows {
                let type = ScriptType(rawValue: UInt8(r[3] as Int)) ?? .nonstandard
                var address: String?, owner: String?
                if let a = r[2] as Int64? {
                    let text = try renderAddress(db, a, network)
                    if type == .pubkey { owner = text } else { address = text }
                }
                var spentBy: String?
                if r[5] as Int64? != nil, let h = Hash256(internalBytes: r.bytes(6)) { spentBy = "\(h.hex):\(r[7] as Int64)" }
                outputs.append(.init(n: Int((r[0] as Int64) - outputFirst), value: r[1], address: address, type: type.coreName,
                                     ownerAddress: owner, spentBy: spentBy, script: r.optBytes(4).map { Hex.encode($0) }))
            }
            let weight: Int = t["weight"]
            return TransactionInfo(
                txid: txid.hex, blockHash: Hash256(internalBytes: t.bytes("bhash"))?.hex ?? "",
                height: t["bheight"], time: IndexStore.utc(t["btime"]), index: Int((t["id"] as Int64) - (t["btxfirst"] as Int64)),
                size: t["size"], vsize: (weight + 3) / 4, weight: weight, version: t["version"], locktime: t["locktime"],
                fee: t["fee"], inputs: inputs, outputs: outputs)
        }
    }

    /// The text form of a stored address on `network`.
    public func renderAddress(_ db: Database, _ id: Int64, _ network: Network) throws -> String? {
        guard let data = try Data.fetchOne(db, sql: "SELECT key FROM address WHERE id = ?", arguments: [id]),
              let key = AddressKey(storageBytes: [UInt8](data)) else { return nil }
        return key.render(on: network)
    }

    /// An address: what it received and spent, balance, first and last seen.
    public func address(_ text: String) throws -> AddressInfo {
        let network = try self.network() ?? .mainnet
        let key: AddressKey
        do { key = try AddressKey.parse(text, network: network) } catch {
            throw QueryError.invalidArgument("'\(text)' is not a valid \(network.name) address: \(error)")
        }
        return try read { db in
            guard let id = try addressId(db, key) else { throw QueryError.notFound("address \(text)") }
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.value, t.txid, o.id - t.output_first, b.height, b.time, si.id - st.input_first, st.txid, sb.height, sb.time, t.id, st.id, o.type
                FROM output o JOIN tx t ON t.id = o.tx JOIN block b ON b.id = t.block
                LEFT JOIN input si ON si.spends = o.id LEFT JOIN tx st ON st.id = si.tx LEFT JOIN block sb ON sb.id = st.block
                WHERE o.address = ? ORDER BY o.id
                """, arguments: [id])
            var received: Int64 = 0, sent: Int64 = 0
            var txs = Set<Int64>()
            var first: Int64?, last: Int64?
            var movements = [AddressInfo.Movement]()
            for r in rows {
                let value: Int64 = r[0]
                received += value
                txs.insert(r[9])
                let t: Int64 = r[4]
                first = min(first ?? t, t); last = max(last ?? t, t)
                var spentBy: String?
                if let spendTx = r[10] as Int64? {
                    sent += value
                    txs.insert(spendTx)
                    if let st = r[8] as Int64? { first = min(first ?? st, st); last = max(last ?? st, st) }
                    if let h = Hash256(internalBytes: r.bytes(6)) { spentBy = "\(h.hex):\(r[5] as Int64)" }
                }
                movements.append(.init(outpoint: "\(Hash256(internalBytes: r.bytes(1))?.hex ?? ""):\(r[2] as Int64)", value: value,
                                       height: r[3], time: IndexStore.utc(t), spentBy: spentBy, spentHeight: r[7]))
            }
            var same = [String]()
            if let owner = try Int64.fetchOne(db, sql: "SELECT owner FROM same_key WHERE address = ?", arguments: [id]) {
                for other in try Int64.fetchAll(db, sql: "SELECT address FROM same_key WHERE owner = ? AND address != ? ORDER BY address", arguments: [owner, id]) {
                    if let s = try renderAddress(db, other, network) { same.append(s) }
                }
            }
            var explorerSpends = [AddressInfo.ExplorerSpend]()
            for r in try Row.fetchAll(db, sql: """
                SELECT i.prev_txid, i.prev_vout, p.value, t.txid, i.id - t.input_first, b.height, b.time
                FROM input_prevout p JOIN input i ON i.id = p.input JOIN tx t ON t.id = i.tx JOIN block b ON b.id = t.block
                WHERE p.address = ? ORDER BY i.id
                """, arguments: [id]) {
                explorerSpends.append(.init(
                    outpoint: "\(Hash256(internalBytes: r.bytes(0))?.hex ?? ""):\(r[1] as Int64)", value: r[2],
                    spentBy: "\(Hash256(internalBytes: r.bytes(3))?.hex ?? ""):\(r[4] as Int64)", height: r[5], time: IndexStore.utc(r[6] as Int64)))
            }
            return AddressInfo(address: key.render(on: network), type: key.kind.scriptType.coreName, received: received, sent: sent, balance: received - sent,
                               txCount: txs.count, outputCount: rows.count, firstSeen: first.map(IndexStore.utc),
                               lastSeen: last.map(IndexStore.utc), sameKeyAddresses: same, outputs: movements, explorerSpends: explorerSpends)
        }
    }
}

extension IndexStore {
    /// Outputs no input in the index spends (OP_RETURN outputs excluded).
    public func unspentOutputCount() throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM output o WHERE o.type != \(ScriptType.nulldata.rawValue)
                AND NOT EXISTS (SELECT 1 FROM input i WHERE i.spends = o.id)
                """) ?? 0
        }
    }
}

extension IndexStore {
    /// The stored id of an address.
    public func addressId(_ db: Database, _ key: AddressKey) throws -> Int64? {
        let bytes = key.storageBytes
        return try Int64.fetchOne(db, sql: "SELECT id FROM address WHERE substr(key, 3, 8) = ? AND key = ?",
                                  arguments: [Data(bytes[2..<min(bytes.count, 10)]), Data(bytes)])
    }
}
