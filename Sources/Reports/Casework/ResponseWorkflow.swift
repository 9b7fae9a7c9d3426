import Foundation

/// The review workflow of a response, in one place:
///
/// ```
///            submit                 approve               send
///   draft ───────────▶ in_review ───────────▶ approved ──────────▶ sent
///     ▲                    │
///     └────── reject ──────┘   (with a reason)
/// ```
///
/// - submit: needs at least one finding and a non-empty conclusion.
/// - approve: only by a person who is neither the author nor a contributor (anyone who added a
///   finding or wrote the conclusion); records the reviewer.
/// - reject: back to draft with a reason.
/// - send: only once approved.
/// - Findings and the conclusion change only in draft.
public enum ResponseWorkflow {
    /// A state change a person asks for.
    public enum Action: String, Sendable, CaseIterable {
        case submit, approve, reject, send

        /// The state the action leads to.
        public var target: ResponseState {
            switch self {
            case .submit: return .inReview
            case .approve: return .approved
            case .reject: return .draft
            case .send: return .sent
            }
        }

        /// The only state the action may start from.
        public var source: ResponseState {
            switch self {
            case .submit: return .draft
            case .approve, .reject: return .inReview
            case .send: return .approved
            }
        }
    }

    /// What the rules need to know about a response.
    public struct Facts: Sendable {
        public var response: Response
        public var findingCount: Int
        /// Everyone who added a finding or set the conclusion.
        public var contributors: Set<String>

        public init(response: Response, findingCount: Int, contributors: Set<String>) {
            self.response = response
            self.findingCount = findingCount
            self.contributors = contributors
        }
    }

    /// Checks that `actor` may perform `action` now and returns the new state.
    /// - Throws: ``CaseworkError/invalidTransition(responseID:from:to:)`` from the wrong state,
    ///   ``CaseworkError/incomplete(responseID:missing:)``, ``CaseworkError/selfApproval(person:responseID:role:)``,
    ///   ``CaseworkError/emptyField(_:)`` for a rejection without a reason.
    public static func check(_ action: Action, _ facts: Facts, actor: String, reason: String? = nil) throws -> ResponseState {
        let response = facts.response
        guard response.state == action.source else {
            throw CaseworkError.invalidTransition(responseID: response.id, from: response.state, to: action.target)
        }
        switch action {
        case .submit:
            if facts.findingCount == 0 { throw CaseworkError.incomplete(responseID: response.id, missing: "it has no finding") }
            if response.conclusion.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw CaseworkError.incomplete(responseID: response.id, missing: "it has no conclusion")
            }
        case .approve:
            if actor == response.author { throw CaseworkError.selfApproval(person: actor, responseID: response.id, role: "author") }
            if facts.contributors.contains(actor) {
                throw CaseworkError.selfApproval(person: actor, responseID: response.id, role: "contributor")
            }
        case .reject:
            if (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw CaseworkError.emptyField("the rejection reason")
            }
        case .send:
            break
        }
        return action.target
    }

    /// Checks that findings and the conclusion may change.
    /// - Throws: ``CaseworkError/notEditable(responseID:state:)`` unless the response is a draft.
    public static func requireEditable(_ response: Response) throws {
        guard response.state == .draft else { throw CaseworkError.notEditable(responseID: response.id, state: response.state) }
    }
}
