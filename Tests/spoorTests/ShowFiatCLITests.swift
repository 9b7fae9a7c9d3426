import Foundation
import Testing

/// `--fiat` on `show tx`, `show address` and `show cluster`, on the sample chain with the synthetic
/// sample series (`samples/prices.csv`): values checked against satoshis × the CSV row's price
/// computed here (``FiatCLITests/expectedCents(satoshis:time:)``), days without a price reported as
/// missing, and the output without `--fiat` unchanged.
@Suite(.serialized)
struct ShowFiatCLITests {
    static let seller = PaymentsCLITests.seller
    /// The genesis coinbase of the sample chain: dated 2011-02-02, which the series does not hold.
    static let genesisCoinbase = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"

    // MARK: - Helpers

    /// Runs spoor, expecting exit status 0; its standard output.
    static func spoor(_ arguments: [String]) throws -> String {
        let result = try CLI.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    static func object(_ value: Any?) -> [String: Any]? { value as? [String: Any] }
    static func amount(_ value: Any?) -> String? { object(value)?["amount"] as? String }
    static func int64(_ value: Any?) -> Int64 { (value as? Int).map(Int64.init) ?? -1 }

    /// `0.00049496` (BTC with eight decimals) from satoshis.
    static func btc(_ sats: Int64) -> String { "\(sats / 100_000_000)." + String(format: "%08lld", sats % 100_000_000) }

    /// The block time of a transaction, from `show tx --json` without `--fiat`.
    static func time(ofTransaction txid: String, data: String) throws -> String {
        let tx = try CLI.json(try Self.spoor(["show", "tx", "--data", data, "--json", txid]))
        return try #require(tx["time"] as? String)
    }

    /// Decompresses a gzip file with the system's `gzip -dc`.
    static func gunzip(_ file: String, to destination: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", file]
        guard FileManager.default.createFile(atPath: destination, contents: nil),
              let output = FileHandle(forWritingAtPath: destination) else { throw GunzipError.cannotCreate(destination) }
        defer { try? output.close() }
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip -dc \(file)")
    }

    /// The txid of a `txid:n` reference.
    static func txid(_ reference: String) -> String { String(reference.prefix { $0 != ":" }) }

    /// A JSON value without the keys `--fiat` adds (`*_fiat`, `fiat_series`), at any depth.
    static func strippingFiat(_ value: Any) -> Any {
        if let dictionary = value as? [String: Any] {
            return dictionary.filter { !$0.key.hasSuffix("_fiat") && $0.key != "fiat_series" }.mapValues(strippingFiat)
        }
        if let array = value as? [Any] { return array.map(strippingFiat) }
        return value
    }

    /// Canonical text of a JSON value, for comparing two documents.
    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Human output without what `--fiat` adds: the series lines and every ` (… USD …)` note.
    static func strippingFiat(text: String) throws -> String {
        let note = try NSRegularExpression(
            pattern: #" \((?:-?[0-9]+\.[0-9]{2} USD(?: on [0-9]{4}-[0-9]{2}-[0-9]{2})?|no USD [^()]*(?:\([^()]*\))?)\)"#)
        return text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            if line.hasPrefix("  USD values: ") || line.hasPrefix("  no USD price in series ") { return nil }
            let s = String(line)
            return note.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "")
        }.joined(separator: "\n")
    }

    /// Checks that `arguments` print, with `--fiat USD`, the output without it plus fiat keys and
    /// notes only, and that the output without it has none (text and JSON).
    static func expectUnchangedWithoutFiat(_ arguments: [String]) throws {
        let plainJSON = try spoor(arguments + ["--json"])
        let fiatJSON = try spoor(arguments + ["--json", "--fiat", "USD"])
        #expect(!plainJSON.contains("_fiat") && !plainJSON.contains("fiat_series") && !plainJSON.contains("USD"))
        let plain = try JSONSerialization.jsonObject(with: Data(plainJSON.utf8))
        let stripped = strippingFiat(try JSONSerialization.jsonObject(with: Data(fiatJSON.utf8)))
        #expect(try canonical(plain) == canonical(stripped), "\(arguments)")

        let plainText = try spoor(arguments)
        let fiatText = try spoor(arguments + ["--fiat", "USD"])
        #expect(!plainText.contains("USD") && fiatText.contains("USD values: price series 'synthetic-usd-eur'"))
        #expect(try strippingFiat(text: fiatText) == plainText, "\(fiatText)")
    }

    // MARK: - show tx

    @Test func showTxValuesFeeInputsAndOutputsAtTheBlockDate() throws {
        let (data, payment, _) = try FiatCLITests.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        // A transaction of 2024-01-01 (30000.00 USD) and one of 2024-01-02 (30125.50 USD): the
        // seller's spend of the payment it received.
        let address = try CLI.json(try Self.spoor(["show", "address", "--data", data, "--json", Self.seller]))
        let spend = try #require((address["outputs"] as? [[String: Any]])?.compactMap { $0["spent_by"] as? String }.first)
        for txid in [payment.path[1], Self.txid(spend)] {
            let tx = try CLI.json(try Self.spoor(["show", "tx", "--data", data, "--json", "--fiat", "USD", txid]))
            let time = try #require(tx["time"] as? String)
            let fee = Self.int64(tx["fee"])
            let feeCents = try FiatCLITests.expectedCents(satoshis: fee, time: time)
            #expect(fee > 0 && Self.amount(tx["fee_fiat"]) == FiatCLITests.text(feeCents))
            #expect(Self.object(tx["fee_fiat"])?["date"] as? String == String(time.prefix(10)))
            let inputs = try #require(tx["inputs"] as? [[String: Any]])
            let outputs = try #require(tx["outputs"] as? [[String: Any]])
            #expect(!inputs.isEmpty && !outputs.isEmpty)
            for part in inputs + outputs {
                let cents = try FiatCLITests.expectedCents(satoshis: Self.int64(part["value"]), time: time)
                #expect(Self.amount(part["value_fiat"]) == FiatCLITests.text(cents), "\(part)")
            }
            let series = try #require(Self.object(tx["fiat_series"]))
            #expect(series["name"] as? String == "synthetic-usd-eur" && series["dates_without_price"] as? [String] == [])

            let text = try Self.spoor(["show", "tx", "--data", data, "--fiat", "USD", txid])
            #expect(text.contains("fee \(fee) sat (\(FiatCLITests.text(feeCents)) USD)"), "\(text)")
            let first = try #require(outputs.first)
            let firstCents = try FiatCLITests.expectedCents(satoshis: Self.int64(first["value"]), time: time)
            #expect(text.contains("#0 \(Self.btc(Self.int64(first["value"]))) (\(FiatCLITests.text(firstCents)) USD)"))
            try Self.expectUnchangedWithoutFiat(["show", "tx", "--data", data, txid])
        }

        // The genesis block's day (2011-02-02) has no price: missing, never 0.
        let genesis = try CLI.json(try Self.spoor(["show", "tx", "--data", data, "--json", "--fiat", "USD", Self.genesisCoinbase]))
        #expect((genesis["outputs"] as? [[String: Any]])?.first?["value_fiat"] is NSNull)
        #expect(genesis["fee_fiat"] is NSNull)
        #expect(Self.object(genesis["fiat_series"])?["dates_without_price"] as? [String] == ["2011-02-02"])
        let genesisText = try Self.spoor(["show", "tx", "--data", data, "--fiat", "USD", Self.genesisCoinbase])
        #expect(genesisText.contains("50.00000000 (no USD price for 2011-02-02)"), "\(genesisText)")
        #expect(genesisText.contains("no USD price in series 'synthetic-usd-eur' for 1 date(s) of this report: 2011-02-02"))
        #expect(!genesisText.contains("0.00 USD"))
        try Self.expectUnchangedWithoutFiat(["show", "tx", "--data", data, Self.genesisCoinbase])

        // A series without 2024-01-02: the seller's spend has no value.
        try FiatCLITests.importGapSeries(data)
        let gap = try CLI.json(try Self.spoor(["show", "tx", "--data", data, "--json", "--fiat", "USD", "--price-series", "one-day",
                                        Self.txid(spend)]))
        #expect(gap["fee_fiat"] is NSNull && (gap["outputs"] as? [[String: Any]])?.allSatisfy { $0["value_fiat"] is NSNull } == true)
        #expect(Self.object(gap["fiat_series"])?["dates_without_price"] as? [String] == ["2024-01-02"])
    }

    // MARK: - show address

    @Test func showAddressValuesReceiptsAndSpendsAtTheirOwnDates() throws {
        let (data, _, _) = try FiatCLITests.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let info = try CLI.json(try Self.spoor(["show", "address", "--data", data, "--json", "--fiat", "USD", Self.seller]))
        let outputs = try #require(info["outputs"] as? [[String: Any]])
        var received: Int64 = 0, sent: Int64 = 0, spentOnAnotherDay = 0
        for o in outputs {
            let value = Self.int64(o["value"])
            let time = try #require(o["time"] as? String)
            let cents = try FiatCLITests.expectedCents(satoshis: value, time: time)
            #expect(Self.amount(o["value_fiat"]) == FiatCLITests.text(cents))
            received += cents
            guard let spentBy = o["spent_by"] as? String else {
                #expect(o["spent_value_fiat"] is NSNull)
                continue
            }
            let spendTime = try Self.time(ofTransaction: Self.txid(spentBy), data: data)
            let spentCents = try FiatCLITests.expectedCents(satoshis: value, time: spendTime)
            #expect(Self.amount(o["spent_value_fiat"]) == FiatCLITests.text(spentCents))
            #expect(Self.object(o["spent_value_fiat"])?["date"] as? String == String(spendTime.prefix(10)))
            sent += spentCents
            if spendTime.prefix(10) != time.prefix(10) { spentOnAnotherDay += 1 }
        }
        // The seller received the payment on 2024-01-01 and spent it on 2024-01-02.
        #expect(spentOnAnotherDay > 0 && received != sent)
        #expect(Self.amount(info["received_fiat"]) == FiatCLITests.text(received))
        #expect(Self.amount(info["sent_fiat"]) == FiatCLITests.text(sent))
        #expect(Self.object(info["received_fiat"])?["parts"] as? Int == outputs.count)
        #expect(Self.object(info["received_fiat"])?["satoshis"] as? Int == info["received"] as? Int)
        #expect(Self.object(info["sent_fiat"])?["satoshis"] as? Int == info["sent"] as? Int)
        #expect(info["balance_fiat"] == nil, "no fiat balance: received and sent are at different dates")
        #expect(Self.object(info["fiat_series"])?["name"] as? String == "synthetic-usd-eur")

        let text = try Self.spoor(["show", "address", "--data", data, "--fiat", "USD", Self.seller])
        #expect(text.contains("received \(Self.btc(Self.int64(info["received"]))) (\(FiatCLITests.text(received)) USD)"), "\(text)")
        #expect(text.contains("sent \(Self.btc(Self.int64(info["sent"]))) (\(FiatCLITests.text(sent)) USD)"))
        #expect(text.contains("(no USD value: received and sent are valued at different dates)"))
        #expect(text.contains(" USD on 2024-01-02)"))
        try Self.expectUnchangedWithoutFiat(["show", "address", "--data", data, Self.seller])

        // A series without 2024-01-02: the receipt is valued, the spend is missing and the sent
        // total says so instead of adding up the rest.
        try FiatCLITests.importGapSeries(data)
        let gap = try CLI.json(try Self.spoor(["show", "address", "--data", data, "--json", "--fiat", "USD", "--price-series", "one-day",
                                        Self.seller]))
        let gapOutputs = try #require(gap["outputs"] as? [[String: Any]])
        let late = gapOutputs.filter { Self.object($0["spent_value_fiat"]) == nil && $0["spent_by"] is String }
        #expect(!late.isEmpty)
        let gapSent = try #require(Self.object(gap["sent_fiat"]))
        #expect(gapSent["amount"] is NSNull && gapSent["missing"] as? Int == late.count)
        #expect(gapSent["missing_dates"] as? [String] == ["2024-01-02"])
        #expect(Self.object(gap["fiat_series"])?["dates_without_price"] as? [String] == ["2024-01-02"])
        let gapText = try Self.spoor(["show", "address", "--data", data, "--fiat", "USD", "--price-series", "one-day", Self.seller])
        let spent = gapOutputs.filter { $0["spent_by"] is String }.count
        #expect(gapText.contains("(no USD price for 2024-01-02)"), "\(gapText)")
        #expect(gapText.contains("(no USD price for \(late.count) of \(spent) part\(spent == 1 ? "" : "s") (2024-01-02))"))
    }

    /// Spends that only an explorer's prevouts show (`explorer_spends`): each valued at the date of
    /// its spending block. Real data: mainnet block 831802 (2024-02-24) as mempool.space serves it.
    @Test func showAddressValuesExplorerSpendsAtTheSpendingBlockDate() throws {
        let dir = CLI.temporaryDirectory("spoor-show-fiat")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let block = dir + "/block_831802.json"
        try Self.gunzip(CLI.fixture("real/esplora/ordpool_block_831802_txns.esplora.json.gz"), to: block)
        let data = dir + "/data"
        _ = try Self.spoor(["import", "--data", data, "--network", "main", block])
        // Prices written here: 2024-02-24 only, then a series without that day.
        let priced = dir + "/priced.csv", other = dir + "/other.csv"
        try "date,currency,price\n2024-02-24,USD,51234.56\n".write(toFile: priced, atomically: true, encoding: .utf8)
        try "date,currency,price\n2024-02-23,USD,50000.00\n".write(toFile: other, atomically: true, encoding: .utf8)
        _ = try Self.spoor(["price", "import", "--data", data, "--series", "priced", priced])
        _ = try Self.spoor(["price", "import", "--data", data, "--series", "other", other])

        // An input of the block whose funding transaction is not in the index: 2257472 sat.
        let address = "bc1q22zmh7lyz95kwe04n42dan3ky6pz65cw8qysf9"
        let info = try CLI.json(try Self.spoor(["show", "address", "--data", data, "--json", "--fiat", "USD", "--price-series", "priced",
                                                address]))
        let spend = try #require((info["explorer_spends"] as? [[String: Any]])?.first)
        let sats = Self.int64(spend["value"])
        // 2257472 × 51234.56 / 10^8 = 1156.6064… → 1156.61 (half to even on whole cents).
        let (q, r) = (sats * 5_123_456).quotientAndRemainder(dividingBy: 100_000_000)
        let cents = 2 * r > 100_000_000 || (2 * r == 100_000_000 && q % 2 == 1) ? q + 1 : q
        #expect(sats == 2_257_472 && (spend["time"] as? String)?.hasPrefix("2024-02-24") == true)
        #expect(Self.amount(spend["value_fiat"]) == FiatCLITests.text(cents) && cents == 115_661)
        let text = try Self.spoor(["show", "address", "--data", data, "--fiat", "USD", "--price-series", "priced", address])
        #expect(text.contains("0.02257472 (1156.61 USD) spent by"), "\(text)")

        let gap = try CLI.json(try Self.spoor(["show", "address", "--data", data, "--json", "--fiat", "USD", "--price-series", "other",
                                               address]))
        #expect((gap["explorer_spends"] as? [[String: Any]])?.first?["value_fiat"] is NSNull)
        #expect(Self.object(gap["fiat_series"])?["dates_without_price"] as? [String] == ["2024-02-24"])
        let gapText = try Self.spoor(["show", "address", "--data", data, "--fiat", "USD", "--price-series", "other", address])
        #expect(gapText.contains("0.02257472 (no USD price for 2024-02-24) spent by"), "\(gapText)")
        #expect(gapText.contains("1 input(s), 0.02257472 (no USD price for 1 of 1 part (2024-02-24))"))
    }

    // MARK: - show cluster

    @Test func showClusterTotalsAreSumsOfTheirParts() throws {
        let (data, _, _) = try FiatCLITests.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let cluster = try CLI.json(try Self.spoor(["show", "cluster", "--data", data, "--json", "--fiat", "USD", Self.seller]))
        let members = try #require(cluster["addresses"] as? [String])
        #expect(cluster["addresses_truncated"] as? Bool == false && members.count > 1)
        // Every member's outputs, from `show address` without --fiat: received at the block's
        // date, sent at the spending block's date.
        var received: Int64 = 0, sent: Int64 = 0, parts = 0, spentParts = 0, receivedLate = 0, spentLate = 0
        for member in members {
            let info = try CLI.json(try Self.spoor(["show", "address", "--data", data, "--json", member]))
            for o in info["outputs"] as? [[String: Any]] ?? [] {
                let value = Self.int64(o["value"])
                let time = try #require(o["time"] as? String)
                received += try FiatCLITests.expectedCents(satoshis: value, time: time)
                parts += 1
                if time.hasPrefix("2024-01-02") { receivedLate += 1 }
                guard let spentBy = o["spent_by"] as? String else { continue }
                let spendTime = try Self.time(ofTransaction: Self.txid(spentBy), data: data)
                sent += try FiatCLITests.expectedCents(satoshis: value, time: spendTime)
                spentParts += 1
                if spendTime.hasPrefix("2024-01-02") { spentLate += 1 }
            }
        }
        let totalReceived = try #require(Self.object(cluster["total_received_fiat"]))
        let totalSent = try #require(Self.object(cluster["total_sent_fiat"]))
        #expect(totalReceived["amount"] as? String == FiatCLITests.text(received) && totalReceived["parts"] as? Int == parts)
        #expect(totalReceived["satoshis"] as? Int == cluster["total_received"] as? Int && totalReceived["missing"] as? Int == 0)
        #expect(totalSent["amount"] as? String == FiatCLITests.text(sent) && totalSent["parts"] as? Int == spentParts)
        #expect(totalSent["satoshis"] as? Int == cluster["total_sent"] as? Int)
        #expect(spentLate > 0)

        let text = try Self.spoor(["show", "cluster", "--data", data, "--fiat", "USD", Self.seller])
        #expect(text.contains("received \(Self.btc(Self.int64(cluster["total_received"]))) (\(FiatCLITests.text(received)) USD)"),
                "\(text)")
        #expect(text.contains("sent \(Self.btc(Self.int64(cluster["total_sent"]))) (\(FiatCLITests.text(sent)) USD)"))
        try Self.expectUnchangedWithoutFiat(["show", "cluster", "--data", data, Self.seller])

        // A series without 2024-01-02: every total with a part on that day has no amount and
        // counts the parts it lacks.
        try FiatCLITests.importGapSeries(data)
        let gap = try CLI.json(try Self.spoor(["show", "cluster", "--data", data, "--json", "--fiat", "USD", "--price-series", "one-day",
                                        Self.seller]))
        let gapSent = try #require(Self.object(gap["total_sent_fiat"]))
        #expect(gapSent["amount"] is NSNull && gapSent["missing"] as? Int == spentLate)
        #expect(gapSent["missing_dates"] as? [String] == ["2024-01-02"])
        let gapReceived = try #require(Self.object(gap["total_received_fiat"]))
        #expect(gapReceived["missing"] as? Int == receivedLate)
        #expect(Self.object(gap["fiat_series"])?["dates_without_price"] as? [String] == ["2024-01-02"])
        let gapText = try Self.spoor(["show", "cluster", "--data", data, "--fiat", "USD", "--price-series", "one-day", Self.seller])
        #expect(gapText.contains("(no USD price for \(spentLate) of \(spentParts) parts (2024-01-02))"), "\(gapText)")
    }

    // MARK: - errors

    @Test func showRejectsBadCurrencyAndSeriesAsUsageErrors() throws {
        let (data, payment, _) = try FiatCLITests.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let cases: [(options: [String], message: String)] = [
            (["--fiat", "usd"], "bad currency 'usd'"),
            (["--fiat", "GBP"], "no price series holds GBP prices"),
            (["--fiat", "USD", "--price-series", "nope"], "no price series 'nope'"),
            (["--price-series", "synthetic-usd-eur"], "--price-series needs --fiat"),
        ]
        for command in [["tx", payment.txid], ["address", Self.seller], ["cluster", Self.seller]] {
            for c in cases {
                let result = try CLI.run(["show", command[0], "--data", data, command[1]] + c.options)
                #expect(result.status == 2 && result.stdout.isEmpty, "\(command) \(c.options): \(result.status)")
                #expect(result.stderr.contains("error: \(c.message)"), "\(result.stderr)")
            }
        }
    }
}

/// A file ``ShowFiatCLITests/gunzip(_:to:)`` could not write.
enum GunzipError: Error { case cannotCreate(String) }
