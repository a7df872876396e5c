import BookStore
import Foundation
import Hummingbird

/// An RFC 9457 problem: every error the server answers with is one of these.
struct Problem: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var type: String
    var detail: String
    /// Fields beyond type/title/status/detail (the 409 of a save carries its hunks here).
    var extra: [String: JSONValue] = [:]
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ type: String, _ detail: String, extra: [String: JSONValue] = [:]) {
        self.status = status
        self.type = type
        self.detail = detail
        self.extra = extra
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var object = self.extra
        object["type"] = .string("urn:booksprint:problem:\(self.type)")
        object["title"] = .string(self.status.reasonPhrase)
        object["status"] = .number(Double(self.status.code))
        object["detail"] = .string(self.detail)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(object))))
    }
}

extension Problem {
    /// The one place where errors from the store, the decoder and Hummingbird become HTTP.
    init(_ error: any Error) {
        switch error {
        case let problem as Problem:
            self = problem
        case let error as StoreError:
            switch error {
            case .notFound(let detail): self.init(.notFound, "not-found", detail)
            case .forbidden(let detail): self.init(.forbidden, "forbidden", detail)
            case .unauthorized:
                self.init(.unauthorized, "unauthorized", "sign in: POST /api/v1/login, then send Authorization: Bearer TOKEN")
                self.headers[.wwwAuthenticate] = "Bearer"
            case .baseRequired:
                self.init(.preconditionRequired, "base-required", "a save names the revision it started from in `base`")
            case .unknownBase(let base):
                self.init(.unprocessableContent, "unknown-base", "revision \(base) of this chapter never existed")
            case .invalid(let detail): self.init(.unprocessableContent, "invalid", detail)
            case .stateConflict(let detail, let index):
                self.init(.conflict, "state-conflict", detail, extra: index.map { ["index": .number(Double($0))] } ?? [:])
            case .idempotencyKeyReused:
                self.init(.unprocessableContent, "idempotency-key-reused", "this Idempotency-Key was used with a different request")
            case .historyReset(let last):
                self.init(.gone, "reset", "the change log has no position like that; reload the book", extra: ["reset": .bool(true), "last": .number(Double(last))])
            case .damaged(let detail): self.init(.internalServerError, "damaged", detail)
            }
        case let error as DecodingError:
            self.init(.badRequest, "invalid-body", Self.describe(error))
        case let error as HTTPError:
            self.init(error.status, "http", error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            self.init(error.status, "http", error.status.reasonPhrase)
        default:
            self.init(.internalServerError, "internal", "the server failed; the error is in its log")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the body" : String(path.dropFirst(path.hasPrefix(".") ? 1 : 0))
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(Self.jsonName(type))"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(Self.jsonName(type)), found null"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent == "the body" ? "" : parent + ".")\(key.stringValue) is required"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "the body does not have the expected shape"
        }
    }

    static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

/// A JSON value, for the free-form fields of problems.
enum JSONValue: Codable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    init(_ encodable: some Encodable) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder.api.encode(encodable))
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        // Whole numbers as integers, so `status` reads 404, not 404.0.
        case .number(let n): if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int(n)) } else { try c.encode(n) }
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }
}

/// Turns every error into problem+json, and logs the ones that are the server's fault.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error)
            if problem.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            // Outside the API (the web app's paths, or none at all) an error is plain text.
            guard request.uri.path.hasPrefix("/api/") else {
                return problem.status == .notFound
                    ? WebAppController.notFound()
                    : APIResponse.text(
                        problem.status.reasonPhrase + "\n", contentType: "text/plain; charset=utf-8", status: problem.status,
                        headers: problem.headers)
            }
            return try problem.response(from: request, context: context)
        }
    }
}

extension JSONEncoder {
    /// The API's JSON: ISO 8601 dates, sorted keys (stable bodies, stable ETags).
    static let api: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}
