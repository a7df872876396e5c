import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `booksprint serve` on an empty store: the printed admin password works for one thing,
/// choosing a new one, and the store it made is its owner's alone.
@Suite struct FirstStartTests {
    @Test func firstStartPasswordMustBeChangedAndTheStoreIsPrivate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-first-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let data = folder.appendingPathComponent("data").path
        let process = Process()
        process.executableURL = BooksprintBinary.url
        process.arguments = ["serve", "--port", "0", "--data", data]
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }

        var printed = ""
        var base: String?
        while base == nil {
            let chunk = out.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "the server ended: \(printed)")
            printed += String(decoding: chunk, as: UTF8.self)
            base = printed.firstMatch(of: /web app is at (http:\/\/[0-9.]+:[0-9]+)\//).map { String($0.1) }
        }
        let password = try #require(printed.firstMatch(of: /one-time password ([A-Za-z0-9]+)/).map { String($0.1) })

        let signedIn = try await Self.post("\(base!)/api/v1/login", ["username": "admin", "password": password])
        #expect(signedIn.status == 200 && signedIn.json["mustChangePassword"] as? Bool == true)
        let token = try #require(signedIn.json["token"] as? String)
        let books = try await Self.get("\(base!)/api/v1/books", token: token)
        #expect(books.status == 403 && books.json["type"] as? String == "urn:booksprint:problem:password-change-required")
        let changed = try await Self.post(
            "\(base!)/api/v1/me/password", ["currentPassword": password, "newPassword": "the admin's own"], token: token)
        #expect(changed.status == 200 && changed.json["mustChangePassword"] as? Bool == false)
        let again = try await Self.post("\(base!)/api/v1/login", ["username": "admin", "password": password])
        #expect(again.status == 401, "the printed password no longer works")

        let files = FileManager.default
        #expect(try files.attributesOfItem(atPath: data)[.posixPermissions] as? Int == 0o700)
        for name in try files.contentsOfDirectory(atPath: data) {
            #expect(try files.attributesOfItem(atPath: data + "/" + name)[.posixPermissions] as? Int == 0o600, "\(name)")
        }
    }

    struct Answer {
        var status: Int
        var json: [String: Any]
    }

    static func post(_ url: String, _ body: [String: String], token: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        return try await Self.send(request, token: token)
    }

    static func get(_ url: String, token: String) async throws -> Answer {
        try await Self.send(URLRequest(url: URL(string: url)!), token: token)
    }

    static func send(_ request: URLRequest, token: String?) async throws -> Answer {
        var request = request
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Answer(
            status: (response as! HTTPURLResponse).statusCode,
            json: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }
}
