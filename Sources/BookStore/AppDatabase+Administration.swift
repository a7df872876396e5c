import BookModel
import GRDB

/// A book as an administrator's listing shows it: with its facilitators, whatever the
/// administrator's own role (`role` is nil on a book they have none on).
public struct BookOverview: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var seq: Int
    public var facilitators: [String]
    public var role: Role?
}

extension AppDatabase {
    /// Every book (administrators only): to manage the members of any book, so that none is
    /// ever left without a facilitator.
    public func everyBook(user: User) async throws -> [BookOverview] {
        guard user.isAdmin else { throw StoreError.forbidden("only administrators list every book") }
        return try await self.read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT id, metadata, seq,
                        (SELECT json_group_array(name) FROM (SELECT name FROM member JOIN user ON user.id = member.userId
                            WHERE bookId = book.id AND role = 'facilitator' ORDER BY name)) AS facilitators,
                        (SELECT role FROM member WHERE bookId = book.id AND userId = ?) AS role
                    FROM book ORDER BY createdAt, id
                    """,
                arguments: [user.id]
            ).map { row in
                BookOverview(
                    id: row["id"], title: try Self.decode(BookMetadata.self, row["metadata"]).title, seq: row["seq"],
                    facilitators: try Self.decode([String].self, row["facilitators"]),
                    role: (row["role"] as String?).flatMap(Role.init(rawValue:)))
            }
        }
    }

    /// Every account (administrators only).
    public func users(asSeenBy user: User) async throws -> [User] {
        guard user.isAdmin else { throw StoreError.forbidden("only administrators list the accounts") }
        return try await self.users()
    }

    /// An administrator adds an account, with the rules of `user add`.
    public func addUser(name: String, password: String, isAdmin: Bool, by user: User) async throws -> User {
        guard user.isAdmin else { throw StoreError.forbidden("only administrators add accounts") }
        return try await self.addUser(name: name, password: password, isAdmin: isAdmin)
    }

    /// An administrator gives an account a new one-time password: it ends the account's
    /// sessions and works for one thing only, choosing a new password.
    public func resetPassword(of name: String, by user: User) async throws -> String {
        guard user.isAdmin else { throw StoreError.forbidden("only administrators reset passwords") }
        let password = Self.oneTimePassword()
        try await self.setPassword(name: name, password: password, mustChange: true)
        return password
    }

    /// 20 characters of an unambiguous alphabet: about 115 bits.
    public static func oneTimePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }
}
