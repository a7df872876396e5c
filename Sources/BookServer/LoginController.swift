import BookStore
import Hummingbird

/// `POST /api/v1/login`: a password for a bearer token (attempts limited by `SignInLimiter`);
/// behind the token, `GET /me` (who the token belongs to), `POST /logout` (revokes it) and
/// `POST /me/password` (the user's own password change).
struct LoginController {
    let database: AppDatabase
    let configuration: ServerConfiguration
    var limiter = SignInLimiter()

    struct Credentials: Decodable {
        var username: String
        var password: String
    }

    /// A new session; `mustChangePassword`: the token works only for `POST /me/password`,
    /// `GET /me` and `POST /logout` until the user has chosen a new password.
    struct Session: Encodable {
        var token: String
        var user: User
        var mustChangePassword: Bool

        init(_ session: (token: String, user: User)) {
            self.token = session.token
            self.user = session.user
            self.mustChangePassword = session.user.mustChangePassword
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("login") { request, context in
            var request = request
            let (credentials, _) = try await request.decodeJSON(Credentials.self, limit: 64 << 10)
            let address = context.remoteAddress?.ipAddress ?? "unknown"
            if let wait = self.limiter.wait(name: credentials.username, address: address) {
                let seconds = max(1, Int((wait / .seconds(1)).rounded(.up)))
                var problem = Problem(
                    .tooManyRequests, "too-many-sign-ins", "too many failed sign-ins; try again in \(seconds) s")
                problem.headers[.retryAfter] = "\(seconds)"
                throw problem
            }
            do {
                let session = try await self.database.login(name: credentials.username, password: credentials.password)
                self.limiter.succeeded(name: credentials.username, address: address)
                return try APIResponse.json(Session(session))
            } catch StoreError.unauthorized {
                self.limiter.failed(name: credentials.username, address: address)
                throw StoreError.unauthorized
            }
        }
    }

    struct Me: Encodable {
        var user: User
    }

    struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    /// Routes that need the token (behind `AuthMiddleware`), and that a user who must change
    /// their password can still call.
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
        /// Changes the user's own password: every session of the account ends (tokens and
        /// event streams, this one's too), and the answer is a new session.
        group.post("me/password") { request, context in
            var request = request
            let (change, _) = try await request.decodeJSON(PasswordChange.self, limit: 64 << 10)
            let session = try await self.database.changePassword(
                of: try context.requireUser(), current: change.currentPassword, new: change.newPassword)
            return try APIResponse.json(Session(session))
        }
    }
}

/// With `mustChangePassword` set (a first-start or reset password), every route behind
/// this answers 403 `password-change-required`: the one thing to do is `POST /me/password`.
struct PasswordChangeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if try context.requireUser().mustChangePassword {
            throw Problem(
                .forbidden, "password-change-required",
                "choose a new password first: POST /api/v1/me/password {currentPassword, newPassword}")
        }
        return try await next(request, context)
    }
}
