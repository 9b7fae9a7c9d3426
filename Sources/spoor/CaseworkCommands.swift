import ArgumentParser
import Foundation
import Reports

/// `spoor case …`: the unit's cases (`docs/casework.md`).
struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Hotline cases: create, list, show, add notes and sites, close.",
        discussion: "Casework lives in casework.sqlite in the data directory (owner-only). Every change names the acting person "
            + "(--as NAME or SPOOR_AS) and is recorded in the audit log (spoor audit verify).",
        subcommands: [CaseCreate.self, CaseList.self, CaseShow.self, CaseNote.self, CaseClose.self])
}

struct CaseCreate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Open a case.")
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The unit's reference, e.g. HL-2026-0042 (unique).") var reference: String
    @Option(help: "What the case is about.") var title: String
    @Option(help: "The analyst responsible (default: the acting person).") var analyst: String?
    @Option(help: "A site or domain where the case's wallets were seen (repeatable).") var site: [String] = []
    @Option(help: "A first note.") var notes = ""
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let actor = try options.actor()
        let store = try options.store()
        let created = try casework {
            try store.createCase(reference: reference, title: title, analyst: analyst, notes: notes, sites: site, actor: actor)
        }
        if json { try CaseworkJSON.print(encodable: created); return }
        print("case \(created.reference) opened (id \(created.id)), analyst \(created.analyst)")
    }
}

struct CaseList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List cases, oldest first.")
    @OptionGroup var options: CaseworkOptions
    @Option(help: "Only cases with this status: open or closed.") var status: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        if let status, status != "open", status != "closed" { throw fail("unknown status '\(status)' (open or closed)", code: 2) }
        let store = try options.store(create: false)
        let cases = try casework { try store.cases(status: status) }
        if json { try CaseworkJSON.print(encodable: cases); return }
        if cases.isEmpty { print("no cases") }
        for c in cases { print(CaseworkText.caseLine(c)) }
    }
}

struct CaseShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A case with its requests and their responses.")
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The case reference.") var reference: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try options.store(create: false)
        let (hotlineCase, requests, responses) = try casework {
            let c = try store.hotlineCase(reference: reference)
            let requests = try store.requests(caseReference: reference)
            return (c, requests, try requests.map { try store.responses(requestID: $0.id) })
        }
        if json {
            guard var object = try CaseworkJSON.object(hotlineCase) as? [String: Any] else { return }
            var list: [Any] = []
            for (request, responses) in zip(requests, responses) {
                guard var r = try CaseworkJSON.object(request) as? [String: Any] else { continue }
                r["responses"] = try CaseworkJSON.object(responses)
                list.append(r)
            }
            object["requests"] = list
            try CaseworkJSON.print(object)
            return
        }
        print("case \(hotlineCase.reference) (id \(hotlineCase.id)): \(hotlineCase.title)")
        print(
            "  status \(hotlineCase.status); analyst \(hotlineCase.analyst); opened \(CaseworkText.time(hotlineCase.opened))"
                + (hotlineCase.closed.map { "; closed \(CaseworkText.time($0))" } ?? ""))
        print("  sites: " + (hotlineCase.sites.isEmpty ? "none" : hotlineCase.sites.joined(separator: ", ")))
        if !hotlineCase.notes.isEmpty {
            print("  notes:")
            for line in hotlineCase.notes.split(separator: "\n") { print("    \(line)") }
        }
        if requests.isEmpty { print("  no requests") }
        for (request, responses) in zip(requests, responses) {
            print("  " + CaseworkText.requestLine(request))
            for r in responses { print("    " + CaseworkText.responseLine(r)) }
        }
    }
}

struct CaseNote: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a dated, signed note and/or sites to a case.")
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The case reference.") var reference: String
    @Option(help: "The note.") var text: String?
    @Option(help: "A site or domain where the case's wallets were seen (repeatable).") var site: [String] = []
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let actor = try options.actor()
        let store = try options.store(create: false)
        let updated = try casework { try store.addNote(caseReference: reference, text: text, sites: site, actor: actor) }
        if json { try CaseworkJSON.print(encodable: updated); return }
        print("case \(updated.reference): note recorded; sites: \(updated.sites.isEmpty ? "none" : updated.sites.joined(separator: ", "))")
    }
}

struct CaseClose: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a case: no new requests, responses or findings.")
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The case reference.") var reference: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let actor = try options.actor()
        let store = try options.store(create: false)
        let closed = try casework { try store.closeCase(reference: reference, actor: actor) }
        if json { try CaseworkJSON.print(encodable: closed); return }
        print("case \(closed.reference) closed \(CaseworkText.time(closed.closed))")
    }
}
