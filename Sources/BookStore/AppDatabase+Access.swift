import GRDB
import Synchronization

extension AppDatabase {
    /// The caller's role on a book: the member's role, for administrators too (they manage
    /// accounts and any book's members, but read or write a book only through a role they
    /// give themselves); a user without a role gets `notFound`, so that a book's existence
    /// is not revealed.
    static func role(of user: User, in book: String, _ db: Database) throws -> Role {
        // Every call checks a role first: cached statements (compiled once per connection).
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
        AccessLog.note(needed, in: book, db)
        let role = try self.role(of: user, in: book, db)
        guard role >= needed else { throw StoreError.forbidden("this needs the \(needed.rawValue) role on the book; you are \(role.rawValue)") }
        return role
    }

    /// Throws unless the caller may manage the book's members: its facilitators, and
    /// administrators (so that no book is ever left without someone to manage it).
    static func requireMemberManager(_ user: User, of book: String, _ db: Database) throws {
        guard user.isAdmin else {
            try Self.require(.facilitator, of: user, in: book, db)
            return
        }
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM book WHERE id = ?"), arguments: [book]) != nil else {
            throw StoreError.notFound("no book \(book)")
        }
    }
}

/// The roles an idempotent write checked (`require`), kept with its recorded answer so that a
/// replay checks them again: a member who lost a role does not get a write's answer replayed.
/// Writes run one at a time per connection, so the log is kept per connection.
enum AccessLog {
    private static let open = Mutex([ObjectIdentifier: [String: Role]]())

    static func record<T>(_ db: Database, _ work: () throws -> T) rethrows -> (T, [String: Role]) {
        let id = ObjectIdentifier(db)
        self.open.withLock { $0[id] = [:] }
        defer { self.open.withLock { $0[id] = nil } }
        let value = try work()
        return (value, self.open.withLock { $0[id] ?? [:] })
    }

    static func note(_ role: Role, in book: String, _ db: Database) {
        self.open.withLock { logs in
            let id = ObjectIdentifier(db)
            guard logs[id] != nil else { return }
            logs[id]![book] = max(logs[id]![book] ?? role, role)
        }
    }
}
