import ChainIndex
import Testing
@testable import Tracer

// Exposure on the hand-built graph of TraceEngineTests, and the screening input reader.

struct ExposureTests {
    @Test func exposureSplitsDirectAndIndirect() throws {
        func run(_ d: TraceDirection, _ output: Int64) throws -> TraceResult {
            try TraceEngine(graph: handGraph, parameters: TraceParameters(direction: d, model: .haircut, maxHops: 3))
                .run(TraceStart(description: "P1", outputs: [output], ownClusters: [2]), tipHeight: nil, tipHash: nil)
        }
        // From P1 (600, cluster 2). Forward: T3 pays the seller 420 directly (1 hop).
        // Backward: P1 ← S ← coinbase: nothing attributed.
        let fromP1 = ExposureReport(backward: try run(.backward, 2), forward: try run(.forward, 2))
        #expect(fromP1.totalReceived == 600)
        #expect(fromP1.received.isEmpty)
        #expect(fromP1.sent == [ExposureReport.Category(category: "abuse_seller", direct: 420, indirect: 0, share: 0.7, minHops: 1)])
        #expect(fromP1.counterparties.map(\.cluster) == [5])
        // From S (1000, subject cluster 1): seller 420 and exchange 300, both two transactions away.
        func runS(_ d: TraceDirection) throws -> TraceResult {
            try TraceEngine(graph: handGraph, parameters: TraceParameters(direction: d, model: .haircut, maxHops: 3))
                .run(TraceStart(description: "S", outputs: [1], ownClusters: [1]), tipHeight: nil, tipHash: nil)
        }
        let fromS = ExposureReport(backward: try runS(.backward), forward: try runS(.forward))
        #expect(fromS.sent.first { $0.category == "abuse_seller" } == .init(category: "abuse_seller", direct: 0, indirect: 420, share: 0.42, minHops: 2))
        #expect(fromS.sent.first { $0.category == "exchange" } == .init(category: "exchange", direct: 0, indirect: 300, share: 0.3, minHops: 2))
        // From the seller's Q1, backward: 280 from the exchange-tagged Z, two transactions back.
        let toQ1 = try TraceEngine(graph: handGraph, parameters: TraceParameters(direction: .backward, model: .haircut, maxHops: 3))
            .run(TraceStart(description: "Q1", outputs: [4], ownClusters: [5]), tipHeight: nil, tipHash: nil)
        let q1 = ExposureReport(backward: toQ1, forward: toQ1)
        #expect(q1.received == [ExposureReport.Category(category: "exchange", direct: 0, indirect: 280, share: 0.4, minHops: 2)])
    }

    @Test func screeningInput() {
        let a = "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3", b = "2N7eExqUDWdYcRpWpyFnHsKruRD3FcJBT4D"
        let csv = "\u{FEFF}reference,address\r\nr1,\(a)\r\n\r\nr2,notanaddress\r\nr3\r\nr4,\(b)\r\nr5,1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\r\n"
        let read = ScreeningInput.read(csv, network: .regtest)
        #expect(read.addresses.map(\.line) == [2, 6])
        #expect(read.addresses.map(\.address) == [a, b])
        #expect(read.problems.map(\.line) == [4, 5, 7])
        // No header: one address per line.
        let plain = ScreeningInput.read("\(a)\n\(b)\n", network: .regtest)
        #expect(plain.addresses.map(\.line) == [1, 2] && plain.problems.isEmpty)
    }
}
