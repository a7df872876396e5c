@testable import BookModel
@testable import BookStore
import Foundation
import GRDB
import Testing

@Suite struct StoreTests {
    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test(arguments: StoreKind.allCases)
    func loginIssuesATokenThatIsStoredOnlyHashed(kind: StoreKind) async throws {
        let db = try kind.open()
        try await db.addUser(name: "ann", password: "correct horse")
        await #expect(throws: StoreError.unauthorized) { try await db.login(name: "ann", password: "wrong horse!") }
        await #expect(throws: StoreError.unauthorized) { try await db.login(name: "nobody", password: "correct horse") }
        let (token, user) = try await db.login(name: "ann", password: "correct horse")
        #expect(token.count == 64)
        #expect(try await db.user(forToken: token) == user)
        #expect(try await db.user(forToken: token + "x") == nil)
        let stored = try await db.writer.read { db in
            (try String.fetchAll(db, sql: "SELECT hash FROM token"), try String.fetchAll(db, sql: "SELECT passwordHash FROM user"))
        }
        #expect(!stored.0.contains(token) && stored.0.count == 1)
        #expect(stored.1.allSatisfy { $0.hasPrefix("$2") })
        try await db.setPassword(name: "ann", password: "battery staple")
        #expect(try await db.user(forToken: token) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func tokensExpireThirtyDaysAfterLogin(kind: StoreKind) async throws {
        let db = try kind.open()
        _ = try await db.addUser(name: "ann", password: "correct horse")
        let (young, _) = try await db.login(name: "ann", password: "correct horse")
        let (old, _) = try await db.login(name: "ann", password: "correct horse")
        try await db.writer.write { db in
            try db.execute(sql: "UPDATE token SET createdAt = strftime('%Y-%m-%d %H:%M:%f', 'now', '-29 days') WHERE hash = ?", arguments: [SHA256.hex(Array(young.utf8))])
            try db.execute(sql: "UPDATE token SET createdAt = strftime('%Y-%m-%d %H:%M:%f', 'now', '-31 days') WHERE hash = ?", arguments: [SHA256.hex(Array(old.utf8))])
        }
        #expect(try await db.user(forToken: young)?.name == "ann")
        #expect(try await db.user(forToken: old) == nil)
        try await db.pruneExpired()
        #expect(try await db.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM token") } == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func usersAndMembersAreChecked(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        await #expect(throws: StoreError.self) { try await f.db.addUser(name: "fran", password: "another-pw") }
        await #expect(throws: StoreError.self) { try await f.db.addUser(name: "bad name", password: "another-pw") }
        await #expect(throws: StoreError.self) { try await f.db.addUser(name: "short", password: "pw") }
        await #expect(throws: StoreError.self) { try await f.db.setMember("ann", role: .author, of: f.book, user: f.ann) }
        await #expect(throws: StoreError.self) { try await f.db.removeMember("fran", of: f.book, user: f.fran) }
        #expect(try await f.db.members(of: f.book, user: f.fran).map(\.username) == ["ann", "fran", "rea"])
        #expect(try await f.db.books(for: f.sam).isEmpty)
        #expect(try await f.db.books(for: f.rea).map(\.role) == [.reader])
    }

    @Test(arguments: StoreKind.allCases)
    func tocOperationsRebaseOntoTheCurrentTree(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let second = try await f.db.createChapter(.init(title: "Two"), in: f.book, user: f.ann)
        let toc = try await f.db.toc(of: f.book, user: f.ann)
        #expect(toc.chapterIDsInOrder == [f.chapter, second.id])
        let stale = toc.version - 1
        let update = try await f.db.applyTOC(
            [.addPart(id: "", title: "Part", parent: nil, after: nil), .move(node: toc.nodes[1].id, parent: nil, after: nil)],
            baseVersion: stale, to: f.book, user: f.fran)
        #expect(update.rebased && update.version == toc.version + 1)
        #expect(update.nodes.map(\.id) == [toc.nodes[1].id, update.added[0], toc.nodes[0].id])
        await #expect(throws: StoreError.self) {
            try await f.db.applyTOC([.rename(node: toc.nodes[0].id, title: "x")], baseVersion: update.version, to: f.book, user: f.ann)
        }
        do {
            _ = try await f.db.applyTOC(
                [.rename(node: toc.nodes[0].id, title: "Renamed"), .remove(node: "gone")], baseVersion: update.version, to: f.book, user: f.fran)
            Issue.record("expected a failure")
        } catch let error as StoreError {
            #expect(error == .stateConflict("operation 1: node gone is no longer in the table of contents", operationIndex: 1))
        }
        #expect(try await f.db.chapter(f.chapter, in: f.book, user: f.ann).title == "One")
        _ = try await f.db.applyTOC([.rename(node: toc.nodes[0].id, title: "Renamed")], baseVersion: update.version, to: f.book, user: f.fran)
        #expect(try await f.db.chapter(f.chapter, in: f.book, user: f.ann).title == "Renamed")
    }

    @Test(arguments: StoreKind.allCases)
    func deletedChapterKeepsItsRevisionsAndCanBeRestored(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        await #expect(throws: StoreError.self) { try await f.db.deleteChapter(f.chapter, in: f.book, user: f.ann) }
        _ = try await f.db.deleteChapter(f.chapter, in: f.book, user: f.fran)
        #expect(try await f.db.toc(of: f.book, user: f.ann).chapterIDsInOrder.isEmpty)
        #expect(try await f.db.book(f.book, user: f.ann).chapters.isEmpty)
        #expect(try await f.db.revision(1, of: f.chapter, in: f.book, user: f.ann).text == Fixture.lines.joined())
        _ = try await f.db.restoreChapter(f.chapter, in: f.book, user: f.fran)
        #expect(try await f.db.toc(of: f.book, user: f.ann).chapterIDsInOrder == [f.chapter])
    }

    @Test(arguments: StoreKind.allCases)
    func revisionTextsReadsBothSidesOfADiffAndFailsAsRevisionDoes(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let second = Fixture.text(replacing: 3, with: "changed\n")
        _ = try await f.save(second, base: 1)
        let texts = try await f.db.revisionTexts(from: 1, to: 2, of: f.chapter, in: f.book, user: f.rea)
        #expect(texts.from == Fixture.lines.joined() && texts.to == second)
        let same = try await f.db.revisionTexts(from: 2, to: 2, of: f.chapter, in: f.book, user: f.rea)
        #expect(same.from == second && same.to == second)
        // The errors of the two `revision` calls the diff made before, `from` first.
        func failure(_ call: () async throws -> some Any) async -> StoreError? {
            do { _ = try await call(); return nil } catch { return error as? StoreError }
        }
        let unknown = await failure { try await f.db.revision(9, of: f.chapter, in: f.book, user: f.rea) }
        #expect(unknown == .notFound("no revision 9"))
        #expect(await failure { try await f.db.revisionTexts(from: 1, to: 9, of: f.chapter, in: f.book, user: f.rea) } == unknown)
        #expect(await failure { try await f.db.revisionTexts(from: 9, to: 1, of: f.chapter, in: f.book, user: f.rea) } == unknown)
        #expect(await failure { try await f.db.revisionTexts(from: 7, to: 9, of: f.chapter, in: f.book, user: f.rea) } == .notFound("no revision 7"))
        #expect(await failure { try await f.db.revisionTexts(from: 0, to: 1, of: f.chapter, in: f.book, user: f.rea) } == .notFound("no revision 0"))
        for (chapter, user) in [("nope", f.rea), (f.chapter, f.sam)] {
            let before = await failure { try await f.db.revision(1, of: chapter, in: f.book, user: user) }
            #expect(before != nil)
            #expect(await failure { try await f.db.revisionTexts(from: 1, to: 2, of: chapter, in: f.book, user: user) } == before)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func patchChecksTheWorkflow(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        #expect(try await f.db.updateChapter(f.chapter, .init(status: "done"), in: f.book, user: f.ann).status == "done")
        await #expect(throws: StoreError.self) { try await f.db.updateChapter(f.chapter, .init(status: "published"), in: f.book, user: f.ann) }
    }

    @Test(arguments: StoreKind.allCases)
    func longPollWakesOnTheNextCommit(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let last = try await f.db.changes(book: f.book, since: 0, limit: 100, user: f.ann).last
        async let page = f.db.changes(book: f.book, since: last, limit: 100, user: f.rea, wait: .seconds(60))
        // Saves only once the long-poll is parked, so it is the commit that wakes it.
        let parkedBy = ContinuousClock.now + .seconds(10)
        while f.db.changes.waiting(book: f.book) == 0 {
            try #require(ContinuousClock.now < parkedBy, "the long-poll never waited")
            try await Task.sleep(for: .milliseconds(10))
        }
        let start = ContinuousClock.now
        _ = try await f.save(Fixture.text(replacing: 0, with: "news\n"), base: 1)
        let woke = try await page
        // Woken by the commit, not by the 60 s timeout; a wide margin for a loaded CI machine.
        #expect(ContinuousClock.now - start < .seconds(45))
        #expect(woke.changes.map(\.type) == ["chapter.revised"])
        await #expect(throws: StoreError.historyReset(last: last + 1)) {
            try await f.db.changes(book: f.book, since: last + 50, limit: 10, user: f.ann)
        }
    }

    @Test func fileStoreKeepsEverythingAcrossReopening() async throws {
        let path = try StoreKind.temporaryPath("reopen")
        var book = ""
        do {
            let db = try AppDatabase.open(path: path)
            let user = try await db.addUser(name: "ann", password: "password-a")
            book = try await db.createBook(.init(title: "Kept"), user: user).id
        }
        let db = try AppDatabase.open(path: path)
        let (_, user) = try await db.login(name: "ann", password: "password-a")
        #expect(try await db.book(book, user: user).title == "Kept")
        let mode = try await db.writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func schemaEnforcesUniqueRevisionsAndForeignKeys() async throws {
        let f = try await Fixture(.memory)
        await #expect(throws: DatabaseError.self) {
            try await f.db.write { db, effects in
                try f.db.insertRevision(chapter: f.chapter, number: 1, parent: nil, author: "x", message: nil, merged: false, text: "", previous: nil, db, effects: &effects)
            }
        }
        await #expect(throws: DatabaseError.self) {
            try await f.db.write { db, effects in
                try f.db.insertRevision(chapter: "nope", number: 1, parent: nil, author: "x", message: nil, merged: false, text: "", previous: nil, db, effects: &effects)
            }
        }
    }
}

@Suite struct PresenceTests {
    /// A store with presence entries that live `lifetime`, a user and a chapter.
    static func store(lifetime: Duration) async throws -> (AppDatabase, User, book: String, chapter: String) {
        let db = try AppDatabase(DatabaseQueue(), presenceLifetime: lifetime)
        let ann = try await db.addUser(name: "ann", password: "password-a")
        let book = try await db.createBook(.init(title: "Here"), user: ann).id
        let chapter = try await db.createChapter(.init(title: "One"), in: book, user: ann).id
        return (db, ann, book, chapter)
    }

    @Test func renewingTheSameChapterIsNotNewsMovingOnIs() async throws {
        // A lifetime no test run outlasts: under a loaded machine, seconds pass between calls.
        let (db, ann, book, chapter) = try await Self.store(lifetime: .seconds(3600))
        let before = db.presence.present(in: book).version
        #expect(try await db.setPresence(chapter: chapter, in: book, user: ann).map(\.chapter) == [chapter])
        let opened = db.presence.present(in: book).version
        #expect(opened > before)
        _ = try await db.setPresence(chapter: chapter, in: book, user: ann)
        #expect(db.presence.present(in: book).version == opened)
        _ = try await db.setPresence(chapter: nil, in: book, user: ann)
        #expect(db.presence.present(in: book).version > opened)
        await #expect(throws: StoreError.self) { try await db.setPresence(chapter: "nope", in: book, user: ann) }
    }

    @Test func presenceNotRenewedIsGone() async throws {
        let (db, ann, book, chapter) = try await Self.store(lifetime: .milliseconds(300))
        _ = try await db.setPresence(chapter: chapter, in: book, user: ann)
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await db.present(in: book, user: ann).isEmpty)
    }
}
