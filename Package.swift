// swift-tools-version:6.2
import PackageDescription

// Layout (see README): dependencies point one way,
// TextMerge <- BookModel <- BookStore / BookExport <- BookServer <- booksprint.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "booksprint",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "booksprint", targets: ["booksprint"]),
        .library(name: "TextMerge", targets: ["TextMerge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // Already built for HummingbirdTesting; named so that live-server tests and the sync
        // benchmark can use a real HTTP client.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Diff and three-way merge of text; depends on nothing.
        .target(name: "TextMerge", swiftSettings: strict),
        // Books, parts, chapters, revisions, TOC operations, the book folder format.
        .target(
            name: "BookModel",
            dependencies: ["TextMerge", "CMarkGFM", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        // SQLite through GRDB: schema, migrations, revisions, change log, users.
        .target(
            name: "BookStore",
            dependencies: [
                "BookModel", "TextMerge",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // cmark-gfm, the reference CommonMark library, from Debian's packages.
        .systemLibrary(
            name: "CMarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // Markdown to XHTML, EPUB 3, HTML.
        .target(
            name: "BookExport",
            dependencies: [
                "BookModel", "CMarkGFM",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict),
        // Hummingbird: routes, auth, event stream, the web app's static files.
        .target(
            name: "BookServer",
            dependencies: [
                "BookStore", "BookExport", "BookModel", "TextMerge",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The web app and the OpenAPI document, embedded in the code (never a bundle beside
            // the binary, which a moved binary would lose).
            exclude: ["Public"],
            swiftSettings: strict,
            plugins: ["EmbedWebFiles"]),
        // Turns every file under a target's Public/ folder into a generated Swift source.
        .plugin(name: "EmbedWebFiles", capability: .buildTool(), dependencies: ["embed-web-files"]),
        // The plugin's tool: files in, base64 string literals out.
        .executableTarget(name: "embed-web-files", path: "Sources/embed-web-files", swiftSettings: strict),
        // The folder client: a book on a server as a book folder, synced with three-way merges.
        .target(
            name: "BookClient",
            dependencies: [
                "BookModel", "TextMerge",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict),
        // The command; a few lines per subcommand.
        .executableTarget(
            name: "booksprint",
            dependencies: [
                "TextMerge", "BookModel", "BookStore", "BookExport", "BookServer", "BookClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The load generator of Scripts/bench-sync (not part of the product).
        .executableTarget(name: "sync-load", path: "Sources/sync-load", swiftSettings: strict),

        // What every test target shares: the outside oracles (git, EPUBCheck, the venv's
        // Python) and how a test needs them, the one process runner, replayable seeds.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "TextMergeTests",
            dependencies: ["TextMerge", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict),
        .testTarget(name: "BookModelTests", dependencies: ["BookModel", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "BookStoreTests",
            dependencies: ["BookStore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(name: "BookExportTests", dependencies: ["BookExport", "BookModel", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "BookServerTests",
            dependencies: [
                "BookServer", "BookStore", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "BookClientTests",
            dependencies: [
                "BookClient", "BookServer", "BookStore", "BookModel", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict),
        .testTarget(name: "booksprintTests", dependencies: ["booksprint", "TestSupport"], swiftSettings: strict),
    ]
)
