import ArgumentParser
import Foundation
import Reports

/// `spoor keys init`: the unit's report signing key pair.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "The unit's Ed25519 report signing key.", subcommands: [KeysInit.self])
}

/// `spoor keys init [--force]`.
struct KeysInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Make the Ed25519 key pair that signs reports (<data>/keys/, private key mode 0600).")
    @OptionGroup var options: DataOptions
    @Flag(help: "Replace an existing key pair (reports signed with the old key still verify against it).") var force = false

    func run() throws {
        let keys = KeyStore(dataDirectory: options.data)
        do {
            let key = try keys.create(force: force)
            print("key id \(key.keyID)")
            print("private key \(keys.privateKeyPath) (owner-only; keep it off shared drives)")
            print("public key  \(keys.publicKeyPath) (give it to partners to check reports)")
        } catch { throw fail("\(error)") }
    }
}
