import ArgumentParser
import ChainIndex
import Foundation
import Reports
import Tracer

/// `spoor response …`: answers to requests and their review (draft → in_review → approved → sent).
struct ResponseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "response",
        abstract: "Responses to partner requests: findings, conclusion, QA review (draft → in_review → approved → sent).",
        discussion: "Only a person other than the author and the contributors can approve; a response is sent only after "
            + "approval; findings and the conclusion change only in draft (reject sends it back).",
        subcommands: [
            ResponseCreate.self, ResponseList.self, ResponseShow.self, ResponseConclude.self, ResponseAddFinding.self,
            ResponseSubmit.self, ResponseApprove.self, ResponseReject.self, ResponseSend.self,
        ])
}

struct ResponseCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Start a draft response to a request; you are its author.")
    @OptionGroup var options: CaseworkOptions
    @Option(help: "The request id.") var request: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let actor = try options.actor()
        let store = try options.store(create: false)
        let response = try casework { try store.createResponse(requestID: request, actor: actor) }
        if json { try CaseworkJSON.print(encodable: response); return }
        print("response \(response.id) created as a draft for request \(request), author \(response.author)")
    }
}

struct ResponseList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List responses in order.")
    @OptionGroup var options: CaseworkOptions
    @Option(help: "Only the responses to this request.") var request: Int64?
    @Option(help: "Only responses in this state: draft, in_review, approved or sent.") var state: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let wanted = try state.map { s in
            guard let parsed = ResponseState(rawValue: s) else {
                throw fail("unknown state '\(s)' (draft, in_review, approved or sent)", code: 2)
            }
            return parsed
        }
        let store = try options.store(create: false)
        let responses = try casework { try request.map { try store.responses(requestID: $0) } ?? store.allResponses() }
            .filter { wanted == nil || $0.state == wanted }
        if json { try CaseworkJSON.print(encodable: responses); return }
        if responses.isEmpty { print("no responses") }
        for r in responses { print(CaseworkText.responseLine(r)) }
    }
}

struct ResponseShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A response: state history, conclusion, findings.")
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The response id.") var id: Int64
    @Flag(help: "Print JSON (findings with their full results).") var json = false

    func run() throws {
        let store = try options.store(create: false)
        let (response, history, findings) = try casework {
            (try store.response(id: id), try store.stateChanges(responseID: id), try store.findings(responseID: id))
        }
        if json {
            guard var object = try CaseworkJSON.object(response) as? [String: Any] else { return }
            object["state_changes"] = try CaseworkJSON.object(history)
            object["findings"] = try findings.map(CaseworkJSON.finding)
            try CaseworkJSON.print(object)
            return
        }
        print(CaseworkText.responseLine(response))
        print("  history:")
        for h in history {
            print(
                "    \(CaseworkText.time(h.time))  \(h.from?.rawValue ?? "(new)") → \(h.to.rawValue)  by \(h.actor)"
                    + (h.reason.map { "  reason: \($0)" } ?? ""))
        }
        print("  conclusion: " + (response.conclusion.isEmpty ? "(none yet)" : response.conclusion))
        if findings.isEmpty { print("  no findings") }
        for f in findings {
            print("  " + CaseworkText.findingLine(f))
            print("      question: \(f.question)")
            print("      command:  \(f.command)")
        }
    }
}

struct ResponseConclude: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "conclude", abstract: "Set the analyst's conclusion of a draft.")
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The response id.") var id: Int64
    @Option(help: "The conclusion.") var text: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let actor = try options.actor()
        let store = try options.store(create: false)
        let response = try casework { try store.conclude(responseID: id, text: text, actor: actor) }
        if json { try CaseworkJSON.print(encodable: response); return }
        print("response \(id): conclusion recorded")
    }
}

struct ResponseAddFinding: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-finding",
        abstract: "Run trace, exposure or payments on the request's subjects and keep each result as a finding.",
        discussion: "Without --subject every subject of the request is run. Each finding keeps the result, the parameters, the "
            + "equivalent command, the index tip and the clustering parameters, so it can be recomputed.")
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The response id (a draft).") var id: Int64
    @Option(help: "trace, exposure or payments.") var kind: String
    @Option(help: "A subject of the request (repeatable; default: all of them).") var subject: [String] = []
    @Option(help: "Transactions to cross at most (trace: 6, exposure: 3).") var hops: Int?
    @Option(help: "Taint model: poison, haircut, fifo, or (trace) all.") var model: String?
    @Flag(help: "Trace where the money came from.") var backward = false
    @Option(help: "Clustering layer: strict or extended.") var layer = "strict"
    @Option(help: "Outputs each trace visits at most.") var maxNodes = 10_000
    @Option(help: "Trace: do not follow flows under this many satoshis.") var minValue: Int64 = 0
    @Option(help: "What was asked, in words (default: the request's question).") var question: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let actor = try options.actor()
        guard let findingKind = FindingKind(rawValue: kind) else {
            throw fail("unknown kind '\(kind)' (trace, exposure or payments)", code: 2)
        }
        guard let clusterLayer = ClusterLayer(name: layer) else { throw fail("unknown layer '\(layer)' (strict or extended)", code: 2) }
        if backward && findingKind != .trace { throw fail("--backward applies to trace only", code: 2) }
        let store = try options.store(create: false)
        let added = try casework { () -> [Finding] in
            let response = try store.response(id: id)
            try ResponseWorkflow.requireEditable(response)
            let request = try store.request(id: response.requestID)
            let subjects = subject.isEmpty ? request.subjects : subject
            for s in subjects where !request.subjects.contains(s) {
                throw CaseworkError.subjectNotInRequest(subject: s, requestID: request.id)
            }
            let specifications = subjects.map {
                FindingSpecification(
                    kind: findingKind, subject: $0, model: model, hops: hops, backward: backward, layer: clusterLayer,
                    maxNodes: maxNodes, minValue: minValue)
            }
            for s in specifications { try s.validate() }
            let runner = try FindingRunner(dataDirectory: options.data.data)
            var computed: [FindingComputation] = []
            for s in specifications {
                do { computed.append(try runner.run(s)) } catch { throw FindingFailure(subject: s.subject, error: error) }
            }
            return try store.addFindings(responseID: id, computations: computed, question: question, actor: actor)
        }
        if json { try CaseworkJSON.print(added.map(CaseworkJSON.finding)); return }
        for f in added {
            print(CaseworkText.findingLine(f))
            print("    command: \(f.command)")
        }
    }

    /// A computation that failed, naming the subject.
    struct FindingFailure: Error, CustomStringConvertible {
        var subject: String
        var error: any Error
        var description: String { "\(subject): \(error) (no finding was added)" }
    }
}

/// One workflow action on a response.
protocol ResponseTransitionCommand: ParsableCommand {
    var options: CaseworkOptions { get }
    var id: Int64 { get }
    var json: Bool { get }
    static var action: ResponseWorkflow.Action { get }
    var reason: String? { get }
}

extension ResponseTransitionCommand {
    var reason: String? { nil }

    func run() throws {
        let actor = try options.actor()
        let store = try options.store(create: false)
        let response = try casework { try store.transition(id, Self.action, actor: actor, reason: reason) }
        if json { try CaseworkJSON.print(encodable: response); return }
        print("response \(id) is now \(response.state.rawValue) (by \(actor))")
    }
}

struct ResponseSubmit: ResponseTransitionCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a draft for QA review (needs a finding and a conclusion).")
    static let action = ResponseWorkflow.Action.submit
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The response id.") var id: Int64
    @Flag(help: "Print JSON.") var json = false
}

struct ResponseApprove: ResponseTransitionCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a response in review (not your own).")
    static let action = ResponseWorkflow.Action.approve
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The response id.") var id: Int64
    @Flag(help: "Print JSON.") var json = false
}

struct ResponseReject: ResponseTransitionCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject", abstract: "Send a response in review back to draft, with a reason.")
    static let action = ResponseWorkflow.Action.reject
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The response id.") var id: Int64
    @Option(name: .customLong("reason"), help: "Why it goes back.") var rejection: String
    @Flag(help: "Print JSON.") var json = false
    var reason: String? { rejection }
}

struct ResponseSend: ResponseTransitionCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Mark an approved response as sent.")
    static let action = ResponseWorkflow.Action.send
    @OptionGroup var options: CaseworkOptions
    @Argument(help: "The response id.") var id: Int64
    @Flag(help: "Print JSON.") var json = false
}
