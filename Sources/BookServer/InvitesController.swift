import BookStore
import Foundation
import Hummingbird

/// Invite links: facilitators create, list and revoke them under `/books/{book}/invites`;
/// whoever holds a link's token reads what it opens (`GET /invites/{token}`) and joins with
/// it (`POST /invites/{token}/accept`), signing up on the way or with the session they have.
struct InvitesController {
    let database: AppDatabase
    let configuration: ServerConfiguration

    struct NewInvite: Decodable {
        var role: Role
        var expiresInDays: Int?
    }

    /// The answer to a new invite: the only time its token is shown.
    struct CreatedInvite: Encodable {
        var invite: InviteView
        var token: String
        /// The web app's page for the link, `/invite/<token>` (the caller adds its origin).
        var url: String

        enum CodingKeys: String, CodingKey { case id, role, createdBy, createdAt, expires, state, uses, token, url }

        func encode(to encoder: any Encoder) throws {
            try self.invite.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.token, forKey: .token)
            try c.encode(self.url, forKey: .url)
        }
    }

    /// The answer to an accepted invite; `token` and `mustChangePassword` only for a new account.
    struct Joined: Encodable {
        var book: String
        var title: String
        var role: Role
        var user: User
        var token: String?
        var mustChangePassword: Bool?
    }

    /// Facilitators' routes (behind `AuthMiddleware`).
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("books/{book}/invites") { request, context in
            var request = request
            let (new, body) = try await request.decodeJSON(NewInvite.self, limit: 64 << 10)
            let book = try context.parameters.id("book")
            let (invite, token) = try await self.database.createInvite(
                role: new.role, days: new.expiresInDays ?? AppDatabase.inviteDefaultDays, in: book,
                user: context.requireUser(), idempotency: request.idempotencyKey(body: body))
            return try APIResponse.json(
                CreatedInvite(invite: invite, token: token, url: token.isEmpty ? "" : "/invite/\(token)"), status: .created,
                headers: [.location: "/api/v1/books/\(book)/invites/\(invite.id)"])
        }
        group.get("books/{book}/invites") { _, context in
            struct Listing: Encodable { var invites: [InviteView] }
            return try APIResponse.json(Listing(invites: try await self.database.invites(
                of: context.parameters.id("book"), user: context.requireUser())))
        }
        group.delete("books/{book}/invites/{id}") { request, context in
            _ = try await self.database.revokeInvite(
                context.parameters.id("id"), of: context.parameters.id("book"), user: context.requireUser(),
                idempotency: request.idempotencyKey(body: []))
            return APIResponse.noContent()
        }
    }

    /// The link holder's routes: no sign-in needed (the token is the credential).
    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("invites/{token}") { _, context in
            try await Self.answering {
                try APIResponse.json(try await self.database.invite(token: context.parameters.id("token")))
            }
        }
        /// With `Authorization: Bearer`: the signed-in user joins. Without: the body
        /// `{username, password}` makes an account (the rules of `user add`) that joins, and
        /// the answer carries its session token, as `POST /login` would.
        group.post("invites/{token}/accept") { request, context in
            var request = request
            let token = try context.parameters.id("token")
            return try await Self.answering {
                // One body means one thing whoever sends it: a sign-up's name and password,
                // checked as `user add` checks them, before anything else (a signed-in caller
                // needs none, and one they send anyway is checked and not used).
                let body = Array(try await request.jsonBuffer(limit: 64 << 10).readableBytesView)
                let signUp = body.isEmpty ? nil : try Request.decode(LoginController.Credentials.self, from: body)
                if let signUp {
                    try AppDatabase.validateNewAccount(name: signUp.username)
                    try AppDatabase.validatePassword(signUp.password)
                }
                if let header = request.headers[.authorization] {
                    guard header.lowercased().hasPrefix("bearer "),
                        let user = try await self.database.user(forToken: AuthMiddleware.trimmed(header.dropFirst(7)))
                    else { throw StoreError.unauthorized }
                    // As on every route behind `PasswordChangeMiddleware`: a new password first.
                    if user.mustChangePassword { throw StoreError.forbidden("choose a new password first: POST /api/v1/me/password") }
                    let (target, role) = try await self.database.acceptInvite(token: token, user: user)
                    return try APIResponse.json(Joined(book: target.book, title: target.title, role: role, user: user))
                }
                guard let signUp else {
                    throw Problem(.badRequest, "invalid-body", "send a user name and a password to make an account, or sign in and accept")
                }
                _ = try await self.database.invite(token: token)  // a dead link makes no account
                guard !(try await self.database.isUserNameTaken(signUp.username)) else {
                    throw StoreError.stateConflict("the user name \(signUp.username) is taken; pick another, or sign in and accept")
                }
                let user = try await self.database.addUser(name: signUp.username, password: signUp.password)
                let (target, role) = try await self.database.acceptInvite(token: token, user: user)
                let session = try await self.database.login(name: signUp.username, password: signUp.password)
                return try APIResponse.json(
                    Joined(book: target.book, title: target.title, role: role, user: session.user, token: session.token,
                           mustChangePassword: session.user.mustChangePassword),
                    status: .created)
            }
        }
    }

    /// Runs `work`, turning an invite's refusal into its problem: 404 for a token that names
    /// no invite, 410 for one expired or revoked.
    static func answering(_ work: () async throws -> Response) async throws -> Response {
        do {
            return try await work()
        } catch let refusal as InviteRefusal {
            switch refusal {
            case .unknown: throw Problem(.notFound, "invite-unknown", "this invite link is not known; ask for a new one")
            case .revoked: throw Problem(.gone, "invite-revoked", "this invite was revoked; ask the book's facilitator for a new one")
            case .expired(let date):
                throw Problem(
                    .gone, "invite-expired",
                    "this invite expired on \(date.formatted(.iso8601)); ask the book's facilitator for a new one")
            }
        }
    }
}
