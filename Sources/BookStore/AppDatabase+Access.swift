import GRDB

extension AppDatabase {
    /// The caller's role on a book: admins are facilitators of every book; a user without a
    /// role gets `notFound`, so that a book's existence is not revealed.
    static func role(of user: User, in book: String, _ db: Database) throws -> Role {
        // Every call checks a role first: cached statements (compiled once per connection).
        if user.isAdmin, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM book WHERE id = ?"), arguments: [book]) != nil {
            return .facilitator
        }
        guard
            let raw = try String.fetchOne(
                db.cachedStatement(sql: "SELECT role FROM member WHERE bookId = ? AND userId = ?"), arguments: [book, user.id]),
            let role = Role(rawValue: raw)
        else { throw StoreError.notFound("no book \(book)") }
        return role
    }

    /// Throws unless the caller has at least `needed` on the book.
    @discardableResult
    static func require(_ needed: Role, of user: User, in book: String, _ db: Database) throws -> Role {
        let role = try self.role(of: user, in: book, db)
        guard role >= needed else { throw StoreError.forbidden("this needs the \(needed.rawValue) role on the book; you are \(role.rawValue)") }
        return role
    }
}
