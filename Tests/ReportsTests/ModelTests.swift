import Foundation
import Testing
@testable import Reports

struct ModelTests {
    @Test func responseStatesRoundTrip() throws {
        for s in ResponseState.allCases {
            let data = try JSONEncoder().encode(s)
            #expect(try JSONDecoder().decode(ResponseState.self, from: data) == s)
        }
        #expect(ResponseState.inReview.rawValue == "in_review")
    }
}

struct DigestTests {
    @Test func knownDigests() {
        // FIPS 180-2 examples.
        #expect(Digest.sha256Hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256Hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

struct ActorTests {
    @Test func asThenEnvironmentThenConfigurationFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spoor-actor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("config").path
        try "# the unit's workstation\nas = analyst-c  # QA-trained\n".write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try Actor.resolve(explicit: "analyst-a", environment: ["SPOOR_AS": "analyst-b", "SPOOR_CONFIG": config]) == "analyst-a")
        #expect(try Actor.resolve(explicit: nil, environment: ["SPOOR_AS": "analyst-b", "SPOOR_CONFIG": config]) == "analyst-b")
        #expect(try Actor.resolve(explicit: nil, environment: ["SPOOR_CONFIG": config]) == "analyst-c")
        // No name anywhere: refused, never a default identity.
        #expect(throws: CaseworkError.self) { try Actor.resolve(explicit: nil, environment: ["XDG_CONFIG_HOME": dir.path + "/none"]) }
        #expect(throws: CaseworkError.self) { try Actor.resolve(explicit: "  ", environment: [:]) }
    }
}
