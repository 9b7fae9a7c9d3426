import ChainIndex
import Foundation
import GRDB

extension IndexFlowGraph {
    /// What `spoor trace SUBJECT` starts from: an address (every output paying it), an output
    /// (`txid:vout`), a transaction (its outputs) or a cluster id (every output paying a member).
    public func start(for subject: String) throws -> TraceStart {
        let text = subject.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: ":")
        if parts.count == 2, let hash = Hash256(hex: String(parts[0])), let vout = Int64(parts[1]) {
            guard let row = try Row.fetchOne(db, sql: "SELECT id, output_first, output_count FROM tx WHERE substr(txid, 1, 8) = ? AND txid = ?",
                                             arguments: [Data(hash.bytes.prefix(8)), Data(hash.bytes)]),
                  vout >= 0, vout < (row[2] as Int64)
            else { throw TraceError.subjectNotFound(text) }
            let output: Int64 = (row[1] as Int64) + vout
            return TraceStart(description: "output \(text)", outputs: [output], ownClusters: try ownClusters(ofOutputs: [output]))
        }
        if text.count == 64, let hash = Hash256(hex: text) {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, output_first, output_count, input_first, input_count FROM tx WHERE substr(txid, 1, 8) = ? AND txid = ?
                """, arguments: [Data(hash.bytes.prefix(8)), Data(hash.bytes)])
            else { throw TraceError.subjectNotFound("transaction \(text)") }
            let first: Int64 = row[1], count: Int64 = row[2]
            let senders = try Int64.fetchAll(db, sql: """
                SELECT o.address FROM input i JOIN output o ON o.id = i.spends WHERE i.id >= ? AND i.id < ? AND o.address IS NOT NULL
                """, arguments: [row[3] as Int64, (row[3] as Int64) + (row[4] as Int64)])
            return TraceStart(description: "transaction \(text)", outputs: Array(first..<(first + count)),
                              ownClusters: Set(try senders.map(cluster(ofAddress:))))
        }
        if let id = Int64(text) {
            guard try Int64.fetchOne(db, sql: "SELECT id FROM address WHERE id = ?", arguments: [id]) != nil else {
                throw TraceError.subjectNotFound("cluster \(id)")
            }
            let root = try cluster(ofAddress: id)
            let outputs = try Int64.fetchAll(db, sql: ClusterQueries.memberCTE + """
                SELECT o.id FROM output o WHERE o.address IN (SELECT address FROM members) ORDER BY o.id
                """, arguments: ["cluster": root, "layer": layer.rawValue])
            return TraceStart(description: "cluster \(root) (\(layer) layer)", outputs: outputs, ownClusters: [root])
        }
        let key: AddressKey
        do { key = try AddressKey.parse(text, network: network) } catch { throw TraceError.invalidSubject(text) }
        let bytes = key.storageBytes
        addressRow.bind(1, Array(bytes[2..<min(bytes.count, 10)])); addressRow.bind(2, bytes)
        guard let address = try addressRow.queryInt() else { throw TraceError.subjectNotFound("address \(text)") }
        var outputs: [Int64] = []
        paidRow.bind(1, address)
        while try paidRow.step() { outputs.append(paidRow.int64(0)) }
        return TraceStart(description: "address \(key.render(on: network))", outputs: outputs, ownClusters: [try cluster(ofAddress: address)])
    }

    private func ownClusters(ofOutputs outputs: [Int64]) throws -> Set<Int64> {
        var out = Set<Int64>()
        for o in outputs {
            if let a = try Int64.fetchOne(db, sql: "SELECT address FROM output WHERE id = ?", arguments: [o]) { out.insert(try cluster(ofAddress: a)) }
        }
        return out
    }

    /// The chain tip the trace runs on.
    public func tip() throws -> (height: Int?, hash: String?) {
        guard let row = try Row.fetchOne(db, sql: "SELECT height, hash FROM block WHERE in_chain = 1 ORDER BY height DESC LIMIT 1") else {
            return (nil, nil)
        }
        return (row[0], row.optBytes(1).flatMap { Hash256(internalBytes: $0)?.hex })
    }
}
