import Foundation
import GRDB
import HummingbirdBcrypt

extension AppDatabase {
    /// bcrypt's work factor: ~0.2 s per login on the development machine.
    static let bcryptCost: UInt8 = 10
    static let unknownUserHash = Bcrypt.hash("no such user", cost: bcryptCost)

    /// User names compared without regard to case (`Admin` is `admin`), and the flag that
    /// makes a first-start or reset password good for one thing only: choosing a new one.
    /// Accounts made before whose names differ only in case keep working: every one but the
    /// oldest gets `-ID` appended to its name (the only way to keep them all).
    static func registerAccountRules(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-user-names-without-case-and-password-change") { db in
            try db.execute(sql: """
                UPDATE user SET name = name || '-' || id
                WHERE EXISTS (SELECT 1 FROM user AS older WHERE older.name = user.name COLLATE NOCASE AND older.id < user.id);
                CREATE TABLE new_user (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    passwordHash TEXT NOT NULL,
                    isAdmin BOOLEAN NOT NULL DEFAULT 0,
                    createdAt DATETIME NOT NULL,
                    mustChangePassword BOOLEAN NOT NULL DEFAULT 0
                );
                INSERT INTO new_user (id, name, passwordHash, isAdmin, createdAt)
                    SELECT id, name, passwordHash, isAdmin, createdAt FROM user;
                DROP TABLE user;
                ALTER TABLE new_user RENAME TO user;
                -- The roles an idempotent write checked, re-checked when it is replayed.
                ALTER TABLE idempotency ADD COLUMN access TEXT;
                """)
        }
    }

    public func userCount() async throws -> Int {
        try await self.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user") ?? 0 }
    }

    /// The rules of `user add`, for every way an account is made or its password set.
    public static func validateNewAccount(name: String) throws {
        guard Self.isValidUsername(name) else {
            throw StoreError.invalid("a user name is 1 to 64 letters, digits, '-', '_' or '.'")
        }
    }

    /// At least 8 characters (code points, as the API document counts lengths) and at most
    /// 72 bytes of UTF-8 (what bcrypt reads).
    public static func validatePassword(_ password: String) throws {
        guard password.unicodeScalars.count >= 8, password.utf8.count <= 72 else {
            throw StoreError.invalid("a password has at least 8 characters and at most 72 bytes")
        }
    }

    /// `mustChangePassword`: the password works once, to choose another (first start, reset).
    @discardableResult
    public func addUser(name: String, password: String, isAdmin: Bool = false, mustChangePassword: Bool = false) async throws -> User {
        try Self.validateNewAccount(name: name)
        try Self.validatePassword(password)
        let hash = try await offPool { Bcrypt.hash(password, cost: Self.bcryptCost) }
        return try await self.write { db, _ in
            if let taken = try String.fetchOne(db, sql: "SELECT name FROM user WHERE name = ?", arguments: [name]) {
                throw StoreError.invalid("user \(taken) already exists")
            }
            try db.execute(
                sql: "INSERT INTO user (name, passwordHash, isAdmin, createdAt, mustChangePassword) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, hash, isAdmin, Date(), mustChangePassword])
            return User(id: db.lastInsertedRowID, name: name, isAdmin: isAdmin, mustChangePassword: mustChangePassword)
        }
    }

    /// Sets a password (`user passwd`, an administrator's reset with `mustChange`): every
    /// session of the account ends, its tokens and its open event streams.
    public func setPassword(name: String, password: String, mustChange: Bool = false) async throws {
        try Self.validatePassword(password)
        let hash = try await offPool { Bcrypt.hash(password, cost: Self.bcryptCost) }
        let id = try await self.write { db, _ in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM user WHERE name = ?", arguments: [name]) else {
                throw StoreError.notFound("no user \(name)")
            }
            try db.execute(
                sql: "UPDATE user SET passwordHash = ?, mustChangePassword = ? WHERE id = ?", arguments: [hash, mustChange, id])
            try db.execute(sql: "DELETE FROM token WHERE userId = ?", arguments: [id])
            return id
        }
        self.endSessions(of: id)
    }

    /// The signed-in user's own change (`POST /me/password`): checks the current password,
    /// clears `mustChangePassword`, ends every session, and opens a new one.
    public func changePassword(of user: User, current: String, new: String) async throws -> (token: String, user: User) {
        try Self.validatePassword(new)
        guard let hash = try await self.read({ db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM user WHERE id = ?", arguments: [user.id])
        }), try await offPool({ Bcrypt.verify(current, hash: hash) }) else {
            throw StoreError.forbidden("the current password is wrong")
        }
        guard current != new else { throw StoreError.invalid("the new password must differ from the current one") }
        try await self.setPassword(name: user.name, password: new)
        return try await self.login(name: user.name, password: new)
    }

    /// Ends the account's sessions in this process: cached tokens, open event streams.
    func endSessions(of user: Int64) {
        self.tokens.removeAll()
        self.changes.endSessions(of: user)
    }

    public func users() async throws -> [User] {
        try await self.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, isAdmin, mustChangePassword FROM user ORDER BY name").map(Self.user)
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
            try Row.fetchOne(
                db, sql: "SELECT id, name, isAdmin, mustChangePassword, passwordHash FROM user WHERE name = ?", arguments: [name]
            ).map { (Self.user($0), $0["passwordHash"] as String) }
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
                    SELECT user.id, name, isAdmin, mustChangePassword FROM token JOIN user ON user.id = token.userId
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
        User(id: row["id"], name: row["name"], isAdmin: row["isAdmin"], mustChangePassword: row["mustChangePassword"] ?? false)
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
