import AsyncHTTPClient
import BookClient
import BookServer
@testable import BookStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// A real server on a loopback port with one book, its facilitator fran and author ann,
/// and a fresh empty folder to clone into.
struct ClientServer: Sendable {
    let bookURL: String
    let root: String
    let annToken: String
    let folder: URL

    /// Lines `line 1` ... `line n`, newline-terminated.
    static func lines(_ n: Int) -> [String] { (1...n).map { "line \($0)\n" } }

    /// Creates a chapter as ann and returns its id.
    func createChapter(_ title: String, _ text: String) async throws -> String {
        let reply = try await self.call(.POST, "/chapters", ["title": title, "text": text])
        try #require(reply.status == 201)
        return try #require(reply.json["id"] as? String)
    }

    /// Saves `text` as ann from the chapter's head, as a co-author in the web app would.
    func edit(_ chapter: String, _ change: (inout [String]) -> Void) async throws {
        let head = try await self.call(.GET, "/chapters/\(chapter)")
        var lines = (head.json["text"] as! String).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map { String($0) + "\n" }
        change(&lines)
        let reply = try await self.call(
            .POST, "/chapters/\(chapter)/revisions", ["base": head.json["revision"] as! Int, "text": lines.joined()])
        try #require(reply.status == 201)
    }

    /// Uploads an SVG image as ann.
    func uploadSVG(_ name: String, _ svg: String) async throws {
        var request = HTTPClientRequest(url: self.bookURL + "/assets/\(name)")
        request.method = .PUT
        request.headers.add(name: "Authorization", value: "Bearer \(self.annToken)")
        request.headers.add(name: "Content-Type", value: "image/svg+xml")
        request.body = .bytes(ByteBuffer(string: svg))
        try #require(try await HTTPClient.shared.execute(request, timeout: .seconds(30)).status == .created)
    }

    /// The chapter's head text on the server.
    func text(_ chapter: String) async throws -> String {
        try await self.call(.GET, "/chapters/\(chapter)").json["text"] as! String
    }

    func call(_ method: HTTPMethod, _ path: String, _ json: [String: Any]? = nil) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: self.bookURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(self.annToken)")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), object)
    }

    /// The text of a file of the clone.
    func file(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: self.folder.appendingPathComponent(path)), as: UTF8.self)
    }

    func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: self.folder.appendingPathComponent(path))
    }

    /// Writes chapters/one.md as its ten numbered lines with line `index` replaced by `line`
    /// (a local edit of the chapter `cloneBook` makes); returns the lines.
    @discardableResult
    func writeOne(replacing index: Int, with line: String) throws -> [String] {
        var lines = Self.lines(10)
        lines[index] = line
        try self.write("chapters/one.md", "# One\n\n" + lines.joined())
        return lines
    }
}

/// Runs `body` against the real application on a loopback port, with a fresh data folder.
func withClientServer(_ body: @escaping @Sendable (ClientServer) async throws -> Void) async throws {
    let temp = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-client-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: temp) }
    let configuration = ServerConfiguration(port: 0, dataDirectory: temp.appendingPathComponent("data"))
    let database = try openDatabase(configuration: configuration)
    for name in ["fran", "ann"] { try await database.addUser(name: name, password: "password-\(name)") }
    let app = buildApplication(configuration: configuration, database: database)
    try await app.test(.live) { client in
        let root = "http://127.0.0.1:\(client.port!)"
        let fran = try await BookAPI.login(root: root, username: "fran", password: "password-fran")
        let ann = try await BookAPI.login(root: root, username: "ann", password: "password-ann")
        var request = HTTPClientRequest(url: root + "/api/v1/books")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(fran)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"title":"Client Book"}"#))
        let created = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let answer = try await created.body.collect(upTo: 1 << 20)
        let id = try #require(
            ((try JSONSerialization.jsonObject(with: Data(answer.readableBytesView))) as? [String: Any])?["id"] as? String)
        // As an administrator would (a facilitator adds by name only people who share a book).
        _ = try await database.setMember("ann", role: .author, of: id, user: User(id: 0, name: "setup", isAdmin: true))
        try await body(ClientServer(
            bookURL: root + "/api/v1/books/\(id)", root: root, annToken: ann,
            folder: temp.appendingPathComponent("clone")))
    }
}
