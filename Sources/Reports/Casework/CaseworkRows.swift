import Foundation
import GRDB

/// One state change of a response: who moved it, when, from where to where, and why (rejections).
public struct ResponseStateChange: Codable, Sendable, Equatable {
    public var responseID: Int64
    /// Nil for the creation of the response.
    public var from: ResponseState?
    public var to: ResponseState
    public var actor: String
    public var time: Date
    public var reason: String?

    public init(responseID: Int64, from: ResponseState?, to: ResponseState, actor: String, time: Date, reason: String?) {
        self.responseID = responseID
        self.from = from
        self.to = to
        self.actor = actor
        self.time = time
        self.reason = reason
    }
}

/// Decoding of stored rows into the casework model; a malformed row throws
/// ``CaseworkError/corruptRow(table:id:reason:)`` rather than trapping.
enum CaseworkRows {
    static let caseColumns = "id, reference, title, status, analyst, opened, closed, notes, sites"
    static let requestColumns = "id, case_id, organisation, partner_reference, received, due, question, subjects"
    static let responseColumns = "id, request_id, state, conclusion, author, reviewer, created, submitted, approved, sent"
    static let findingColumns = """
        id, response_id, kind, subject, question, command, parameters, result, tip_height, tip_hash, layer, cluster_parameters, \
        created_by, created
        """

    static func hotlineCase(_ row: Row) throws -> HotlineCase {
        let id: Int64 = row[0]
        return HotlineCase(
            id: id, reference: row[1], title: row[2], status: row[3], analyst: row[4],
            opened: try time(row[5], "hotline_case", id), closed: try optionalTime(row[6], "hotline_case", id),
            notes: row[7], sites: try strings(row[8], "hotline_case", id))
    }

    static func request(_ row: Row) throws -> PartnerRequest {
        let id: Int64 = row[0]
        return PartnerRequest(
            id: id, caseID: row[1], organisation: row[2], partnerReference: row[3],
            received: try time(row[4], "partner_request", id), due: try optionalTime(row[5], "partner_request", id),
            question: row[6], subjects: try strings(row[7], "partner_request", id))
    }

    static func response(_ row: Row) throws -> Response {
        let id: Int64 = row[0]
        let stateText: String = row[2]
        guard let state = ResponseState(rawValue: stateText) else {
            throw CaseworkError.corruptRow(table: "response", id: id, reason: "unknown state '\(stateText)'")
        }
        return Response(
            id: id, requestID: row[1], state: state, conclusion: row[3], author: row[4], reviewer: row[5],
            created: try time(row[6], "response", id), submitted: try optionalTime(row[7], "response", id),
            approved: try optionalTime(row[8], "response", id), sent: try optionalTime(row[9], "response", id))
    }

    static func finding(_ row: Row) throws -> Finding {
        let id: Int64 = row[0]
        let kindText: String = row[2]
        guard let kind = FindingKind(rawValue: kindText) else {
            throw CaseworkError.corruptRow(table: "finding", id: id, reason: "unknown kind '\(kindText)'")
        }
        let parametersText: String = row[6]
        let parameters: [String: String]
        do { parameters = try JSONDecoder().decode([String: String].self, from: Data(parametersText.utf8)) } catch {
            throw CaseworkError.corruptRow(table: "finding", id: id, reason: "parameters are not a JSON object of strings")
        }
        let tipHeight: Int64? = row[8]
        return Finding(
            id: id, responseID: row[1], kind: kind, subject: row[3], question: row[4], command: row[5], parameters: parameters,
            result: row[7], tipHeight: tipHeight.map { Int($0) }, tipHash: row[9], layer: row[10], clusterParameters: row[11],
            createdBy: row[12], created: try time(row[13], "finding", id))
    }

    static func stateChange(_ row: Row) throws -> ResponseStateChange {
        let id: Int64 = row[0]
        let from: String? = row[2], to: String = row[3]
        guard let target = ResponseState(rawValue: to), from.map({ ResponseState(rawValue: $0) != nil }) ?? true else {
            throw CaseworkError.corruptRow(table: "response_state_change", id: id, reason: "unknown state")
        }
        return ResponseStateChange(
            responseID: row[1], from: from.flatMap(ResponseState.init(rawValue:)), to: target, actor: row[4],
            time: try time(row[5], "response_state_change", id), reason: row[6])
    }

    /// A list as stored: a JSON array of strings.
    static func json(_ list: [String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(list), as: UTF8.self)
    }

    /// A dictionary as stored: a JSON object with sorted keys.
    static func json(_ dictionary: [String: String]) throws -> String {
        try AuditHash.canonicalJSON(dictionary)
    }

    private static func strings(_ text: String, _ table: String, _ id: Int64) throws -> [String] {
        do { return try JSONDecoder().decode([String].self, from: Data(text.utf8)) } catch {
            throw CaseworkError.corruptRow(table: table, id: id, reason: "'\(text)' is not a JSON array of strings")
        }
    }

    private static func time(_ text: String, _ table: String, _ id: Int64) throws -> Date {
        guard let date = CaseworkTime.parse(text) else {
            throw CaseworkError.corruptRow(table: table, id: id, reason: "time '\(text)' is not ISO 8601 UTC")
        }
        return date
    }

    private static func optionalTime(_ text: String?, _ table: String, _ id: Int64) throws -> Date? {
        guard let text else { return nil }
        return try time(text, table, id)
    }
}
