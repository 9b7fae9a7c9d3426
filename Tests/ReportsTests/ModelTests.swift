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
