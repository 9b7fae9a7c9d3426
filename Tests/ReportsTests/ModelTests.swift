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
