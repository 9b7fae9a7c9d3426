import ChainIndex
import Foundation
import GRDB
import Testing

@testable import Reports

/// The audit log: hash chain, append-only schema, head record and sidecar, and what verify detects
/// when someone with the file edits, removes or reorders entries.
struct AuditLogTests {
    /// A store with a few entries: case, request, response, finding, conclusion (5 entries).
    func populated() throws -> TemporaryCasework {
        let t = try TemporaryCasework()
        let (_, _, response) = try t.draft()
        try t.store.addFinding(responseID: response.id, computation: TemporaryCasework.computation(), actor: "alice")
        try t.store.conclude(responseID: response.id, text: "conclusion", actor: "alice")
        #expect(try t.store.auditEntries().count == 5)
        return t
    }

    func kinds(_ t: TemporaryCasework) throws -> Set<AuditProblem.Kind> {
        Set(try t.store.verifyAudit().problems.map(\.kind))
    }

    /// Drops the append-only triggers, as someone with the file can.
    func dropTriggers(_ db: Database) throws {
        try db.execute(sql: "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
    }

    @Test func entriesChainAndHashAsDocumented() throws {
        let t = try populated()
        let entries = try t.store.auditEntries()
        #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(entries[0].previousHash == String(repeating: "0", count: 64))
        for (a, b) in zip(entries, entries.dropFirst()) { #expect(b.previousHash == a.hash) }
        // The documented layout, rebuilt by hand for the first entry.
        let e = entries[0]
        var bytes = Array("spoor-audit-v1\n".utf8)
        for field in ["1", CaseworkTime.format(e.time), e.actor, e.action, e.entity, e.details, e.previousHash] {
            bytes += Array("\(field.utf8.count):\(field)\n".utf8)
        }
        #expect(Hashing.sha256(bytes).map { String(format: "%02x", $0) }.joined() == e.hash)
        #expect(
            e.action == "case.create" && e.entity == "case:1" && e.actor == "alice" && CaseworkTime.format(e.time) == "2026-01-01T00:00:01Z"
        )
        let verification = try t.store.verifyAudit()
        #expect(verification.intact && verification.entries == 5 && verification.lastHash == entries[4].hash)
        #expect(verification.head == AuditHead(count: 5, lastHash: entries[4].hash) && verification.sidecar == verification.head)
    }

    @Test func exportsAreAudited() throws {
        let t = try populated()
        let reading: any CaseworkReading = t.store
        try reading.audit(actor: "bob", action: "report.export", entity: "response:1", details: ["format": "pdf", "sha256": "ab"])
        let last = try #require(try t.store.auditEntries().last)
        #expect(last.action == "report.export" && last.actor == "bob" && last.details == #"{"format":"pdf","sha256":"ab"}"#)
        #expect(throws: CaseworkError.missingActor) {
            try reading.audit(actor: "", action: "report.export", entity: "response:1", details: [:])
        }
        #expect(try t.store.verifyAudit().intact)
    }

    @Test func theSchemaRefusesUpdatesAndDeletes() throws {
        let t = try populated()
        let db = try t.rawDatabase()
        #expect(throws: DatabaseError.self) {
            try db.write { try $0.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE sequence = 2") }
        }
        #expect(throws: DatabaseError.self) { try db.write { try $0.execute(sql: "DELETE FROM audit_log WHERE sequence = 5") } }
        #expect(try t.store.verifyAudit().intact)
    }

    @Test func detectsAnEditedEntry() throws {
        let t = try populated()
        try t.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE sequence = 3")
        }
        let problems = try t.store.verifyAudit().problems
        #expect(problems.contains { $0.kind == .hashMismatch && $0.sequence == 3 })
        #expect(problems.contains { $0.kind == .triggerMissing })
    }

    @Test func detectsAnEditRecomputingTheEntrysOwnHash() throws {
        let t = try populated()
        let e = try #require(try t.store.auditEntries().first { $0.sequence == 2 })
        let forged = AuditHash.hash(
            sequence: 2, time: CaseworkTime.format(e.time), actor: "mallory", action: e.action, entity: e.entity,
            details: e.details, previousHash: e.previousHash)
        try t.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(sql: "UPDATE audit_log SET actor = 'mallory', hash = ? WHERE sequence = 2", arguments: [forged])
        }
        // Entry 2 is self-consistent now, but entry 3 still points at the old hash.
        let problems = try t.store.verifyAudit().problems
        #expect(problems.contains { $0.kind == .previousHashMismatch && $0.sequence == 3 })
    }

    @Test func detectsADeletedMiddleEntry() throws {
        let t = try populated()
        try t.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(sql: "DELETE FROM audit_log WHERE sequence = 3")
        }
        let problems = try t.store.verifyAudit().problems
        #expect(problems.contains { $0.kind == .sequenceGap && $0.sequence == 4 })
        #expect(problems.contains { $0.kind == .previousHashMismatch && $0.sequence == 4 })
    }

    @Test func detectsADeletedLastEntryThroughTheHeadRecord() throws {
        let t = try populated()
        try t.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(sql: "DELETE FROM audit_log WHERE sequence = 5")
        }
        let verification = try t.store.verifyAudit()
        #expect(verification.problems.contains { $0.kind == .headMismatch && $0.detail.contains("removed from the end") })
        #expect(verification.problems.contains { $0.kind == .sidecarMismatch })
        // Nothing is chained onto the truncated log.
        #expect(throws: CaseworkError.self) { try t.store.createCase(reference: "HL-2", title: "t", actor: "alice") }
        #expect(try t.store.auditEntries().count == 4)
    }

    @Test func detectsADeletedLastEntryThroughTheSidecar() throws {
        let t = try populated()
        try t.rawDatabase().write { db in
            try dropTriggers(db)
            try db.execute(sql: "DELETE FROM audit_log WHERE sequence = 5")
            let last = try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE sequence = 4") ?? ""
            try db.execute(sql: "UPDATE audit_head SET count = 4, last_hash = ? WHERE id = 1", arguments: [last])
        }
        let problems = try t.store.verifyAudit().problems
        #expect(problems.map(\.kind).filter { $0 != .triggerMissing } == [.sidecarMismatch])
        #expect(problems.contains { $0.detail.contains("removed from the end") })
        #expect(throws: CaseworkError.self) { try t.store.createCase(reference: "HL-2", title: "t", actor: "alice") }
    }

    @Test func detectsARemovedOrReplacedSidecar() throws {
        let t = try populated()
        let saved = try Data(contentsOf: URL(fileURLWithPath: t.store.sidecarPath))
        try FileManager.default.removeItem(atPath: t.store.sidecarPath)
        #expect(try kinds(t) == [.sidecarMissing])
        #expect(throws: CaseworkError.self) { try t.store.createCase(reference: "HL-2", title: "t", actor: "alice") }
        try saved.write(to: URL(fileURLWithPath: t.store.sidecarPath))
        #expect(chmod(t.store.sidecarPath, 0o600) == 0)
        #expect(try t.store.verifyAudit().intact)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: t.store.sidecarPath))
        #expect(try kinds(t).contains(.sidecarUnreadable))
    }

    @Test func detectsReorderedEntries() throws {
        let t = try populated()
        try t.rawDatabase().write { db in
            try dropTriggers(db)
            // Swap entries 2 and 3 (their sequence numbers), keeping every stored hash.
            try db.execute(sql: "UPDATE audit_log SET sequence = -2 WHERE sequence = 2")
            try db.execute(sql: "UPDATE audit_log SET sequence = 2 WHERE sequence = 3")
            try db.execute(sql: "UPDATE audit_log SET sequence = 3 WHERE sequence = -2")
        }
        let problems = try t.store.verifyAudit().problems
        #expect(problems.contains { $0.kind == .hashMismatch && $0.sequence == 2 })
        #expect(problems.contains { $0.kind == .previousHashMismatch && $0.sequence == 2 })
    }

    @Test func detectsDroppedTriggers() throws {
        let t = try populated()
        try t.rawDatabase().write { db in try db.execute(sql: "DROP TRIGGER audit_log_no_delete") }
        let problems = try t.store.verifyAudit().problems
        #expect(
            problems.count == 1 && problems.first?.kind == .triggerMissing && problems.first?.detail.contains("audit_log_no_delete") == true
        )
    }

    @Test func anEmptyLogIsIntact() throws {
        let t = try TemporaryCasework()
        let v = try t.store.verifyAudit()
        #expect(v.intact && v.entries == 0 && v.lastHash == AuditHash.genesis)
    }
}
