import ChainIndex

/// Values bitcoin amounts in one fiat currency from one price series, at transaction time.
///
/// "At transaction time" means the price of the UTC calendar date of the block time of the block
/// holding the transaction (`PriceDate(unixTime:)`). A date the series has no price for gives nil,
/// never a neighbouring day's price: show it as "no price". The series' prices in the currency are
/// read once when the converter is made; conversions do not touch the database.
public struct FiatConverter: Sendable, CustomStringConvertible {
    /// The series, as reports cite it.
    public let series: PriceSeriesInfo
    public let currency: FiatCurrency
    private let prices: [PriceDate: DailyPrice]

    /// A converter for `currency` from the series named `series`, or, when `series` is nil, from the
    /// only series holding that currency.
    /// - Throws: ``PriceStoreError`` when the currency code is malformed, the series does not exist or
    ///   lacks the currency, no series holds it, or several do and none is named; or a database error.
    public init(store: IndexStore, series: String?, currency: String) throws {
        try self.init(prices: PriceStore(index: store), series: series, currency: currency)
    }

    /// As ``init(store:series:currency:)`` from an open ``PriceStore``.
    public init(prices store: PriceStore, series: String?, currency: String) throws {
        guard let fiat = FiatCurrency(code: currency) else { throw PriceStoreError.badCurrency(currency) }
        let info = try store.series(named: series, holding: fiat)
        self.series = info
        self.currency = fiat
        prices = try store.prices(series: info.name, currency: fiat)
    }

    /// The price used for a transaction in a block with time `unixTime`, nil when the series has
    /// none for that UTC date.
    public func price(at unixTime: Int64) -> DailyPrice? { prices[PriceDate(unixTime: unixTime)] }

    /// The price of `date`, nil when the series has none.
    public func price(on date: PriceDate) -> DailyPrice? { prices[date] }

    /// `satoshis` valued at the price of the UTC date of `unixTime` (a block time), rounded half to
    /// even to the currency's minor unit; nil when the series has no price for that date.
    public func value(satoshis: Int64, at unixTime: Int64) -> FiatValue? {
        price(at: unixTime)?.value(satoshis: satoshis)
    }

    /// `satoshis` valued at the price of `date`; nil when the series has none.
    public func value(satoshis: Int64, on date: PriceDate) -> FiatValue? {
        price(on: date)?.value(satoshis: satoshis)
    }

    /// Text to print beside an amount: `1234.56 USD`, or `no USD price for 2024-03-01` when the
    /// date has no price.
    public func annotation(satoshis: Int64, at unixTime: Int64) -> String {
        value(satoshis: satoshis, at: unixTime)?.description ?? "no \(currency.code) price for \(PriceDate(unixTime: unixTime))"
    }

    /// The series citation for a report, restricted to this currency, with the rule used:
    /// `USD values: price series 'NAME': USD 2024-01-01..2024-02-29 (60 days); imported from FILE (sha256 HEX, ...);
    /// price of the block's UTC date, rounded half to even to 0.01 USD`.
    public var description: String {
        let unit = currency.minorUnitDigits == 0 ? "1" : "0." + String(repeating: "0", count: currency.minorUnitDigits - 1) + "1"
        return "\(currency.code) values: \(series.citation(currencies: series.coverage(currency).map { [$0] } ?? [])); "
            + "price of the block's UTC date, rounded half to even to \(unit) \(currency.code)"
    }
}
