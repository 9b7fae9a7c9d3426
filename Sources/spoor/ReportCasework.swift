import Foundation
import Reports

/// The casework the report and export commands read (the casework store is a
/// ``CaseworkDirectory``). Point this at another store to change where reports read from.
func openCasework(dataDirectory: String) throws -> CaseworkStore {
    try CaseworkStore(dataDirectory: dataDirectory, create: false)
}
