// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Spoor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "spoor", targets: ["spoor"]),
        .library(name: "ChainIndex", targets: ["ChainIndex"]),
        .library(name: "Tracer", targets: ["Tracer"]),
        .library(name: "Reports", targets: ["Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .target(
            name: "ChainIndex",
            dependencies: [
                "CSecp256k1", "COpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "ChainSynth", dependencies: ["ChainIndex"]),
        .target(
            name: "Tracer",
            dependencies: [
                "ChainIndex", "Yams",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(
            name: "Reports",
            dependencies: [
                "Tracer", "ChainIndex", "COpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates")]),
        .executableTarget(
            name: "spoor",
            dependencies: [
                "ChainIndex", "ChainSynth", "Tracer", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "ChainIndexTests",
            dependencies: ["ChainIndex", "ChainSynth"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TracerTests",
            dependencies: ["Tracer", "ChainIndex", "ChainSynth", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Tracer", "ChainIndex", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "spoorTests",
            dependencies: ["ChainIndex", "ChainSynth", "spoor", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
