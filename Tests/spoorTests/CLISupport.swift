import Foundation
import GRDB
import Testing

/// Runs the built `spoor` executable and captures its output.
struct CLIResult {
    var status: Int32
    var signaled: Bool
    var stdout: String
    var stderr: String
}

enum CLI {
    /// The directory of the test products, where `swift build` also put `spoor`.
    static var productsDirectory: URL {
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }
        return (bundle?.bundleURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).deletingLastPathComponent()
    }

    static var executable: URL { productsDirectory.appendingPathComponent("spoor") }

    /// The repository's test fixtures (shared with ChainIndexTests).
    static func fixture(_ relative: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ChainIndexTests/Fixtures").appendingPathComponent(relative).path
    }

    static func temporaryDirectory(_ name: String = "spoor-cli") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                         stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let dict = object as? [String: Any] else { throw CLIError.notAnObject(text) }
        return dict
    }
}

enum CLIError: Error { case notAnObject(String) }

/// Every row of the chain tables, as text, for comparing two indexes exactly.
func dumpChainTables(dataDirectory: String) throws -> [String: [String]] {
    let queue = try DatabaseQueue(path: dataDirectory + "/index.sqlite")
    return try queue.read { db in
        var out = [String: [String]]()
        for table in ["block", "tx", "output", "output_script", "input", "address", "same_key", "stale_block"] {
            // import_run ids differ between a resumed and a one-shot import; everything else must not.
            let columns = try db.columns(in: table).map(\.name).filter { $0 != "import_run" }
            let rows = try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY 1")
            out[table] = rows.map { $0.description }
        }
        return out
    }
}
