import Foundation
import GRDB

extension CaseworkStore {
    /// Records a partner's request in an open case.
    /// - Parameters:
    ///   - caseReference: the case's reference.
    ///   - organisation: the requesting organisation.
    ///   - received: when it arrived (nil: now).
    ///   - subjects: addresses, `txid:vout`, txids or cluster ids, as given (at least one).
    /// - Throws: ``CaseworkError/caseNotFound(reference:)``, ``CaseworkError/caseClosed(reference:)``,
    ///   ``CaseworkError/emptyField(_:)``.
    @discardableResult
    public func createRequest(
        caseReference: String, organisation: String, partnerReference: String? = nil, received: Date? = nil,
        due: Date? = nil, question: String, subjects: [String], actor: String
    ) throws -> PartnerRequest {
        let actor = try Actor.validated(actor)
        let organisation = try Self.required(organisation, "the requesting organisation")
        let question = try Self.required(question, "the question")
        let subjects = Self.cleaned(subjects)
        guard !subjects.isEmpty else { throw CaseworkError.emptyField("the subjects") }
        let partnerReference = partnerReference.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        return try write { db, time in
            let hotlineCase = try Self.hotlineCase(db, reference: caseReference)
            guard hotlineCase.status == "open" else { throw CaseworkError.caseClosed(reference: caseReference) }
            let receivedText = CaseworkTime.format(received ?? time)
            let dueText = due.map(CaseworkTime.format)
            let subjectsText = try CaseworkRows.json(subjects)
            try db.execute(
                sql: """
                    INSERT INTO partner_request(case_id, organisation, partner_reference, received, due, question, subjects)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [hotlineCase.id, organisation, partnerReference, receivedText, dueText, question, subjectsText])
            let id = db.lastInsertedRowID
            var details = [
                "case": hotlineCase.reference, "organisation": organisation, "received": receivedText, "question": question,
                "subjects": subjectsText,
            ]
            if let partnerReference { details["partner_reference"] = partnerReference }
            if let dueText { details["due"] = dueText }
            try auditLog.append(db, time: time, actor: actor, action: "request.create", entity: "request:\(id)", details: details)
            return try Self.request(db, id: id)
        }
    }

    /// Requests in id order; only those of the case `caseReference` when given.
    /// - Throws: ``CaseworkError/caseNotFound(reference:)``.
    public func requests(caseReference: String? = nil) throws -> [PartnerRequest] {
        try read { db in
            let caseID = try caseReference.map { try Self.hotlineCase(db, reference: $0).id }
            return try Self.requests(db, caseID: caseID)
        }
    }

    /// The requests of case `caseID`, in id order (empty for an unknown case).
    public func requests(caseID: Int64) throws -> [PartnerRequest] {
        try read { db in try Self.requests(db, caseID: caseID) }
    }

    static func requests(_ db: Database, caseID: Int64?) throws -> [PartnerRequest] {
        try Row.fetchAll(
            db, sql: "SELECT \(CaseworkRows.requestColumns) FROM partner_request WHERE ?1 IS NULL OR case_id = ?1 ORDER BY id",
            arguments: [caseID]
        )
        .map(CaseworkRows.request)
    }
}
