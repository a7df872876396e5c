import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The oracle's venv (Scripts/install-deps --test); under Scripts/test a missing one fails.
enum Oracle {
    static var venv: String? { ProcessInfo.processInfo.environment["BOOKSPRINT_VENV"] }
    static var required: Bool { ProcessInfo.processInfo.environment["BOOKSPRINT_REQUIRE_ORACLES"] == "1" }

    static var schemathesis: String? {
        guard let venv else { return nil }
        let path = venv + "/bin/schemathesis"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Runs or skips: skips only when the oracle is missing and not required.
    static var available: Bool { self.schemathesis != nil || self.required }
}

@Suite struct OpenAPITests {
    @Test func documentIsServedWithoutSignIn() async throws {
        try await withLiveServer { live in
            let doc = try await live.anonymous.call(.GET, "/api/v1/openapi.yaml")
            #expect(doc.status == 200 && doc.text.hasPrefix("openapi: 3.1.0"))
            #expect(doc.text.contains("/books/{book}/chapters/{chapter}/revisions:"))
        }
    }

    /// schemathesis generates requests for every operation from the document (examples,
    /// edge cases, random and stateful sequences) and fails on any 5xx and on any answer
    /// whose status, content type, headers or body the document does not describe.
    @Test(.enabled(if: Oracle.available, "schemathesis missing: run Scripts/install-deps --test and set BOOKSPRINT_VENV"))
    func liveServerMatchesItsOpenAPIDocument() async throws {
        let schemathesis = try #require(Oracle.schemathesis, "schemathesis is required (BOOKSPRINT_REQUIRE_ORACLES=1) but missing from BOOKSPRINT_VENV")
        // The built server in a process of its own, so that CPU-heavy tests running beside
        // this one in the test process cannot starve it.
        let data = FileManager.default.temporaryDirectory
            .appendingPathComponent("booksprint-openapi-\(UUID().uuidString)").appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let server = try ServerProcess(data: data, port: try ServerProcess.freePort(), arguments: ["--max-long-poll", "1"])
        defer { server.kill(SIGTERM) }
        let password = try server.adminPassword()
        let admin = try await server.ready().login("admin", password)
        // Something for the generated requests to find: a chapter with two revisions.
        let book = try #require((try await admin.call(.POST, "/api/v1/books", json: ["title": "Spec"]))["id"] as? String)
        let created = try await admin.call(.POST, "/api/v1/books/\(book)/chapters", json: ["title": "One", "text": "one\ntwo\n"])
        let chapter = try #require(created["id"] as? String)
        _ = try await admin.call(.POST, "/api/v1/books/\(book)/chapters/\(chapter)/revisions", json: ["base": 1, "text": "one\n2\n"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: schemathesis)
        process.arguments = [
            "run", "\(admin.base)/api/v1/openapi.yaml", "--url", "\(admin.base)/api/v1",
            "-H", "Authorization: Bearer \(admin.token!)",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance",
            // The event stream never ends; its answers are tested in EventStreamTests.
            "--exclude-operation-id", "followEvents",
            "-n", "20", "--seed", "1", "--no-color", "--request-timeout", "30",
        ]
        // schemathesis keeps a cache in its working folder: not in the repo.
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Waits on a Dispatch thread: blocking one of the cooperative pool's few threads for
        // the whole run would slow every other test.
        let reader = output.fileHandleForReading
        let text = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: String(decoding: reader.readDataToEndOfFile(), as: UTF8.self))
            }
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "schemathesis found problems:\n\(text.suffix(6000))")
    }
}
