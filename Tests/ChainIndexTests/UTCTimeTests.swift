import Foundation
import Testing
import ChainIndex

/// `IndexStore.utc` (computed by hand for speed) against Foundation's ISO 8601 formatter.
struct UTCTimeTests {
    @Test func matchesFoundation() {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime]
        var samples: [Int64] = [0, 1, 59, 86_399, 86_400, 1_231_006_505, 951_782_400, 951_868_800, 4_107_542_400, 4_107_628_800,
                                1_709_164_800, 1_709_251_199, 253_402_300_799, -1, -86_400, -86_401]
        var x: UInt64 = 12_345
        for _ in 0..<2_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            samples.append(Int64(x % 8_000_000_000))
        }
        for t in samples {
            #expect(IndexStore.utc(t) == f.string(from: Date(timeIntervalSince1970: TimeInterval(t))), "time \(t)")
        }
    }
}

/// `BTCAmount.text`, the one formatter of satoshis as BTC.
struct BTCAmountTests {
    @Test func eightDecimals() {
        #expect(BTCAmount.text(0) == "0.00000000")
        #expect(BTCAmount.text(1_500_000) == "0.01500000")
        #expect(BTCAmount.text(5_000_000_000) == "50.00000000")
        #expect(BTCAmount.text(-1) == "-0.00000001")
        #expect(BTCAmount.text(2_099_999_997_690_000) == "20999999.97690000")
        #expect(BTCAmount.text(Int64.min) == "-92233720368.54775808")
    }
}
