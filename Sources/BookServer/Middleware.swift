import BookStore
import Hummingbird
import Foundation
import Logging

/// Logs each request once it is answered: method, path (never the query's values, never
/// headers, so no token or password reaches the log), status and time.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                "ms": "\(Self.milliseconds(elapsed))",
            ])
        return response
    }

    /// `12.3`: milliseconds with one decimal, rounded down. Integer arithmetic, because
    /// `String(format:)` was 1.3% of the server's CPU under bench-sync.
    static func milliseconds(_ d: Duration) -> String {
        let tenths = d.components.seconds * 10_000 + d.components.attoseconds / 100_000_000_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// Resolves `Authorization: Bearer TOKEN` to a user; without a valid one the request gets 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
            let user = try await self.database.user(forToken: Self.trimmed(header.dropFirst(7)))
        else { throw StoreError.unauthorized }
        var context = context
        context.user = user
        // Whatever the handler logs names the user (never the token).
        context.logger[metadataKey: "user"] = "\(user.name)"
        return try await next(request, context)
    }

    /// The token without surrounding spaces and tabs (Foundation's `trimmingCharacters`
    /// bridges to NSString: 1% of the server's CPU under bench-sync).
    static func trimmed(_ token: Substring) -> String {
        var token = token
        while token.first == " " || token.first == "\t" { token.removeFirst() }
        while token.last == " " || token.last == "\t" { token.removeLast() }
        return String(token)
    }
}
