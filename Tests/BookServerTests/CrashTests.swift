import AsyncHTTPClient
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `booksprint serve` as a child process on a free loopback port.
final class ServerProcess: Sendable {
    let process: Process
    let port: Int
    let output: Pipe

    /// The built command: the test bundle sits next to the products, so it is a sibling.
    static func builtBinary() throws -> URL {
        let products = Bundle.main.bundleURL.pathExtension == "xctest"
            ? Bundle.main.bundleURL.deletingLastPathComponent()
            : URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = products.appendingPathComponent("booksprint")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CrashTestError("build the booksprint product first: \(binary.path) is missing")
        }
        return binary
    }

    /// `binary`: another copy of the command (default: the built one).
    init(data: URL, port: Int, arguments: [String] = [], binary: URL? = nil) throws {
        let binary = try binary ?? Self.builtBinary()
        self.process = Process()
        self.process.executableURL = binary
        self.process.arguments = ["serve", "--data", data.path, "--port", String(port)] + arguments
        self.process.currentDirectoryURL = data.deletingLastPathComponent()
        self.output = Pipe()
        self.process.standardOutput = self.output
        self.process.standardError = FileHandle.nullDevice
        self.port = port
        try self.process.run()
    }

    /// The one-time admin password the first start prints.
    func adminPassword() throws -> String {
        var text = ""
        while !text.contains("\n") {
            let data = self.output.fileHandleForReading.availableData
            if data.isEmpty { throw CrashTestError("the server printed no credentials") }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: "one-time password ") else { throw CrashTestError("no password in: \(text)") }
        return String(text[range.upperBound...].prefix { !$0.isWhitespace })
    }

    /// What the server printed, read until it holds `needle` followed by a newline.
    func printed(until needle: String) throws -> String {
        var text = ""
        while !(text.range(of: needle).map { text[$0.upperBound...].contains("\n") } ?? false) {
            let data = self.output.fileHandleForReading.availableData
            if data.isEmpty { throw CrashTestError("the server ended without printing \(needle): \(text)") }
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }

    /// Waits until the server answers HTTP.
    func ready() async throws -> API {
        let api = API(base: "http://127.0.0.1:\(self.port)")
        for _ in 0..<200 {
            if (try? await api.call(.GET, "/api/v1/books"))?.status == 401 { return api }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CrashTestError("the server did not start")
    }

    func kill(_ signal: Int32) {
        _ = Glibc.kill(self.process.processIdentifier, signal)
        self.process.waitUntilExit()
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw CrashTestError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// What the storm's clients were told: revision -> text.
final class Acknowledged: Sendable {
    let saves = Mutex<[Int: String]>([:])
}

struct CrashTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite struct CrashTests {
    /// 8 writers save as fast as they can; the server is killed with SIGKILL in the middle.
    /// After a restart on the same data, every save a client was told about (201 with a
    /// revision) is there with the text it was told; then SIGTERM stops the server cleanly.
    @Test func killDuringAWriteStormLosesNoAcknowledgedSave() async throws {
        let data = FileManager.default.temporaryDirectory
            .appendingPathComponent("booksprint-crash-\(UUID().uuidString)").appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let port = try ServerProcess.freePort()
        let server = try ServerProcess(data: data, port: port)
        // The printed password only lets its session choose a new one.
        let oneTime = try server.adminPassword()
        let firstSession = try await server.ready().login("admin", oneTime)
        _ = try await firstSession.call(.POST, "/api/v1/me/password", json: ["currentPassword": oneTime, "newPassword": "storm-password"])
        let admin = try await server.ready().login("admin", "storm-password")
        let book = try #require((try await admin.call(.POST, "/api/v1/books", json: ["title": "Storm"]))["id"] as? String)
        let created = try await admin.call(.POST, "/api/v1/books/\(book)/chapters", json: ["title": "One", "text": numberedLines(20).joined()])
        let chapter = try #require(created["id"] as? String)
        let url = "/api/v1/books/\(book)/chapters/\(chapter)/revisions"

        let acknowledged = Acknowledged()
        let storm = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        var base = 1
                        var lines = numberedLines(20)
                        for round in 0... {
                            lines[2 * writer] = "writer \(writer) round \(round)\n"
                            guard let reply = try? await admin.call(.POST, url, json: ["base": base, "text": lines.joined()]) else { return }
                            guard reply.status == 201, let revision = reply["revision"] as? Int, let text = reply["text"] as? String else { return }
                            acknowledged.saves.withLock { $0[revision] = text }
                            base = revision
                            lines = splitLines(text)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        // Kill in the middle of the storm: once 30 saves are acknowledged (or after 60 s).
        for _ in 0..<1200 where acknowledged.saves.withLock({ $0.count }) < 30 {
            try await Task.sleep(for: .milliseconds(50))
        }
        server.kill(SIGKILL)
        try await storm.value
        let told = acknowledged.saves.withLock { $0 }
        #expect(told.count > 20, "the storm was too small to mean anything: \(told.count) saves")

        let restarted = try ServerProcess(data: data, port: port)
        _ = try await restarted.ready()
        let head = try await admin.call(.GET, "/api/v1/books/\(book)/chapters/\(chapter)")
        #expect((head["revision"] as? Int ?? 0) >= told.keys.max() ?? 0)
        for (revision, text) in told.sorted(by: { $0.key < $1.key }) {
            let stored = try await admin.call(.GET, "\(url)/\(revision)", headers: [("Accept", "text/markdown")])
            #expect(stored.status == 200 && stored.text == text, "revision \(revision) lost or changed")
        }
        restarted.kill(SIGTERM)
        #expect(restarted.process.terminationReason == .exit && restarted.process.terminationStatus == 0)
    }
}
