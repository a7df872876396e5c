import Foundation
import GRDB
import HummingbirdBcrypt

extension AppDatabase {
    /// bcrypt's work factor: ~0.2 s per login on the development machine.
    static let bcryptCost: UInt8 = 10
    static let unknownUserHash = Bcrypt.hash("no such user", cost: bcryptCost)

    public func userCount() async throws -> Int {
        try await self.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user") ?? 0 }
    }

    @discardableResult
    public func addUser(name: String, password: String, isAdmin: Bool = false) async throws -> User {
        guard Self.isValidUsername(name) else {
            throw StoreError.invalid("a user name is 1 to 64 letters, digits, '-', '_' or '.'")
        }
        guard password.utf8.count >= 8, password.utf8.count <= 72 else {
            throw StoreError.invalid("a password has 8 to 72 bytes")
        }
        let hash = try await offPool { Bcrypt.hash(password, cost: Self.bcryptCost) }
        return try await self.write { db, _ in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM user WHERE name = ?", arguments: [name]) != nil {
                throw StoreError.invalid("user \(name) already exists")
            }
            try db.execute(
                sql: "INSERT INTO user (name, passwordHash, isAdmin, createdAt) VALUES (?, ?, ?, ?)",
                arguments: [name, hash, isAdmin, Date()])
            return User(id: db.lastInsertedRowID, name: name, isAdmin: isAdmin)
        }
    }

    public func setPassword(name: String, password: String) async throws {
        guard password.utf8.count >= 8, password.utf8.count <= 72 else {
            throw StoreError.invalid("a password has 8 to 72 bytes")
        }
        let hash = try await offPool { Bcrypt.hash(password, cost: Self.bcryptCost) }
        try await self.write { db, _ in
            try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE name = ?", arguments: [hash, name])
            guard db.changesCount == 1 else { throw StoreError.notFound("no user \(name)") }
            // A new password logs out every session.
            try db.execute(
                sql: "DELETE FROM token WHERE userId = (SELECT id FROM user WHERE name = ?)", arguments: [name])
        }
        self.tokens.removeAll()
    }

    public func users() async throws -> [User] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, isAdmin FROM user ORDER BY name").map(Self.user)
        }
    }

    /// A bearer token works this long after the login that issued it; then the client logs in
    /// again (the web app asks for the password). Long enough for a whole sprint.
    static let tokenLifetimeDays = 30
    /// The oldest `createdAt` of a token that still works, as SQL (GRDB's date format).
    static let tokenCutoff = Self.sqlTime("-\(tokenLifetimeDays) days")

    /// Checks a password and issues a new bearer token (returned once, stored hashed).
    public func login(name: String, password: String) async throws -> (token: String, user: User) {
        let found = try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, isAdmin, passwordHash FROM user WHERE name = ?", arguments: [name])
                .map { (Self.user($0), $0["passwordHash"] as String) }
        }
        // An unknown name costs a bcrypt too, so timing does not tell which names exist; the
        // stand-in hash is made (once) off the pool as well.
        guard try await offPool({ Bcrypt.verify(password, hash: found?.1 ?? Self.unknownUserHash) }), let user = found?.0 else {
            throw StoreError.unauthorized
        }
        let token = RandomID.token()
        try await self.write { db, _ in
            try db.execute(
                sql: "INSERT INTO token (hash, userId, createdAt) VALUES (?, ?, ?)",
                arguments: [SHA256.hex(Array(token.utf8)), user.id, Date()])
        }
        return (token, user)
    }

    /// The user a bearer token belongs to, or nil.
    public func user(forToken token: String) async throws -> User? {
        if let user = self.tokens.user(forToken: token) { return user }
        let hash = SHA256.hex(Array(token.utf8))
        let user = try await self.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT user.id, name, isAdmin FROM token JOIN user ON user.id = token.userId
                    WHERE hash = ? AND token.createdAt > \(Self.tokenCutoff)
                    """),
                arguments: [hash]
            ).map(Self.user)
        }
        if let user { self.tokens.put(user, forToken: token) }
        return user
    }

    /// Revokes a bearer token (signing out): it stops working at once, in this process.
    public func logout(token: String) async throws {
        let hash = SHA256.hex(Array(token.utf8))
        try await self.write { db, _ in
            try db.execute(sql: "DELETE FROM token WHERE hash = ?", arguments: [hash])
        }
        self.tokens.remove(token)
    }

    static func user(_ row: Row) -> User {
        User(id: row["id"], name: row["name"], isAdmin: row["isAdmin"])
    }

    static func isValidUsername(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy(\.isNameCharacter)
    }
}

extension UInt8 {
    /// Letters, digits, `-`, `_` and `.`: what user and asset names are made of.
    var isNameCharacter: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
            || self == UInt8(ascii: "-") || self == UInt8(ascii: "_") || self == UInt8(ascii: ".")
    }
}
