import Foundation

/// Renders an evidence document as one self-contained HTML file (inline CSS and SVG, no external
/// resources).
public struct ReportRenderer {
    public let templates: ReportTemplates
    /// Use Graphviz for the flow diagrams when `dot` is installed.
    public var preferGraphviz: Bool

    public init(templates: ReportTemplates, preferGraphviz: Bool = true) {
        self.templates = templates
        self.preferGraphviz = preferGraphviz
    }

    /// The HTML of `document`.
    /// - Parameters:
    ///   - jsonSha256: the SHA-256 of the JSON twin's bytes, printed in the report.
    ///   - keyID: the signing key's id, printed in the report.
    public func html(_ document: EvidenceDocument, jsonSha256: String, keyID: String?) throws -> String {
        var graphs: [Int64: (svg: String, engine: String)] = [:]
        for a in document.answers {
            for f in a.findings where !f.graph.nodes.isEmpty {
                let drawn = FlowSVG.render(f.graph, preferGraphviz: preferGraphviz)
                graphs[f.id] = (drawn.svg, drawn.engine.rawValue)
            }
        }
        let timeline = TimelineSVG.render(TimelineSVG.points(document))
        return try templates.render(ReportView.context(document, jsonSha256: jsonSha256, keyID: keyID, graphs: graphs, timeline: timeline))
    }
}
