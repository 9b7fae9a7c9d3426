import ArgumentParser
import Foundation
import Reports

/// `spoor request …`: partners' requests within a case.
struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Partner requests (an exchange, the police, another hotline) within a case.",
        subcommands: [RequestCreate.self, RequestList.self, RequestShow.self])
}

struct RequestCreate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Record a partner's request in an open case.")
    @OptionGroup var options: CaseworkOptions
    @Option(name: .customLong("case"), help: "The case reference.") var caseReference: String
    @Option(name: .customLong("from"), help: "The requesting organisation.") var organisation: String
    @Option(help: "What the partner asks.") var question: String
    @Option(help: "An address, txid:vout, txid or cluster id (repeatable; at least one).") var subject: [String] = []
    @Option(help: "When it is due (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC).") var due: String?
    @Option(help: "When it arrived (default: now).") var received: String?
    @Option(name: .customLong("partner-ref"), help: "The partner's own reference.") var partnerReference: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let actor = try options.actor()
        guard !subject.isEmpty else { throw fail("give at least one --subject", code: 2) }
        let dueDate = try due.map { try parseCaseworkDate($0, option: "--due") }
        let receivedDate = try received.map { try parseCaseworkDate($0, option: "--received") }
        let store = try options.store(create: false)
        let request = try casework {
            try store.createRequest(
                caseReference: caseReference, organisation: organisation, partnerReference: partnerReference,
                received: receivedDate, due: dueDate, question: question, subjects: subject, actor: actor)
        }
        if json { try CaseworkJSON.print(encodable: request); return }
        print("request \(request.id) recorded in case \(caseReference): \(request.subjects.count) subject(s)")
    }
}

struct RequestList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List requests in order.")
    @OptionGroup var options: CaseworkOptions
    @Option(name: .customLong("case"), help: "Only the requests of this case.") var caseReference: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try options.store(create: false)
        let requests = try casework { try store.requests(caseReference: caseReference) }
        if json { try CaseworkJSON.print(encodable: requests); return }
        if requests.isEmpty { print("no requests") }
        for r in requests { print(CaseworkText.requestLine(r)) }
    }
}

struct RequestShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A request with its subjects and responses.")
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The request id.") var id: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try options.store(create: false)
        let (request, hotlineCase, responses) = try casework {
            let r = try store.request(id: id)
            return (r, try store.hotlineCase(id: r.caseID), try store.responses(requestID: id))
        }
        if json {
            guard var object = try CaseworkJSON.object(request) as? [String: Any] else { return }
            object["case_reference"] = hotlineCase.reference
            object["responses"] = try CaseworkJSON.object(responses)
            try CaseworkJSON.print(object)
            return
        }
        print(
            "request \(request.id) in case \(hotlineCase.reference) from \(request.organisation)"
                + (request.partnerReference.map { " (their reference \($0))" } ?? ""))
        print("  received \(CaseworkText.time(request.received)); due \(CaseworkText.time(request.due))")
        print("  question: \(request.question)")
        print("  subjects:")
        for s in request.subjects { print("    \(s)") }
        if responses.isEmpty { print("  no responses") }
        for r in responses { print("  " + CaseworkText.responseLine(r)) }
    }
}

/// A UTC day (`YYYY-MM-DD`) or time (`YYYY-MM-DDTHH:MM:SSZ`) given on the command line.
func parseCaseworkDate(_ text: String, option: String) throws -> Date {
    guard let date = CaseworkTime.parse(text) else {
        throw fail("\(option) '\(text)' is not a UTC date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM:SSZ)", code: 2)
    }
    return date
}
