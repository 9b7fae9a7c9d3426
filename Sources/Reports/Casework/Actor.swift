import Foundation

/// The acting person of a casework change. There is no default identity: a change without a
/// named person is refused.
public enum Actor {
    /// The environment variable naming the acting person when `--as` is not given (a
    /// configuration file can name one too: ``resolve(explicit:environment:)``).
    public static let environmentVariable = "SPOOR_AS"

    /// The acting person: `explicit` (`--as NAME`) when given, else `SPOOR_AS` from `environment`,
    /// else the `as = NAME` line of the configuration file (``configurationPath(environment:)``).
    /// - Throws: ``CaseworkError/missingActor`` when none names anyone.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit { return try validated(explicit) }
        if let fromEnvironment = environment[environmentVariable] { return try validated(fromEnvironment) }
        if let path = configurationPath(environment: environment), let configured = configuredName(path: path) {
            return try validated(configured)
        }
        throw CaseworkError.missingActor
    }

    /// `$SPOOR_CONFIG`, else `$XDG_CONFIG_HOME/spoor/config`, else `~/.config/spoor/config`.
    public static func configurationPath(environment: [String: String]) -> String? {
        if let explicit = environment["SPOOR_CONFIG"] { return explicit }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/spoor/config" }
        return environment["HOME"].map { $0 + "/.config/spoor/config" }
    }

    /// The value of the `as = NAME` line of a configuration file (`#` starts a comment), if any.
    static func configuredName(path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let parts = content.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "as", !parts[1].isEmpty { return parts[1] }
        }
        return nil
    }

    /// `name` without surrounding white space.
    /// - Throws: ``CaseworkError/missingActor`` for an empty name.
    public static func validated(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CaseworkError.missingActor }
        return trimmed
    }
}
