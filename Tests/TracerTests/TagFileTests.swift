import ChainIndex
import Foundation
import Testing

@testable import Tracer

/// Tag files under `Fixtures/tags/` (synthetic addresses only: the samples chain's watchlist and
/// BIP-173 vectors), read relative to this source file.
enum TagFixture {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tags")
            .appendingPathComponent(name).path
    }

    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    static let options = TagReadOptions(network: .regtest, now: now)

    static func read(_ name: String, format: TagFileFormat? = nil, options: TagReadOptions = options) throws -> [LocatedTag] {
        try TagFile.read(path: path(name), format: format, options: options).tags
    }

    /// The issues `name` is refused with, as (line, problem).
    static func issues(_ name: String, options: TagReadOptions = options) -> [(Int?, TagProblem)] {
        issues { () throws(TagFileError) in _ = try TagFile.read(path: path(name), options: options) }
    }

    static func issues(_ body: () throws(TagFileError) -> Void) -> [(Int?, TagProblem)] {
        do {
            try body()
            return []
        } catch {
            return error.issues.map { ($0.line, $0.problem) }
        }
    }

    static func date(_ text: String) -> Date {
        guard let d = TagTime.parse(text) else { fatalError("bad test date \(text)") }
        return d
    }

    static func key(_ address: String) throws -> AddressKey { try AddressKey.parse(address, network: .regtest) }
}

/// Compares issue lists, showing both on failure.
func expectIssues(_ actual: [(Int?, TagProblem)], _ expected: [(Int?, TagProblem)], sourceLocation: SourceLocation = #_sourceLocation) {
    let a = actual.map { "\($0.0.map(String.init) ?? "-"): \($0.1)" }
    let e = expected.map { "\($0.0.map(String.init) ?? "-"): \($0.1)" }
    #expect(a == e, sourceLocation: sourceLocation)
}

struct TagFileTests {
    let seller1 = "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3"
    let seller1b = "bcrt1qwmj69tse3sp2w43ep46trrsg9rptpa9g7zrqzh"

    // MARK: - CSV

    @Test func csvReadsEveryColumnQuotingAndPhysicalLines() throws {
        let tags = try TagFixture.read("good.csv")
        #expect(tags.map(\.line) == [2, 3, 5, 7])
        let first = tags[0].tag
        #expect(
            first
                == Tag(
                    target: .address(seller1, try TagFixture.key(seller1)), label: "synthetic-seller-1", category: .abuseSeller,
                    source: "synthetic-hotline-case", confidence: TagConfidence(90)!, context: "http://seller1.example/pay",
                    caseRef: "CASE-1", author: "alice", created: TagFixture.date("2024-01-02T03:04:05Z"), isPrivate: false))
        let quoted = tags[1].tag
        #expect(quoted.label == "Seller, \"one\"")
        #expect(quoted.source == "report\npage 2")
        #expect(quoted.confidence.value == 70)
        #expect(quoted.created == TagFixture.date("2024-01-02T00:00:00Z"))
        #expect(quoted.isPrivate)
        #expect(quoted.author == nil && quoted.context == nil)
        let cluster = tags[2].tag
        #expect(cluster.target == .cluster(42))
        #expect(cluster.category == .marketplace)
        #expect(cluster.confidence.value == 50)  // GraphSense "service_data"
        #expect(TagTime.format(cluster.created) == "2024-02-01T08:00:00Z")
        let mixer = tags[3].tag
        #expect(mixer.category == .mixer)
        #expect(mixer.target.address == "2N1H5vYEMaziAKk8yoV41kfJY72hms73Hc1")
        #expect(mixer.created == TagFixture.now)
    }

    @Test func csvReportsEveryBadRowWithItsLine() {
        let checksum = AddressError.invalidChecksum
        expectIssues(
            TagFixture.issues("bad.csv"),
            [
                (2, .invalidAddress("bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa4", checksum)),
                (3, .invalidAddress("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", .wrongNetwork(expected: "regtest", found: "main"))),
                (4, .unknownCategory("terrorist")),
                (5, .missingField("label")),
                (6, .badConfidence("101")),
                (7, .badDate(field: "created", value: "2024-02-30")),
                (8, .currencyMismatch("LTC", network: "regtest")),
                (9, .unknownCurrency("XYZ")),
                (10, .badConfidence("0.925")),
                (13, .fieldCount(expected: 7, found: 4)),
                (14, .invalidAddress("moEwPepuTAYdtgEb5FhokCiu7qggVYwhrM", checksum)),
                (14, .ambiguousCategory("perpetrator", reason: TagCategory.ambiguousConcepts["perpetrator"] ?? "")),
                (15, .syntax("quote inside an unquoted field (quote the whole field and double the quote)")),
                (16, .badDate(field: "created", value: "yesterday")),
                (17, .missingField("confidence")),
                (17, .badDate(field: "created", value: "2024-01-01T10:00:00")),
            ])
    }

    @Test func csvErrorDescriptionsNameFileAndLine() {
        do {
            _ = try TagFile.read(path: TagFixture.path("bad.csv"), options: TagFixture.options)
            Issue.record("bad.csv was accepted")
        } catch {
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == 16)
            #expect(
                lines[0]
                    == "\(TagFixture.path("bad.csv")):2: invalid address 'bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa4': "
                    + "invalid address checksum"
            )
            #expect(
                lines[1].hasSuffix(
                    ":3: invalid address 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4': address is for network 'main', expected 'regtest'"))
        }
    }

    @Test func csvHeaderProblems() {
        let bytes = Array("address,labl,label,Label,category,source,confidence\n".utf8)
        expectIssues(
            TagFixture.issues { () throws(TagFileError) in _ = try TagCSVReader.read(bytes, path: "h.csv", options: TagFixture.options) },
            [
                (1, .unknownColumn("labl")), (1, .duplicateColumn("Label")),
            ])
        expectIssues(
            TagFixture.issues { () throws(TagFileError) in _ = try TagCSVReader.read([], path: "e.csv", options: TagFixture.options) },
            [
                (nil, .missingHeader)
            ])
    }

    @Test func csvUnterminatedQuoteAndCRLFAndBOM() throws {
        let crlf = Array("\u{FEFF}address,label,category,source,confidence\r\n\(seller1),\"a\r\nb\",scam,src,5\r\n".utf8)
        let tags = try TagCSVReader.read(crlf, path: "c.csv", options: TagFixture.options)
        #expect(tags.count == 1 && tags[0].line == 2 && tags[0].tag.label == "a\r\nb")
        let open = Array("address,label,category,source,confidence\n\(seller1),s,scam,src,5\n\(seller1),\"open,scam,src,5\n\n".utf8)
        expectIssues(
            TagFixture.issues { () throws(TagFileError) in _ = try TagCSVReader.read(open, path: "o.csv", options: TagFixture.options) },
            [
                (3, .syntax("unterminated quoted field"))
            ])
    }

    @Test func notUTF8ReportsTheLine() {
        let bytes = Array("address,label,category,source,confidence\n".utf8) + [0x61, 0xff, 0x0a]
        expectIssues(
            TagFixture.issues { () throws(TagFileError) in _ = try TagCSVReader.read(bytes, path: "u.csv", options: TagFixture.options) },
            [
                (2, .notUTF8)
            ])
    }

    @Test func bothTargetsAndBadClusterAndBadBoolean() {
        let text = "address,cluster,label,category,source,confidence,private\n\(seller1),4,s,scam,src,5,\n"
            + ",-3,s,scam,src,5,\n,4,s,scam,src,5,perhaps\n"
        let bytes = Array(text.utf8)
        expectIssues(
            TagFixture.issues { () throws(TagFileError) in _ = try TagCSVReader.read(bytes, path: "t.csv", options: TagFixture.options) },
            [
                (2, .bothTargets), (3, .badCluster("-3")), (4, .badBoolean(field: "private", value: "perhaps")),
            ])
    }

    @Test func watchlistSampleReads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/chain/watchlist.csv").path
        let tags = try TagFile.read(path: path, options: TagFixture.options).tags
        #expect(tags.count == 21)
        #expect(tags[0].tag.confidence.value == 90 && tags[1].tag.confidence.value == 70)
    }

    // MARK: - JSON

    @Test func jsonArrayAndNDJSON() throws {
        let array = try TagFixture.read("good.json")
        #expect(array.map(\.line) == [2, 5])
        #expect(array[0].tag.isPrivate && array[0].tag.context == "seller1.example" && array[0].tag.caseRef == "CASE-1")
        #expect(array[1].tag.target == .cluster(42))
        #expect(array[1].tag.label == "Synthetic \"Market\"\nline two")
        #expect(array[1].tag.category == .marketplace)
        #expect(array[1].tag.confidence.value == 100)  // 1.0 is a fraction, not 1
        #expect(!array[1].tag.isPrivate)

        let lines = try TagFixture.read("good.ndjson")
        #expect(lines.map(\.line) == [1, 3])
        #expect(lines[0].tag.confidence.value == 90)
        #expect(lines[1].tag.target.address == seller1b)  // upper case Bech32 stored in canonical lower case
    }

    @Test func jsonReportsTheLineWhereEachBadObjectStarts() {
        expectIssues(
            TagFixture.issues("bad.ndjson"),
            [
                (2, .invalidAddress("bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa4", .invalidChecksum)),
                (3, .unknownField("colour")),
                (4, .missingField("address")),
                (6, .syntax("expected a quoted field name (line 7)")),
                (7, .wrongType(field: "label", expected: "a string, number or boolean")),
                (7, .badConfidence("true")),
                (8, .bothTargets),
                (8, .badDate(field: "created", value: "2024-01-01T10:00:00")),
            ])
    }

    @Test func jsonArraySyntaxErrorStops() {
        let bytes = Array("[\n{\"label\": \"a\"},\n{\"label\" \"b\"},\n{\"label\": 3}\n]".utf8)
        expectIssues(
            TagFixture.issues { () throws(TagFileError) in _ = try TagJSONReader.read(bytes, path: "a.json", options: TagFixture.options) },
            [
                (2, .missingField("address")), (2, .missingField("category")), (2, .missingField("source")),
                (2, .missingField("confidence")),
                (3, .syntax("expected ':' after field name \"label\"")),
            ])
    }

    @Test func jsonDepthIsCapped() {
        let bytes = Array(("{\"label\":" + String(repeating: "[", count: 100)).utf8)
        let issues = TagFixture.issues { () throws(TagFileError) in
            _ = try TagJSONReader.read(bytes, path: "d.json", options: TagFixture.options)
        }
        #expect(issues.count == 1 && issues[0].0 == 1)
    }

    // MARK: - TagPack

    @Test func tagPackInheritsHeaderFieldsAndOverrides() throws {
        let tags = try TagFixture.read("good.yaml")
        #expect(tags.map(\.line) == [11, 14, 18])
        let a = tags[0].tag, b = tags[1].tag, c = tags[2].tag
        #expect(a.target.address == seller1)
        #expect(a.category == .abuseSeller && a.source == "synthetic-hotline-case")
        #expect(a.confidence.value == 50)  // "forensic"
        #expect(a.context == "http://seller1.example/")
        #expect(a.author == "synthetic-unit")  // the TagPack's creator
        #expect(a.created == TagFixture.date("2024-03-01"))
        #expect(a.isPrivate)  // is_public: false
        #expect(b.confidence.value == 80)
        #expect(TagTime.format(b.created) == "2024-03-05T12:00:00Z")  // YAML: no zone means UTC
        #expect(c.category == .mixer && c.source == "https://mixer.example/")
        #expect(!c.isPrivate)
    }

    @Test func tagPackIsPrivateUnlessMarkedPublic() throws {
        let yaml =
            "title: t\ncreator: c\ncurrency: BTC\ntags:\n  - address: \(seller1)\n"
            + "    label: l\n    category: scam\n    source: s\n    confidence: 10\n"
        let tags = try TagPackReader.read(Array(yaml.utf8), path: "p.yaml", options: TagFixture.options)
        #expect(tags.count == 1 && tags[0].tag.isPrivate && tags[0].line == 5)
    }

    @Test func tagPackReportsEveryBadTag() {
        expectIssues(
            TagFixture.issues("bad.yaml"),
            [
                (10, .currencyMismatch("LTC", network: "regtest")),
                (14, .unknownCurrency("FOO")),
                (18, .badConfidence("very_sure")),
                (22, .missingField("label")),
                (22, .ambiguousCategory("child_sexual_abuse", reason: TagCategory.ambiguousConcepts["child_sexual_abuse"] ?? "")),
                (24, .badDate(field: "lastmod", value: "2024-13-01")),
                (24, .missingField("address")),
                (27, .unknownField("colour")),
                (27, .badBoolean(field: "is_public", value: "maybe")),
                (32, .invalidAddress("ltc1qzyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3nmndwj", .wrongNetwork(expected: "regtest", found: "litecoin"))),
            ])
    }

    @Test func tagPackStructureAndSyntaxErrors() {
        func issues(_ yaml: String) -> [(Int?, TagProblem)] {
            TagFixture.issues { () throws(TagFileError) in
                _ = try TagPackReader.read(Array(yaml.utf8), path: "s.yaml", options: TagFixture.options)
            }
        }
        let syntax = issues("title: t\ncreator: c\ntags: [\n  {address: x\n")
        #expect(syntax.count == 1 && syntax[0].0 != nil)
        if case .syntax = syntax[0].1 {} else { Issue.record("expected a syntax error, got \(syntax)") }
        expectIssues(issues("title: t\ntags: 3\n"), [(1, .missingField("creator")), (2, .wrongType(field: "tags", expected: "a list"))])
        expectIssues(issues("- a\n"), [(1, .syntax("a TagPack must be a YAML mapping"))])
        let duplicate = issues("title: t\ntitle: u\ncreator: c\ntags: []\n")
        #expect(duplicate.count == 1)
    }

    @Test func tagPackNestedHeaderAndLitecoin() throws {
        let yaml =
            "header:\n  title: t\n  creator: c\n  currency: LTC\ntags:\n  - address: ltc1qzyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3nmndwj\n"
            + "    label: l\n    category: exchange\n    source: s\n    confidence: ownership\n    is_public: true\n"
        let tags = try TagPackReader.read(
            Array(yaml.utf8), path: "l.yaml", options: TagReadOptions(network: .litecoin, now: TagFixture.now))
        #expect(tags.count == 1 && tags[0].tag.confidence.value == 100 && !tags[0].tag.isPrivate)
    }

    // MARK: - Formats

    @Test func formatFromExtensionAndOverride() throws {
        #expect(TagFileFormat(path: "a.csv") == .csv)
        #expect(TagFileFormat(path: "a.JSON") == .json)
        #expect(TagFileFormat(path: "a.ndjson") == .json)
        #expect(TagFileFormat(path: "a.jsonl") == .json)
        #expect(TagFileFormat(path: "a.yaml") == .tagpack)
        #expect(TagFileFormat(path: "a.yml") == .tagpack)
        #expect(TagFileFormat(path: "a.txt") == nil)
        expectIssues(
            TagFixture.issues { () throws(TagFileError) in _ = try TagFile.read(path: "/nonexistent/x.txt", options: TagFixture.options) },
            [(nil, .unknownFormat(extension: "txt"))])
        // The override reads a CSV file as JSON: it is not JSON.
        let issues = TagFixture.issues { () throws(TagFileError) in
            _ = try TagFile.read(path: TagFixture.path("good.csv"), format: .json, options: TagFixture.options)
        }
        #expect(!issues.isEmpty)
        let missing = TagFixture.issues { () throws(TagFileError) in
            _ = try TagFile.read(path: "/nonexistent/x.csv", options: TagFixture.options)
        }
        #expect(missing.count == 1 && missing[0].0 == nil)
    }

    @Test func readAllListsTheProblemsOfEveryFile() {
        do {
            _ = try TagFile.readAll(
                paths: [TagFixture.path("bad.csv"), TagFixture.path("good.csv"), TagFixture.path("bad.ndjson")],
                options: TagFixture.options)
            Issue.record("accepted")
        } catch {
            #expect(Set(error.issues.map(\.path)) == [TagFixture.path("bad.csv"), TagFixture.path("bad.ndjson")])
            #expect(error.issues.count == 16 + 8)
        }
    }

    @Test func sha256OfTheBytes() throws {
        let file = try TagFile.parse(
            Array("address,label,category,source,confidence\n".utf8), path: "x.csv", format: .csv,
            options: TagFixture.options)
        // sha256sum of that line.
        #expect(file.sha256 == Hex.encode(Hashing.sha256(Array("address,label,category,source,confidence\n".utf8))))
        #expect(file.sha256.count == 64 && file.tags.isEmpty)
    }

    // MARK: - Writers

    @Test func csvAndJSONRoundTrip() throws {
        let tags = try (TagFixture.read("good.csv") + TagFixture.read("good.json") + TagFixture.read("good.yaml")).map(\.tag)
        let csv = TagWriter.csv(tags)
        let fromCSV = try TagCSVReader.read(Array(csv.utf8), path: "r.csv", options: TagFixture.options).map(\.tag)
        #expect(fromCSV == tags)
        let json = TagWriter.json(tags)
        let fromJSON = try TagJSONReader.read(Array(json.utf8), path: "r.json", options: TagFixture.options).map(\.tag)
        #expect(fromJSON == tags)
        #expect(TagWriter.json([]) == "[]\n")
        #expect(try TagJSONReader.read(Array("[]\n".utf8), path: "e.json", options: TagFixture.options).isEmpty)
    }

    @Test func hidingPrivateSources() throws {
        let tags = try TagFixture.read("good.csv").map(\.tag)  // the second tag is private
        let csv = TagWriter.csv(tags, hidePrivateSources: true)
        let back = try TagCSVReader.read(Array(csv.utf8), path: "h.csv", options: TagFixture.options).map(\.tag)
        #expect(back[1].source == "private" && back[1].context == nil && back[1].isPrivate)
        #expect(back[0] == tags[0] && back[2] == tags[2] && back[3] == tags[3])
        #expect(!csv.contains("report"))
        let json = TagWriter.json(try TagFixture.read("good.json").map(\.tag), hidePrivateSources: true)
        #expect(!json.contains("synthetic-hotline-case") && !json.contains("seller1.example"))
        #expect(json.contains("\"source\":\"private\""))
    }

    @Test func markPrivateAndDefaultAuthor() throws {
        let options = TagReadOptions(network: .regtest, author: "importer", markPrivate: true, now: TagFixture.now)
        let tags = try TagFixture.read("good.csv", options: options).map(\.tag)
        #expect(tags.allSatisfy { $0.isPrivate })
        #expect(tags.map(\.author) == ["alice", "importer", "importer", "importer"])
    }

    // MARK: - Values

    @Test func confidenceForms() {
        let cases: [(String, Int?)] = [
            ("90", 90), ("0", 0), ("100", 100), ("0.9", 90), ("1.0", 100), (".95", 95), ("0.950", 95), ("1", 1),
            ("0.925", nil), ("101", nil), ("1.5", nil), ("90.0", nil), ("-1", nil), ("", nil), ("ninety", nil),
            ("ownership", 100), ("Forensic", 50), ("web_crawl", 20), ("unknown", 5),
        ]
        for (text, value) in cases { #expect(TagConfidence.parse(text)?.value == value, "\(text)") }
    }

    @Test func categoriesAndAliases() throws {
        #expect(try TagCategory.parse("abuse_seller") == .abuseSeller)
        #expect(try TagCategory.parse("Payment Processor") == .paymentProcessor)
        #expect(try TagCategory.parse("mixing_service") == .mixer)
        #expect(try TagCategory.parse("market") == .marketplace)
        #expect(try TagCategory.parse("phishing") == .scam)
        #expect(throws: TagCategory.ParseError.unknown("wallet_service")) { try TagCategory.parse("wallet_service") }
        #expect(throws: TagCategory.ParseError.self) { try TagCategory.parse("perpetrator") }
        for c in TagCategory.allCases { #expect(try TagCategory.parse(c.rawValue) == c) }
    }

    @Test func timestamps() {
        #expect(TagTime.parse("2024-01-02").map(TagTime.format) == "2024-01-02T00:00:00Z")
        #expect(TagTime.parse("2024-01-02T03:04:05Z").map(TagTime.format) == "2024-01-02T03:04:05Z")
        #expect(TagTime.parse("2024-01-02 03:04:05-0130").map(TagTime.format) == "2024-01-02T04:34:05Z")
        #expect(TagTime.parse("2024-01-02T03:04:05.000Z").map(TagTime.format) == "2024-01-02T03:04:05Z")
        for bad in ["2024-01-02T03:04:05", "2024-01-02T03:04:05.5Z", "2023-02-29", "2024-1-2", "2024-01-02T24:00:00Z", "2024-01-02X"] {
            #expect(TagTime.parse(bad) == nil, "\(bad)")
        }
    }

    // MARK: - Conflicts

    @Test func conflictRules() throws {
        let key = try TagFixture.key(seller1)
        func stored(_ id: Int64, _ category: TagCategory) -> StoredTag {
            StoredTag(
                id: id,
                tag: Tag(
                    target: .address(seller1, key), label: "l\(id)", category: category, source: "s",
                    confidence: TagConfidence(50)!, created: TagFixture.now), importBatch: nil)
        }
        let tags = [stored(1, .exchange), stored(2, .abuseSeller), stored(3, .scam), stored(4, .other), stored(5, .exchange)]
        let conflicts = TagConflictRules.conflicts(tags, cluster: 9)
        #expect(conflicts.count == 2)
        #expect(
            conflicts[0]
                == TagConflict(
                    cluster: 9, first: .abuseSeller, second: .exchange, rule: .actorAndService,
                    firstTags: [2], secondTags: [1, 5]))
        #expect(conflicts[1].first == .exchange && conflicts[1].second == .scam && conflicts[1].rule == .actorAndService)
        #expect(TagConflictRules.rule(.exchange, .gambling) == .twoServices)
        #expect(TagConflictRules.rule(.abuseSeller, .scam) == nil)
        #expect(TagConflictRules.rule(.mixer, .other) == nil)
        #expect(TagConflictRules.rule(.mixer, .mixer) == nil)
        #expect(TagConflictRules.conflicts([stored(1, .abuseSeller), stored(2, .scam), stored(3, .other)]).isEmpty)
        let grouped = TagConflictRules.conflicts(byCluster: [7: [stored(1, .mixer), stored(2, .marketplace)], 3: [stored(3, .other)]])
        #expect(grouped.map(\.cluster) == [7] && grouped[0].rule == .twoServices)
    }
}
