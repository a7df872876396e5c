import BookStore
import Foundation
import HTTPTypes
import Hummingbird

extension Request {
    /// The body, at most `limit` bytes (413 beyond).
    mutating func bodyBytes(limit: Int) async throws -> [UInt8] {
        Array(try await self.bodyBuffer(limit: limit).readableBytesView)
    }

    mutating func bodyBuffer(limit: Int) async throws -> ByteBuffer {
        do {
            return try await self.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, "too-large", "the body is larger than \(limit) bytes")
        }
    }

    /// Decodes a JSON body, with errors that say what is wrong and where.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> (T, [UInt8]) {
        let bytes = Array(try await self.jsonBuffer(limit: limit).readableBytesView)
        return (try Self.decode(T.self, from: bytes), bytes)
    }

    /// The body of a JSON request, at most `limit` bytes.
    mutating func jsonBuffer(limit: Int) async throws -> ByteBuffer {
        let buffer = try await self.bodyBuffer(limit: limit)
        if let contentType = self.headers[.contentType], !contentType.lowercased().contains("json") {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", "send the body as application/json")
        }
        return buffer
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw Problem(.badRequest, "invalid-body", "the body is not valid UTF-8")
        }
        return try JSONDecoder.api.decode(T.self, from: Data(bytes))
    }

    /// The `Idempotency-Key` of a write, bound to this request's method, path and body.
    func idempotencyKey(body: ByteBuffer) throws -> IdempotencyKey? {
        guard self.headers[.idempotencyKey] != nil else { return nil }
        return try self.idempotencyKey(body: Array(body.readableBytesView))
    }

    func idempotencyKey(body: [UInt8]) throws -> IdempotencyKey? {
        guard let key = self.headers[.idempotencyKey] else { return nil }
        // Visible ASCII: what the OpenAPI document's pattern says, byte for byte.
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem(.badRequest, "invalid-idempotency-key", "an Idempotency-Key has 1 to 255 visible ASCII characters")
        }
        return IdempotencyKey(key: key, request: Array("\(self.method) \(self.uri.path)\n".utf8) + Self.canonical(body))
    }

    /// A JSON body with its keys sorted, so that a retry that serialises the same value
    /// differently is still the same request; other bodies as they are.
    static func canonical(_ body: [UInt8]) -> [UInt8] {
        guard body.first == UInt8(ascii: "{") || body.first == UInt8(ascii: "["),
            let value = try? JSONSerialization.jsonObject(with: Data(body)),
            let sorted = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        else { return body }
        return Array(sorted)
    }

    /// Whether `If-None-Match` names `eTag` (or is `*`): the client has this state already.
    func hasCurrent(eTag: String) -> Bool {
        self.headers[values: .ifNoneMatch].contains { value in
            value.split(separator: ",").contains { ["*", eTag].contains($0.trimmingCharacters(in: .whitespaces)) }
        }
    }

    /// Whether the client asked for raw Markdown rather than JSON.
    var wantsMarkdown: Bool {
        self.headers[.accept]?.contains("text/markdown") == true
    }

    func intQuery(_ name: String) throws -> Int? {
        guard let raw = self.uri.queryParameters.get(name) else { return nil }
        guard let value = Int(String(raw)) else {
            throw Problem(.badRequest, "invalid-query", "query parameter \(name) must be an integer")
        }
        return value
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let lastEventID = Self("Last-Event-ID")!
    static let referrerPolicy = Self("Referrer-Policy")!
}

extension Parameters {
    func id(_ name: String) throws -> String {
        String(try self.require(name))
    }
}

/// JSON answers.
enum APIResponse {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(value))))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func noContent() -> Response {
        Response(status: .noContent)
    }
}

extension JSONDecoder {
    static let api: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
}
