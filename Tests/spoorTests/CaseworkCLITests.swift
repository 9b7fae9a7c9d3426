import Foundation
import GRDB
import Testing

/// `spoor case`, `request`, `response` and `audit` end to end on the sample chain.
@Suite(.serialized)
struct CaseworkCLITests {
    static let seller = "bcrt1qnmffty2mkx5p4jm63zq5jky8suu9s8pzjeqxa3"  // synthetic watchlist address

    /// A clustered, tagged index of the samples.
    static func prepared() throws -> String {
        let data = try ClusterCLITests.importedSamples()
        #expect(try CLI.run(["cluster", "--data", data]).status == 0)
        #expect(try CLI.run(["tag", "import", "--data", data, ClusterCLITests.samples + "/watchlist.csv"]).status == 0)
        return data
    }

    /// Runs `spoor ARGS --data DATA` as `person` (through SPOOR_AS, or --as when `flag`).
    @discardableResult
    static func run(_ data: String, _ arguments: [String], as person: String? = nil, flag: Bool = false) throws -> CLIResult {
        var args = arguments + ["--data", data]
        var env: [String: String] = ["SPOOR_AS": ""]
        if let person {
            if flag { args += ["--as", person] } else { env["SPOOR_AS"] = person }
        }
        return try CLI.run(args, environment: env)
    }

    /// Case, request, response with a payments finding and a conclusion, submitted by alice; returns the response id.
    static func submitted(_ data: String) throws -> String {
        #expect(
            try run(data, ["case", "create", "HL-2026-0042", "--title", "Seller wallet", "--site", "shop.example"], as: "alice").status == 0
        )
        let request = try run(
            data,
            [
                "request", "create", "--case", "HL-2026-0042", "--from", "Exchange X", "--question", "Who paid the seller?",
                "--subject", seller, "--due", "2026-12-31", "--partner-ref", "EX-1", "--json",
            ], as: "alice")
        #expect(request.status == 0, "\(request.stderr)")
        let requestID = try #require(try CLI.json(request.stdout)["id"] as? Int)
        let response = try run(data, ["response", "create", "--request", String(requestID), "--json"], as: "alice", flag: true)
        let id = String(try #require(try CLI.json(response.stdout)["id"] as? Int))
        let finding = try run(data, ["response", "add-finding", id, "--kind", "payments"], as: "alice")
        #expect(finding.status == 0, "\(finding.stderr)")
        #expect(finding.stdout.contains("payments of \(seller)") && finding.stdout.contains("spoor payments --layer strict"))
        #expect(
            try run(data, ["response", "conclude", id, "--text", "The seller was paid by the listed payers."], as: "alice").status == 0)
        let submit = try run(data, ["response", "submit", id], as: "alice")
        #expect(submit.status == 0 && submit.stdout.contains("in_review"), "\(submit.stderr)")
        return id
    }

    @Test func workflowEndToEnd() throws {
        let data = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        // No acting person: a clear error, nothing created.
        let anonymous = try Self.run(data, ["case", "create", "HL-X", "--title", "t"])
        #expect(anonymous.status != 0 && anonymous.stderr.contains("--as") && anonymous.stderr.contains("SPOOR_AS"))
        let id = try Self.submitted(data)
        // No edits after submission, no self-approval, no sending before approval.
        let edit = try Self.run(data, ["response", "conclude", id, "--text", "changed"], as: "alice")
        #expect(edit.status != 0 && edit.stderr.contains("in_review"))
        let selfApproval = try Self.run(data, ["response", "approve", id], as: "alice")
        #expect(selfApproval.status != 0 && selfApproval.stderr.contains("alice cannot approve"))
        let early = try Self.run(data, ["response", "send", id], as: "bob")
        #expect(early.status != 0 && early.stderr.contains("only after approval"))
        // Reject, fix, resubmit, approve by another person, send.
        #expect(try Self.run(data, ["response", "reject", id, "--reason", "Cite the layer."], as: "bob").status == 0)
        #expect(try Self.run(data, ["response", "conclude", id, "--text", "Strict layer: the seller was paid."], as: "alice").status == 0)
        #expect(try Self.run(data, ["response", "submit", id], as: "alice").status == 0)
        let approve = try Self.run(data, ["response", "approve", id], as: "bob", flag: true)
        #expect(approve.status == 0 && approve.stdout.contains("approved"), "\(approve.stderr)")
        #expect(try Self.run(data, ["response", "send", id], as: "alice").status == 0)

        let shown = try CLI.json(try Self.run(data, ["response", "show", id, "--json"]).stdout)
        #expect(shown["state"] as? String == "sent" && shown["reviewer"] as? String == "bob")
        let findings = try #require(shown["findings"] as? [[String: Any]])
        #expect(findings.count == 1 && (findings[0]["result"] as? [String: Any])?["payment_count"] is Int)
        #expect(findings[0]["tip_hash"] is String && findings[0]["kind"] as? String == "payments")
        let changes = try #require(shown["state_changes"] as? [[String: Any]])
        #expect(changes.compactMap { $0["to"] as? String } == ["draft", "in_review", "draft", "in_review", "approved", "sent"])
        #expect(changes.contains { $0["reason"] as? String == "Cite the layer." })
        let human = try Self.run(data, ["response", "show", id])
        #expect(human.stdout.contains("approved → sent  by alice") && human.stdout.contains("command:  spoor payments"))

        let caseShow = try Self.run(data, ["case", "show", "HL-2026-0042"])
        #expect(caseShow.stdout.contains("shop.example") && caseShow.stdout.contains("Exchange X (EX-1)"))
        #expect(try Self.run(data, ["case", "list"]).stdout.contains("HL-2026-0042  open"))
        #expect(try Self.run(data, ["request", "list", "--case", "HL-2026-0042"]).stdout.contains("Exchange X"))
        #expect(try Self.run(data, ["case", "close", "HL-2026-0042"], as: "alice").status == 0)
        let late = try Self.run(
            data, ["request", "create", "--case", "HL-2026-0042", "--from", "Police", "--question", "q", "--subject", Self.seller],
            as: "alice")
        #expect(late.status != 0 && late.stderr.contains("closed"))

        let verify = try Self.run(data, ["audit", "verify"])
        #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify.stdout)")
        let entries =
            try JSONSerialization.jsonObject(with: Data(try Self.run(data, ["audit", "list", "--json"]).stdout.utf8)) as? [[String: Any]]
        let actions = try #require(entries).compactMap { $0["action"] as? String }
        #expect(actions.first == "case.create" && actions.last == "case.close" && actions.contains("response.approve"))
        #expect(try Self.run(data, ["audit", "list", "--entity", "response:\(id)"]).stdout.contains("response.send"))
    }

    @Test func auditVerifyFailsOnTampering() throws {
        let data = try Self.prepared()
        defer { try? FileManager.default.removeItem(atPath: data) }
        _ = try Self.submitted(data)
        let db = try DatabaseQueue(path: data + "/casework.sqlite")
        try db.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE sequence = 2")
        }
        let verify = try Self.run(data, ["audit", "verify"])
        #expect(verify.status == 3 && verify.stdout.contains("hash_mismatch at entry 2") && verify.stdout.contains("trigger_missing"))
        let json = try CLI.json(try Self.run(data, ["audit", "verify", "--json"]).stdout)
        #expect(json["intact"] as? Bool == false)
    }

    @Test func refusesAReadableCaseworkFile() throws {
        let data = CLI.temporaryDirectory("spoor-casework-cli")
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try Self.run(data, ["case", "create", "HL-1", "--title", "t"], as: "alice").status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: data + "/casework.sqlite")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: data + "/casework.sqlite")
        let refused = try Self.run(data, ["case", "list"])
        #expect(refused.status != 0 && refused.stderr.contains("chmod 600"))
    }
}
