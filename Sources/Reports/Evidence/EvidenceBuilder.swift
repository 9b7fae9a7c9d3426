import ChainIndex
import Foundation
import Tracer

/// Builds the evidence document of one or more responses from the casework and the index.
public struct EvidenceBuilder {
    public let casework: any CaseworkReading
    /// Tags and provenance; nil builds from the stored findings alone (no import runs, and tags only
    /// as the results carry them).
    public let index: (any EvidenceIndex)?
    public let software: String

    public init(casework: any CaseworkReading, index: (any EvidenceIndex)?, software: String = Importer.softwareVersion) {
        self.casework = casework
        self.index = index
        self.software = software
    }

    /// The document for `responseIDs` (all of one case) for `audience`.
    /// - Throws: ``EvidenceError`` for an undecodable finding or no responses; the casework's errors.
    public func document(responseIDs: [Int64], audience: ReportAudience, now: Date = Date()) throws -> EvidenceDocument {
        guard let first = responseIDs.first else { throw EvidenceError.empty("no responses to report") }
        let firstRequest = try casework.request(id: try casework.response(id: first).requestID)
        let hotlineCase = try casework.hotlineCase(id: firstRequest.caseID)
        var answers: [EvidenceAnswer] = []
        var layers = Set<String>(), clusterParameters: [String] = [], series: [PriceSeriesCitation] = []
        for id in responseIDs.sorted() {
            let response = try casework.response(id: id)
            let request = try casework.request(id: response.requestID)
            var findings: [EvidenceFinding] = []
            for f in try casework.findings(responseID: id).sorted(by: { $0.id < $1.id }) {
                let layer = f.layer.isEmpty ? "strict" : f.layer
                layers.insert(layer)
                if !f.clusterParameters.isEmpty && !clusterParameters.contains(f.clusterParameters) {
                    clusterParameters.append(f.clusterParameters)
                }
                let lookup: ((Int64) throws -> [TagView])? = index.map { idx in { try idx.tags(cluster: $0, layer: layer) } }
                let content = try FindingContent.read(f, tags: lookup)
                for s in content.priceSeries where !series.contains(s) { series.append(s) }
                findings.append(
                    EvidenceFinding(
                        id: f.id, kind: f.kind.rawValue, subject: f.subject, question: f.question, command: f.command,
                        parameters: f.parameters.sorted { $0.key < $1.key }.map { NameValue(name: $0.key, value: $0.value) },
                        layer: layer, tipHeight: f.tipHeight, tipHash: f.tipHash, createdBy: f.createdBy, created: UTCText.time(f.created),
                        resultSha256: Digest.sha256Hex(f.result), summary: content.summary, facts: content.facts,
                        inferences: content.inferences, modelComparison: content.modelComparison, modelDependent: content.modelDependent,
                        attributions: content.attributions.map { Self.forAudience($0, audience) }, graph: content.graph,
                        warnings: content.warnings))
            }
            answers.append(EvidenceAnswer(request: Self.request(request), response: Self.response(response), findings: findings))
        }
        let status = try index?.status()
        let provenance = EvidenceProvenance(
            software: software, network: status?.network, indexTipHeight: status?.tipHeight, indexTipHash: status?.tipHash,
            indexTipTime: status?.tipTime,
            importRuns: (status?.importRuns ?? []).map {
                ProvenanceImport(
                    id: $0.id, started: $0.started, finished: $0.finished, status: $0.status, mode: $0.mode,
                    software: $0.software, files: $0.files.map { ProvenanceFile(path: $0.path, size: $0.size, sha256: $0.sha256) })
            },
            clusterParameters: clusterParameters, priceSeries: series)
        let method = EvidenceMethod(
            heuristics: MethodText.heuristics(layers: layers), taintModels: MethodText.taintModels,
            limitations: MethodText.limitations + (status.flatMap(MethodText.explorerLimitation) ?? []),
            alternativeExplanations: MethodText.alternatives)
        return EvidenceDocument(
            format: EvidenceDocument.formatName, audience: audience, generated: UTCText.time(now),
            caseInfo: Self.caseInfo(hotlineCase, audience), answers: answers, method: method, provenance: provenance)
    }

    /// A partner never sees a private tag's source or context.
    static func forAudience(_ a: Attribution, _ audience: ReportAudience) -> Attribution {
        guard audience == .partner, a.isPrivate else { return a }
        var out = a
        out.source = "private"
        out.context = nil
        return out
    }

    static func caseInfo(_ c: HotlineCase, _ audience: ReportAudience) -> EvidenceCase {
        EvidenceCase(
            reference: c.reference, title: c.title, status: c.status, analyst: c.analyst, opened: UTCText.time(c.opened),
            closed: c.closed.map(UTCText.time), sites: c.sites, notes: audience == .internal && !c.notes.isEmpty ? c.notes : nil)
    }

    static func request(_ r: PartnerRequest) -> EvidenceRequest {
        EvidenceRequest(
            id: r.id, organisation: r.organisation, partnerReference: r.partnerReference, received: UTCText.time(r.received),
            due: r.due.map(UTCText.time), question: r.question, subjects: r.subjects)
    }

    static func response(_ r: Response) -> EvidenceResponse {
        var states = [EvidenceStateTime(state: ResponseState.draft.rawValue, time: UTCText.time(r.created))]
        if let t = r.submitted { states.append(.init(state: ResponseState.inReview.rawValue, time: UTCText.time(t))) }
        if let t = r.approved { states.append(.init(state: ResponseState.approved.rawValue, time: UTCText.time(t))) }
        if let t = r.sent { states.append(.init(state: ResponseState.sent.rawValue, time: UTCText.time(t))) }
        return EvidenceResponse(
            id: r.id, state: r.state.rawValue, conclusion: r.conclusion, analyst: r.author, reviewer: r.reviewer,
            states: states)
    }
}
