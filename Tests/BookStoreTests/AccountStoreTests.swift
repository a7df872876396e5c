@testable import BookStore
import Foundation
import GRDB
import Testing

@Suite struct AccountStoreTests {
    /// Accounts made before names ignored case, whose names differ only in case, all keep
    /// working after the migration: the oldest keeps its name, the others get `-ID`; their
    /// roles and sessions stay.
    @Test func migrationKeepsAccountsThatDifferOnlyInCase() async throws {
        let queue = try DatabaseQueue(path: StoreKind.temporaryPath("case-migration"))
        try AppDatabase.migrator.migrate(queue, upTo: "v5-invites")
        try await queue.write { db in
            for (id, name) in [(1, "ann"), (2, "Ann"), (3, "bob"), (4, "ANN")] {
                try db.execute(
                    sql: "INSERT INTO user (id, name, passwordHash, isAdmin, createdAt) VALUES (?, ?, ?, 0, ?)",
                    arguments: [id, name, AppDatabase.unknownUserHash, Date()])
            }
            try db.execute(sql: "INSERT INTO book (id, metadata, workflow, toc, tocVersion, createdAt) VALUES ('b1', '{\"title\":\"T\",\"language\":\"en\",\"authors\":[],\"identifier\":\"x\"}', '[\"draft\"]', '[]', 1, ?)", arguments: [Date()])
            try db.execute(sql: "INSERT INTO member (bookId, userId, role) VALUES ('b1', 2, 'facilitator'), ('b1', 4, 'reader')")
        }
        let store = try AppDatabase(queue)
        #expect(try await store.users().map(\.name).sorted() == ["ANN-4", "Ann-2", "ann", "bob"])
        let (_, user) = try await store.login(name: "ann-2", password: "no such user")
        #expect(user.id == 2 && user.name == "Ann-2")
        #expect(try await store.members(of: "b1", user: User(id: 99, name: "root", isAdmin: true)).map(\.username) == ["Ann-2", "ANN-4"])
        let violations = try await queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(violations.isEmpty)
        await #expect(throws: StoreError.invalid("user ann already exists")) { try await store.addUser(name: "ANN", password: "password-x") }
    }

    /// An administrator without a role on a book sees neither it nor its chapters (the
    /// store's rule, under every reading call the server makes).
    @Test(arguments: StoreKind.allCases)
    func administratorsHaveNoRoleOfTheirOwn(_ kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let root = try await f.db.addUser(name: "root", password: "password-root", isAdmin: true)
        await #expect(throws: StoreError.notFound("no book \(f.book)")) { try await f.db.book(f.book, user: root) }
        await #expect(throws: StoreError.self) { try await f.db.chapter(f.chapter, in: f.book, user: root) }
        #expect(try await f.db.books(for: root).isEmpty)
        #expect(try await f.db.everyBook(user: root).map(\.id) == [f.book])
        _ = try await f.db.setMember("root", role: .reader, of: f.book, user: root)
        #expect(try await f.db.book(f.book, user: root).role == .reader)
    }
}
