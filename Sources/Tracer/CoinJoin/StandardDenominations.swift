/// The standard output denominations of Wasabi Wallet 2.x (WabiSabi) CoinJoins.
///
/// WalletWasabi's `BlockchainAnalyzer.StdDenoms`: powers of 2, powers of 3, twice the powers of 3,
/// and 1, 2 and 5 times the powers of 10, from 5,000 sat (the smallest allowed output) up to
/// 137,438,953,472 sat (2^37). WalletWasabi: `WalletWasabi/Blockchain/Analysis/BlockchainAnalyzer.cs`,
/// `WalletWasabi/WabiSabi/Client/CoinJoin/Client/Decomposer/DenominationBuilder.cs`.
enum StandardDenominations {
    static let minimum: Int64 = 5_000
    static let maximum: Int64 = 137_438_953_472

    /// All standard denominations, ascending.
    static let values: [Int64] = {
        var set = Set<Int64>()
        func addSeries(base: Int64, multipliers: [Int64]) {
            var power: Int64 = 1
            while power <= maximum {
                for m in multipliers {
                    let (v, overflow) = power.multipliedReportingOverflow(by: m)
                    if !overflow && v >= minimum && v <= maximum { set.insert(v) }
                }
                let (next, overflow) = power.multipliedReportingOverflow(by: base)
                if overflow { break }
                power = next
            }
        }
        addSeries(base: 2, multipliers: [1])
        addSeries(base: 3, multipliers: [1, 2])
        addSeries(base: 10, multipliers: [1, 2, 5])
        return set.sorted()
    }()

    /// True when `value` is a standard denomination.
    /// - Complexity: O(log n), no allocation.
    static func contains(_ value: Int64) -> Bool {
        guard value >= minimum && value <= maximum else { return false }
        var low = 0, high = values.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if values[mid] == value { return true }
            if values[mid] < value { low = mid + 1 } else { high = mid - 1 }
        }
        return false
    }
}
