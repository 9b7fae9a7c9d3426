import Foundation
import GRDB

extension CaseworkStore {
    /// Starts a draft response to request `requestID`, written by `actor`.
    /// - Throws: ``CaseworkError/requestNotFound(_:)``, ``CaseworkError/caseClosed(reference:)``.
    @discardableResult
    public func createResponse(requestID: Int64, actor: String) throws -> Response {
        let actor = try Actor.validated(actor)
        return try write { db, time in
            let request = try Self.request(db, id: requestID)
            try Self.requireOpenCase(db, request)
            let created = CaseworkTime.format(time)
            try db.execute(
                sql: "INSERT INTO response(request_id, state, conclusion, author, created) VALUES (?, 'draft', '', ?, ?)",
                arguments: [requestID, actor, created])
            let id = db.lastInsertedRowID
            try Self.recordStateChange(db, responseID: id, from: nil, to: .draft, actor: actor, time: created, reason: nil)
            try auditLog.append(
                db, time: time, actor: actor, action: "response.create", entity: "response:\(id)",
                details: ["request": String(requestID)])
            return try Self.response(db, id: id)
        }
    }

    /// The responses to request `requestID`, in id order.
    public func responses(requestID: Int64) throws -> [Response] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(CaseworkRows.responseColumns) FROM response WHERE request_id = ? ORDER BY id", arguments: [requestID]
            )
            .map(CaseworkRows.response)
        }
    }

    /// Every response, in id order.
    public func allResponses() throws -> [Response] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(CaseworkRows.responseColumns) FROM response ORDER BY id").map(CaseworkRows.response)
        }
    }

    /// Every state change of a response, oldest first (the first is its creation).
    /// - Throws: ``CaseworkError/responseNotFound(_:)``.
    public func stateChanges(responseID: Int64) throws -> [ResponseStateChange] {
        try read { db in
            _ = try Self.response(db, id: responseID)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT id, response_id, from_state, to_state, actor, time, reason FROM response_state_change
                    WHERE response_id = ? ORDER BY id
                    """, arguments: [responseID]
            ).map(CaseworkRows.stateChange)
        }
    }

    /// Everyone who added a finding to or set the conclusion of a response (they may not approve it).
    public func contributors(responseID: Int64) throws -> Set<String> {
        try read { db in try Self.contributors(db, responseID: responseID) }
    }

    /// The finding `id`.
    /// - Throws: ``CaseworkError/findingNotFound(_:)``.
    public func finding(id: Int64) throws -> Finding {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(CaseworkRows.findingColumns) FROM finding WHERE id = ?", arguments: [id])
            else {
                throw CaseworkError.findingNotFound(id)
            }
            return try CaseworkRows.finding(row)
        }
    }

    /// Sets the analyst's conclusion of a draft.
    /// - Throws: ``CaseworkError/notEditable(responseID:state:)`` unless it is a draft,
    ///   ``CaseworkError/emptyField(_:)``.
    @discardableResult
    public func conclude(responseID: Int64, text: String, actor: String) throws -> Response {
        let actor = try Actor.validated(actor)
        let text = try Self.required(text, "the conclusion")
        return try write { db, time in
            let response = try Self.response(db, id: responseID)
            try ResponseWorkflow.requireEditable(response)
            try db.execute(sql: "UPDATE response SET conclusion = ? WHERE id = ?", arguments: [text, responseID])
            try Self.addContributor(db, responseID: responseID, person: actor)
            try auditLog.append(
                db, time: time, actor: actor, action: "response.conclude", entity: "response:\(responseID)",
                details: ["conclusion": text, "previous": response.conclusion])
            return try Self.response(db, id: responseID)
        }
    }

    /// Adds a computed finding to a draft.
    /// - Parameters:
    ///   - computation: the result and provenance from ``FindingRunner/run(_:)``.
    ///   - question: what was asked, in words (nil: the request's question).
    /// - Throws: ``CaseworkError/notEditable(responseID:state:)``, ``CaseworkError/caseClosed(reference:)``,
    ///   ``CaseworkError/subjectNotInRequest(subject:requestID:)``.
    @discardableResult
    public func addFinding(responseID: Int64, computation: FindingComputation, question: String? = nil, actor: String) throws -> Finding {
        let added = try addFindings(responseID: responseID, computations: [computation], question: question, actor: actor)
        guard let finding = added.first else { throw CaseworkError.responseNotFound(responseID) }
        return finding
    }

    /// Adds several computed findings to a draft in one transaction (all or none).
    /// - Throws: as ``addFinding(responseID:computation:question:actor:)``.
    @discardableResult
    public func addFindings(responseID: Int64, computations: [FindingComputation], question: String? = nil, actor: String) throws
        -> [Finding]
    {
        let actor = try Actor.validated(actor)
        let question = try question.map { try Self.required($0, "the question") }
        return try write { db, time in
            let response = try Self.response(db, id: responseID)
            try ResponseWorkflow.requireEditable(response)
            let request = try Self.request(db, id: response.requestID)
            try Self.requireOpenCase(db, request)
            var added: [Finding] = []
            for computation in computations {
                added.append(
                    try insertFinding(
                        db, time: time, response: response, request: request, computation: computation,
                        question: question ?? request.question, actor: actor))
            }
            return added
        }
    }

    private func insertFinding(
        _ db: Database, time: Date, response: Response, request: PartnerRequest, computation: FindingComputation,
        question: String, actor: String
    ) throws -> Finding {
        let spec = computation.specification
        guard request.subjects.contains(spec.subject) else {
            throw CaseworkError.subjectNotInRequest(subject: spec.subject, requestID: request.id)
        }
        let parameters = try CaseworkRows.json(spec.parameters)
        try db.execute(
            sql: """
                INSERT INTO finding(response_id, kind, subject, question, command, parameters, result, tip_height, tip_hash, layer,
                                    cluster_parameters, created_by, created)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                response.id, spec.kind.rawValue, spec.subject, question, spec.command, parameters, computation.result,
                computation.tipHeight, computation.tipHash, spec.layer.description, computation.clusterParameters, actor,
                CaseworkTime.format(time),
            ])
        let id = db.lastInsertedRowID
        try Self.addContributor(db, responseID: response.id, person: actor)
        try auditLog.append(
            db, time: time, actor: actor, action: "response.finding", entity: "finding:\(id)",
            details: [
                "response": String(response.id), "kind": spec.kind.rawValue, "subject": spec.subject,
                "question": question, "command": spec.command, "parameters": parameters,
                "tip": "\(computation.tipHeight.map(String.init) ?? "-") \(computation.tipHash ?? "-")",
                "result_sha256": computation.resultDigest,
            ])
        guard let row = try Row.fetchOne(db, sql: "SELECT \(CaseworkRows.findingColumns) FROM finding WHERE id = ?", arguments: [id]) else {
            throw CaseworkError.findingNotFound(id)
        }
        return try CaseworkRows.finding(row)
    }

    /// draft → in_review: needs a finding and a conclusion.
    @discardableResult
    public func submit(responseID: Int64, actor: String) throws -> Response {
        try transition(responseID, .submit, actor: actor, reason: nil)
    }

    /// in_review → approved, by someone other than the author and the contributors.
    @discardableResult
    public func approve(responseID: Int64, actor: String) throws -> Response {
        try transition(responseID, .approve, actor: actor, reason: nil)
    }

    /// in_review → draft, with the reason.
    @discardableResult
    public func reject(responseID: Int64, reason: String, actor: String) throws -> Response {
        try transition(responseID, .reject, actor: actor, reason: reason)
    }

    /// approved → sent (never before approval).
    @discardableResult
    public func markSent(responseID: Int64, actor: String) throws -> Response {
        try transition(responseID, .send, actor: actor, reason: nil)
    }

    /// Applies a workflow action after ``ResponseWorkflow/check(_:_:actor:reason:)`` allows it,
    /// recording the state change and its audit entry.
    /// - Throws: the workflow's errors, ``CaseworkError/responseNotFound(_:)``.
    public func transition(_ responseID: Int64, _ action: ResponseWorkflow.Action, actor: String, reason: String?) throws -> Response {
        let actor = try Actor.validated(actor)
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try write { db, time in
            let response = try Self.response(db, id: responseID)
            let findingCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM finding WHERE response_id = ?", arguments: [responseID]) ?? 0
            let facts = ResponseWorkflow.Facts(
                response: response, findingCount: findingCount,
                contributors: try Self.contributors(db, responseID: responseID))
            let target = try ResponseWorkflow.check(action, facts, actor: actor, reason: reason)
            let stamp = CaseworkTime.format(time)
            switch action {
            case .submit:
                try db.execute(
                    sql: "UPDATE response SET state = ?, submitted = ? WHERE id = ?", arguments: [target.rawValue, stamp, responseID])
            case .approve:
                try db.execute(
                    sql: "UPDATE response SET state = ?, reviewer = ?, approved = ? WHERE id = ?",
                    arguments: [target.rawValue, actor, stamp, responseID])
            case .reject:
                try db.execute(
                    sql: "UPDATE response SET state = ?, submitted = NULL WHERE id = ?", arguments: [target.rawValue, responseID])
            case .send:
                try db.execute(
                    sql: "UPDATE response SET state = ?, sent = ? WHERE id = ?", arguments: [target.rawValue, stamp, responseID])
            }
            try Self.recordStateChange(
                db, responseID: responseID, from: response.state, to: target, actor: actor, time: stamp, reason: reason)
            var details = ["from": response.state.rawValue, "to": target.rawValue]
            if let reason, action == .reject { details["reason"] = reason }
            try auditLog.append(
                db, time: time, actor: actor, action: "response.\(action.rawValue)", entity: "response:\(responseID)",
                details: details)
            return try Self.response(db, id: responseID)
        }
    }

    // MARK: - Helpers inside a transaction

    static func requireOpenCase(_ db: Database, _ request: PartnerRequest) throws {
        let hotlineCase = try Self.hotlineCase(db, id: request.caseID)
        guard hotlineCase.status == "open" else { throw CaseworkError.caseClosed(reference: hotlineCase.reference) }
    }

    static func recordStateChange(
        _ db: Database, responseID: Int64, from: ResponseState?, to: ResponseState, actor: String, time: String,
        reason: String?
    ) throws {
        try db.execute(
            sql: "INSERT INTO response_state_change(response_id, from_state, to_state, actor, time, reason) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [responseID, from?.rawValue, to.rawValue, actor, time, reason])
    }

    static func addContributor(_ db: Database, responseID: Int64, person: String) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO response_contributor(response_id, person) VALUES (?, ?)", arguments: [responseID, person])
    }

    static func contributors(_ db: Database, responseID: Int64) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT person FROM response_contributor WHERE response_id = ?", arguments: [responseID]))
    }
}
