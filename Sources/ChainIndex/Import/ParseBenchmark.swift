import Foundation

/// Figures of a parse-only pass (no store): what `spoor bench parse` prints.
public struct ParseBenchmarkResult: Codable, Sendable {
    public var files: Int
    public var bytes: Int
    public var blocks: Int
    public var transactions: Int
    public var merkleFailures: Int
    public var seconds: Double
    public var transactionsPerSecond: Double
    public var megabytesPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case files, bytes, blocks, transactions, seconds
        case merkleFailures = "merkle_failures", transactionsPerSecond = "tx_per_s", megabytesPerSecond = "mb_per_s"
    }
}

/// Parses every record of block files on the calling thread (one core): txids and the merkle
/// check, nothing stored (as the import does; `withWtxids` adds the wtxid of every witness
/// transaction). The throughput floor of any import.
public enum ParseBenchmark {
    public static func run(paths: [String], xorKey: [UInt8]? = nil, withWtxids: Bool = false) throws -> ParseBenchmarkResult {
        let set = try BlockFileSet.open(paths: paths, xorKey: xorKey)
        var network: Network?
        var skipped = [SkippedRegion]()
        var records = [(BlockFile, BlockRecord)]()
        let start = Date()
        for (i, file) in set.files.enumerated() {
            for r in try BlockFileScanner.scan(file, fileIndex: i, network: &network, resync: false, skipped: &skipped) {
                records.append((file, r))
            }
        }
        var txs = 0, failures = 0
        for (file, record) in records {
            let block = try file.withBlockBytes(record) { try BlockParser.parse($0, computeWtxids: withWtxids) }
            txs += block.transactions.count
            if !block.merkleMatches { failures += 1 }
        }
        let seconds = Date().timeIntervalSince(start)
        let bytes = set.files.reduce(0) { $0 + $1.size }
        return ParseBenchmarkResult(files: set.files.count, bytes: bytes, blocks: records.count, transactions: txs,
                                    merkleFailures: failures, seconds: seconds,
                                    transactionsPerSecond: Double(txs) / max(seconds, 1e-9),
                                    megabytesPerSecond: Double(bytes) / 1e6 / max(seconds, 1e-9))
    }
}
