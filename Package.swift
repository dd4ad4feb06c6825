// swift-tools-version:6.1
import PackageDescription

/// The server-side executables allocate through jemalloc (Debian's libjemalloc-dev): a
/// rebuild makes a dozen small values per record and frees them a batch of records at a
/// time, thousands at once, which glibc's malloc serves past its small per-thread cache,
/// through its slower paths. docs/benchmarks.md has the figures. Nothing calls jemalloc by
/// name, so the linker is told to keep it (it drops unreferenced libraries); listed before
/// libc, its `malloc` is the process's. `pilot` keeps the platform's allocator.
let allocator: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--push-state", "-Xlinker", "--no-as-needed", "-ljemalloc", "-Xlinker", "--pop-state"],
                 .when(platforms: [.linux])),
]

let package = Package(
    name: "rocks-ledger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rocks", targets: ["rocks"]),
        .executable(name: "pilot", targets: ["pilot"]),
        .library(name: "Signing", targets: ["Signing"]),
        .library(name: "Transparency", targets: ["Transparency"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The benchmark's third Ed25519 verifier only; the project verifies with libsodium.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // C libraries: one shim module each, imported by exactly one Swift module.
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CLMDB", pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(
            name: "CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(
            name: "CLibvirt", pkgConfig: "libvirt",
            providers: [.apt(["libvirt-dev"])]),

        // Keys, signatures and the signed-request envelope. Links OpenSSL and libsodium only,
        // so a laptop client can sign requests without LMDB or libvirt.
        .target(name: "Signing", dependencies: ["COpenSSL", "CSodium"]),
        // The RFC 6962 tree, C2SP signed notes, checkpoints and proofs. Links Signing only, so
        // `pilot` can check a proof offline without LMDB or libvirt.
        .target(name: "Transparency", dependencies: ["Signing"]),
        // Canonical JSON read where it lies, without a parse tree: how the ledger's own
        // modules read stored decisions. Not for clients.
        .target(name: "InPlaceJSON", dependencies: ["Signing"]),
        // A record of the log: its layout, its one reader and its digest, and the ledger's
        // errors. No storage, so `pilot` checks the record a receipt proves without LMDB.
        .target(name: "LedgerRecords", dependencies: ["Signing", "InPlaceJSON"]),
        // The hash-chained, checkpointed log on LMDB.
        .target(
            name: "Ledger",
            dependencies: ["LedgerRecords", "Signing", "Transparency", "InPlaceJSON", "CLMDB", .product(name: "Logging", package: "swift-log")]),
        // The domain: payloads, deciders and the views folded from the log.
        .target(name: "Projections", dependencies: ["Ledger", "Signing", "InPlaceJSON"]),
        // Effects: libvirt and network scripts.
        .target(
            name: "Executors",
            dependencies: ["Projections", "Ledger", "Signing", "CLibvirt", .product(name: "Logging", package: "swift-log")]),
        // SIGPIPE ignored, and standard streams written with EPIPE in mind: first in every
        // executable's main, so a dead ssh under libvirt cannot kill the process.
        .target(name: "ProcessSupport"),
        // Rocks' command-line grammar, command errors and key files: what `rocks` and `pilot`
        // share, with Signing only beneath them.
        .target(name: "RocksGrammar", dependencies: ["Signing"]),
        // What the Airboss and its clients exchange: the ledger's description, answers, and
        // receipts (an inclusion proof of the record that holds the request) with their check.
        .target(name: "AirbossAPI", dependencies: ["LedgerRecords", "Signing", "Transparency"]),
        // The owners' client: the server authenticated by its pinned frontend key, receipts
        // checked and kept. Links no LMDB and no libvirt, so `pilot` runs on a laptop.
        .target(
            name: "AirbossClient",
            dependencies: [
                "AirbossAPI", "LedgerRecords", "RocksGrammar", "Signing", "Transparency",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]),
        // The Airboss: owners' signed requests over TLS on Hummingbird, appended and carried out.
        .target(
            name: "Airboss",
            dependencies: [
                "AirbossAPI", "Executors", "Ledger", "Projections", "RocksGrammar", "Signing",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ]),
        // The `rocks` commands, as a library so tests run them in-process.
        .target(
            name: "CLI",
            dependencies: [
                "Airboss", "AirbossAPI", "AirbossClient", "RocksGrammar", "Signing", "Transparency", "Ledger", "Projections", "Executors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "rocks",
            dependencies: ["CLI", "ProcessSupport", .product(name: "Logging", package: "swift-log")],
            linkerSettings: allocator),
        // The owner's client for a laptop: the seed's `pilot`, without LMDB or libvirt.
        .executableTarget(
            name: "pilot",
            dependencies: ["AirbossAPI", "AirbossClient", "LedgerRecords", "ProcessSupport", "RocksGrammar", "Signing", "Transparency"]),
        // Appends until killed, printing each committed sequence number: the crash tests' victim.
        .executableTarget(
            name: "ledger-soak",
            dependencies: ["Ledger", "Projections", "Signing", "ProcessSupport"],
            path: "Tests/Tools/ledger-soak"),
        // Printed figures beside raw LMDB and raw OpenSSL; not run in CI.
        .executableTarget(
            name: "rocks-bench",
            dependencies: [
                "Ledger", "Projections", "Signing", "Transparency", "CLI", "CLMDB", "COpenSSL", "CSodium", "ProcessSupport", "RocksGrammar", "AirbossClient",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Benchmarks/rocks-bench",
            linkerSettings: allocator),

        // Fuzz targets: with `-DFUZZING` and the sanitizers (scripts/fuzz.sh), libFuzzer drives
        // each; without, each replays input files through the same checks.
        .target(name: "FuzzSupport", path: "Tests/Fuzz/FuzzSupport"),
        fuzzTarget("fuzz-json", dependencies: ["Signing", "InPlaceJSON"]),
        fuzzTarget("fuzz-record", dependencies: ["Ledger", "Signing"]),
        fuzzTarget("fuzz-signed-request", dependencies: ["Signing"]),
        fuzzTarget("fuzz-grammar", dependencies: ["CLI", "Projections", "Signing"]),
        fuzzTarget("fuzz-names", dependencies: ["Projections"]),
        fuzzTarget("fuzz-note", dependencies: ["Transparency", "Signing"]),
        fuzzTarget("fuzz-proof", dependencies: ["Transparency", "Signing"]),
        fuzzTarget("fuzz-airboss", dependencies: [
            "Airboss", "AirbossAPI", "CLI", "Executors", "Ledger", "Projections", "Signing",
            .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
        ]),

        // Temporary directories, fixtures, and running the built executables.
        .target(name: "TestSupport", dependencies: ["Signing", "Ledger", "Projections", "CLI", "RocksGrammar"], path: "Tests/TestSupport"),
        .testTarget(name: "SigningTests", dependencies: ["RocksGrammar", "Signing", "TestSupport"]),
        .testTarget(name: "TransparencyTests", dependencies: ["Transparency", "Signing", "TestSupport"]),
        .testTarget(name: "InPlaceJSONTests", dependencies: ["InPlaceJSON", "Signing", "TestSupport"]),
        .testTarget(name: "LedgerTests", dependencies: ["RocksGrammar", "Ledger", "Projections", "Signing", "CLI", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["AirbossAPI", "AirbossClient", "RocksGrammar", "CLI", "Ledger", "Projections", "Signing", "TestSupport"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["RocksGrammar", "Projections", "Ledger", "Signing", "CLI", "TestSupport"]),
        .testTarget(name: "ExecutorsTests", dependencies: ["AirbossClient", "RocksGrammar", "Executors", "CLI", "Ledger", "Projections", "Signing", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

/// A fuzz target's executable: its file declares `@main` or, under `-DFUZZING`, the libFuzzer
/// entry point, so it is compiled as a library file.
func fuzzTarget(_ name: String, dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Tests/Fuzz/\(name)",
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])])
}
