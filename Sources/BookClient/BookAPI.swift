import AsyncHTTPClient
import BookModel
import Foundation
import NIOCore
import NIOHTTP1

/// The calls of the sync protocol the folder client makes, over a real HTTP client.
public struct BookAPI: Sendable {
    /// `http://host:port/api/v1/books/ID`, without a trailing slash.
    public let bookURL: String
    let token: String

    public init(bookURL: String, token: String) {
        self.bookURL = bookURL
        self.token = token
    }

    /// Splits a book URL into the server's root (`http://host:port`) and the book id.
    public static func parse(bookURL: String) throws -> (root: String, book: String) {
        let trimmed = bookURL.hasSuffix("/") ? String(bookURL.dropLast()) : bookURL
        guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host != nil, let range = trimmed.range(of: "/api/v1/books/"),
              !trimmed[range.upperBound...].isEmpty, !trimmed[range.upperBound...].contains("/")
        else { throw ClientError("'\(bookURL)' is not a book URL like http://host:port/api/v1/books/ID") }
        return (String(trimmed[..<range.lowerBound]), String(trimmed[range.upperBound...]))
    }

    /// Signs in with a name and password and returns the session token.
    public static func login(root: String, username: String, password: String) async throws -> String {
        let reply = try await Self.send(
            .POST, root + "/api/v1/login", token: nil, json: ["username": username, "password": password])
        if reply.status == 401 { throw ClientError("login as \(username) failed: wrong user name or password") }
        guard reply.status == 200, let token = reply.json["token"] as? String else {
            throw ClientError("login as \(username) failed: \(reply.problem)")
        }
        return token
    }

    /// The book's metadata, table of contents and chapter heads.
    public func book() async throws -> BookInfo {
        let reply = try await self.call(.GET, "")
        guard reply.status == 200 else { throw ClientError("reading the book failed: \(reply.problem)") }
        return try JSONDecoder().decode(BookInfo.self, from: reply.body)
    }

    /// A chapter's head revision and its text.
    public func chapter(_ id: String) async throws -> (revision: Int, text: String) {
        let reply = try await self.call(.GET, "/chapters/\(id)")
        guard reply.status == 200, let revision = reply.json["revision"] as? Int, let text = reply.json["text"] as? String
        else { throw ClientError("reading chapter \(id) failed: \(reply.problem)") }
        return (revision, text)
    }

    /// The names of the book's images (`images/NAME` in chapters).
    public func assetNames() async throws -> [String] {
        let reply = try await self.call(.GET, "/assets")
        guard reply.status == 200, let assets = reply.json["assets"] as? [[String: Any]]
        else { throw ClientError("listing the images failed: \(reply.problem)") }
        return assets.compactMap { $0["name"] as? String }
    }

    /// The bytes of one image.
    public func asset(_ name: String) async throws -> Data {
        let reply = try await self.call(.GET, "/assets/\(name)")
        guard reply.status == 200 else { throw ClientError("reading image \(name) failed: \(reply.problem)") }
        return reply.body
    }

    /// Creates a chapter (placed at the end of the table of contents); returns its id and revision.
    public func createChapter(title: String, text: String) async throws -> (id: String, revision: Int) {
        let reply = try await self.call(.POST, "/chapters", json: ["title": title, "text": text])
        guard reply.status == 201, let id = reply.json["id"] as? String, let revision = reply.json["revision"] as? Int
        else { throw ClientError("creating chapter '\(title)' failed: \(reply.problem)") }
        return (id, revision)
    }

    /// The text of one (immutable) revision.
    public func text(of id: String, revision: Int) async throws -> String {
        let reply = try await self.call(.GET, "/chapters/\(id)/revisions/\(revision)")
        guard reply.status == 200, let text = reply.json["text"] as? String
        else { throw ClientError("reading revision \(revision) of chapter \(id) failed: \(reply.problem)") }
        return text
    }

    /// What the server made of a save.
    public enum SaveOutcome: Sendable, Equatable {
        /// Stored (or already the head's text): `text` is what the head now holds.
        case saved(revision: Int, text: String)
        /// The merge with the head conflicted; nothing was committed.
        case conflict(head: Int, conflict: String, textWithMarkers: String)
    }

    /// `POST .../revisions {base, text, resolves?}`.
    public func save(_ id: String, base: Int, text: String, resolves: String?) async throws -> SaveOutcome {
        var body: [String: Any] = ["base": base, "text": text, "message": "booksprint push"]
        if let resolves { body["resolves"] = [resolves] }
        let reply = try await self.call(.POST, "/chapters/\(id)/revisions", json: body)
        switch reply.status {
        case 200, 201:
            guard let revision = reply.json["revision"] as? Int else { throw ClientError("bad save answer: \(reply.problem)") }
            return .saved(revision: revision, text: reply.json["text"] as? String ?? text)
        case 409:
            guard let head = reply.json["head"] as? Int, let conflict = reply.json["conflict"] as? String,
                  let marked = reply.json["textWithMarkers"] as? String
            else { throw ClientError("saving chapter \(id) failed: \(reply.problem)") }
            return .conflict(head: head, conflict: conflict, textWithMarkers: marked)
        default:
            throw ClientError("saving chapter \(id) failed: \(reply.problem)")
        }
    }

    func call(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil) async throws -> Reply {
        try await Self.send(method, self.bookURL + path, token: self.token, json: json)
    }

    static func send(_ method: HTTPMethod, _ url: String, token: String?, json: [String: Any]?) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let bytes = try await response.body.collect(upTo: 256 << 20)
            return Reply(status: Int(response.status.code), body: Data(bytes.readableBytesView))
        } catch {
            throw ClientError("cannot reach \(url): \(error)")
        }
    }

    /// An answer with its body; `problem` is the server's own one-line explanation.
    struct Reply {
        let status: Int
        let body: Data
        /// The body parsed once (empty when it is not a JSON object).
        let json: [String: Any]

        init(status: Int, body: Data) {
            self.status = status
            self.body = body
            self.json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }

        var problem: String {
            let json = self.json
            let detail = json["detail"] as? String ?? json["title"] as? String ?? String(decoding: self.body.prefix(200), as: UTF8.self)
            return "HTTP \(self.status) \(detail)"
        }
    }
}

/// `GET /api/v1/books/{book}`, the parts the client uses.
public struct BookInfo: Decodable, Sendable {
    public var id: String
    public var title: String
    public var subtitle: String?
    public var language: String?
    public var license: String?
    public var description: String?
    public var authors: [String]?
    public var identifier: String?
    public var workflow: [String]?
    public var toc: TableOfContents
    public var chapters: [String: ChapterHead]

    /// A chapter's head as the book lists it.
    public struct ChapterHead: Decodable, Sendable {
        public var revision: Int
        public var title: String
        public var status: String?
        /// The stable file name, `chapters/<file>.md` (older servers: absent).
        public var file: String?
    }
}
