import ChainIndex
import Foundation
import Testing
import Tracer

@testable import Reports

// An index holding explorer JSON data (blocks without header, prevouts) makes the report say so
// in its limitations; an index without it does not.

/// The sample index, reporting explorer data in its status.
private struct ExplorerDataIndex: EvidenceIndex {
    let base: IndexEvidenceSource
    func status() throws -> IndexStatus {
        var s = try base.status()
        s.explorerBlocks = 2
        s.explorerPrevouts = 5
        return s
    }
    func tags(cluster: Int64, layer: String) throws -> [TagView] { try base.tags(cluster: cluster, layer: layer) }
}

@Suite(.serialized)
struct ExplorerLimitationTests {
    @Test func aReportOnExplorerDataSaysSo() throws {
        let sample = try SampleCase.get()
        let plain = try sample.document(.internal)
        #expect(!plain.method.limitations.contains { $0.contains("block explorer") })
        let index = ExplorerDataIndex(base: try IndexEvidenceSource(store: sample.store))
        let doc = try EvidenceBuilder(casework: sample.casework, index: index)
            .document(responseIDs: [sample.responseID], audience: .internal, now: Date(timeIntervalSince1970: 1_767_657_600))
        let added = doc.method.limitations.filter { $0.contains("block explorer") }
        #expect(added.count == 1)
        #expect(added.first?.contains("2 block(s) are held without their header") == true)
        #expect(added.first?.contains("5 input(s) take the value and address") == true)
        #expect(doc.method.limitations.count == plain.method.limitations.count + 1)
    }
}
