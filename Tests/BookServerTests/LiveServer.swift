import AsyncHTTPClient
import BookServer
@testable import BookStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// An answer from the server, with its body parsed as JSON when it is JSON.
struct Reply: @unchecked Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: self.body)) as? [String: Any] ?? [:] }
    var text: String { String(decoding: self.body, as: UTF8.self) }
    subscript(key: String) -> Any? { self.json[key] }
}

/// A client of a server on a loopback port.
struct API: Sendable {
    let base: String
    var token: String?

    func call(
        _ method: HTTPMethod, _ path: String, json: Any? = nil, body: [UInt8]? = nil, headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: self.base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } else if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
    }

    /// Signs in and returns a client that sends the token.
    func login(_ name: String, _ password: String) async throws -> API {
        let reply = try await self.call(.POST, "/api/v1/login", json: ["username": name, "password": password])
        try #require(reply.status == 200, "login of \(name): \(reply.text)")
        return API(base: self.base, token: reply["token"] as? String)
    }
}

/// Runs `body` against the real application on a loopback port, with a fresh data folder
/// holding users fran (facilitator of one book), ann (author), rea (reader) and sam (none).
func withLiveServer(
    keepAlive: Duration = .seconds(15), maxAssetSize: Int = 10 << 20, maxLongPoll: Duration = .seconds(60),
    webRoot: URL? = nil, _ body: @escaping @Sendable (LiveBook) async throws -> Void
) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-live-\(UUID().uuidString)")
    let configuration = ServerConfiguration(
        port: 0, dataDirectory: dir, maxBodySize: 1 << 20, maxAssetSize: maxAssetSize, keepAliveInterval: keepAlive,
        maxLongPoll: maxLongPoll, webRoot: webRoot)
    let database = try openDatabase(configuration: configuration)
    for name in ["fran", "ann", "rea", "sam"] { try await database.addUser(name: name, password: "password-\(name)") }
    let app = buildApplication(configuration: configuration, database: database)
    try await app.test(.live) { client in
        let anonymous = API(base: "http://127.0.0.1:\(client.port!)")
        let fran = try await anonymous.login("fran", "password-fran")
        let book = try await fran.call(.POST, "/api/v1/books", json: ["title": "Live"])
        try #require(book.status == 201)
        let id = try #require(book["id"] as? String)
        // As an administrator would (a facilitator adds by name only people who share a book
        // with them; strangers come in through invites).
        for (name, role) in [("ann", Role.author), ("rea", .reader)] {
            _ = try await database.setMember(name, role: role, of: id, user: User(id: 0, name: "setup", isAdmin: true))
        }
        try await body(LiveBook(
            anonymous: anonymous, fran: fran, ann: try await anonymous.login("ann", "password-ann"),
            rea: try await anonymous.login("rea", "password-rea"), sam: try await anonymous.login("sam", "password-sam"),
            book: id, database: database))
    }
}

/// The book and the signed-in clients of a live test.
struct LiveBook: Sendable {
    let anonymous: API, fran: API, ann: API, rea: API, sam: API
    let book: String
    let database: AppDatabase

    var path: String { "/api/v1/books/\(self.book)" }

    func createChapter(_ text: String, title: String = "Chapter") async throws -> String {
        let reply = try await self.ann.call(.POST, "\(self.path)/chapters", json: ["title": title, "text": text])
        try #require(reply.status == 201, "\(reply.text)")
        return try #require(reply["id"] as? String)
    }
}

/// Lines `line 1` ... `line n`, newline-terminated.
func numberedLines(_ n: Int) -> [String] { (1...n).map { "line \($0)\n" } }

func splitLines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 + "\n" }
}
