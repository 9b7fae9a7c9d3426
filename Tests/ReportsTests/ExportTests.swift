import Foundation
import Testing

@testable import Reports

struct ExportTests {
    @Test func mispEventHasTheSellerAddressesAsBtcAttributes() throws {
        let doc = try SampleCase.get().document(.partner)
        let misp = MISPExport(document: doc, now: Date(timeIntervalSince1970: 1_767_657_600))
        let object = try #require(try JSONSerialization.jsonObject(with: try misp.jsonData()) as? [String: Any])
        let event = try #require(object["Event"] as? [String: Any])
        #expect(event["date"] as? String == "2026-01-06")
        #expect(
            event["threat_level_id"] as? String == "1" && event["analysis"] as? String == "2" && event["distribution"] as? String == "1")
        let attributes = try #require(event["Attribute"] as? [[String: Any]])
        let values = Set(attributes.compactMap { $0["value"] as? String })
        #expect(values.contains(SampleCase.sellerAddress))
        for a in attributes {
            #expect(a["type"] as? String == "btc" && a["category"] as? String == "Financial fraud" && a["to_ids"] as? Bool == true)
            #expect((a["uuid"] as? String)?.count == 36)
        }
        // Only seller wallets: every value is an address of an abuse_seller-tagged cluster in the facts.
        let sellers = Set(MISPExport.sellerAddresses(doc).map(\.address))
        #expect(values == sellers)
        // Same case, same event.
        #expect(try misp.jsonData() == MISPExport(document: doc, now: Date(timeIntervalSince1970: 1_767_657_600)).jsonData())
        #expect(!String(decoding: try misp.jsonData(), as: UTF8.self).contains(SampleCase.privateSource))
    }

    @Test func partnerPackageHasNoPrivateSourcesOrNotes() throws {
        let sample = try SampleCase.get()
        // Even from an internal document the package hides private sources.
        let doc = try sample.document(.internal)
        let package = try #require(PartnerPackage(document: doc, requestID: sample.requestID, names: false))
        #expect(package.question.contains("known seller"))
        #expect(package.answer.contains("synthetic-seller-1"))
        #expect(package.analyst == nil && package.reviewer == nil)
        #expect(package.subjects.map(\.subject) == [SampleCase.traceSubject, SampleCase.sellerAddress])
        let json = String(decoding: try package.jsonData(), as: UTF8.self)
        let csv = package.csv()
        for text in [json, csv] {
            #expect(
                !text.contains(SampleCase.privateSource) && !text.contains(SampleCase.privateContext) && !text.contains("INTERNAL NOTE"))
        }
        #expect(csv.hasPrefix(PartnerPackage.csvColumns.joined(separator: ",") + "\r\n"))
        for txid in try sample.resultTxids() { #expect(csv.contains(txid)) }
        #expect(PartnerPackage(document: doc, requestID: 999, names: true) == nil)
        #expect(PartnerPackage(document: doc, requestID: sample.requestID, names: true)?.reviewer == "reviewer-b")
    }
}
