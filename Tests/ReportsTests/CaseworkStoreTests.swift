import Foundation
import GRDB
import Testing

@testable import Reports

/// A casework store in a fresh temporary directory, removed when the value goes away, with a clock
/// that advances one second per reading (so every time is distinct and known).
final class TemporaryCasework: @unchecked Sendable {
    let directory: String
    let store: CaseworkStore
    private let clock = Clock()

    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var seconds: TimeInterval = 1_767_225_600  // 2026-01-01T00:00:00Z
        func next() -> Date {
            lock.lock()
            defer { lock.unlock() }
            seconds += 1
            return Date(timeIntervalSince1970: seconds)
        }
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-casework-\(UUID().uuidString)").path
        let clock = self.clock
        store = try CaseworkStore(dataDirectory: directory, now: { clock.next() })
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A second connection to the file, as someone with the file would open it.
    func rawDatabase() throws -> DatabaseQueue { try DatabaseQueue(path: store.path) }

    /// A case, a request with two subjects and a draft response by `author`.
    func draft(author: String = "alice", reference: String = "HL-2026-0001") throws -> (HotlineCase, PartnerRequest, Response) {
        let c = try store.createCase(reference: reference, title: "Seller wallet", actor: author)
        let r = try store.createRequest(
            caseReference: reference, organisation: "Exchange X", question: "Who paid this seller?",
            subjects: ["bcrt1qsubject1", "bcrt1qsubject2"], actor: author)
        return (c, r, try store.createResponse(requestID: r.id, actor: author))
    }

    /// A stored-ready computation without running the Tracer.
    static func computation(subject: String = "bcrt1qsubject1") -> FindingComputation {
        FindingComputation(
            specification: FindingSpecification(kind: .trace, subject: subject), result: Data(#"{"paths":[]}"#.utf8),
            tipHeight: 100, tipHash: String(repeating: "ab", count: 32), clusterParameters: "rules=v1")
    }
}

struct CaseworkStoreTests {
    @Test func filesAreOwnerOnly() throws {
        let t = try TemporaryCasework()
        _ = try t.store.createCase(reference: "HL-1", title: "t", actor: "alice")
        #expect(OwnerOnlyFile.mode(t.store.path) == 0o600)
        #expect(OwnerOnlyFile.mode(t.store.sidecarPath) == 0o600)
        for suffix in ["-wal", "-shm"] {
            if let mode = OwnerOnlyFile.mode(t.store.path + suffix) {
                #expect(mode & 0o077 == 0, "\(suffix) has mode \(String(mode, radix: 8))")
            }
        }
    }

    @Test func refusesAFileOthersCanRead() throws {
        let t = try TemporaryCasework()
        #expect(chmod(t.store.path, 0o644) == 0)
        #expect {
            _ = try CaseworkStore(dataDirectory: t.directory)
        } throws: { error in
            guard case CaseworkError.insecurePermissions(let path, let mode) = error else { return false }
            return path == t.store.path && mode == "644" && "\(error)".contains("chmod 600")
        }
        // verify reports it too.
        #expect(try t.store.verifyAudit().problems.contains { $0.kind == .insecurePermissions })
    }

    @Test func readOnlyOpeningDoesNotCreate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-casework-none-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: CaseworkError.noCasework(path: CaseworkStore.databasePath(dataDirectory: dir))) {
            _ = try CaseworkStore(dataDirectory: dir, create: false)
        }
        #expect(!FileManager.default.fileExists(atPath: CaseworkStore.databasePath(dataDirectory: dir)))
    }

    @Test func casesRequestsAndErrorsWithContext() throws {
        let t = try TemporaryCasework()
        let c = try t.store.createCase(
            reference: "HL-2026-0042", title: "Marketplace", notes: "from a report", sites: ["shop.example", "shop.example"],
            actor: "alice")
        #expect(c.status == "open" && c.analyst == "alice" && c.sites == ["shop.example"])
        #expect(c.opened == Date(timeIntervalSince1970: 1_767_225_601))
        #expect(throws: CaseworkError.duplicateReference("HL-2026-0042")) {
            try t.store.createCase(reference: "HL-2026-0042", title: "again", actor: "bob")
        }
        #expect(throws: CaseworkError.caseNotFound(reference: "HL-9")) { try t.store.hotlineCase(reference: "HL-9") }
        #expect(throws: CaseworkError.requestNotFound(77)) { try t.store.request(id: 77) }
        #expect(throws: CaseworkError.responseNotFound(78)) { try t.store.response(id: 78) }
        #expect(throws: CaseworkError.emptyField("the case title")) { try t.store.createCase(reference: "HL-2", title: "  ", actor: "a") }
        #expect(throws: CaseworkError.missingActor) { try t.store.createCase(reference: "HL-3", title: "t", actor: " ") }

        let noted = try t.store.addNote(caseReference: "HL-2026-0042", text: "seen again", sites: ["mirror.example"], actor: "bob")
        #expect(noted.notes.contains("bob] seen again") && noted.sites == ["shop.example", "mirror.example"])

        let due = try #require(CaseworkTime.parse("2026-02-01"))
        let r = try t.store.createRequest(
            caseReference: c.reference, organisation: "Police", partnerReference: "P-7", due: due,
            question: "Where did it go?", subjects: ["bcrt1qa", " bcrt1qb ", ""], actor: "alice")
        #expect(r.subjects == ["bcrt1qa", "bcrt1qb"] && r.due == due && r.partnerReference == "P-7" && r.caseID == c.id)
        #expect(try t.store.request(id: r.id) == r)
        #expect(try t.store.requests(caseReference: c.reference) == [r])
        #expect(throws: CaseworkError.emptyField("the subjects")) {
            try t.store.createRequest(caseReference: c.reference, organisation: "Police", question: "q", subjects: [" "], actor: "alice")
        }
        #expect(try t.store.hotlineCase(id: c.id).reference == c.reference)
        #expect(try t.store.cases(status: "closed").isEmpty)
    }

    @Test func dataSurvivesReopening() throws {
        let t = try TemporaryCasework()
        let (_, request, response) = try t.draft()
        let finding = try t.store.addFinding(responseID: response.id, computation: TemporaryCasework.computation(), actor: "alice")
        let reopened = try CaseworkStore(dataDirectory: t.directory)
        #expect(try reopened.request(id: request.id) == request)
        #expect(try reopened.findings(responseID: response.id) == [finding])
        #expect(finding.result == Data(#"{"paths":[]}"#.utf8) && finding.tipHeight == 100 && finding.clusterParameters == "rules=v1")
        #expect(finding.question == request.question && finding.createdBy == "alice")
        #expect(finding.parameters["model"] == "haircut" && finding.command.hasPrefix("spoor trace --layer strict"))
        #expect(try reopened.verifyAudit().intact)
    }

    @Test func actingPersonHasNoDefault() throws {
        #expect(throws: CaseworkError.missingActor) { try Actor.resolve(explicit: nil, environment: [:]) }
        #expect(throws: CaseworkError.missingActor) { try Actor.resolve(explicit: nil, environment: ["SPOOR_AS": " "]) }
        #expect(try Actor.resolve(explicit: nil, environment: ["SPOOR_AS": "carol"]) == "carol")
        #expect(try Actor.resolve(explicit: " dave ", environment: ["SPOOR_AS": "carol"]) == "dave")
    }

    @Test func timesRoundTrip() throws {
        let date = Date(timeIntervalSince1970: 1_767_225_600 + 3_723.9)
        #expect(CaseworkTime.format(date) == "2026-01-01T01:02:03Z")
        #expect(CaseworkTime.parse("2026-01-01T01:02:03Z") == CaseworkTime.truncated(date))
        #expect(
            CaseworkTime.parse("2026-02-30") == nil && CaseworkTime.parse("2026-01-01T25:00:00Z") == nil && CaseworkTime.parse("x") == nil)
        #expect(CaseworkTime.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }
}
