import Foundation

/// The acting person of a casework change. There is no default identity: a change without a
/// named person is refused.
public enum Actor {
    /// The environment variable naming the acting person when `--as` is not given.
    public static let environmentVariable = "SPOOR_AS"

    /// The acting person: `explicit` (`--as NAME`) when given, else `SPOOR_AS` from `environment`.
    /// - Throws: ``CaseworkError/missingActor`` when neither names anyone.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit { return try validated(explicit) }
        if let fromEnvironment = environment[environmentVariable] { return try validated(fromEnvironment) }
        throw CaseworkError.missingActor
    }

    /// `name` without surrounding white space.
    /// - Throws: ``CaseworkError/missingActor`` for an empty name.
    public static func validated(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CaseworkError.missingActor }
        return trimmed
    }
}
