import Foundation
import Testing
import Tracer

@testable import Reports

struct EvidenceDocumentTests {
    @Test func factsInferencesAndAttributionsFromRealFindings() throws {
        let sample = try SampleCase.get()
        let doc = try sample.document(.internal)
        #expect(doc.format == EvidenceDocument.formatName)
        #expect(doc.answers.count == 1)
        let findings = try #require(doc.answers.first?.findings)
        #expect(findings.map(\.kind) == ["trace", "payments", "exposure"])
        // Every txid of the stored results is a fact.
        let factTxids = Set(findings.flatMap { $0.facts.map(\.txid) })
        let expected = try sample.resultTxids()
        #expect(!expected.isEmpty)
        #expect(expected.isSubset(of: factTxids))
        for f in findings.flatMap(\.facts) {
            #expect(f.outpoint == "\(f.txid):\(f.vout)")
            #expect(f.btc == UTCText.btc(f.satoshis))
        }
        // The trace ran under three models: compared, and each path's taint inference says whether it depends on the model.
        let trace = findings[0]
        #expect(trace.modelComparison != nil && trace.modelDependent != nil)
        #expect(trace.inferences.contains { $0.kind == "taint" && !$0.precision.contains("not compared") })
        // The seller's private tag is shown in full internally.
        let payments = findings[1]
        let privateTag = try #require(payments.attributions.first { $0.isPrivate })
        #expect(privateTag.source == SampleCase.privateSource && privateTag.context == SampleCase.privateContext)
        #expect(payments.inferences.contains { $0.kind == "payer" })
        // Provenance: the import run with the block file's digest, the tip, the clustering parameters.
        #expect(doc.provenance.importRuns.first?.files.first?.sha256.count == 64)
        #expect(doc.provenance.indexTipHeight != nil && !doc.provenance.clusterParameters.isEmpty)
        #expect(doc.caseInfo.notes != nil)
    }

    @Test func partnerDocumentHidesPrivateSourcesAndNotes() throws {
        let doc = try SampleCase.get().document(.partner)
        let attributions = doc.answers.flatMap { $0.findings.flatMap(\.attributions) }
        #expect(attributions.contains { $0.isPrivate })
        for a in attributions where a.isPrivate { #expect(a.source == "private" && a.context == nil) }
        #expect(doc.caseInfo.notes == nil)
        let json = String(decoding: try doc.jsonData(), as: UTF8.self)
        #expect(!json.contains(SampleCase.privateSource) && !json.contains(SampleCase.privateContext) && !json.contains("INTERNAL NOTE"))
    }

    @Test func jsonIsStableAndRoundTrips() throws {
        let doc = try SampleCase.get().document(.internal)
        let a = try doc.jsonData(), b = try SampleCase.get().document(.internal).jsonData()
        #expect(a == b)
        #expect(try EvidenceDocument.decoder.decode(EvidenceDocument.self, from: a) == doc)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.contains("\"case_info\"") && text.contains("\"result_sha256\"") && text.contains("\"import_runs\""))
    }

    @Test func fiatFieldsAreReadWhenPresent() throws {
        // A stored payments result carrying a fiat value in some shape: read by key, unknown keys ignored.
        let json =
            #"{"payments":[{"outputs":[{"value_fiat":{"amount":"12.34","currency":"USD","date":"2024-01-02","price":"42000.00","series":"synthetic","extra":1}}]}],"fiat_series":{"name":"synthetic","currency":"USD","citation":"synthetic series","sources":[{"file":"prices.csv","sha256":"ab"}]}}"#
        let fiat = LenientFiat(Data(json.utf8))
        #expect(
            fiat.amount(["payments", 0, "outputs", 0, "value_fiat"])
                == FiatAmount(
                    amount: "12.34", currency: "USD", date: "2024-01-02",
                    price: "42000.00", series: "synthetic"))
        #expect(fiat.amount(["payments", 1, "outputs", 0, "value_fiat"]) == nil)
        #expect(fiat.series()?.files == [PriceFile(path: "prices.csv", sha256: "ab")])
    }
}

struct RecomputeTests {
    @Test func everySampleFindingRecomputesIdentically() throws {
        let sample = try SampleCase.get()
        for f in try sample.casework.findings(responseID: sample.responseID) {
            let outcome = FindingRecompute.run(f, store: sample.store)
            #expect(outcome.status == "identical", "finding \(f.id): \(outcome.detail)")
            #expect(outcome.newTipHeight == f.tipHeight)
        }
        // A changed stored result is reported as different.
        var changed = try #require(sample.casework.findings(responseID: sample.responseID).first { $0.kind == .payments })
        changed.result = Data(
            String(decoding: changed.result, as: UTF8.self).replacingOccurrences(of: "\"payment_count\":", with: "\"payment_count\":1").utf8
        )
        #expect(FindingRecompute.run(changed, store: sample.store).status != "identical")
    }
}
