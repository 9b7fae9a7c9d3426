import Foundation

/// The casework store serves the evidence reports' lookups (``CaseworkDirectory``): a case by
/// reference, a case's requests and a request's responses, all in id order.
extension CaseworkStore: CaseworkDirectory {}
