import Foundation

/// Groups the transactions rows of a blockchain-etl export, streamed in file order, into their
/// blocks and rebuilds each block as soon as its rows end, so that only one block's rows are held
/// at a time (memory proportional to the largest block, not to the export).
///
/// A block's rows end where a row of another block starts. bitcoin-etl writes each block's
/// transactions together (in block order), which is all this needs. An export that interleaves
/// blocks (several writers, an unordered extract) is regrouped while the interleaving stays small:
/// a block whose rows end before its `transaction_count` is reached waits for the rest ("parked"),
/// up to `parkLimit` waiting rows in all (unlimited by default: memory then grows with the
/// disorder). A row of a block already rebuilt, or more waiting rows than a set limit, stops the
/// import at that row (file and line). A block still short of its rows at the end fails as before (its
/// `transaction_count` against the rows found).
struct ETLGrouping {
    /// Rows that may wait for the rest of their blocks: no limit by default, so an unordered
    /// extract (BigQuery's sharded exports) still imports, holding in memory what is out of order
    /// (all of it at worst, a few kB a row), while an ordered export streams one block at a time.
    /// Tests set a limit to reach the error.
    static let defaultParkLimit = Int.max

    let plan: ETLExport.Plan
    let parkLimit: Int
    /// Blocks rebuilt and handed on.
    private(set) var blocks = 0
    /// The most rows held at once (current block's and waiting ones).
    private(set) var peakBufferedRows = 0
    /// The block whose rows are being read, and its rows so far.
    private var current: Int?
    private var group: [JSONFields] = []
    /// Blocks short of their `transaction_count` whose rows ended, waiting for the rest.
    private var parked: [Int: [JSONFields]] = [:]
    private var parkedRows = 0
    /// Where each rebuilt block's last row was (line 0: not rebuilt yet).
    private var endLine: [Int]
    private var endFile: [String]

    init(plan: ETLExport.Plan, parkLimit: Int) {
        self.plan = plan
        self.parkLimit = parkLimit
        endLine = Array(repeating: 0, count: plan.heads.count)
        endFile = Array(repeating: "", count: plan.heads.count)
    }

    /// The next transactions row, in export order; `emit` gets each block rebuilt.
    mutating func add(_ row: JSONFields, emit: (ETLExport.Block) throws(BlockJSONError) -> Void) throws(BlockJSONError) {
        let i = try plan.blockIndex(of: row)
        if i != current {
            let previous = current
            try close(emit: emit)
            if parkedRows > parkLimit { throw tooManyWaiting(at: row, latest: previous) }
            try open(i, at: row)
        }
        group.append(row)
        peakBufferedRows = max(peakBufferedRows, group.count + parkedRows)
    }

    /// After the last row: the current block, then every block not rebuilt (in the order of the
    /// blocks tables; each fails for its missing rows).
    mutating func finish(emit: (ETLExport.Block) throws(BlockJSONError) -> Void) throws(BlockJSONError) {
        try close(emit: emit)
        for i in plan.heads.indices where endLine[i] == 0 {
            let rows = parked.removeValue(forKey: i) ?? []
            parkedRows -= rows.count
            try rebuild(i, rows, emit: emit)
        }
    }

    /// Starts block `i`'s rows (with any that waited).
    private mutating func open(_ i: Int, at row: JSONFields) throws(BlockJSONError) {
        guard endLine[i] == 0 else {
            let head = plan.heads[i]
            throw row.fail(
                "a transaction of block \(head.hash.hex) (number \(head.number)) after that block's transactions ended "
                    + "(line \(endLine[i]) of \(endFile[i])): the export must list each block's transactions together, "
                    + "as bitcoin-etl writes them")
        }
        current = i
        if let waiting = parked.removeValue(forKey: i) {
            group = waiting
            parkedRows -= waiting.count
        }
    }

    /// Ends the current block's rows: it waits when short of its `transaction_count`, else it is
    /// rebuilt.
    private mutating func close(emit: (ETLExport.Block) throws(BlockJSONError) -> Void) throws(BlockJSONError) {
        guard let c = current else { return }
        current = nil
        let rows = group
        group = []
        if let count = plan.heads[c].transactionCount, Int64(rows.count) < count {
            parked[c] = rows
            parkedRows += rows.count
            return
        }
        try rebuild(c, rows, emit: emit)
    }

    private mutating func rebuild(_ i: Int, _ rows: [JSONFields], emit: (ETLExport.Block) throws(BlockJSONError) -> Void) throws(BlockJSONError) {
        let block = try ETLExport.block(plan.heads[i], transactions: rows)
        endLine[i] = rows.last?.line ?? plan.heads[i].line
        endFile[i] = rows.last?.file ?? plan.heads[i].file
        blocks += 1
        try emit(block)
    }

    private func tooManyWaiting(at row: JSONFields, latest: Int?) -> BlockJSONError {
        let waiting = latest.flatMap { i in parked[i].map { (i, $0.count) } } ?? parked.first.map { ($0.key, $0.value.count) }
        let example = waiting.map { i, n in
            "; block \(plan.heads[i].hash.hex) has \(n) of its \(plan.heads[i].transactionCount ?? 0)"
        } ?? ""
        return row.fail(
            "too many transactions rows wait for the rest of their blocks (\(parkedRows), more than \(parkLimit)\(example)): "
                + "the export must list each block's transactions together, as bitcoin-etl writes them "
                + "(or those blocks' 'transaction_count' is wrong)")
    }
}
