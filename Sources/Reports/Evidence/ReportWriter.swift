import Foundation

/// Writes a report: `NAME.json`, `NAME.html`, optionally `NAME.pdf`, then `NAME.sig.json`.
public struct ReportWriter {
    public let renderer: ReportRenderer
    public let signer: ReportSigner

    public init(renderer: ReportRenderer, signer: ReportSigner) {
        self.renderer = renderer
        self.signer = signer
    }

    /// What was written.
    public struct Written: Sendable {
        public var files: ReportFiles
        public var jsonSha256: String
        public var signature: SignatureFile
        /// Why no PDF was made when one was asked for (Chromium not installed or failed).
        public var pdfNote: String?
    }

    /// Writes `document` as report `files`.
    /// - Parameter pdf: also print a PDF through headless Chromium, when installed.
    public func write(_ document: EvidenceDocument, to files: ReportFiles, pdf: Bool = false, now: Date = Date()) throws -> Written {
        let json = try document.jsonData()
        let digest = Digest.sha256Hex(json)
        let html = try renderer.html(document, jsonSha256: digest, keyID: signer.key.publicKey.keyID)
        let dir = URL(fileURLWithPath: files.base).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try json.write(to: URL(fileURLWithPath: files.json), options: .atomic)
            try Data(html.utf8).write(to: URL(fileURLWithPath: files.html), options: .atomic)
        } catch { throw EvidenceError.io(path: files.base, reason: "\(error)") }
        var note: String?
        var madePDF = false
        if pdf {
            if let chromium = Chromium.path {
                madePDF = Chromium.printPDF(chromium, html: files.html, pdf: files.pdf)
                if !madePDF { note = "\(chromium) did not produce \(files.pdf)" }
            } else {
                note = "no PDF: Chromium is not installed (chromium, chromium-browser or google-chrome on the PATH)"
            }
        }
        let sig = try signer.sign(files, includePDF: madePDF, now: now)
        return Written(files: files, jsonSha256: digest, signature: sig, pdfNote: note)
    }
}

/// Headless Chromium, for PDFs and screenshots of reports.
public enum Chromium {
    /// The first of `chromium`, `chromium-browser`, `google-chrome` on the PATH.
    public static var path: String? { ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(ExternalTool.find).first }

    static func baseArguments() -> [String] { ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"] }

    /// Prints `html` to `pdf`; true when the PDF exists afterwards.
    public static func printPDF(_ chromium: String, html: String, pdf: String) -> Bool {
        try? FileManager.default.removeItem(atPath: pdf)
        ExternalTool.run(chromium, baseArguments() + ["--print-to-pdf=\(pdf)", URL(fileURLWithPath: html).absoluteString])
        return FileManager.default.fileExists(atPath: pdf)
    }

    /// A PNG screenshot of `html` at `width`×`height`; true when the PNG exists afterwards.
    public static func screenshot(_ chromium: String, html: String, png: String, width: Int = 1280, height: Int = 4000) -> Bool {
        try? FileManager.default.removeItem(atPath: png)
        ExternalTool.run(
            chromium,
            baseArguments() + [
                "--hide-scrollbars", "--screenshot=\(png)", "--window-size=\(width),\(height)",
                URL(fileURLWithPath: html).absoluteString,
            ])
        return FileManager.default.fileExists(atPath: png)
    }
}
