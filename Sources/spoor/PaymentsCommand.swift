import ArgumentParser
import ChainIndex
import Foundation
import Tracer

/// `spoor payments SELLER`: who paid a seller's cluster, when, how much, and where the payer's
/// funds came from one hop back (`docs/tracing.md`).
struct PaymentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments",
        abstract: "Every payment into a seller's cluster: payer, txid, height, time, amount, source one hop back; totals.",
        discussion: """
            SELLER is an address or a cluster id. Several are taken together as one seller (payments between \
            their clusters are the seller's own transfers). Needs `spoor cluster` first.
            """)
    @OptionGroup var options: DataOptions
    @OptionGroup var layerOption: LayerOption
    @Argument(help: "The seller: one or more addresses or cluster ids.") var sellers: [String]
    @Option(help: "Payments to list with their sources (totals always cover every payment).") var limit: Int?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print one CSV row per payment.") var csv = false
    @OptionGroup var prices: PriceOptions

    func run() throws {
        let layer = try layerOption.value()
        guard !(json && csv) else { throw fail("choose one of --json and --csv", code: 2) }
        if let limit, limit < 0 { throw fail("--limit must be 0 or more", code: 2) }
        let report: SellerPaymentsReport
        let converter: FiatConverter?
        do {
            let store = try IndexStore(dataDirectory: options.data, create: false)
            converter = try prices.converter(index: store)
            report = try SellerPayments(store: store).run(sellers, layer: layer, limit: limit, fiat: converter)
        } catch let exit as ExitCode { throw exit } catch { throw fail("\(error)") }
        if json { try printJSON(report); return }
        if csv {
            print(PaymentsCSV.render(report), terminator: "")
            for line in report.fiatSeries?.lines ?? [] { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            return
        }
        printHuman(report, FiatText(converter))
    }

    private func printHuman(_ r: SellerPaymentsReport, _ fiat: FiatText) {
        for c in r.sellerClusters {
            print("seller cluster \(c.id) (\(r.layer) layer): \(c.size) address(es)")
            printPaymentTags(c)
        }
        for w in r.warnings { print("WARNING: \(w)") }
        r.fiatSeries?.printLines()
        print("\(r.paymentCount) payment(s), \(btc(r.totalReceived)) BTC (\(r.totalReceived) sat)\(fiat.sum(r.totalReceivedFiat))"
              + (r.firstPayment.map { "; first \($0.time) (height \(height($0.height))), last \(r.lastPayment?.time ?? "-")" } ?? ""))
        print("excluded: \(r.excludedInternal.transactions) transaction(s) between the seller's own addresses, "
              + "\(btc(r.excludedInternal.amount)) BTC\(fiat.sum(r.excludedInternal.amountFiat))")
        if !r.payments.isEmpty {
            print("payments\(r.paymentsTruncated ? " (first \(r.payments.count))" : ""):")
        }
        for p in r.payments {
            var flags: [String] = []
            if let cj = p.coinjoin { flags.append("CoinJoin \(cj.detector)") }
            if p.sellerCoSpend {
                let own = btc(p.sellerInputValue) + fiat.one(p.sellerInputValueFiat, time: p.time)
                flags.append("SELLER CO-SPENDS (PayJoin?) own inputs \(own)")
            }
            if p.unresolvedInputs > 0 {
                let named = p.explorerPrevoutInputs > 0 ? " (\(p.explorerPrevoutInputs) named by explorer prevouts)" : ""
                flags.append("\(p.unresolvedInputs) input(s) not in the index\(named)")
            }
            print("  \(p.time) h\(height(p.height)) \(p.txid):\(p.vouts.map(String.init).joined(separator: ",")) "
                  + "\(btc(p.amount)) BTC\(fiat.one(p.amountFiat, time: p.time)) from \(p.payer)"
                  + (flags.isEmpty ? "" : " [\(flags.joined(separator: "; "))]"))
            for s in p.sources ?? [] {
                print("      input \(s.input) \(s.value.map { btc($0) + fiat.one(s.valueFiat, time: p.time) } ?? "?") <- \(s.description)"
                      + (s.fundingTxid.map { " (tx \($0), h\(height(s.fundingHeight)))" } ?? ""))
            }
        }
        if !r.byPayer.isEmpty {
            print("per payer:")
            for t in r.byPayer {
                print("  \(btc(t.amount)) BTC\(fiat.sum(t.amountFiat)) in \(t.payments) payment(s), \(t.firstPayment.time) to "
                      + "\(t.lastPayment.time): \(t.payer)")
            }
        }
        if !r.byMonth.isEmpty {
            print("per month (UTC):")
            for m in r.byMonth {
                print("  \(m.month)  \(btc(m.amount)) BTC\(fiat.sum(m.amountFiat)) in \(m.payments) payment(s) from \(m.payers) payer(s)")
            }
        }
        print("clustering parameters: \(r.clusterParameters)")
    }

    private func printPaymentTags(_ c: PaymentCluster) {
        if c.tags.isEmpty { print("  tags: none"); return }
        print("  tags:")
        for t in c.tags {
            print("    [\(t.category)] \(t.label); source \(t.source)\(t.isPrivate ? " (private)" : ""), "
                  + "confidence \(t.confidence) (tag \(t.id))")
        }
        for x in c.tagConflicts { print("  CONFLICT (\(x.rule)): \(x.first) vs \(x.second)") }
    }

    private func height(_ h: Int?) -> String { h.map(String.init) ?? "?" }
}

/// `spoor payments --csv`: one row per listed payment, with a header row; with `--fiat` five more
/// columns: the currency, the amount's value (empty when the series has no price that day), the
/// date and price used, and the series.
enum PaymentsCSV {
    static let header = "txid,vouts,height,time,amount_sat,amount_btc,payer_key,payer,coinjoin,seller_co_spend,"
        + "seller_input_value,unresolved_inputs,sources"
    static let fiatHeader = "fiat_currency,amount_fiat,fiat_date,fiat_price,fiat_series"

    static func render(_ r: SellerPaymentsReport) -> String {
        let series = r.fiatSeries
        var out = header + (series == nil ? "" : "," + fiatHeader) + "\n"
        for p in r.payments {
            let sources = (p.sources ?? []).map { s in
                "input \(s.input): \(s.description)" + (s.fundingTxid.map { " (tx \($0))" } ?? "")
            }.joined(separator: " | ")
            let fields: [String] = [
                p.txid, p.vouts.map(String.init).joined(separator: " "), p.height.map(String.init) ?? "", p.time, String(p.amount),
                btc(p.amount), p.payerKey, p.payer, p.coinjoin?.detector ?? "", String(p.sellerCoSpend), String(p.sellerInputValue),
                String(p.unresolvedInputs), sources,
            ] + (series.map { s in
                let v = p.amountFiat
                return [s.currency.code, v?.text ?? "", PriceDate(utcTime: p.time)?.description ?? "",
                        v.map { $0.price.text(minimumFractionDigits: $0.currency.minorUnitDigits) } ?? "", s.name]
            } ?? [])
            out += fields.map(field).joined(separator: ",") + "\n"
        }
        return out
    }

    /// RFC 4180 quoting where needed.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
