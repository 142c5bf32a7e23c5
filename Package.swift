// swift-tools-version:6.0
import PackageDescription

/// The fuzz targets exist only for `scripts/fuzz` (LIVEBLOG_FUZZ=1): built with
/// `--sanitize=fuzzer`, libFuzzer supplies `main`, which an ordinary build would lack.
let fuzzTargets: [Target] = Context.environment["LIVEBLOG_FUZZ"] == nil ? [] : [
    .executableTarget(name: "FuzzRequestParser", dependencies: ["HTTPParsing"], path: "Fuzz/RequestParser",
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    .executableTarget(name: "FuzzChunkedDecoder", dependencies: ["HTTPParsing"], path: "Fuzz/ChunkedDecoder",
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    .executableTarget(name: "FuzzArticleNormalizer", dependencies: ["Store"], path: "Fuzz/ArticleNormalizer",
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
]

let package = Package(
    name: "liveblog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "liveblog", targets: ["Server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Articles -> normalized data -> indexes. Knows nothing of HTTP.
        .target(
            name: "Store",
            resources: [.copy("Resources/data")]
        ),
        // Request -> response, a pure function of the store. No sockets.
        .target(
            name: "Routes",
            dependencies: ["Store"],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/reader")]
        ),
        // The HTTP/1.1 request grammar: parser, chunked decoder, host and target rules, limits.
        // Pure (no sockets), so the fuzz targets can link it.
        .target(name: "HTTPParsing"),
        // Linux system interfaces Swift's Glibc module leaves out (epoll, eventfd, affinity).
        .target(name: "CLinux"),
        // The system OpenSSL (libssl), found through pkg-config; used only by Sources/Server/TLS.
        .systemLibrary(
            name: "COpenSSL",
            path: "Sources/COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // The system zlib, found through pkg-config; used only by the engine's compression.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The system brotli encoder and decoder (libbrotlienc, libbrotlidec: one package).
        .systemLibrary(
            name: "CBrotli",
            path: "Sources/CBrotli",
            pkgConfig: "libbrotlienc",
            providers: [.apt(["libbrotli-dev"])]
        ),
        // Sockets, the HTTP/1.1 engine, TLS and the `liveblog` command.
        .executableTarget(
            name: "Server",
            dependencies: [
                "Store", "Routes", "HTTPParsing", "CLinux", "COpenSSL", "CZlib", "CBrotli",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Resources/sample")]
        ),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "RoutesTests", dependencies: ["Routes", "Store"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "Routes", "Store", "HTTPParsing", "COpenSSL", "CZlib", "CBrotli"]),
    ] + fuzzTargets
)
