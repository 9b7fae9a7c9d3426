import Testing
@testable import ChainIndex

/// The CashAddr specification's test vectors
/// (https://github.com/bitcoincashorg/bitcoincash.org/blob/master/spec/cashaddr.md, "Test vectors";
/// the same list Bitcoin Cash Node's `upgradespecs.bitcoincashnode.org/cashaddr` carries), and its
/// legacy ↔ CashAddr examples.
struct CashAddrVectorTests {
    /// (hash size in bytes, type bits, address, hash hex), from the spec.
    static let vectors: [(Int, UInt8, String, String)] = {
        let hashes = [
            20: "F5BF48B397DAE70BE82B3CCA4793F8EB2B6CDAC9",
            24: "7ADBF6C17084BC86C1706827B41A56F5CA32865925E946EA",
            28: "3A84F9CF51AAE98A3BB3A78BF16A6183790B18719126325BFC0C075B",
            32: "3173EF6623C6B48FFD1A3DCC0CC6489B0A07BB47A37F47CFEF4FE69DE825C060",
            40: "C07138323E00FA4FC122D3B85B9628EA810B3F381706385E289B0B25631197D194B5C238BEB136FB",
            48: "E361CA9A7F99107C17A622E047E3745D3E19CF804ED63C5C40C6BA763696B98241223D8CE62AD48D863F4CB18C930E4C",
            56: "D9FA7C4C6EF56DC4FF423BAAE6D495DBFF663D034A72D1DC7D52CBFE7D1E6858F9D523AC0A7A5C34077638E4DD1A701BD017842789982041",
            64: "D0F346310D5513D9E01E299978624BA883E6BDA8F4C60883C10F28C2967E67EC77ECC7EEEAEAFC6DA89FAD72D11AC961E164678B868AEEEC5F2C1DA08884175B",
        ]
        let rows: [(Int, UInt8, String)] = [
            (20, 0, "bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg2"),
            (20, 1, "bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t"),
            (20, 1, "pref:pr6m7j9njldwwzlg9v7v53unlr4jkmx6ey65nvtks5"),
            (20, 15, "prefix:0r6m7j9njldwwzlg9v7v53unlr4jkmx6ey3qnjwsrf"),
            (24, 0, "bitcoincash:q9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2ws4mr9g0"),
            (24, 1, "bchtest:p9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2u94tsynr"),
            (24, 1, "pref:p9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2khlwwk5v"),
            (24, 15, "prefix:09adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2p29kc2lp"),
            (28, 0, "bitcoincash:qgagf7w02x4wnz3mkwnchut2vxphjzccwxgjvvjmlsxqwkcw59jxxuz"),
            (28, 1, "bchtest:pgagf7w02x4wnz3mkwnchut2vxphjzccwxgjvvjmlsxqwkcvs7md7wt"),
            (28, 1, "pref:pgagf7w02x4wnz3mkwnchut2vxphjzccwxgjvvjmlsxqwkcrsr6gzkn"),
            (28, 15, "prefix:0gagf7w02x4wnz3mkwnchut2vxphjzccwxgjvvjmlsxqwkc5djw8s9g"),
            (32, 0, "bitcoincash:qvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq5nlegake"),
            (32, 1, "bchtest:pvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq7fqng6m6"),
            (32, 1, "pref:pvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq4k9m7qf9"),
            (32, 15, "prefix:0vch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxqsh6jgp6w"),
            (40, 0, "bitcoincash:qnq8zwpj8cq05n7pytfmskuk9r4gzzel8qtsvwz79zdskftrzxtar994cgutavfklv39gr3uvz"),
            (40, 1, "bchtest:pnq8zwpj8cq05n7pytfmskuk9r4gzzel8qtsvwz79zdskftrzxtar994cgutavfklvmgm6ynej"),
            (40, 1, "pref:pnq8zwpj8cq05n7pytfmskuk9r4gzzel8qtsvwz79zdskftrzxtar994cgutavfklv0vx5z0w3"),
            (40, 15, "prefix:0nq8zwpj8cq05n7pytfmskuk9r4gzzel8qtsvwz79zdskftrzxtar994cgutavfklvwsvctzqy"),
            (48, 0, "bitcoincash:qh3krj5607v3qlqh5c3wq3lrw3wnuxw0sp8dv0zugrrt5a3kj6ucysfz8kxwv2k53krr7n933jfsunqex2w82sl"),
            (48, 1, "bchtest:ph3krj5607v3qlqh5c3wq3lrw3wnuxw0sp8dv0zugrrt5a3kj6ucysfz8kxwv2k53krr7n933jfsunqnzf7mt6x"),
            (48, 1, "pref:ph3krj5607v3qlqh5c3wq3lrw3wnuxw0sp8dv0zugrrt5a3kj6ucysfz8kxwv2k53krr7n933jfsunqjntdfcwg"),
            (48, 15, "prefix:0h3krj5607v3qlqh5c3wq3lrw3wnuxw0sp8dv0zugrrt5a3kj6ucysfz8kxwv2k53krr7n933jfsunqakcssnmn"),
            (56, 0, "bitcoincash:qmvl5lzvdm6km38lgga64ek5jhdl7e3aqd9895wu04fvhlnare5937w4ywkq57juxsrhvw8ym5d8qx7sz7zz0zvcypqscw8jd03f"),
            (56, 1, "bchtest:pmvl5lzvdm6km38lgga64ek5jhdl7e3aqd9895wu04fvhlnare5937w4ywkq57juxsrhvw8ym5d8qx7sz7zz0zvcypqs6kgdsg2g"),
            (56, 1, "pref:pmvl5lzvdm6km38lgga64ek5jhdl7e3aqd9895wu04fvhlnare5937w4ywkq57juxsrhvw8ym5d8qx7sz7zz0zvcypqsammyqffl"),
            (56, 15, "prefix:0mvl5lzvdm6km38lgga64ek5jhdl7e3aqd9895wu04fvhlnare5937w4ywkq57juxsrhvw8ym5d8qx7sz7zz0zvcypqsgjrqpnw8"),
            (64, 0, "bitcoincash:qlg0x333p4238k0qrc5ej7rzfw5g8e4a4r6vvzyrcy8j3s5k0en7calvclhw46hudk5flttj6ydvjc0pv3nchp52amk97tqa5zygg96mtky5sv5w"),
            (64, 1, "bchtest:plg0x333p4238k0qrc5ej7rzfw5g8e4a4r6vvzyrcy8j3s5k0en7calvclhw46hudk5flttj6ydvjc0pv3nchp52amk97tqa5zygg96mc773cwez"),
            (64, 1, "pref:plg0x333p4238k0qrc5ej7rzfw5g8e4a4r6vvzyrcy8j3s5k0en7calvclhw46hudk5flttj6ydvjc0pv3nchp52amk97tqa5zygg96mg7pj3lh8"),
            (64, 15, "prefix:0lg0x333p4238k0qrc5ej7rzfw5g8e4a4r6vvzyrcy8j3s5k0en7calvclhw46hudk5flttj6ydvjc0pv3nchp52amk97tqa5zygg96ms92w6845"),
        ]
        return rows.map { ($0.0, $0.1, $0.2, hashes[$0.0]!) }
    }()

    /// The spec's legacy ↔ CashAddr examples (mainnet).
    static let legacyPairs: [(String, String)] = [
        ("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu", "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"),
        ("1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR", "bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy"),
        ("16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb", "bitcoincash:qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r"),
        ("3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC", "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq"),
        ("3LDsS579y7sruadqu11beEJoTjdFiFCdX4", "bitcoincash:pr95sy3j9xwd2ap32xkykttr4cvcu7as4yc93ky28e"),
        ("31nwvkZwyPdgzjBJZXfDmSWsC4ZLKpYyUw", "bitcoincash:pqq3728yw0y47sqn6l2na30mcw6zm78dzq5ucqzc37"),
    ]

    @Test func specVectorsEncode() {
        #expect(Self.vectors.count == 32)
        for (size, type, address, hex) in Self.vectors {
            let hash = Hex.decode(hex.lowercased())!
            #expect(hash.count == size)
            let prefix = String(address.prefix(while: { $0 != ":" }))
            #expect(CashAddr.encode(prefix: prefix, typeBits: type, hash: hash) == address)
        }
    }

    @Test func specVectorsDecode() throws {
        for (_, type, address, hex) in Self.vectors {
            let prefix = String(address.prefix(while: { $0 != ":" }))
            let decoded = try CashAddr.decode(address, defaultPrefix: "unused")
            #expect(decoded == CashAddr.Decoded(prefix: prefix, typeBits: type, hash: Hex.decode(hex.lowercased())!))
            // Upper case is the same address; no prefix means the default prefix.
            #expect(try CashAddr.decode(address.uppercased(), defaultPrefix: "unused") == decoded)
            let body = String(address.drop(while: { $0 != ":" }).dropFirst())
            #expect(try CashAddr.decode(body, defaultPrefix: prefix) == decoded)
        }
    }

    /// The spec's checksum examples (valid strings whose payload need not be an address).
    @Test func specChecksumExamples() {
        let valid = ["prefix:x64nx6hz", "p:gpf8m4h7", "bitcoincash:qpzry9x8gf2tvdw0s3jn54khce6mua7lcw20ayyn",
                     "bchtest:testnetaddress4d6njnut", "bchreg:555555555555555555555555555555555555555555555udxmlmrz"]
        let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
        for s in valid {
            let parts = s.split(separator: ":")
            let prefix = parts[0].utf8.map { $0 & 0x1f } + [0]
            let values = parts[1].map { UInt8(charset.firstIndex(of: $0)!) }
            #expect(CashAddr.polymod(prefix + values) == 0, "\(s)")
        }
    }

    @Test func invalidStringsAreRejected() {
        let good = "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"
        let cases: [(String, AddressError)] = [
            ("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6A", .mixedCase),
            ("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6q", .invalidChecksum),
            ("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6i", .invalidCharacter),
            ("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6", .invalidChecksum),
            ("bchtest:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", .invalidChecksum),
        ]
        for (s, expected) in cases {
            #expect(throws: expected, "\(s)") { try CashAddr.decode(s, defaultPrefix: "bitcoincash") }
        }
        #expect(throws: Never.self) { try CashAddr.decode(good, defaultPrefix: "bitcoincash") }
    }
}
