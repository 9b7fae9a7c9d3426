import Foundation

/// The flow diagram laid out by Graphviz (`dot -Tsvg`), when `dot` is on the PATH.
enum GraphvizSVG {
    /// The path of `dot`, nil when not installed.
    static var dotPath: String? { ExternalTool.find("dot") }

    /// The diagram as SVG from `dot`, nil when `dot` is missing or fails.
    static func render(_ diagram: FlowDiagram) -> String? {
        guard !diagram.nodes.isEmpty, let dot = dotPath else { return nil }
        guard let output = ExternalTool.run(dot, ["-Tsvg"], input: Data(source(diagram).utf8)),
            let text = String(data: output, encoding: .utf8), let start = text.range(of: "<svg")
        else { return nil }
        return String(text[start.lowerBound...])
    }

    /// The DOT source: left to right, one rank per column.
    static func source(_ d: FlowDiagram) -> String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var out =
            "digraph flow {\n  rankdir=LR; nodesep=0.3; ranksep=1.2;\n"
            + "  node [shape=box, style=\"rounded,filled\", fontname=\"DejaVu Sans\", fontsize=11, fillcolor=\"#f7f7f7\"];\n"
            + "  edge [fontname=\"DejaVu Sans\", fontsize=10, color=\"#555555\"];\n"
        for column in Set(d.nodes.map(\.column)).sorted() {
            out += "  { rank=same; " + d.nodes.filter { $0.column == column }.map { q($0.id) }.joined(separator: "; ") + " }\n"
        }
        for n in d.nodes {
            let label = SVGText.fit(n.label, 32) + (n.detail.isEmpty ? "" : "\\n" + SVGText.fit(n.detail, 34))
            let style =
                n.attributed
                ? ", penwidth=3, color=\"#a01818\", fillcolor=\"#fde8e8\""
                : n.isSubject ? ", style=\"rounded,filled,dashed\", color=\"#1f4e9a\", fillcolor=\"#e8eef8\"" : ""
            out += "  \(q(n.id)) [label=\(q(label).replacingOccurrences(of: "\\\\n", with: "\\n"))\(style)];\n"
        }
        for e in d.edges { out += "  \(q(e.from)) -> \(q(e.to)) [label=\(q(SVGText.shortBTC(e.satoshis)))];\n" }
        return out + "}\n"
    }
}

/// Running external programs (Graphviz, Chromium) found on the PATH.
public enum ExternalTool {
    /// The full path of `name` on the PATH, nil when absent.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `tool` with `arguments`, feeding `input`; its standard output, nil on a non-zero exit.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], input: Data? = nil) -> Data? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let out = Pipe(), inPipe = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        do { try p.run() } catch { return nil }
        if let input {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? data : nil
    }
}
