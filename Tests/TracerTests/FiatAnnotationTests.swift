import ChainIndex
import Foundation
import Testing

@testable import Tracer

/// Fiat values on trace results, and exact sums, against a hand-made series whose every figure is
/// computed by hand: USD 10000.00 on 2024-01-01 (1 sat = 0.0001 USD), 20000.00 on 2024-01-02
/// (1 sat = 0.0002 USD), no price on 2024-01-03.
struct FiatAnnotationTests {
    static let series = "date,currency,price\n2024-01-01,USD,10000.00\n2024-01-02,USD,20000.00\n"

    /// A converter over the hand-made series, in an empty index removed when `body` returns.
    static func withConverter(_ body: (FiatConverter) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-fiat-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try PriceStore(index: IndexStore(dataDirectory: dir, create: true))
        _ = try store.importCSV(Array(series.utf8), path: "hand.csv", series: "hand")
        try body(FiatConverter(prices: store, series: "hand", currency: "USD"))
    }

    static func price(_ date: String, _ text: String) throws -> DailyPrice {
        DailyPrice(series: "hand", currency: try #require(FiatCurrency(code: "USD")), date: try #require(PriceDate(date)),
                   price: try FiatPrice.parse(text), importID: 1, sourceFile: "hand.csv", sourceSHA256: "00")
    }

    @Test func sumsAreExactSumsOfRoundedParts() throws {
        let day1 = try Self.price("2024-01-01", "10000.00")
        let usd = try #require(FiatCurrency(code: "USD"))
        var sum = FiatSum(currency: usd, series: "hand")
        #expect(sum.amount == "0.00" && sum.parts == 0)
        // 250 sat = 0.025 USD: half to even gives 0.02; 150 sat = 0.015 gives 0.02; 51 sat gives 0.01.
        #expect(day1.value(satoshis: 250).text == "0.02" && day1.value(satoshis: 150).text == "0.02")
        sum.add(day1.value(satoshis: 250))
        sum.add(day1.value(satoshis: 250))
        // The sum of the two rounded values, not 500 sat re-converted (0.05).
        #expect(sum.amount == "0.04" && sum.satoshis == 500 && sum.parts == 2 && sum.isComplete)
        #expect(sum.description == "0.04 USD")
        // A part on a day without a price: the sum has no amount and says so.
        sum.add(satoshis: 1_000, date: PriceDate("2024-01-03"), value: nil)
        #expect(sum.amount == nil && sum.missing == 1 && sum.missingDates == [PriceDate("2024-01-03")])
        #expect(sum.pricedText == "0.04" && sum.satoshis == 1_500)
        #expect(sum.description == "no USD price for 1 of 3 parts (2024-01-03)")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(sum)) as? [String: Any]
        #expect(json?["amount"] is NSNull && json?["missing"] as? Int == 1 && json?["missing_dates"] as? [String] == ["2024-01-03"])
        #expect(json?["first_date"] as? String == "2024-01-01" && json?["last_date"] as? String == "2024-01-03")
    }

    @Test func dateOfAResultTime() {
        #expect(PriceDate(utcTime: "2024-01-02T23:59:59Z") == PriceDate("2024-01-02"))
        #expect(PriceDate(utcTime: "2024-01-02") == PriceDate("2024-01-02"))
        #expect(PriceDate(utcTime: "") == nil && PriceDate(utcTime: "2024-01-02 10:00") == nil)
    }

    /// A forward trace by hand: subject output `s:0` (1 000 250 sat on 2024-01-01) pays 125 sat to
    /// an abuse seller on 2024-01-02 (`t1:0`, cluster 2), 375 sat to an exchange on 2024-01-01
    /// (`t2:0`, cluster 4); the seller's output moves 600 000 sat on on 2024-01-03 (`t3:0`, cluster 3).
    static func handTrace() -> TraceResult {
        let seller = FlowEndpoint(categories: ["abuse_seller"], labels: ["seller"])
        let exchange = FlowEndpoint(categories: ["exchange"], labels: ["exchange"])
        func node(_ o: String, _ cluster: Int64, _ value: Int64, _ amount: Int64, _ hop: Int, _ time: String,
                  _ e: FlowEndpoint?) -> TraceNode {
            TraceNode(outpoint: o, address: nil, cluster: cluster, value: value, amount: amount, hop: hop, height: hop, time: time,
                      stop: e == nil ? nil : .attributed, endpoint: e, coinJoin: nil)
        }
        let nodes = [
            node("s:0", 1, 1_000_250, 1_000_250, 0, "2024-01-01T10:00:00Z", nil),
            node("t1:0", 2, 125, 125, 1, "2024-01-02T05:00:00Z", seller),
            node("t2:0", 4, 1_000, 375, 1, "2024-01-01T23:59:59Z", exchange),
            node("t3:0", 3, 600_000, 600_000, 2, "2024-01-03T00:00:00Z", seller),
        ]
        let edges = [
            TraceEdge(from: "s:0", to: "t1:0", txid: "t1", amount: 125, hop: 1, time: "2024-01-02T05:00:00Z"),
            TraceEdge(from: "s:0", to: "t2:0", txid: "t2", amount: 375, hop: 1, time: "2024-01-01T23:59:59Z"),
            TraceEdge(from: "t1:0", to: "t3:0", txid: "t3", amount: 600_000, hop: 2, time: "2024-01-03T00:00:00Z"),
        ]
        let wallet = [
            WalletEdge(from: 1, to: 2, amount: 125, txids: ["t1"]), WalletEdge(from: 1, to: 4, amount: 375, txids: ["t2"]),
            WalletEdge(from: 2, to: 3, amount: 600_000, txids: ["t3"]),
        ]
        let steps = [
            PathStep(outpoint: "s:0", address: nil, height: 0, time: "2024-01-01T10:00:00Z", amount: 1_000_250),
            PathStep(outpoint: "t1:0", address: nil, height: 1, time: "2024-01-02T05:00:00Z", amount: 125),
        ]
        let path = TracePath(cluster: 2, categories: ["abuse_seller"], labels: ["seller"], hops: 1, amount: 125, steps: steps)
        return TraceResult(
            subject: "output s:0", parameters: TraceParameters(), tipHeight: 3, tipHash: "ab", startAmount: 1_000_250, nodes: nodes,
            edges: edges, walletEdges: wallet, paths: [path], reachedByCategory: ["abuse_seller": 600_125, "exchange": 375], fees: 500,
            truncated: false, transactionsVisited: 3,
            feeTransactions: [
                TraceFee(txid: "t1", time: "2024-01-02T05:00:00Z", amount: 250),
                TraceFee(txid: "t2", time: "2024-01-01T23:59:59Z", amount: 250),
            ])
    }

    @Test func traceAnnotation() throws {
        try Self.withConverter { usd in
            let r = Self.handTrace().annotated(with: usd)
            // Satoshis untouched.
            #expect(r.nodes.map(\.amount) == Self.handTrace().nodes.map(\.amount) && r.fees == 500)
            // 1 000 250 sat × 0.0001 = 100.025 → 100.02 (half to even); 125 × 0.0002 = 0.025 → 0.02;
            // 375 × 0.0001 = 0.0375 → 0.04; 1 000 × 0.0001 = 0.10; 2024-01-03: no price.
            #expect(r.nodes.map { $0.amountFiat?.text } == ["100.02", "0.02", "0.04", nil])
            #expect(r.nodes.map { $0.valueFiat?.text } == ["100.02", "0.02", "0.10", nil])
            #expect(r.nodes[1].amountFiat?.date == PriceDate("2024-01-02") && r.nodes[1].amountFiat?.price.e8 == 2_000_000_000_000)
            #expect(r.edges.map { $0.amountFiat?.text } == ["0.02", "0.04", nil])
            #expect(r.walletEdges.map { $0.amountFiat?.amount } == ["0.02", "0.04", nil])
            #expect(r.walletEdges[2].amountFiat?.missing == 1)
            #expect(r.paths[0].amountFiat?.text == "0.02" && r.paths[0].steps.map { $0.amountFiat?.text } == ["100.02", "0.02"])
            #expect(r.startAmountFiat?.amount == "100.02")
            // Aggregates: the exchange's part is priced; the seller's 2024-01-03 part is not, so the
            // category has no amount (never 0.02 from the priced part alone).
            #expect(r.reachedByCategoryFiat?["exchange"]?.amount == "0.04")
            let seller = try #require(r.reachedByCategoryFiat?["abuse_seller"])
            #expect(seller.amount == nil && seller.missing == 1 && seller.parts == 2 && seller.pricedText == "0.02")
            // Fees: 250 sat on each day: 0.025 → 0.02 and 0.05.
            #expect(r.feesFiat?.amount == "0.07" && r.feesFiat?.parts == 2)
            #expect(r.fiatSeries?.name == "hand" && r.fiatSeries?.datesWithoutPrice.map(\.description) == ["2024-01-03"])
            #expect(r.fiatSeries?.sources.first?.file == "hand.csv" && r.fiatSeries?.days == 2)
        }
    }

    @Test func keysArePresentAsNullWithoutFiat() throws {
        let data = try JSONEncoder().encode(Self.handTrace())
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["fiat_series", "start_amount_fiat", "reached_by_category_fiat", "fees_fiat"] { #expect(json[key] is NSNull, "\(key)") }
        let node = try #require((json["nodes"] as? [[String: Any]])?.first)
        #expect(node["amount_fiat"] is NSNull && node["value_fiat"] is NSNull)
        #expect(json["fee_transactions"] == nil)
        // Fiat values are derived: decoding drops them, the satoshis round-trip.
        try Self.withConverter { usd in
            let annotated = Self.handTrace().annotated(with: usd)
            let decoded = try JSONDecoder().decode(TraceResult.self, from: JSONEncoder().encode(annotated))
            #expect(decoded.nodes.map(\.amount) == annotated.nodes.map(\.amount) && decoded.nodes[0].amountFiat == nil)
        }
    }

    @Test func exposureFromHandTraces() throws {
        try Self.withConverter { usd in
            let forward = Self.handTrace()
            let report = ExposureReport(backward: forward, forward: forward, fiat: usd)
            let sent = try #require(report.sent.first { $0.category == "abuse_seller" })
            #expect(sent.direct == 125 && sent.directFiat?.amount == "0.02")
            #expect(sent.indirect == 600_000 && sent.indirectFiat?.amount == nil && sent.indirectFiat?.missing == 1)
            #expect(report.totalReceivedFiat?.amount == "100.02")
            let exchange = try #require(report.counterparties.first { $0.cluster == 4 && $0.direction == "sent" })
            #expect(exchange.amountFiat?.amount == "0.04")
            #expect(report.fiatSeries?.datesWithoutPrice.map(\.description) == ["2024-01-03"])
            #expect(ExposureReport(backward: forward, forward: forward).sent.first?.directFiat == nil)
        }
    }
}
