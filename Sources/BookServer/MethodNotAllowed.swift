import HTTPTypes
import Hummingbird

/// A path the server has, asked with a method it does not have, is 405 with `Allow` naming
/// the methods it has (RFC 9110 §15.5.6), not 404: the router alone answers 404 for both.
/// Added after every route (`buildApplication`), so it knows them all; it acts only on the
/// router's own 404, which reaches it as `HTTPError` (the handlers' 404s are problems).
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    init(routes: [Router<AppRequestContext>.RouteDescription]) {
        self.routes = routes.map { ($0.path, $0.method) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = self.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            let allow = allowed.joined(separator: ", ")
            var problem = Problem(.methodNotAllowed, "method-not-allowed", "\(request.uri.path) answers \(allow), not \(request.method)")
            problem.headers[.allow] = allow
            throw problem
        }
    }

    /// The methods of the routes whose path matches `path`, sorted.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")[...]
        return Set(self.routes.filter { Self.matches($0.path.components[...], segments) }.map(\.method.rawValue)).sorted()
    }

    static func matches(_ pattern: ArraySlice<RouterPath.Element>, _ segments: ArraySlice<Substring>) -> Bool {
        guard let element = pattern.first else { return segments.isEmpty }
        if element == .recursiveWildcard { return !segments.isEmpty }
        guard let segment = segments.first, element ~= segment else { return false }
        return Self.matches(pattern.dropFirst(), segments.dropFirst())
    }
}
