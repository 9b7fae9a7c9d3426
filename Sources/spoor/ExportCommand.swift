import ArgumentParser
import ChainIndex
import Foundation
import Reports

/// `spoor export partner REQUEST_ID` and `spoor export misp CASE_REF`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Partner packages (JSON and CSV) and MISP events of seller wallets.",
        subcommands: [ExportPartner.self, ExportMISP.self])
}

/// The partner package of one request.
struct ExportPartner: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner", abstract: "NAME.json and NAME.csv for a request's approved (or sent) response; no private sources or notes."
    )
    @OptionGroup var options: DataOptions
    @Argument(help: "The request id.") var request: Int64
    @Option(help: "Path without extension (default request-ID).") var out: String?
    @Flag(help: "Include the analyst's and reviewer's names.") var names = false
    @Flag(help: "Allow a response that is not approved yet (marked by its state in the package).") var draft = false
    @Option(name: .customLong("as"), help: "Who exports (recorded in the audit log).") var actorName: String?

    func run() throws {
        do {
            let actor = try Actor.resolve(explicit: actorName)
            let casework = try openCasework(dataDirectory: options.data)
            let responses = try casework.responses(requestID: request)
            guard let response = responses.last(where: { draft || $0.state == .approved || $0.state == .sent }) else {
                throw fail("request \(request) has no approved or sent response (--draft exports the latest anyway)")
            }
            let index = try IndexEvidenceSource(store: try IndexStore(dataDirectory: options.data, create: false))
            let document = try EvidenceBuilder(casework: casework, index: index).document(responseIDs: [response.id], audience: .partner)
            guard let package = PartnerPackage(document: document, requestID: request, names: names) else {
                throw fail("request \(request) is not in the response's document")
            }
            let base = out ?? "request-\(request)"
            let json = try package.jsonData()
            try json.write(to: URL(fileURLWithPath: base + ".json"), options: .atomic)
            try Data(package.csv().utf8).write(to: URL(fileURLWithPath: base + ".csv"), options: .atomic)
            try casework.audit(
                actor: actor, action: "export.partner", entity: "request:\(request)",
                details: ["response": String(response.id), "json": base + ".json", "json_sha256": Digest.sha256Hex(json)])
            print("wrote \(base).json and \(base).csv (response \(response.id), \(response.state.rawValue))")
        } catch let e as ExitCode { throw e } catch { throw fail("\(error)") }
    }
}

/// A case's seller wallets as a MISP event.
struct ExportMISP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "misp",
        abstract: "The case's seller wallets (addresses of abuse_seller-tagged clusters in its findings) as a MISP event JSON.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The case reference.") var caseReference: String
    @Option(help: "Output file (default CASE-misp.json).") var out: String?
    @Option(help: "MISP distribution of the event: 0 organisation, 1 community, 2 connected, 3 all.") var distribution = "1"
    @Option(name: .customLong("as"), help: "Who exports (recorded in the audit log).") var actorName: String?

    func run() throws {
        guard ["0", "1", "2", "3"].contains(distribution) else { throw fail("--distribution must be 0, 1, 2 or 3", code: 2) }
        do {
            let actor = try Actor.resolve(explicit: actorName)
            let casework = try openCasework(dataDirectory: options.data)
            let hotlineCase = try casework.hotlineCase(reference: caseReference)
            let ids = try casework.responses(caseID: hotlineCase.id).map(\.id)
            let index = try IndexEvidenceSource(store: try IndexStore(dataDirectory: options.data, create: false))
            let document = try EvidenceBuilder(casework: casework, index: index).document(responseIDs: ids, audience: .partner)
            let event = MISPExport(document: document, distribution: distribution)
            let path = out ?? "\(caseReference)-misp.json"
            let data = try event.jsonData()
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            try casework.audit(
                actor: actor, action: "export.misp", entity: "case:\(hotlineCase.id)",
                details: ["file": path, "sha256": Digest.sha256Hex(data), "attributes": String(event.event.attributes.count)])
            print("wrote \(path): \(event.event.attributes.count) btc attribute(s)")
        } catch let e as ExitCode { throw e } catch { throw fail("\(error)") }
    }
}
