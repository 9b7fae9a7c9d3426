import ChainIndex
import Foundation
import Tracer

@testable import Reports

// A sample case on `samples/chain` (synthetic): the index imported and clustered, the synthetic
// watchlist imported plus one private tag, and real findings made by calling Tracer directly,
// held in an in-memory casework store.

/// ``CaseworkDirectory`` in memory, recording audit entries.
final class InMemoryCasework: CaseworkDirectory, @unchecked Sendable {
    private let lock = NSLock()
    var cases: [HotlineCase] = []
    var requestsByID: [Int64: PartnerRequest] = [:]
    var responsesByID: [Int64: Response] = [:]
    var findingsByResponse: [Int64: [Finding]] = [:]
    private(set) var audits: [(actor: String, action: String, entity: String, details: [String: String])] = []

    struct Missing: Error { var what: String }

    func hotlineCase(id: Int64) throws -> HotlineCase {
        guard let c = cases.first(where: { $0.id == id }) else { throw Missing(what: "case \(id)") }
        return c
    }
    func hotlineCase(reference: String) throws -> HotlineCase {
        guard let c = cases.first(where: { $0.reference == reference }) else { throw Missing(what: "case \(reference)") }
        return c
    }
    func request(id: Int64) throws -> PartnerRequest {
        guard let r = requestsByID[id] else { throw Missing(what: "request \(id)") }
        return r
    }
    func response(id: Int64) throws -> Response {
        guard let r = responsesByID[id] else { throw Missing(what: "response \(id)") }
        return r
    }
    func findings(responseID: Int64) throws -> [Finding] { findingsByResponse[responseID] ?? [] }
    func requests(caseID: Int64) throws -> [PartnerRequest] { requestsByID.values.filter { $0.caseID == caseID }.sorted { $0.id < $1.id } }
    func responses(requestID: Int64) throws -> [Response] {
        responsesByID.values.filter { $0.requestID == requestID }.sorted { $0.id < $1.id }
    }
    func audit(actor: String, action: String, entity: String, details: [String: String]) throws {
        lock.lock()
        defer { lock.unlock() }
        audits.append((actor, action, entity, details))
    }
}

/// The sample case, built once per test process.
struct SampleCase: @unchecked Sendable {
    static let sellerAddress = "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3"
    /// The buyer's funding transaction of a known payment to synthetic-seller-1 (truth/payments.ndjson).
    static let traceSubject = "fff97089da274c8d9ad0d3175bbf5eb4dd5216b1a555af85947997e8b9c17d2c"
    static let privateSource = "synthetic-confidential-informant"
    static let privateContext = "https://synthetic-forum.invalid/thread/42"

    let dataDirectory: String
    let store: IndexStore
    let casework: InMemoryCasework
    let responseID: Int64 = 7
    let requestID: Int64 = 3

    static let shared: Result<SampleCase, any Error> = Result { try SampleCase.make() }

    static func get() throws -> SampleCase { try shared.get() }

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func make() throws -> SampleCase {
        let root = repository
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-reports-\(UUID().uuidString)")
        let store = try IndexStore(dataDirectory: dir.path, create: true)
        _ = try Importer.run(ImportOptions(paths: [root.appendingPathComponent("samples/chain/blocks").path]), store: store)
        _ = try ClusterEngine(store: store, rules: StandardRules.make()).run()
        let tags = try TagStore(index: store)
        try tags.importFiles([root.appendingPathComponent("samples/chain/watchlist.csv").path])
        let privateCSV = dir.appendingPathComponent("private.csv")
        try
            ("address,label,category,source,confidence,context,private\n"
            + "\(sellerAddress),synthetic-seller-1,abuse_seller,\(privateSource),0.8,\(privateContext),true\n")
            .write(to: privateCSV, atomically: true, encoding: .utf8)
        try tags.importFiles([privateCSV.path])

        // The findings are computed as `spoor response add-finding` computes them.
        let runner = FindingRunner(index: store)
        let traceRun = try runner.run(FindingSpecification(kind: .trace, subject: traceSubject, model: "all", hops: 4))
        let paymentsRun = try runner.run(FindingSpecification(kind: .payments, subject: sellerAddress))
        let exposureRun = try runner.run(FindingSpecification(kind: .exposure, subject: sellerAddress, hops: 2))

        let t0 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
        let c = InMemoryCasework()
        c.cases = [
            HotlineCase(
                id: 1, reference: "HL-2026-0042", title: "Synthetic seller storefront", status: "open", analyst: "analyst-a",
                opened: t0, closed: nil, notes: "INTERNAL NOTE: synthetic informant lead", sites: ["synthetic-shop.invalid"])
        ]
        c.requestsByID[3] = PartnerRequest(
            id: 3, caseID: 1, organisation: "Synthetic Exchange Compliance", partnerReference: "SX-REQ-9",
            received: t0.addingTimeInterval(86_400), due: t0.addingTimeInterval(86_400 * 14),
            question: "Did our customer's withdrawal pay a known seller, and who else paid that seller?",
            subjects: [traceSubject, sellerAddress])
        c.responsesByID[7] = Response(
            id: 7, requestID: 3, state: .approved,
            conclusion: "Money from the subject transaction reaches the wallet of synthetic-seller-1; the seller's wallet "
                + "received the payments listed below.", author: "analyst-a", reviewer: "reviewer-b",
            created: t0.addingTimeInterval(86_400 * 2), submitted: t0.addingTimeInterval(86_400 * 3),
            approved: t0.addingTimeInterval(86_400 * 4), sent: nil)
        func finding(_ id: Int64, _ question: String, _ run: FindingComputation) -> Finding {
            Finding(
                id: id, responseID: 7, kind: run.specification.kind, subject: run.specification.subject, question: question,
                command: run.specification.command, parameters: run.specification.parameters, result: run.result,
                tipHeight: run.tipHeight, tipHash: run.tipHash, layer: run.specification.layer.description,
                clusterParameters: run.clusterParameters, createdBy: "analyst-a", created: t0.addingTimeInterval(86_400 * 2))
        }
        c.findingsByResponse[7] = [
            finding(11, "Where did the money of this transaction go?", traceRun),
            finding(12, "Who paid this seller's wallet, when, how much?", paymentsRun),
            finding(13, "How exposed is the seller's address to other attributed wallets?", exposureRun),
        ]
        return SampleCase(dataDirectory: dir.path, store: store, casework: c)
    }

    /// The document of the sample response.
    func document(_ audience: ReportAudience) throws -> EvidenceDocument {
        try EvidenceBuilder(casework: casework, index: try IndexEvidenceSource(store: store))
            .document(responseIDs: [responseID], audience: audience, now: Date(timeIntervalSince1970: 1_767_657_600))
    }

    /// Every txid in the findings' stored results: the paths of the haircut trace (the model the report's
    /// facts list; the others are compared in the model table) and the payments.
    func resultTxids() throws -> Set<String> {
        var out = Set<String>()
        for f in try casework.findings(responseID: responseID) {
            switch f.kind {
            case .trace:
                for r in try JSONDecoder().decode([TraceResult].self, from: f.result) where r.parameters.model == .haircut {
                    for p in r.paths { for s in p.steps { out.insert(String(s.outpoint.prefix(64))) } }
                }
            case .payments:
                for p in try JSONDecoder().decode(SellerPaymentsReport.self, from: f.result).payments { out.insert(p.txid) }
            case .exposure: break
            }
        }
        return out
    }
}

/// A fresh temporary directory.
func temporaryDirectory(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}
