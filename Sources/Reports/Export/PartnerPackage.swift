import Foundation

/// The short package a partner gets for one request: question, answer, and per subject the
/// on-chain facts and the attributions (private sources withheld, no internal notes, no method
/// detail). JSON (`PartnerPackage`) and CSV (one row per fact).
public struct PartnerPackage: Codable, Equatable, Sendable {
    public struct Subject: Codable, Equatable, Sendable {
        public var subject: String
        public var findings: [SubjectFinding]
    }

    public struct SubjectFinding: Codable, Equatable, Sendable {
        public var kind: String
        public var question: String
        public var summary: String
        public var facts: [OutputFact]
        public var attributions: [Attribution]
        /// Index tip the finding was computed on.
        public var tipHeight: Int?
        public var tipHash: String?
    }

    /// `spoor-partner-package/1`.
    public var format: String
    public var generated: String
    public var caseReference: String
    public var requestId: Int64
    public var organisation: String
    public var partnerReference: String?
    public var received: String
    public var question: String
    public var answer: String
    /// `approved` or `sent` for a package meant to go out; anything else is a draft.
    public var responseState: String
    public var analyst: String?
    public var reviewer: String?
    public var subjects: [Subject]

    /// The package of `document`'s answer to request `requestID`, from a partner-audience document
    /// (a private source in an internal document is hidden here too).
    /// - Parameter names: include the analyst's and reviewer's names.
    public init?(document: EvidenceDocument, requestID: Int64, names: Bool) {
        guard let a = document.answers.first(where: { $0.request.id == requestID }) else { return nil }
        format = "spoor-partner-package/1"
        generated = document.generated
        caseReference = document.caseInfo.reference
        requestId = requestID
        organisation = a.request.organisation
        partnerReference = a.request.partnerReference
        received = a.request.received
        question = a.request.question
        answer = a.response.conclusion
        responseState = a.response.state
        analyst = names ? a.response.analyst : nil
        reviewer = names ? a.response.reviewer : nil
        var bySubject: [String: [SubjectFinding]] = [:]
        for f in a.findings {
            bySubject[f.subject, default: []].append(
                SubjectFinding(
                    kind: f.kind, question: f.question, summary: f.summary, facts: f.facts,
                    attributions: f.attributions.map { EvidenceBuilder.forAudience($0, .partner) }, tipHeight: f.tipHeight,
                    tipHash: f.tipHash))
        }
        let order = a.request.subjects + bySubject.keys.sorted().filter { !a.request.subjects.contains($0) }
        subjects = order.map { Subject(subject: $0, findings: bySubject[$0] ?? []) }
    }

    /// The JSON bytes (the evidence document's encoding: snake_case, sorted, pretty).
    public func jsonData() throws -> Data {
        var data = try EvidenceDocument.encoder.encode(self)
        data.append(0x0a)
        return data
    }

    /// The CSV header.
    public static let csvColumns = [
        "request_id", "subject", "finding_kind", "role", "txid", "vout", "address", "height", "time_utc",
        "amount_sat", "amount_btc", "fiat", "cluster", "attribution",
    ]

    /// One row per fact (RFC 4180, CRLF), with the cluster's attributions in one field.
    public func csv() -> String {
        var rows = [Self.csvColumns.joined(separator: ",")]
        for s in subjects {
            for f in s.findings {
                for fact in f.facts {
                    let tags = f.attributions.filter { $0.cluster != nil && $0.cluster == fact.cluster }
                        .map { "\($0.label) (\($0.category); source \($0.source); confidence \($0.confidence))" }.joined(separator: " / ")
                    let height: String = fact.height.map { String($0) } ?? ""
                    let fiat: String = fact.fiat.map { "\($0.amount) \($0.currency)" } ?? ""
                    let cluster: String = fact.cluster.map { String($0) } ?? ""
                    var fields: [String] = [String(requestId), s.subject, f.kind, fact.role, fact.txid, String(fact.vout)]
                    fields += [fact.address ?? "", height, fact.time, String(fact.satoshis), fact.btc, fiat, cluster, tags]
                    rows.append(fields.map(Self.quote).joined(separator: ","))
                }
            }
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
