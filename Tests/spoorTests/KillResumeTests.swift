import Foundation
import Testing

/// Kills a real import process part way (SIGKILL, no cleanup) and checks that re-running the
/// import gives exactly the rows of an uninterrupted import: no duplicate, no gap, no half block.
struct KillResumeTests {
    let input = CLI.fixture("real/mainnet_000000-004312_jeffchan.dat")

    func uninterrupted() throws -> [String: [String]] {
        let data = CLI.temporaryDirectory("spoor-oneshot")
        let r = try CLI.run(["import", "--data", data, "--batch-transactions", "25", input])
        #expect(r.status == 0, "\(r.stderr)")
        return try dumpChainTables(dataDirectory: data)
    }

    @Test(arguments: [[1], [3, 40], [2, 2, 2, 60]])
    func killAfterCommittedBatchesThenResume(killPoints: [Int]) throws {
        let expected = try uninterrupted()
        let data = CLI.temporaryDirectory("spoor-killed")
        for point in killPoints {
            let r = try CLI.run(["import", "--data", data, "--batch-transactions", "25", input],
                                environment: ["SPOOR_TEST_KILL_AFTER_BATCHES": String(point)])
            #expect(r.signaled && r.status == SIGKILL, "import was meant to be killed after \(point) batches: \(r.stderr)")
            let partial = try dumpChainTables(dataDirectory: data)
            #expect((partial["block"]?.count ?? 0) < 4313)
        }
        let resumed = try CLI.run(["import", "--data", data, "--batch-transactions", "25", input])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let actual = try dumpChainTables(dataDirectory: data)
        for table in expected.keys.sorted() {
            #expect(actual[table] == expected[table], "table \(table) differs after kill and resume")
        }
        let status = try CLI.json(try CLI.run(["status", "--data", data, "--json"]).stdout)
        let runs = status["import_runs"] as? [[String: Any]] ?? []
        #expect(runs.filter { $0["status"] as? String == "interrupted" }.count == killPoints.count)
        #expect(runs.last?["status"] as? String == "complete")
    }

    @Test func killAtRandomMomentsThenResume() throws {
        let expected = try uninterrupted()
        let data = CLI.temporaryDirectory("spoor-random-kill")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4 {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["import", "--data", data, "--batch-transactions", "10", input]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 20_000...250_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let resumed = try CLI.run(["import", "--data", data, input])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let actual = try dumpChainTables(dataDirectory: data)
        for table in expected.keys.sorted() {
            #expect(actual[table] == expected[table], "table \(table) differs after random kills and resume")
        }
    }
}
