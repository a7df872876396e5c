import ArgumentParser
import BookModel
import BookServer
import BookStore
import Foundation
import Hummingbird
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Where a local store lives: `--data DIR`, shared by serve, user and book.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The folder of the store (created when missing).")
    var data: String = "data"

    var url: URL { URL(fileURLWithPath: self.data, isDirectory: true) }

    func open() throws -> AppDatabase {
        try openDatabase(configuration: ServerConfiguration(dataDirectory: self.url))
    }
}

extension Booksprint {
    /// `booksprint serve`: runs the sync server on a local store.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the server on an embedded SQLite store.",
            discussion: """
                On an empty store, creates the account `admin`, prints its one-time password (its first \
                sign-in must choose a new one), and \
                imports the sample book from Books/booksprint-handbook when the current folder has \
                one. SIGTERM or SIGINT shuts down cleanly.
                """)

        @OptionGroup var store: DataOptions
        @Option(help: "The address to listen on.") var host = "127.0.0.1"
        @Option(help: "The port to listen on (0: any free port).") var port = 8080
        @Option(help: "Largest asset in bytes.") var maxAssetSize = 10 << 20
        @Option(help: "Longest wait in seconds a long-poll of the changes feed may ask for.") var maxLongPoll = 60

        func validate() throws {
            guard (0...65535).contains(self.port) else { throw ValidationError("--port must be 0 to 65535") }
            guard self.maxAssetSize > 0 else { throw ValidationError("--max-asset-size must be positive") }
            guard self.maxLongPoll >= 0 else { throw ValidationError("--max-long-poll must be 0 or more") }
        }

        func run() async throws {
            LoggingSystem.bootstrap(StreamLogHandler.standardError)
            let configuration = ServerConfiguration(
                host: self.host, port: self.port, dataDirectory: self.store.url, maxAssetSize: self.maxAssetSize,
                maxLongPoll: .seconds(self.maxLongPoll), webRoot: Self.webRoot())
            let database = try openDatabase(configuration: configuration)
            try await database.pruneExpired()
            if try await database.userCount() == 0 { try await self.firstStart(database) }
            var logger = Logger(label: "booksprint")
            logger.logLevel = .info
            let host = self.host.contains(":") ? "[\(self.host)]" : self.host
            let app = buildApplication(configuration: configuration, database: database, logger: logger) { channel in
                let port = channel.localAddress?.port ?? configuration.port
                say("booksprint: the web app is at http://\(host):\(port)/")
            }
            returnFreedMemoryEverySecond()
            try await app.runService()
        }

        /// `BOOKSPRINT_WEB_ROOT`, when it names a folder: the web app's files are read from
        /// there on every request (for working on the app without a build).
        static func webRoot() -> URL? {
            guard let path = ProcessInfo.processInfo.environment["BOOKSPRINT_WEB_ROOT"], !path.isEmpty else { return nil }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                say("booksprint: BOOKSPRINT_WEB_ROOT=\(path) is not a folder; serving the embedded web app")
                return nil
            }
            say("booksprint: serving the web app's files from \(path) (BOOKSPRINT_WEB_ROOT)")
            return URL(fileURLWithPath: path, isDirectory: true)
        }

        /// The admin account, its password shown once, and the sample book.
        func firstStart(_ database: AppDatabase) async throws {
            // Good for one sign-in: that session can only choose a new password, so the one
            // printed here (and kept in the server's log) is worth nothing once used.
            let password = AppDatabase.oneTimePassword()
            let admin = try await database.addUser(name: "admin", password: password, isAdmin: true, mustChangePassword: true)
            say("booksprint: created the account admin with the one-time password \(password)")
            say("booksprint: the first sign-in with it chooses a new password (or: `booksprint user passwd admin --password-stdin`)")
            let sample = URL(fileURLWithPath: "Books/booksprint-handbook", isDirectory: true)
            if FileManager.default.fileExists(atPath: sample.appendingPathComponent("book.yaml").path) {
                let id = try await database.importBook(try loadBook(at: sample), owner: admin)
                say("booksprint: imported the sample book from \(sample.relativePath) as \(id)")
            }
        }
    }
}

/// One line to standard output, at once (the server runs for long, stdout may be a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// glibc gives busy threads heaps ("arenas") of their own that it seldom returns; two keep
/// the server's peak memory ~25% lower under 50 writers at the same speed (bench-sync).
/// `mallopt` is not in Swift's Glibc module, hence the look-up; elsewhere a no-op. Called
/// first thing in `main`: arenas made before it stay (called in `serve`, it saved nothing).
func limitMallocArenas() {
    #if canImport(Glibc)
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let mArenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
    if let symbol = dlsym(nil, "mallopt") {
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mArenaMax, 2)
    }
    #endif
}

/// Saves allocate and free whole chapters (130 KiB for 2,000 lines) in many sizes; glibc
/// keeps what they free in its heaps, and the server's memory creeps up under load. Once a
/// second `malloc_trim` hands the free pages back: 10-15 MB less at peak in bench-sync, at
/// no measurable cost in CPU. Looked up like `mallopt`; elsewhere a no-op.
func returnFreedMemoryEverySecond() {
    #if canImport(Glibc)
    typealias MallocTrim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(nil, "malloc_trim") else { return }
    let trim = unsafeBitCast(symbol, to: MallocTrim.self)
    Thread.detachNewThread {
        while true {
            Thread.sleep(forTimeInterval: 1)
            _ = trim(0)
        }
    }
    #endif
}
