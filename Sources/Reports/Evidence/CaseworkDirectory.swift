import Foundation

/// Casework lookups a case-wide report and the exports need beyond ``CaseworkReading``: a case by
/// its reference, and the requests and responses of a case. The casework store implements it; tests
/// use an in-memory one.
public protocol CaseworkDirectory: CaseworkReading {
    /// The case with reference `reference` (e.g. `HL-2026-0042`).
    func hotlineCase(reference: String) throws -> HotlineCase
    /// The requests of a case, in id order.
    func requests(caseID: Int64) throws -> [PartnerRequest]
    /// The responses to a request, in id order.
    func responses(requestID: Int64) throws -> [Response]
}

extension CaseworkDirectory {
    /// Every response of the case, in request then response id order.
    public func responses(caseID: Int64) throws -> [Response] {
        try requests(caseID: caseID).flatMap { try responses(requestID: $0.id) }
    }
}
