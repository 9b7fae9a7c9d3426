import Tracer

/// Fiat figures for human output, next to the BTC amount: ` (7.71 USD)`, ` (no USD price for
/// 2011-01-03)`; empty strings without `--fiat`.
struct FiatText {
    /// The report's currency, nil without `--fiat`.
    let currency: FiatCurrency?

    init(_ converter: FiatConverter?) {
        currency = converter?.currency
    }

    /// An amount of one transaction at `time` (its block time text), valued `value`.
    func one(_ value: FiatValue?, time: String) -> String {
        guard let currency else { return "" }
        if let value { return " (\(value.description))" }
        return " (no \(currency.code) price for \(PriceDate(utcTime: time).map(\.description) ?? "an unknown date"))"
    }

    /// An aggregate: ` (12.34 USD)` or ` (no USD price for 1 of 3 parts (2011-01-03))`.
    func sum(_ value: FiatSum?) -> String {
        guard currency != nil, let value else { return "" }
        return " (\(value.description))"
    }

    /// A column cell for an aggregate: `12.34 USD` or `no price (1 of 3)`.
    func cell(_ value: FiatSum?) -> String {
        guard let currency, let value else { return "" }
        return value.amount.map { "\($0) \(currency.code)" } ?? "no price (\(value.missing) of \(value.parts))"
    }
}

extension FiatSeriesCitation {
    /// The lines naming the series, for the top of a human report.
    func printLines(indent: String = "") {
        for line in lines { print(indent + line) }
    }
}
