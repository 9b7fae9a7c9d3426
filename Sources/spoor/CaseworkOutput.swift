import ArgumentParser
import Foundation
import Reports

/// Options of every casework command: the data directory and the acting person.
struct CaseworkOptions: ParsableArguments {
    @OptionGroup var data: DataOptions
    @Option(name: .customLong("as"), help: "The acting person (else SPOOR_AS, else 'as = NAME' in ~/.config/spoor/config; there is no default).")
    var person: String?

    /// The acting person, or a clear error naming both ways to give one.
    func actor() throws -> String {
        do { return try Actor.resolve(explicit: person) } catch { throw fail("\(error)") }
    }

    /// The casework store; read-only commands pass `create: false`.
    func store(create: Bool = true) throws -> CaseworkStore {
        do { return try CaseworkStore(dataDirectory: data.data, create: create) } catch { throw fail("\(error)") }
    }
}

/// Runs a casework operation, turning its error into a message and a non-zero exit.
func casework<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ExitCode { throw error } catch { throw fail("\(error)") }
}

/// JSON output of casework: snake_case keys, ISO 8601 UTC times, a finding's result embedded as JSON.
enum CaseworkJSON {
    static func object<T: Encodable>(_ value: T) throws -> Any {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(CaseworkTime.format(date))
        }
        encoder.outputFormatting = [.sortedKeys]
        return try JSONSerialization.jsonObject(with: encoder.encode(value), options: [.fragmentsAllowed])
    }

    /// A finding with `result` as the JSON it holds (not base64).
    static func finding(_ finding: Finding) throws -> Any {
        guard var object = try object(finding) as? [String: Any] else { return try object(finding) }
        object["result"] =
            (try? JSONSerialization.jsonObject(with: finding.result, options: [.fragmentsAllowed]))
            ?? String(decoding: finding.result, as: UTF8.self)
        object["parameters"] = finding.parameters
        return object
    }

    static func print(_ object: Any) throws {
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    static func print<T: Encodable>(encodable value: T) throws {
        try print(object(value))
    }
}

/// Human-readable lines for casework records.
enum CaseworkText {
    static func time(_ date: Date?) -> String { date.map(CaseworkTime.format) ?? "-" }

    static func caseLine(_ c: HotlineCase) -> String {
        "\(c.reference)  \(c.status.padding(toLength: 6, withPad: " ", startingAt: 0))  \(c.analyst)  opened \(time(c.opened))  \(c.title)"
    }

    static func requestLine(_ r: PartnerRequest) -> String {
        "request \(r.id): \(r.organisation)\(r.partnerReference.map { " (\($0))" } ?? ""), received \(time(r.received))"
            + (r.due.map { ", due \(time($0))" } ?? "") + "; \(r.subjects.count) subject(s): \(r.question)"
    }

    static func responseLine(_ r: Response) -> String {
        "response \(r.id) to request \(r.requestID): \(r.state.rawValue), author \(r.author)"
            + (r.reviewer.map { ", approved by \($0)" } ?? "") + ", created \(time(r.created))"
    }

    static func findingLine(_ f: Finding) -> String {
        "finding \(f.id): \(f.kind.rawValue) of \(f.subject) at tip \(f.tipHeight.map(String.init) ?? "-") \(f.tipHash ?? "-"), "
            + "\(f.layer) layer, \(f.result.count) bytes, by \(f.createdBy) \(time(f.created))"
    }
}
