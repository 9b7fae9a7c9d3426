import ArgumentParser
import Foundation
import Reports

/// `spoor audit …`: the casework audit log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The casework audit log: list entries, verify the hash chain.",
        subcommands: [AuditVerify.self, AuditList.self])
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every entry's hash, the chain, the head record, the sidecar, the triggers and file modes.",
        discussion: "Exit status 0 when intact, 3 when a problem was found. Record the printed last hash outside Spoor "
            + "(e.g. in the case file) to anchor the log: see docs/casework.md for what verify can and cannot detect.")
    @OptionGroup var options: CaseworkOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try options.store(create: false)
        let result = try casework { try store.verifyAudit() }
        if json {
            try CaseworkJSON.print(encodable: result)
        } else {
            print("audit log: \(result.entries) entries, last hash \(result.lastHash)")
            if result.intact {
                print("intact: every hash, the chain, the head record and the sidecar agree")
            } else {
                print("NOT INTACT: \(result.problems.count) problem(s)")
                for p in result.problems { print("  \(p)") }
            }
        }
        if !result.intact { throw ExitCode(3) }
    }
}

struct AuditList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List audit entries in order.")
    @OptionGroup var options: CaseworkOptions
    @Option(help: "Only entries after this sequence number.") var after: Int64 = 0
    @Option(help: "Entries to list at most.") var limit: Int?
    @Option(help: "Only entries about this entity, e.g. response:3.") var entity: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        if let limit, limit < 0 { throw fail("--limit must be 0 or more", code: 2) }
        let store = try options.store(create: false)
        var entries = try casework { try store.auditEntries(after: after, limit: entity == nil ? limit : nil) }
        if let entity {
            entries = entries.filter { $0.entity == entity }
            if let limit { entries = Array(entries.prefix(limit)) }
        }
        if json { try CaseworkJSON.print(encodable: entries); return }
        if entries.isEmpty { print("no entries") }
        for e in entries {
            print("#\(e.sequence)  \(CaseworkText.time(e.time))  \(e.actor)  \(e.action)  \(e.entity)  \(e.details)")
        }
    }
}
