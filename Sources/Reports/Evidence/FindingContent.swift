import Foundation
import Tracer

/// A finding's result, read and split for the report (before the audience is applied).
struct FindingContent {
    var summary = ""
    var facts: [OutputFact] = []
    var inferences: [Inference] = []
    var modelComparison: [ModelRow]?
    var modelDependent: Bool?
    var attributions: [Attribution] = []
    var graph = FlowDiagram(nodes: [], edges: [])
    var warnings: [String] = []
    var priceSeries: [PriceSeriesCitation] = []

    /// Reads `finding.result` according to its kind.
    /// - Parameter tags: the tags of a cluster in the finding's layer (from the index), or nil to use
    ///   only what the result carries.
    static func read(_ finding: Finding, tags: ((Int64) throws -> [TagView])?) throws -> FindingContent {
        do {
            switch finding.kind {
            case .trace: return try TraceFindingReader.read(finding, tags: tags)
            case .payments: return try PaymentsFindingReader.read(finding, tags: tags)
            case .exposure: return try ExposureFindingReader.read(finding, tags: tags)
            }
        } catch let e as EvidenceError { throw e } catch {
            throw EvidenceError.undecodableResult(finding: finding.id, kind: finding.kind.rawValue, reason: "\(error)")
        }
    }

    /// `txid:vout` split; nil parts for malformed text.
    static func split(_ outpoint: String) -> (txid: String, vout: Int) {
        guard let colon = outpoint.lastIndex(of: ":"), let vout = Int(outpoint[outpoint.index(after: colon)...]) else {
            return (outpoint, 0)
        }
        return (String(outpoint[..<colon]), vout)
    }

    /// Attributions of `clusters` from the index, or `fallback` when the index has none for a cluster.
    static func attributions(
        _ clusters: [Int64], tags: ((Int64) throws -> [TagView])?,
        fallback: (Int64) -> [Attribution]
    ) throws -> [Attribution] {
        var out: [Attribution] = []
        var seen = Set<Int64>()
        for c in clusters where seen.insert(c).inserted {
            let stored = try tags?(c) ?? []
            if stored.isEmpty {
                out += fallback(c)
            } else {
                out += stored.map {
                    Attribution(
                        cluster: c, address: $0.address, label: $0.label, category: $0.category, source: $0.source,
                        confidence: $0.confidence, context: $0.context, isPrivate: $0.isPrivate)
                }
            }
        }
        return out
    }

    /// The tags a payment report carries, as attributions of `cluster`.
    static func attributions(_ tags: [PaymentTag], cluster: Int64) -> [Attribution] {
        tags.map {
            Attribution(
                cluster: cluster, address: nil, label: $0.label, category: $0.category, source: $0.source,
                confidence: $0.confidence, context: nil, isPrivate: $0.isPrivate)
        }
    }
}
