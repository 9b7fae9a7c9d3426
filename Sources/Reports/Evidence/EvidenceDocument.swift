import Foundation

// The evidence report's JSON twin (`docs/reports.md`). Keys are the property names in snake_case
// (``EvidenceDocument/encoder``), sorted; times UTC text; amounts integer satoshis with BTC text.
// No dictionaries: name/value lists keep the order and the key spelling under the encoder's
// snake_case conversion. Property names avoid runs of capitals (`Sha256`, not `SHA256`) so that
// the conversion is reversible.

/// A report's audience: `internal` shows everything; `partner` hides private tag sources and
/// contexts and the case notes.
public enum ReportAudience: String, Codable, Sendable, CaseIterable {
    case `internal`
    case partner
}

/// The whole evidence report as data.
public struct EvidenceDocument: Codable, Equatable, Sendable {
    /// `spoor-evidence/1`.
    public var format: String
    public var audience: ReportAudience
    /// When the report was made, UTC.
    public var generated: String
    public var caseInfo: EvidenceCase
    /// One per response the report covers (one for `spoor report RESPONSE`, every response of the
    /// case for `spoor report CASE`), in id order.
    public var answers: [EvidenceAnswer]
    public var method: EvidenceMethod
    public var provenance: EvidenceProvenance

    public static let formatName = "spoor-evidence/1"
}

/// A request, the unit's response to it, and the findings behind the response.
public struct EvidenceAnswer: Codable, Equatable, Sendable {
    public var request: EvidenceRequest
    public var response: EvidenceResponse
    public var findings: [EvidenceFinding]
}

/// A name and a value (parameters, settings).
public struct NameValue: Codable, Equatable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

public struct EvidenceCase: Codable, Equatable, Sendable {
    public var reference: String
    public var title: String
    public var status: String
    public var analyst: String
    public var opened: String
    public var closed: String?
    public var sites: [String]
    /// Internal reports only (nil in partner reports).
    public var notes: String?
}

public struct EvidenceRequest: Codable, Equatable, Sendable {
    public var id: Int64
    public var organisation: String
    public var partnerReference: String?
    public var received: String
    public var due: String?
    public var question: String
    public var subjects: [String]
}

public struct EvidenceResponse: Codable, Equatable, Sendable {
    public var id: Int64
    /// `draft`, `in_review`, `approved`, `sent`.
    public var state: String
    public var conclusion: String
    public var analyst: String
    public var reviewer: String?
    /// Each state reached, with its time.
    public var states: [EvidenceStateTime]
}

public struct EvidenceStateTime: Codable, Equatable, Sendable {
    public var state: String
    public var time: String
}

/// One finding: what was run, and its result split into facts, inferences and attributions.
public struct EvidenceFinding: Codable, Equatable, Sendable {
    public var id: Int64
    /// `trace`, `exposure`, `payments`.
    public var kind: String
    public var subject: String
    public var question: String
    public var command: String
    public var parameters: [NameValue]
    public var layer: String
    public var tipHeight: Int?
    public var tipHash: String?
    public var createdBy: String
    public var created: String
    /// SHA-256 of the stored result bytes (what `--recompute` compares against).
    public var resultSha256: String
    /// One line: what the result says.
    public var summary: String
    /// On-chain facts: outputs with txid:vout, height, time and amount. Anyone can check them on
    /// any copy of the chain.
    public var facts: [OutputFact]
    /// What rules concluded from the facts: cluster membership, taint, payer identification.
    public var inferences: [Inference]
    /// The taint models side by side, for a trace run under several (`--model all`).
    public var modelComparison: [ModelRow]?
    /// True / false when the models were compared; nil when the finding ran one model.
    public var modelDependent: Bool?
    /// Who third parties or the unit say controls a cluster.
    public var attributions: [Attribution]
    /// The flow between wallets, for the diagram.
    public var graph: FlowDiagram
    /// Conditions that limit the result (truncation, tool warnings).
    public var warnings: [String]
}

/// An output (or a payment output) as an on-chain fact.
public struct OutputFact: Codable, Equatable, Sendable {
    /// `txid:vout`.
    public var outpoint: String
    public var txid: String
    public var vout: Int
    public var address: String?
    public var height: Int?
    /// Block time, UTC.
    public var time: String
    /// The amount the fact is about (traced amount for a path step, payment amount for a payment).
    public var satoshis: Int64
    public var btc: String
    /// What the output is in the finding: `path N step K`, `payment`, `endpoint`, …
    public var role: String
    /// The cluster the output's address is in (an inference; see ``Inference``), if known.
    public var cluster: Int64?
    /// Its value in fiat when the finding carried one.
    public var fiat: FiatAmount?
}

/// A fiat value as the finding carried it: amount text, currency, the price's date and series.
public struct FiatAmount: Codable, Equatable, Sendable {
    public var amount: String
    public var currency: String
    public var date: String?
    public var price: String?
    public var series: String?
}

/// A conclusion drawn by a rule from facts.
public struct Inference: Codable, Equatable, Sendable {
    /// `cluster`, `taint`, `payer`, `exposure`, `coinjoin`.
    public var kind: String
    public var statement: String
    /// The rule that makes it (`co_spend (strict layer)`, `haircut taint model`, …).
    public var rule: String
    /// Its documented precision, or what bounds it.
    public var precision: String
}

/// One row of the model comparison.
public struct ModelRow: Codable, Equatable, Sendable {
    public var cluster: Int64
    public var labels: [String]
    public var categories: [String]
    /// Satoshis reaching the cluster per model; nil when that model does not reach it.
    public var poison: Int64?
    public var haircut: Int64?
    public var fifo: Int64?
    public var modelDependent: Bool
}

/// A tag on a cluster the finding names.
public struct Attribution: Codable, Equatable, Sendable {
    public var cluster: Int64?
    public var address: String?
    public var label: String
    public var category: String
    /// `private` in partner reports when the tag is private.
    public var source: String
    /// 0–100.
    public var confidence: Int
    /// Where the address was seen; nil for private tags in partner reports.
    public var context: String?
    public var isPrivate: Bool
}

/// Wallets and the money between them.
public struct FlowDiagram: Codable, Equatable, Sendable {
    public var nodes: [FlowNode]
    public var edges: [FlowLink]
}

public struct FlowNode: Codable, Equatable, Sendable {
    /// `c123` for cluster 123, `s` for the subject.
    public var id: String
    public var label: String
    /// Tags in one line, empty when untagged.
    public var detail: String
    /// Column in the diagram (hops from the subject; payers left of the seller).
    public var column: Int
    public var attributed: Bool
    public var isSubject: Bool
}

public struct FlowLink: Codable, Equatable, Sendable {
    public var from: String
    public var to: String
    public var satoshis: Int64
    public var txids: [String]
}

/// How the findings were made and what could make them wrong.
public struct EvidenceMethod: Codable, Equatable, Sendable {
    public var heuristics: [MethodItem]
    public var taintModels: [MethodItem]
    public var limitations: [String]
    public var alternativeExplanations: [MethodItem]
}

public struct MethodItem: Codable, Equatable, Sendable {
    public var name: String
    public var description: String
    public var precision: String?
}

/// Where the data came from and what software made the report.
public struct EvidenceProvenance: Codable, Equatable, Sendable {
    public var software: String
    public var network: String?
    public var indexTipHeight: Int?
    public var indexTipHash: String?
    public var indexTipTime: String?
    public var importRuns: [ProvenanceImport]
    /// Distinct clustering parameter sets of the findings.
    public var clusterParameters: [String]
    public var priceSeries: [PriceSeriesCitation]
}

public struct ProvenanceImport: Codable, Equatable, Sendable {
    public var id: Int64
    public var started: String
    public var finished: String?
    public var status: String
    public var mode: String
    public var software: String
    public var files: [ProvenanceFile]
}

public struct ProvenanceFile: Codable, Equatable, Sendable {
    public var path: String
    public var size: Int
    public var sha256: String
}

/// A fiat price series a finding used.
public struct PriceSeriesCitation: Codable, Equatable, Sendable {
    public var name: String
    public var currency: String
    public var citation: String
    public var files: [PriceFile]
}

/// A price file a series was imported from.
public struct PriceFile: Codable, Equatable, Sendable {
    public var path: String
    public var sha256: String
}

extension EvidenceDocument {
    /// The encoder of the JSON twin: snake_case keys, sorted, pretty.
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }

    /// The decoder matching ``encoder``.
    public static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    /// The JSON twin's bytes (ending in a newline).
    public func jsonData() throws -> Data {
        var data = try Self.encoder.encode(self)
        data.append(0x0a)
        return data
    }
}
