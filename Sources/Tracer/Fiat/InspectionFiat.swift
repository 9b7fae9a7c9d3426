import ChainIndex
import GRDB

/// The fiat totals of `spoor show cluster --fiat`: ``ClusterSummary/totalReceived`` and
/// ``ClusterSummary/totalSent`` as sums of the values of their parts, one part per output.
public struct ClusterFiatTotals: Sendable, Equatable {
    /// Every output paying a member, each at the UTC date of the block holding it.
    public var received: FiatSum
    /// Every output paying a member that has been spent, each at the UTC date of the block of the
    /// transaction spending it (what the coins were worth when they left).
    public var sent: FiatSum
}

extension ClusterQueries {
    /// The fiat totals of a cluster (``ClusterFiatTotals``), valued with `annotator`, which notes the
    /// dates without a price. The parts are the outputs ``summary(_:layer:limit:)`` counts, so each
    /// sum's `satoshis` equals the summary's total.
    /// - Complexity: one statement over the members' outputs, read with a cursor.
    public func fiatTotals(cluster: Int64, layer: ClusterLayer, annotator: inout FiatAnnotator) throws -> ClusterFiatTotals {
        var received = annotator.emptySum, sent = annotator.emptySum
        var local = annotator
        try store.read { db in
            let rows = try Row.fetchCursor(db, sql: Self.memberCTE + """
                 SELECT o.value, b.time,
                        (SELECT min(sb.time) FROM input i JOIN tx st ON st.id = i.tx JOIN block sb ON sb.id = st.block WHERE i.spends = o.id)
                FROM output o JOIN tx t ON t.id = o.tx JOIN block b ON b.id = t.block
                WHERE o.address IN (SELECT address FROM members)
                ORDER BY o.id
                """, arguments: ["cluster": cluster, "layer": layer.rawValue])
            while let r = try rows.next() {
                let value: Int64 = r[0]
                local.add(satoshis: value, at: r[1], to: &received)
                if let spent = r[2] as Int64? { local.add(satoshis: value, at: spent, to: &sent) }
            }
        }
        annotator = local
        return ClusterFiatTotals(received: received, sent: sent)
    }
}

extension FiatAnnotator {
    /// Adds `satoshis` valued at the UTC date of the Unix time `unixTime` (a block time) to `sum`.
    public mutating func add(satoshis: Int64, at unixTime: Int64, to sum: inout FiatSum) {
        let date = PriceDate(unixTime: unixTime)
        sum.add(satoshis: satoshis, date: date, value: value(satoshis: satoshis, on: date))
    }
}

extension IndexStore {
    /// The block times (Unix seconds) of transactions given by txid (display hex), keyed by the
    /// txid as given; a txid that is malformed or not in the index is left out. Read-only; used to
    /// value an address's spends at the date of the spending block (`spoor show address --fiat`).
    public func blockTimes(ofTransactions txids: Set<String>) throws -> [String: Int64] {
        guard !txids.isEmpty else { return [:] }
        return try read { db in
            var times: [String: Int64] = [:]
            for text in txids {
                guard let hash = Hash256(hex: text), let id = try transactionId(db, hash) else { continue }
                let time = try Int64.fetchOne(db, sql: "SELECT b.time FROM tx t JOIN block b ON b.id = t.block WHERE t.id = ?",
                                              arguments: [id])
                if let time { times[text] = time }
            }
            return times
        }
    }
}
