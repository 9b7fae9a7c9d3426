import ArgumentParser
import ChainIndex
import Foundation
import Reports

/// `spoor report RESPONSE_ID|CASE_REF --out NAME` and `spoor report verify FILE`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Signed evidence reports (HTML and JSON) and their verification.",
        subcommands: [ReportMake.self, ReportVerify.self], defaultSubcommand: ReportMake.self)
}

/// Makes a report.
struct ReportMake: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make",
        abstract: "Write NAME.json, NAME.html and NAME.sig.json for a response (id) or every response of a case (reference).")
    @OptionGroup var options: DataOptions
    @Argument(help: "A response id, or a case reference for every response of the case.") var target: String
    @Option(help: "Path of the report without extension.") var out: String
    @Option(help: "internal (everything) or partner (private tag sources and internal notes withheld).") var audience = "internal"
    @Option(help: "A directory with the unit's own report.mustache and style.mustache.") var templateDir: String?
    @Flag(help: "Also print NAME.pdf with headless Chromium when installed (signed with the rest).") var pdf = false
    @Flag(help: "Draw the built-in layout even when Graphviz is installed.") var noGraphviz = false
    @Option(name: .customLong("as"), help: "Who makes the report (recorded in the audit log).") var actorName: String?

    func run() throws {
        guard let audience = ReportAudience(rawValue: audience) else {
            throw fail("unknown audience '\(audience)' (internal or partner)", code: 2)
        }
        do {
            let actor = try Actor.resolve(explicit: actorName)
            let casework = try openCasework(dataDirectory: options.data)
            let ids: [Int64]
            if let id = Int64(target) {
                ids = [try casework.response(id: id).id]
            } else {
                ids = try casework.responses(caseID: try casework.hotlineCase(reference: target).id).map(\.id)
            }
            let index = try IndexEvidenceSource(store: try IndexStore(dataDirectory: options.data, create: false))
            let document = try EvidenceBuilder(casework: casework, index: index).document(responseIDs: ids, audience: audience)
            let renderer = ReportRenderer(templates: try ReportTemplates(directory: templateDir), preferGraphviz: !noGraphviz)
            let writer = ReportWriter(renderer: renderer, signer: ReportSigner(key: try KeyStore(dataDirectory: options.data).privateKey()))
            let written = try writer.write(document, to: ReportFiles(base: out), pdf: pdf)
            for id in ids {
                try casework.audit(
                    actor: actor, action: "report.export", entity: "response:\(id)",
                    details: [
                        "audience": audience.rawValue, "json": written.files.json, "json_sha256": written.jsonSha256,
                        "html_sha256": written.signature.signed.htmlSHA256, "key_id": written.signature.signed.keyID,
                    ])
            }
            print(
                "wrote \(written.files.json), \(written.files.html), \(written.files.signature)"
                    + (written.signature.signed.pdfFile != nil ? ", \(written.files.pdf)" : ""))
            print("json sha256 \(written.jsonSha256); signed with key \(written.signature.signed.keyID)")
            if let note = written.pdfNote { print(note) }
        } catch let e as ExitCode { throw e } catch { throw fail("\(error)") }
    }
}

/// Verifies a report.
struct ReportVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check a report's digests and Ed25519 signature; --recompute re-runs every finding.")
    @OptionGroup var options: DataOptions
    @Argument(help: "NAME.json, NAME.html or NAME.sig.json.") var file: String
    @Flag(help: "Re-run every finding against the current index and say whether each result is identical.") var recompute = false
    @Option(help: "The unit's public key (PEM); default <data>/keys/report-signing.pub when present.") var key: String?
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        var verification: ReportVerification
        var recompute: [FindingRecompute.Outcome]?
    }

    func run() throws {
        let trusted: Ed25519PublicKey?
        do {
            if let key {
                trusted = try Ed25519PublicKey(pem: try String(contentsOfFile: key, encoding: .utf8), path: key)
            } else {
                trusted = try KeyStore(dataDirectory: options.data).publicKey()
            }
        } catch { throw fail("\(error)") }
        let v = ReportVerifier.verify(file, trustedKey: trusted)
        var outcomes: [FindingRecompute.Outcome]?
        if recompute { outcomes = try recomputeAll(ReportFiles(anyPath: file)) }
        if json {
            try printJSON(Output(verification: v, recompute: outcomes))
        } else {
            for c in v.checks { print("\(c.ok ? "ok  " : "FAIL") \(c.name): \(c.detail)") }
            if trusted == nil { print("note: no trusted key given (--key) or in \(options.data)/keys: the signer's key is not checked") }
            for o in outcomes ?? [] {
                print(
                    "finding \(o.finding): \(o.status) (\(o.detail)); stored tip \(o.storedTipHeight.map(String.init) ?? "-"), "
                        + "current tip \(o.newTipHeight.map(String.init) ?? "-") \(o.newTipHash ?? "")")
            }
            print(v.ok ? "report verifies" : "REPORT DOES NOT VERIFY: " + v.failures.map(\.name).joined(separator: ", "))
        }
        if !v.ok || (outcomes ?? []).contains(where: { $0.status != "identical" }) { throw ExitCode(3) }
    }

    private func recomputeAll(_ files: ReportFiles) throws -> [FindingRecompute.Outcome] {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: files.json))
            let document = try EvidenceDocument.decoder.decode(EvidenceDocument.self, from: data)
            let casework = try openCasework(dataDirectory: options.data)
            let store = try IndexStore(dataDirectory: options.data, create: false)
            return document.answers.flatMap { $0.findings }.map { (f: EvidenceFinding) -> FindingRecompute.Outcome in
                do {
                    let stored = try casework.finding(id: f.id)
                    guard Digest.sha256Hex(stored.result) == f.resultSha256 else {
                        return FindingRecompute.Outcome(
                            finding: f.id, status: "differs", detail: "the casework store's result is not the one reported",
                            storedTipHeight: f.tipHeight, newTipHeight: nil, newTipHash: nil)
                    }
                    return FindingRecompute.run(stored, store: store)
                } catch {
                    return FindingRecompute.Outcome(
                        finding: f.id, status: "error", detail: "\(error)", storedTipHeight: f.tipHeight,
                        newTipHeight: nil, newTipHash: nil)
                }
            }
        } catch { throw fail("--recompute: \(error)") }
    }
}
