/// Values the amounts of a report with one ``FiatConverter`` and remembers the dates it found no
/// price for, so that the report can cite the series and name the gaps (``citation``).
///
/// An amount tied to one transaction is valued at the UTC date of that transaction's block time;
/// an aggregate is a ``FiatSum`` of its parts, each at its own date.
public struct FiatAnnotator: Sendable {
    public let converter: FiatConverter
    /// Dates asked for that the series has no price for.
    public private(set) var datesWithoutPrice: Set<PriceDate> = []

    public init(_ converter: FiatConverter) {
        self.converter = converter
    }

    /// `satoshis` at the price of `date`; nil (and the date noted) when the series has none, nil
    /// when `date` is nil (unknown).
    public mutating func value(satoshis: Int64, on date: PriceDate?) -> FiatValue? {
        guard let date else { return nil }
        guard let value = converter.value(satoshis: satoshis, on: date) else {
            datesWithoutPrice.insert(date)
            return nil
        }
        return value
    }

    /// `satoshis` at the UTC date of a result's `time` text (`2024-01-02T03:04:05Z`).
    public mutating func value(satoshis: Int64, time: String) -> FiatValue? {
        value(satoshis: satoshis, on: PriceDate(utcTime: time))
    }

    /// An empty sum in the converter's currency and series.
    public var emptySum: FiatSum { FiatSum(currency: converter.currency, series: converter.series.name) }

    /// Adds `satoshis` valued at the UTC date of `time` to `sum`.
    public mutating func add(satoshis: Int64, time: String, to sum: inout FiatSum) {
        let date = PriceDate(utcTime: time)
        sum.add(satoshis: satoshis, date: date, value: value(satoshis: satoshis, on: date))
    }

    /// The sum of `parts` (satoshis and `time` text), each valued at its own date.
    public mutating func sum(_ parts: [(satoshis: Int64, time: String)]) -> FiatSum {
        var total = emptySum
        for part in parts { add(satoshis: part.satoshis, time: part.time, to: &total) }
        return total
    }

    /// The report's `fiat_series` object: the series and the dates it lacked.
    public var citation: FiatSeriesCitation { FiatSeriesCitation(converter, datesWithoutPrice: datesWithoutPrice) }
}
