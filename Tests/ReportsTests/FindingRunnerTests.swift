import ChainIndex
import Foundation
import GRDB
import Testing
import Tracer

@testable import Reports

/// The sample chain imported, clustered and tagged with the synthetic watchlist, once for the suite.
enum FindingTestIndex {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// A synthetic seller address on the watchlist.
    static let seller = "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3"

    static let directory: Result<String, any Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-findings-\(UUID().uuidString)").path
        let store = try IndexStore(dataDirectory: dir, create: true)
        _ = try Importer.run(ImportOptions(paths: [repository.appendingPathComponent("samples/chain/blocks").path]), store: store)
        _ = try ClusterEngine(store: store, rules: StandardRules.make()).run()
        try TagStore(index: store).importFiles(
            [repository.appendingPathComponent("samples/chain/watchlist.csv").path], format: nil,
            author: nil, markPrivate: false)
        try store.checkpoint()
        return dir
    }

    /// A payer of the seller: the first payment's payer address (found with the Tracer itself).
    static func payerSubject(_ runner: FindingRunner) throws -> String {
        let report = try SellerPayments(store: runner.index).run([seller])
        let payment = try #require(report.payments.first)
        return "\(payment.txid):\(try #require(payment.vouts.first))"
    }
}

@Suite(.serialized)
struct FindingRunnerTests {
    func runner() throws -> FindingRunner { try FindingRunner(dataDirectory: try FindingTestIndex.directory.get()) }

    @Test func traceExposureAndPaymentsRecomputeToIdenticalBytes() throws {
        let runner = try runner()
        let payment = try FindingTestIndex.payerSubject(runner)
        let specifications = [
            FindingSpecification(kind: .trace, subject: payment, hops: 3, backward: true),
            FindingSpecification(kind: .trace, subject: payment, model: "all", hops: 2, backward: true),
            FindingSpecification(kind: .exposure, subject: FindingTestIndex.seller, hops: 2),
            FindingSpecification(kind: .payments, subject: FindingTestIndex.seller),
        ]
        let t = try TemporaryCasework()
        let c = try t.store.createCase(reference: "HL-F", title: "findings", actor: "alice")
        let request = try t.store.createRequest(
            caseReference: c.reference, organisation: "Exchange", question: "Who paid the seller?",
            subjects: [payment, FindingTestIndex.seller], actor: "alice")
        let response = try t.store.createResponse(requestID: request.id, actor: "alice")
        for s in specifications {
            let computed = try runner.run(s)
            #expect(computed.tipHeight != nil && computed.tipHash?.count == 64)
            #expect(!computed.clusterParameters.isEmpty)
            let finding = try t.store.addFinding(responseID: response.id, computation: computed, actor: "alice")
            #expect(finding.result == computed.result && finding.parameters == s.parameters && finding.command == s.command)
            #expect(finding.tipHash == computed.tipHash && finding.layer == "strict")
            // Stored, read back, recomputed from the stored parameters: the same bytes.
            let stored = try #require(try t.store.findings(responseID: response.id).last)
            #expect(try runner.recompute(stored) == stored.result, "\(s.command)")
        }
        let findings = try t.store.findings(responseID: response.id)
        // The results are the Tracer's types, canonical JSON.
        let trace = try JSONDecoder().decode(TraceResult.self, from: findings[0].result)
        #expect(trace.parameters.direction == .backward && trace.parameters.maxHops == 3 && trace.tipHash == findings[0].tipHash)
        #expect(try FindingRunner.encode(trace) == findings[0].result)
        let all = try JSONDecoder().decode([TraceResult].self, from: findings[1].result)
        #expect(all.map(\.parameters.model) == [.poison, .haircut, .fifo])
        let exposure = try JSONDecoder().decode(ExposureReport.self, from: findings[2].result)
        #expect(exposure.maxHops == 2 && exposure.model == "haircut" && exposure.layer == "strict")
        let payments = try JSONDecoder().decode(SellerPaymentsReport.self, from: findings[3].result)
        #expect(payments.paymentCount > 0 && payments.payments.count == payments.paymentCount)
        #expect(findings[3].clusterParameters == payments.clusterParameters)
    }

    @Test func aChangedResultIsNoticed() throws {
        let runner = try runner()
        let computed = try runner.run(FindingSpecification(kind: .payments, subject: FindingTestIndex.seller))
        var finding = Finding(
            id: 1, responseID: 1, kind: .payments, subject: FindingTestIndex.seller, question: "q",
            command: computed.specification.command, parameters: computed.specification.parameters,
            result: computed.result, tipHeight: computed.tipHeight, tipHash: computed.tipHash, layer: "strict",
            clusterParameters: computed.clusterParameters, createdBy: "alice", created: Date())
        #expect(try runner.recompute(finding) == finding.result)
        finding.result.append(0x20)
        #expect(try runner.recompute(finding) != finding.result)
    }

    @Test func parametersRoundTripAndAreChecked() throws {
        let s = FindingSpecification(
            kind: .trace, subject: "bcrt1qx", model: "fifo", hops: 4, backward: true, layer: .extended, maxNodes: 50,
            minValue: 1000)
        #expect(
            s.parameters == [
                "direction": "backward", "model": "fifo", "hops": "4", "min_value": "1000", "max_nodes": "50", "layer": "extended",
            ])
        #expect(try FindingSpecification(kind: .trace, subject: "bcrt1qx", parameters: s.parameters) == s)
        #expect(s.command == "spoor trace --layer extended --model fifo --hops 4 --min-value 1000 --max-nodes 50 --backward bcrt1qx")
        #expect(FindingSpecification(kind: .payments, subject: "a b").command == "spoor payments --layer strict 'a b'")
        #expect(throws: CaseworkError.invalidParameter(name: "model", value: "all", expected: "poison, haircut or fifo")) {
            try FindingSpecification(kind: .exposure, subject: "x", model: "all").validate()
        }
        #expect(throws: CaseworkError.invalidParameter(name: "hops", value: "", expected: "a value")) {
            try FindingSpecification(kind: .exposure, subject: "x", parameters: ["layer": "strict", "model": "haircut", "max_nodes": "5"])
        }
        #expect(throws: CaseworkError.invalidParameter(name: "layer", value: "loose", expected: "strict or extended")) {
            try FindingSpecification(kind: .payments, subject: "x", parameters: ["layer": "loose"])
        }
    }

    @Test func anUnknownSubjectIsAnErrorNotAFinding() throws {
        let runner = try runner()
        #expect(throws: TraceError.self) {
            try runner.run(FindingSpecification(kind: .trace, subject: String(repeating: "ab", count: 32) + ":0"))
        }
    }
}
