import BookStore
import Hummingbird

/// `POST /api/v1/login`: a password for a bearer token.
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
}
