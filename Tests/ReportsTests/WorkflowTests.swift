import Foundation
import Testing

@testable import Reports

/// The review workflow: draft → in_review → approved → sent, reject back to draft, four eyes.
struct WorkflowTests {
    /// A draft with a finding and a conclusion by alice, ready to submit.
    func ready(_ t: TemporaryCasework) throws -> Response {
        let (_, _, response) = try t.draft(author: "alice")
        try t.store.addFinding(responseID: response.id, computation: TemporaryCasework.computation(), actor: "alice")
        return try t.store.conclude(responseID: response.id, text: "The subject paid a known seller twice.", actor: "alice")
    }

    @Test func happyPathRecordsWhoAndWhen() throws {
        let t = try TemporaryCasework()
        let draft = try ready(t)
        let submitted = try t.store.submit(responseID: draft.id, actor: "alice")
        #expect(submitted.state == .inReview && submitted.submitted != nil)
        let approved = try t.store.approve(responseID: draft.id, actor: "bob")
        #expect(approved.state == .approved && approved.reviewer == "bob" && approved.approved != nil)
        let sent = try t.store.markSent(responseID: draft.id, actor: "alice")
        #expect(sent.state == .sent && sent.sent != nil)
        let history = try t.store.stateChanges(responseID: draft.id)
        #expect(history.map(\.to) == [.draft, .inReview, .approved, .sent])
        #expect(history.map(\.from) == [nil, .draft, .inReview, .approved])
        #expect(history.map(\.actor) == ["alice", "alice", "bob", "alice"])
        #expect(zip(history, history.dropFirst()).allSatisfy { $0.time < $1.time })
        let actions = try t.store.auditEntries().map(\.action)
        #expect(actions.suffix(3) == ["response.submit", "response.approve", "response.send"])
        #expect(try t.store.verifyAudit().intact)
    }

    @Test func noSelfApproval() throws {
        let t = try TemporaryCasework()
        let draft = try ready(t)
        try t.store.submit(responseID: draft.id, actor: "alice")
        #expect(throws: CaseworkError.selfApproval(person: "alice", responseID: draft.id, role: "author")) {
            try t.store.approve(responseID: draft.id, actor: "alice")
        }
        #expect(try t.store.response(id: draft.id).state == .inReview)
        #expect(try t.store.stateChanges(responseID: draft.id).count == 2)
        #expect(!(try t.store.auditEntries().contains { $0.action == "response.approve" }))
    }

    @Test func aContributorCannotApproveEither() throws {
        let t = try TemporaryCasework()
        let draft = try ready(t)
        try t.store.addFinding(responseID: draft.id, computation: TemporaryCasework.computation(subject: "bcrt1qsubject2"), actor: "carol")
        try t.store.submit(responseID: draft.id, actor: "alice")
        #expect(throws: CaseworkError.selfApproval(person: "carol", responseID: draft.id, role: "contributor")) {
            try t.store.approve(responseID: draft.id, actor: "carol")
        }
        #expect(try t.store.approve(responseID: draft.id, actor: "bob").reviewer == "bob")
    }

    @Test func noSendingBeforeApproval() throws {
        let t = try TemporaryCasework()
        let draft = try ready(t)
        #expect(throws: CaseworkError.invalidTransition(responseID: draft.id, from: .draft, to: .sent)) {
            try t.store.markSent(responseID: draft.id, actor: "alice")
        }
        try t.store.submit(responseID: draft.id, actor: "alice")
        #expect(throws: CaseworkError.invalidTransition(responseID: draft.id, from: .inReview, to: .sent)) {
            try t.store.markSent(responseID: draft.id, actor: "bob")
        }
        try t.store.approve(responseID: draft.id, actor: "bob")
        try t.store.markSent(responseID: draft.id, actor: "alice")
        #expect(throws: CaseworkError.invalidTransition(responseID: draft.id, from: .sent, to: .sent)) {
            try t.store.markSent(responseID: draft.id, actor: "alice")
        }
        #expect(throws: CaseworkError.invalidTransition(responseID: draft.id, from: .sent, to: .approved)) {
            try t.store.approve(responseID: draft.id, actor: "bob")
        }
    }

    @Test func submitNeedsAFindingAndAConclusion() throws {
        let t = try TemporaryCasework()
        let (_, _, response) = try t.draft()
        #expect(throws: CaseworkError.incomplete(responseID: response.id, missing: "it has no finding")) {
            try t.store.submit(responseID: response.id, actor: "alice")
        }
        try t.store.addFinding(responseID: response.id, computation: TemporaryCasework.computation(), actor: "alice")
        #expect(throws: CaseworkError.incomplete(responseID: response.id, missing: "it has no conclusion")) {
            try t.store.submit(responseID: response.id, actor: "alice")
        }
        #expect(throws: CaseworkError.emptyField("the conclusion")) {
            try t.store.conclude(responseID: response.id, text: " ", actor: "alice")
        }
        try t.store.conclude(responseID: response.id, text: "done", actor: "alice")
        #expect(try t.store.submit(responseID: response.id, actor: "alice").state == .inReview)
    }

    @Test func noEditsAfterSubmission() throws {
        let t = try TemporaryCasework()
        let draft = try ready(t)
        let computation = TemporaryCasework.computation(subject: "bcrt1qsubject2")
        try t.store.submit(responseID: draft.id, actor: "alice")
        for state in [ResponseState.inReview, .approved, .sent] {
            if state == .approved { try t.store.approve(responseID: draft.id, actor: "bob") }
            if state == .sent { try t.store.markSent(responseID: draft.id, actor: "alice") }
            #expect(throws: CaseworkError.notEditable(responseID: draft.id, state: state)) {
                try t.store.conclude(responseID: draft.id, text: "changed", actor: "alice")
            }
            #expect(throws: CaseworkError.notEditable(responseID: draft.id, state: state)) {
                try t.store.addFinding(responseID: draft.id, computation: computation, actor: "alice")
            }
        }
        #expect(try t.store.findings(responseID: draft.id).count == 1)
        #expect(try t.store.response(id: draft.id).conclusion == draft.conclusion)
    }

    @Test func rejectGoesBackToDraftWithAReason() throws {
        let t = try TemporaryCasework()
        let draft = try ready(t)
        try t.store.submit(responseID: draft.id, actor: "alice")
        #expect(throws: CaseworkError.emptyField("the rejection reason")) {
            try t.store.reject(responseID: draft.id, reason: "", actor: "bob")
        }
        let rejected = try t.store.reject(responseID: draft.id, reason: "Name the model in the conclusion.", actor: "bob")
        #expect(rejected.state == .draft && rejected.submitted == nil && rejected.reviewer == nil)
        #expect(try t.store.stateChanges(responseID: draft.id).last?.reason == "Name the model in the conclusion.")
        #expect(try t.store.auditEntries().last?.details.contains("Name the model") == true)
        // Editable again, then through review.
        try t.store.conclude(responseID: draft.id, text: "Under the haircut model the subject paid a seller.", actor: "alice")
        try t.store.submit(responseID: draft.id, actor: "alice")
        #expect(try t.store.approve(responseID: draft.id, actor: "bob").state == .approved)
        #expect(throws: CaseworkError.invalidTransition(responseID: draft.id, from: .approved, to: .draft)) {
            try t.store.reject(responseID: draft.id, reason: "too late", actor: "bob")
        }
    }

    @Test func aClosedCaseAcceptsNoNewWork() throws {
        let t = try TemporaryCasework()
        let (c, request, response) = try t.draft()
        try t.store.closeCase(reference: c.reference, actor: "alice")
        #expect(try t.store.hotlineCase(reference: c.reference).closed != nil)
        #expect(throws: CaseworkError.caseClosed(reference: c.reference)) {
            try t.store.createRequest(caseReference: c.reference, organisation: "Police", question: "q", subjects: ["x"], actor: "alice")
        }
        #expect(throws: CaseworkError.caseClosed(reference: c.reference)) {
            try t.store.createResponse(requestID: request.id, actor: "alice")
        }
        #expect(throws: CaseworkError.caseClosed(reference: c.reference)) {
            try t.store.addFinding(responseID: response.id, computation: TemporaryCasework.computation(), actor: "alice")
        }
        #expect(throws: CaseworkError.caseClosed(reference: c.reference)) { try t.store.closeCase(reference: c.reference, actor: "alice") }
        #expect(try t.store.requests(caseReference: c.reference).count == 1)
    }

    @Test func findingsAnswerTheRequestsSubjects() throws {
        let t = try TemporaryCasework()
        let (_, request, response) = try t.draft()
        #expect(throws: CaseworkError.subjectNotInRequest(subject: "bcrt1qother", requestID: request.id)) {
            try t.store.addFinding(
                responseID: response.id, computation: TemporaryCasework.computation(subject: "bcrt1qother"), actor: "alice")
        }
        // All or none: one bad subject adds nothing.
        #expect(throws: CaseworkError.self) {
            try t.store.addFindings(
                responseID: response.id, computations: [TemporaryCasework.computation(), TemporaryCasework.computation(subject: "x")],
                actor: "alice")
        }
        #expect(try t.store.findings(responseID: response.id).isEmpty)
    }

    @Test func rulesInOnePlace() throws {
        let response = Response(
            id: 1, requestID: 1, state: .inReview, conclusion: "c", author: "alice", reviewer: nil, created: Date(),
            submitted: nil, approved: nil, sent: nil)
        let facts = ResponseWorkflow.Facts(response: response, findingCount: 1, contributors: ["alice"])
        #expect(try ResponseWorkflow.check(.approve, facts, actor: "bob") == .approved)
        #expect(throws: CaseworkError.selfApproval(person: "alice", responseID: 1, role: "author")) {
            try ResponseWorkflow.check(.approve, facts, actor: "alice")
        }
        #expect(throws: CaseworkError.invalidTransition(responseID: 1, from: .inReview, to: .inReview)) {
            try ResponseWorkflow.check(.submit, facts, actor: "alice")
        }
        for action in ResponseWorkflow.Action.allCases { #expect(action.source != action.target) }
    }
}
