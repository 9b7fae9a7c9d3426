import Foundation
import Testing

@testable import Reports

struct ReportRenderTests {
    /// Writes the sample report for `audience` into a fresh directory.
    func write(_ audience: ReportAudience) throws -> (ReportWriter.Written, EvidenceDocument) {
        let sample = try SampleCase.get()
        let dir = try temporaryDirectory("render")
        let keys = KeyStore(dataDirectory: dir.path)
        try keys.create()
        let doc = try sample.document(audience)
        let writer = ReportWriter(
            renderer: ReportRenderer(templates: try ReportTemplates(), preferGraphviz: false),
            signer: ReportSigner(key: try keys.privateKey()))
        return (try writer.write(doc, to: ReportFiles(base: dir.appendingPathComponent("HL-2026-0042-r7").path)), doc)
    }

    @Test func sampleReportHasEveryTxidAndVerifies() throws {
        let (written, _) = try write(.internal)
        let html = try String(contentsOfFile: written.files.html, encoding: .utf8)
        let json = try String(contentsOfFile: written.files.json, encoding: .utf8)
        for txid in try SampleCase.get().resultTxids() {
            #expect(html.contains(txid), "txid \(txid) missing from the HTML")
            #expect(json.contains(txid), "txid \(txid) missing from the JSON")
        }
        let v = ReportVerifier.verify(written.files.signature)
        #expect(v.ok, "\(v.failures)")
        #expect(html.contains(written.jsonSha256))
        // Sections in order, the three kinds apart, and self-contained.
        let order = [
            "1. Case and request", "Conclusion", "2. Findings", "On-chain outputs", "What rules concluded",
            "Tags on the wallets named", "3. Payments timeline", "4. Method", "Alternative explanations", "5. Provenance", "6. Integrity",
        ]
        let positions = order.map { html.range(of: $0)?.lowerBound }
        #expect(!positions.contains(nil), "missing: \(zip(order, positions).filter { $0.1 == nil }.map(\.0))")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(html.contains("<svg") && html.contains("class=\"timeline\""))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<link") && !html.contains("<script"))
        #expect(html.contains(SampleCase.privateSource))
        #expect(html.contains("INTERNAL NOTE"))
    }

    @Test func partnerReportHidesPrivateSourceAndContext() throws {
        let (written, doc) = try write(.partner)
        let html = try String(contentsOfFile: written.files.html, encoding: .utf8)
        let json = try String(contentsOfFile: written.files.json, encoding: .utf8)
        for text in [html, json] {
            #expect(!text.contains(SampleCase.privateSource))
            #expect(!text.contains(SampleCase.privateContext))
            #expect(!text.contains("INTERNAL NOTE"))
        }
        #expect(doc.answers[0].findings.flatMap(\.attributions).contains { $0.isPrivate && $0.source == "private" })
        #expect(html.contains("Partner version"))
        #expect(ReportVerifier.verify(written.files.html).ok)
    }

    @Test func customTemplateDirectory() throws {
        let dir = try temporaryDirectory("templates")
        try ReportTemplates.export(to: dir.path)
        let report = dir.appendingPathComponent("report.mustache")
        try (try String(contentsOf: report, encoding: .utf8)).replacingOccurrences(of: "<h1>Evidence report", with: "<h1>UNIT REPORT")
            .write(to: report, atomically: true, encoding: .utf8)
        let doc = try SampleCase.get().document(.partner)
        let html = try ReportRenderer(templates: try ReportTemplates(directory: dir.path), preferGraphviz: false)
            .html(doc, jsonSha256: "00", keyID: nil)
        #expect(html.contains("<h1>UNIT REPORT"))
        #expect(throws: EvidenceError.self) { try ReportTemplates(directory: dir.appendingPathComponent("missing").path) }
    }

    @Test func builtInLayoutHasNoOverlapsForFortyNodes() throws {
        // 40 wallets in 5 columns, each linked to two in the next column, plus a fan-in.
        var nodes: [FlowNode] = [], edges: [FlowLink] = []
        for i in 0..<40 {
            nodes.append(
                FlowNode(
                    id: "c\(i)", label: "cluster \(1000 + i)", detail: i % 7 == 0 ? "synthetic-seller-\(i) (abuse_seller)" : "",
                    column: i / 8, attributed: i % 7 == 0, isSubject: i == 0))
        }
        for i in 0..<32 {
            edges.append(FlowLink(from: "c\(i)", to: "c\(8 + (i * 3) % 8 + (i / 8) * 8)", satoshis: Int64(1000 * (i + 1)), txids: []))
            edges.append(FlowLink(from: "c\(i)", to: "c\(8 + (i * 5 + 1) % 8 + (i / 8) * 8)", satoshis: Int64(700 * (i + 1)), txids: []))
        }
        for i in 32..<39 { edges.append(FlowLink(from: "c\(i % 8)", to: "c39", satoshis: 5000, txids: [])) }
        let diagram = FlowDiagram(nodes: nodes, edges: edges)
        let layout = FlowLayout(diagram)
        let boxes = nodes.compactMap { layout.boxes[$0.id] }
        #expect(boxes.count == 40)
        for i in boxes.indices {
            for j in boxes.indices where j > i { #expect(!boxes[i].overlaps(boxes[j]), "boxes \(i) and \(j) overlap") }
            #expect(
                boxes[i].x >= 0 && boxes[i].y >= 0 && boxes[i].x + boxes[i].width <= layout.width
                    && boxes[i].y + boxes[i].height <= layout.height)
        }
        // Amount labels do not overlap each other or any box.
        let labels = layout.routes.compactMap { $0 }.map {
            FlowLayout.Box(x: $0.label.x, y: $0.label.y - 11, width: $0.labelWidth, height: 14)
        }
        for i in labels.indices {
            for j in labels.indices where j > i { #expect(!labels[i].overlaps(labels[j]), "labels \(i) and \(j) overlap") }
            for b in boxes { #expect(!labels[i].overlaps(b), "label \(i) overlaps a box") }
        }
        let svg = FlowSVG.builtIn(diagram)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        // No text under 10 px.
        let sizes = svg.components(separatedBy: "font-size=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 10 })
    }
}

/// Writes the sample report (synthetic data) for `docs/examples/` when `SPOOR_REPORT_EXAMPLE_DIR`
/// names a directory: `SPOOR_REPORT_EXAMPLE_DIR=docs/examples swift test --filter writeExample`.
struct ReportExample {
    static let directory = ProcessInfo.processInfo.environment["SPOOR_REPORT_EXAMPLE_DIR"]

    @Test(.enabled(if: directory != nil)) func writeExample() throws {
        let dir = try #require(Self.directory)
        let keys = KeyStore(dataDirectory: try temporaryDirectory("example-keys").path)
        try keys.create()
        let writer = ReportWriter(
            renderer: ReportRenderer(templates: try ReportTemplates()), signer: ReportSigner(key: try keys.privateKey()))
        let doc = try SampleCase.get().document(.partner)
        let written = try writer.write(doc, to: ReportFiles(base: URL(fileURLWithPath: dir).appendingPathComponent("sample-report").path))
        if let chromium = Chromium.path {
            #expect(
                Chromium.screenshot(
                    chromium, html: written.files.html, png: URL(fileURLWithPath: dir).appendingPathComponent("sample-report.png").path))
        }
    }
}
