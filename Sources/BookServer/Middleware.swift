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

    static func milliseconds(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return String(format: "%.1f", ms)
    }
}

/// Resolves `Authorization: Bearer TOKEN` to a user; without a valid one the request gets 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
            let user = try await self.database.user(forToken: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else { throw StoreError.unauthorized }
        var context = context
        context.user = user
        // Whatever the handler logs names the user (never the token).
        context.logger[metadataKey: "user"] = "\(user.name)"
        return try await next(request, context)
    }
}
