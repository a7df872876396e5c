import BookStore
import Hummingbird

/// Administrators' routes: the accounts (list, add, reset a password) and every book (to
/// manage the members of any book). Anyone else gets 403.
struct UsersController {
    let database: AppDatabase

    struct NewUser: Decodable {
        var username: String
        var password: String
        var isAdmin: Bool?
    }

    struct Listing: Encodable {
        var users: [User]
    }

    /// The one-time password of a reset, shown once: the user signs in with it and must
    /// choose a new one (`mustChangePassword`).
    struct Reset: Encodable {
        var username: String
        var password: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("users") { _, context in
            try APIResponse.json(Listing(users: try await self.database.users(asSeenBy: context.requireUser())))
        }
        group.post("users") { request, context in
            var request = request
            let (new, _) = try await request.decodeJSON(NewUser.self, limit: 64 << 10)
            let user = try await self.database.addUser(
                name: new.username, password: new.password, isAdmin: new.isAdmin ?? false, by: context.requireUser())
            return try APIResponse.json(user, status: .created)
        }
        group.post("users/{username}/password-reset") { _, context in
            let name = try context.parameters.id("username")
            let password = try await self.database.resetPassword(of: name, by: context.requireUser())
            return try APIResponse.json(Reset(username: name, password: password), headers: [.cacheControl: "no-store"])
        }
        group.get("admin/books") { _, context in
            struct Books: Encodable { var books: [BookOverview] }
            return try APIResponse.json(Books(books: try await self.database.everyBook(user: context.requireUser())))
        }
    }
}
