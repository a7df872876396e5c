import BookModel
import Foundation
import GRDB

/// An invite link to a book, as its facilitators see it (never with its token).
public struct InviteView: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case active, expired, revoked }
    public var id: String
    public var role: Role
    public var createdBy: String
    public var createdAt: Date
    public var expires: Date
    public var state: State
    /// How many people joined the book through it.
    public var uses: Int
}

/// What an invite's token opens, shown to whoever holds the link (no sign-in needed).
public struct InviteTarget: Codable, Sendable, Equatable {
    public var book: String
    public var title: String
    public var role: Role
    public var expires: Date
}

/// Why an invite token opens nothing: unknown (or malformed), or known but no longer valid.
public enum InviteRefusal: Error, Sendable, Equatable {
    case unknown
    case expired(Date)
    case revoked
}

extension AppDatabase {
    /// v5: invite links. A token is shown once, at creation; the store keeps its SHA-256.
    /// An invite works for anyone holding it (a room of people) until it expires or is revoked.
    static func registerInvites(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-invites") { db in
            try db.execute(sql: """
                CREATE TABLE invite (
                    id TEXT PRIMARY KEY,
                    bookId TEXT NOT NULL REFERENCES book(id) ON DELETE CASCADE,
                    tokenHash TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL CHECK (role IN ('reader', 'author')),
                    createdBy TEXT NOT NULL,
                    createdAt DATETIME NOT NULL,
                    expiresAt DATETIME NOT NULL,
                    revokedAt DATETIME,
                    uses INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX invite_book ON invite(bookId);
                """)
        }
    }

    /// How long an invite lasts unless its facilitator says otherwise, and at most.
    public static let inviteDefaultDays = 5
    public static let inviteMaxDays = 30

    /// Creates an invite for `role` (author or reader) that expires after `days` days;
    /// facilitators only. Returns the invite and its token, which is never shown again.
    public func createInvite(
        role: Role, days: Int, in book: String, user: User, idempotency: IdempotencyKey? = nil
    ) async throws -> (invite: InviteView, token: String) {
        guard role != .facilitator else { throw StoreError.invalid("an invite is for the role author or reader") }
        guard (1...Self.inviteMaxDays).contains(days) else {
            throw StoreError.invalid("expiresInDays is 1 to \(Self.inviteMaxDays)")
        }
        let token = InviteToken.make()
        let invite = try await self.idempotentWrite(idempotency, user: user) { db, _ in
            try Self.require(.facilitator, of: user, in: book, db)
            let now = Date()
            let invite = InviteView(
                id: RandomID.make(prefix: "i"), role: role, createdBy: user.name, createdAt: now,
                expires: now.addingTimeInterval(Double(days) * 86_400), state: .active, uses: 0)
            try db.execute(
                sql: "INSERT INTO invite (id, bookId, tokenHash, role, createdBy, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [invite.id, book, InviteToken.hash(token), role.rawValue, user.name, now, invite.expires])
            return invite
        }
        // A retry with the same idempotency key gets the first invite, whose token only its
        // first answer had: it answers without one rather than with a token that opens nothing.
        return (invite, try await self.read { db in
            try String.fetchOne(db, sql: "SELECT tokenHash FROM invite WHERE id = ?", arguments: [invite.id]) == InviteToken.hash(token)
        } ? token : "")
    }

    /// The book's invites, newest first, in every state; facilitators only.
    public func invites(of book: String, user: User) async throws -> [InviteView] {
        try await self.read { db in
            try Self.require(.facilitator, of: user, in: book, db)
            let now = Date()
            return try Row.fetchAll(
                db, sql: "SELECT * FROM invite WHERE bookId = ? ORDER BY createdAt DESC, id", arguments: [book]
            ).map { Self.inviteView($0, now: now) }
        }
    }

    /// Revokes an invite: its link stops working. Revoking it again changes nothing.
    public func revokeInvite(_ id: String, of book: String, user: User, idempotency: IdempotencyKey? = nil) async throws -> Bool {
        try await self.idempotentWrite(idempotency, user: user) { db, _ in
            try Self.require(.facilitator, of: user, in: book, db)
            try db.execute(
                sql: "UPDATE invite SET revokedAt = coalesce(revokedAt, ?) WHERE id = ? AND bookId = ?", arguments: [Date(), id, book])
            guard db.changesCount == 1 else { throw StoreError.notFound("no invite \(id)") }
            return true
        }
    }

    /// What the token opens, for anyone holding it.
    public func invite(token: String) async throws -> InviteTarget {
        try await self.read { db in try Self.validInvite(token, db).target }
    }

    /// Whether a user name is taken, letters compared without case (`Ann` and `ann` would be
    /// two people no one can tell apart).
    public func isUserNameTaken(_ name: String) async throws -> Bool {
        try await self.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE lower(name) = lower(?)", arguments: [name]) ?? false
        }
    }

    /// Makes `user` a member of the invite's book with its role; a higher role they have
    /// already stays. Returns the role they have now.
    public func acceptInvite(token: String, user: User) async throws -> (target: InviteTarget, role: Role) {
        try await self.write { db, _ in
            let (id, target) = try Self.validInvite(token, db)
            let current = try String.fetchOne(
                db, sql: "SELECT role FROM member WHERE bookId = ? AND userId = ?", arguments: [target.book, user.id]
            ).flatMap(Role.init(rawValue:))
            if let current, current >= target.role { return (target, current) }
            try db.execute(
                sql: "INSERT INTO member (bookId, userId, role) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET role = excluded.role",
                arguments: [target.book, user.id, target.role.rawValue])
            try db.execute(sql: "UPDATE invite SET uses = uses + 1 WHERE id = ?", arguments: [id])
            return (target, target.role)
        }
    }

    /// The invite a token names, if it still works.
    static func validInvite(_ token: String, _ db: Database) throws -> (id: String, target: InviteTarget) {
        guard InviteToken.isWellFormed(token) else { throw InviteRefusal.unknown }
        let hash = InviteToken.hash(token)
        guard let row = try Row.fetchOne(
            db, sql: "SELECT invite.*, book.metadata FROM invite JOIN book ON book.id = invite.bookId WHERE tokenHash = ?",
            arguments: [hash]),
            InviteToken.sameHash(row["tokenHash"], hash)
        else { throw InviteRefusal.unknown }
        let view = Self.inviteView(row, now: Date())
        switch view.state {
        case .revoked: throw InviteRefusal.revoked
        case .expired: throw InviteRefusal.expired(view.expires)
        case .active: break
        }
        let title = try Self.decode(BookMetadata.self, row["metadata"]).title
        return (view.id, InviteTarget(book: row["bookId"], title: title, role: view.role, expires: view.expires))
    }

    static func inviteView(_ row: Row, now: Date) -> InviteView {
        let expires: Date = row["expiresAt"]
        let revoked: Date? = row["revokedAt"]
        return InviteView(
            id: row["id"], role: Role(rawValue: row["role"]) ?? .reader, createdBy: row["createdBy"], createdAt: row["createdAt"],
            expires: expires, state: revoked != nil ? .revoked : expires <= now ? .expired : .active, uses: row["uses"])
    }
}

/// Invite tokens: 32 random bytes as base64url (43 characters), kept only as SHA-256 hex.
enum InviteToken {
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { $0.isNameCharacter && $0 != UInt8(ascii: ".") }
    }

    static func hash(_ token: String) -> String { SHA256.hex(Array(token.utf8)) }

    /// Compares two hashes in time that does not depend on where they differ.
    static func sameHash(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
