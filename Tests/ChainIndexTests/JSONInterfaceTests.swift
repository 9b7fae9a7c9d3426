import Foundation
import Testing
@testable import ChainIndex

/// docs/json.md: every documented key is present; absent values are `null`, never a missing key.
struct JSONInterfaceTests {
    func object<T: Encodable>(_ value: T) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func statusOfAnEmptyIndexHasNullTip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("json-\(UUID().uuidString)").path
        let status = try object(try IndexStore(dataDirectory: dir, create: true).status())
        for key in ["network", "tip_height", "tip_hash", "tip_time"] {
            #expect(status[key] is NSNull, "\(key) should be null")
        }
        for key in ["blocks", "transactions", "stale_blocks", "import_runs", "unresolved_inputs"] {
            #expect(status[key] != nil && !(status[key] is NSNull), "\(key) should be present")
        }
    }

    @Test func nilFieldsOfEveryResultAreNull() throws {
        let output = try object(TransactionInfo.Output(n: 0, value: 1, address: nil, type: "nulldata", ownerAddress: nil, spentBy: nil, script: "6a"))
        #expect(output["address"] is NSNull && output["owner_address"] is NSNull && output["spent_by"] is NSNull)
        let input = try object(TransactionInfo.Input(n: 0, prevout: nil, coinbase: true, value: nil, address: nil, resolved: false, sequence: 0))
        #expect(input["prevout"] is NSNull && input["value"] is NSNull && input["address"] is NSNull)
        let movement = try object(AddressInfo.Movement(outpoint: "x:0", value: 1, height: nil, time: "t", spentBy: nil, spentHeight: nil))
        #expect(movement["height"] is NSNull && movement["spent_by"] is NSNull && movement["spent_height"] is NSNull)
    }
}
