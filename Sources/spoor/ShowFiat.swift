import ArgumentParser
import ChainIndex
import Foundation
import Tracer

// `spoor show tx|address|cluster --fiat CUR [--price-series NAME]`: the fiat values of what the
// `show` commands print (docs/prices.md, docs/json.md). Without `--fiat` none of this runs, and the
// output is exactly what it is without fiat support.

extension PriceStoreError {
    /// True for errors in what the options name (currency, series), false for a damaged database.
    var isUsageError: Bool {
        if case .corruptRow = self { return false }
        return true
    }
}

/// A JSON object key given as text.
struct TextKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ text: String) { stringValue = text }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// An object encoded as it is, with `*_fiat` keys added to the same JSON object (each `null` when
/// there is no value): e.g. `outputs[]` of `show tx` with `value_fiat` next to `value`.
struct WithFiatKeys<Base: Encodable>: Encodable {
    let base: Base
    let keys: [String: FiatValue?]

    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: TextKey.self)
        for (key, value) in keys { try container.encode(value, forKey: TextKey(key)) }
    }
}

/// `show tx --fiat`: the fee and every input's and output's value at the UTC date of the
/// transaction's block time (an input is valued when it is spent, by this transaction).
struct TxFiat {
    /// The fee's value; nil for an unknown fee or a date without a price.
    let fee: FiatValue?
    /// One per input, in order; nil when the input's value is unknown or the date has no price.
    let inputs: [FiatValue?]
    /// One per output, in order; nil when the date has no price.
    let outputs: [FiatValue?]
    let citation: FiatSeriesCitation

    init(_ info: TransactionInfo, converter: FiatConverter) {
        var annotator = FiatAnnotator(converter)
        let date = PriceDate(utcTime: info.time)
        fee = info.fee.flatMap { annotator.value(satoshis: $0, on: date) }
        inputs = info.inputs.map { input in input.value.flatMap { annotator.value(satoshis: $0, on: date) } }
        outputs = info.outputs.map { annotator.value(satoshis: $0.value, on: date) }
        citation = annotator.citation
    }

    /// The keys `show tx --json` adds (`fee_fiat`, `fiat_series`) and replaces (`inputs`,
    /// `outputs`: the same objects with `value_fiat`).
    func jsonKeys(_ info: TransactionInfo) -> [String: (any Encodable)?] {
        [
            "fee_fiat": fee, "fiat_series": citation,
            "inputs": zip(info.inputs, inputs).map { WithFiatKeys(base: $0, keys: ["value_fiat": $1]) },
            "outputs": zip(info.outputs, outputs).map { WithFiatKeys(base: $0, keys: ["value_fiat": $1]) },
        ]
    }
}

/// `show address --fiat`: each output received at the date of its block, each spent output at the
/// date of the block spending it, each explorer spend at the date of its spending block; the
/// received and sent totals as sums of those parts. The balance has no fiat value: received and
/// sent are valued at different dates, so their difference is no price of anything.
struct AddressFiat {
    /// The fiat values of one output paying the address.
    struct Movement {
        /// At the date of the block holding the output.
        let value: FiatValue?
        /// At the date of the block spending it; nil while unspent or without a price.
        let spentValue: FiatValue?
        /// The spending block's time (`YYYY-MM-DDTHH:MM:SSZ`), nil while unspent.
        let spentTime: String?
    }

    let received: FiatSum
    let sent: FiatSum
    let outputs: [Movement]
    let explorerSpends: [FiatValue?]
    /// The explorer spends' total, as the human output prints it (not in JSON).
    let explorerSpent: FiatSum
    let citation: FiatSeriesCitation

    /// `spendTimes`: the block time of each spending transaction (``IndexStore/blockTimes(ofTransactions:)``).
    init(_ info: AddressInfo, converter: FiatConverter, spendTimes: [String: Int64]) {
        var annotator = FiatAnnotator(converter)
        var received = annotator.emptySum, sent = annotator.emptySum, explorerSpent = annotator.emptySum
        var outputs: [Movement] = []
        for m in info.outputs {
            let value = annotator.value(satoshis: m.value, time: m.time)
            received.add(satoshis: m.value, date: PriceDate(utcTime: m.time), value: value)
            guard let spentBy = m.spentBy else {
                outputs.append(Movement(value: value, spentValue: nil, spentTime: nil))
                continue
            }
            let time = spendTimes[Self.txid(of: spentBy)].map(IndexStore.utc)
            let date = time.flatMap { PriceDate(utcTime: $0) }
            let spentValue = annotator.value(satoshis: m.value, on: date)
            sent.add(satoshis: m.value, date: date, value: spentValue)
            outputs.append(Movement(value: value, spentValue: spentValue, spentTime: time))
        }
        explorerSpends = info.explorerSpends.map { e in
            let value = annotator.value(satoshis: e.value, time: e.time)
            explorerSpent.add(satoshis: e.value, date: PriceDate(utcTime: e.time), value: value)
            return value
        }
        self.received = received
        self.sent = sent
        self.outputs = outputs
        self.explorerSpent = explorerSpent
        citation = annotator.citation
    }

    /// The txid of a `txid:n` input reference.
    static func txid(of input: String) -> String { String(input.prefix { $0 != ":" }) }

    /// The spending transactions of `info`'s outputs, for ``IndexStore/blockTimes(ofTransactions:)``.
    static func spendingTransactions(_ info: AddressInfo) -> Set<String> {
        Set(info.outputs.compactMap { $0.spentBy.map(txid(of:)) })
    }

    /// The keys `show address --json` adds (`received_fiat`, `sent_fiat`, `fiat_series`) and
    /// replaces (`outputs` with `value_fiat` and `spent_value_fiat`, `explorer_spends` with `value_fiat`).
    func jsonKeys(_ info: AddressInfo) -> [String: (any Encodable)?] {
        [
            "received_fiat": received, "sent_fiat": sent, "fiat_series": citation,
            "outputs": zip(info.outputs, outputs).map {
                WithFiatKeys(base: $0, keys: ["value_fiat": $1.value, "spent_value_fiat": $1.spentValue])
            },
            "explorer_spends": zip(info.explorerSpends, explorerSpends).map { WithFiatKeys(base: $0, keys: ["value_fiat": $1]) },
        ]
    }

    /// The text after ` spent by TXID:N` in human output: ` (6100.00 USD on 2024-01-02)` or
    /// ` (no USD price for 2024-01-02)`; empty without `--fiat`.
    static func spentText(_ movement: Movement?, _ fiat: FiatText) -> String {
        guard let movement, fiat.currency != nil else { return "" }
        if let value = movement.spentValue { return " (\(value.description) on \(value.date))" }
        return fiat.one(nil, time: movement.spentTime ?? "")
    }
}

/// `show cluster --fiat`: the cluster's totals as sums (``ClusterFiatTotals``) and the citation.
struct ClusterFiat {
    let totals: ClusterFiatTotals
    let citation: FiatSeriesCitation

    init(cluster: Int64, layer: ClusterLayer, queries: ClusterQueries, converter: FiatConverter) throws {
        var annotator = FiatAnnotator(converter)
        totals = try queries.fiatTotals(cluster: cluster, layer: layer, annotator: &annotator)
        citation = annotator.citation
    }

    /// The keys `show cluster --json` adds: `total_received_fiat`, `total_sent_fiat`, `fiat_series`.
    var jsonKeys: [String: (any Encodable)?] {
        ["total_received_fiat": totals.received, "total_sent_fiat": totals.sent, "fiat_series": citation]
    }
}

/// The `--fiat` sentence of the `show` commands' help.
let showFiatDiscussion = """
    With --fiat CUR [--price-series NAME], amounts gain their value in that currency at the price of the UTC date of the \
    block concerned (docs/prices.md); a date the series has no price for is shown as missing, never as 0.
    """
