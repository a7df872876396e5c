import BookStore
import Hummingbird

/// `POST /api/v1/login`: a password for a bearer token; behind the token, `GET /me` (who
/// the token belongs to) and `POST /logout` (revokes it).
struct LoginController {
    let database: AppDatabase
    let configuration: ServerConfiguration

    struct Credentials: Decodable {
        var username: String
        var password: String
    }

    struct Session: Encodable {
        var token: String
        var user: User
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("login") { request, context in
            var request = request
            let (credentials, _) = try await request.decodeJSON(Credentials.self, limit: 64 << 10)
            let (token, user) = try await self.database.login(name: credentials.username, password: credentials.password)
            return try APIResponse.json(Session(token: token, user: user))
        }
    }

    struct Me: Encodable {
        var user: User
    }

    /// Routes that need the token (behind `AuthMiddleware`).
    func addSessionRoutes(to group: RouterGroup<AppRequestContext>) {
        /// The signed-in user.
        group.get("me") { _, context in
            try APIResponse.json(Me(user: try context.requireUser()))
        }
        /// Signs out: the token that sent this stops working at once.
        group.post("logout") { request, context in
            _ = try context.requireUser()
            guard let header = request.headers[.authorization] else { throw StoreError.unauthorized }
            try await self.database.logout(token: AuthMiddleware.trimmed(header.dropFirst(7)))
            return APIResponse.noContent()
        }
    }
}
