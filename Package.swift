// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .executable(name: "sluicectl", targets: ["sluicectl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // The gateway check's fast path sits in the channel pipeline (FrontCheckHandler, CheckChannelHandler).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        // SHA-256 and HMAC from the system's OpenSSL libcrypto (libssl-dev), instead of compiling BoringSSL.
        .systemLibrary(
            name: "CLibCrypto",
            path: "Sources/CLibCrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "SluiceCore",
            dependencies: ["CLibCrypto"]
        ),
        .target(
            name: "SluiceSimulator",
            dependencies: ["SluiceCore"]
        ),
        .target(
            name: "SluiceStore",
            dependencies: [
                "SluiceCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "SluiceIngest",
            dependencies: [
                "SluiceCore",
                "SluiceStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SluiceServer",
            dependencies: [
                "SluiceCore",
                "SluiceStore",
                "SluiceIngest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore",
                "SluiceStore",
                "SluiceIngest",
                "SluiceServer",
                "SluiceSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "sluicectl",
            dependencies: [
                "SluiceCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared by the test targets only: the scratch folders they write to.
        .target(name: "SluiceTestSupport", path: "Tests/Support"),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore", "SluiceSimulator"]),
        .testTarget(
            name: "SluiceStoreTests",
            dependencies: ["SluiceCore", "SluiceStore", "SluiceTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "SluiceIngestTests",
            dependencies: ["SluiceCore", "SluiceStore", "SluiceIngest", "SluiceTestSupport", .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "SluiceSimulatorTests", dependencies: ["SluiceSimulator", "SluiceTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["SluiceCore", "SluiceSimulator", "SluiceTestSupport"]),
        .testTarget(name: "SluiceServerTests", dependencies: ["SluiceServer", "SluiceCore", "SluiceStore", "SluiceIngest", "SluiceTestSupport", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"), .product(name: "NIOEmbedded", package: "swift-nio")]),
    ],
    swiftLanguageModes: [.v6]
)
