import Foundation
import GRDB

extension CaseworkStore {
    /// Opens a case.
    /// - Parameters:
    ///   - reference: the unit's reference (e.g. `HL-2026-0042`), unique.
    ///   - analyst: the analyst responsible (nil: the acting person).
    ///   - sites: sites or domains where the case's wallets were seen.
    ///   - actor: the acting person.
    /// - Throws: ``CaseworkError/duplicateReference(_:)``, ``CaseworkError/emptyField(_:)``,
    ///   ``CaseworkError/missingActor``.
    @discardableResult
    public func createCase(
        reference: String, title: String, analyst: String? = nil, notes: String = "", sites: [String] = [],
        actor: String
    ) throws -> HotlineCase {
        let actor = try Actor.validated(actor)
        let reference = try Self.required(reference, "the case reference")
        let title = try Self.required(title, "the case title")
        let analyst = try analyst.map { try Self.required($0, "the analyst") } ?? actor
        let sites = Self.cleaned(sites)
        return try write { db, time in
            if try Int64.fetchOne(db, sql: "SELECT id FROM hotline_case WHERE reference = ?", arguments: [reference]) != nil {
                throw CaseworkError.duplicateReference(reference)
            }
            try db.execute(
                sql: "INSERT INTO hotline_case(reference, title, status, analyst, opened, notes, sites) VALUES (?, ?, 'open', ?, ?, ?, ?)",
                arguments: [reference, title, analyst, CaseworkTime.format(time), notes, try CaseworkRows.json(sites)])
            let id = db.lastInsertedRowID
            try auditLog.append(
                db, time: time, actor: actor, action: "case.create", entity: "case:\(id)",
                details: [
                    "reference": reference, "title": title, "analyst": analyst, "notes": notes,
                    "sites": try CaseworkRows.json(sites),
                ])
            return try Self.hotlineCase(db, id: id)
        }
    }

    /// The case with reference `reference`.
    /// - Throws: ``CaseworkError/caseNotFound(reference:)``.
    public func hotlineCase(reference: String) throws -> HotlineCase {
        try read { db in try Self.hotlineCase(db, reference: reference) }
    }

    /// Cases in id order (oldest first); only those with `status` (`open` or `closed`) when given.
    public func cases(status: String? = nil) throws -> [HotlineCase] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(CaseworkRows.caseColumns) FROM hotline_case WHERE ?1 IS NULL OR status = ?1 ORDER BY id",
                arguments: [status]
            )
            .map(CaseworkRows.hotlineCase)
        }
    }

    /// Adds a dated, signed note and/or sites to a case (open or closed: notes never change the evidence).
    /// - Throws: ``CaseworkError/caseNotFound(reference:)``, ``CaseworkError/emptyField(_:)`` when
    ///   neither a note nor a site is given.
    @discardableResult
    public func addNote(caseReference: String, text: String?, sites: [String] = [], actor: String) throws -> HotlineCase {
        let actor = try Actor.validated(actor)
        let text = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let newSites = Self.cleaned(sites)
        guard !text.isEmpty || !newSites.isEmpty else { throw CaseworkError.emptyField("the note (or a site)") }
        return try write { db, time in
            let current = try Self.hotlineCase(db, reference: caseReference)
            var notes = current.notes
            if !text.isEmpty {
                if !notes.isEmpty && !notes.hasSuffix("\n") { notes += "\n" }
                notes += "[\(CaseworkTime.format(time)) \(actor)] \(text)\n"
            }
            var allSites = current.sites
            for s in newSites where !allSites.contains(s) { allSites.append(s) }
            try db.execute(
                sql: "UPDATE hotline_case SET notes = ?, sites = ? WHERE id = ?",
                arguments: [notes, try CaseworkRows.json(allSites), current.id])
            var details = ["reference": current.reference]
            if !text.isEmpty { details["note"] = text }
            if !newSites.isEmpty { details["sites_added"] = try CaseworkRows.json(newSites) }
            try auditLog.append(db, time: time, actor: actor, action: "case.note", entity: "case:\(current.id)", details: details)
            return try Self.hotlineCase(db, id: current.id)
        }
    }

    /// Closes a case: it then accepts no new requests, responses or findings.
    /// - Throws: ``CaseworkError/caseNotFound(reference:)``, ``CaseworkError/caseClosed(reference:)``
    ///   when it is closed already.
    @discardableResult
    public func closeCase(reference: String, actor: String) throws -> HotlineCase {
        let actor = try Actor.validated(actor)
        return try write { db, time in
            let current = try Self.hotlineCase(db, reference: reference)
            guard current.status == "open" else { throw CaseworkError.caseClosed(reference: reference) }
            try db.execute(
                sql: "UPDATE hotline_case SET status = 'closed', closed = ? WHERE id = ?",
                arguments: [CaseworkTime.format(time), current.id])
            try auditLog.append(
                db, time: time, actor: actor, action: "case.close", entity: "case:\(current.id)",
                details: ["reference": reference])
            return try Self.hotlineCase(db, id: current.id)
        }
    }

    /// The text without surrounding white space.
    /// - Throws: ``CaseworkError/emptyField(_:)`` when nothing is left.
    static func required(_ text: String, _ name: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CaseworkError.emptyField(name) }
        return trimmed
    }

    /// Trimmed, non-empty, without duplicates, in the order given.
    static func cleaned(_ list: [String]) -> [String] {
        var out: [String] = []
        for item in list {
            let t = item.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty && !out.contains(t) { out.append(t) }
        }
        return out
    }
}
