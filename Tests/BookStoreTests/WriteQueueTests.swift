@testable import BookStore
import Foundation
import GRDB
import Testing

/// Group commit: writes waiting for the writer share one transaction, each in a savepoint.
@Suite struct WriteQueueTests {
    /// Every save that waits while the writer is busy runs in the next transaction, and
    /// each is answered only once that transaction committed.
    @Test(arguments: StoreKind.allCases) func savesQueuedBehindTheWriterCommitInOneTransaction(_ kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        var created: [String] = []
        for i in 0..<40 {
            created.append(try await f.db.createChapter(.init(title: "c\(i)", text: "one\n"), in: f.book, user: f.ann).id)
        }
        let chapters = created
        let gate = await WriterGate(f.db)
        let before = f.db.writes.transactions
        let saves = Task {
            try await withThrowingTaskGroup(of: SaveOutcome.self) { group in
                for chapter in chapters {
                    group.addTask { try await f.db.save(Save(base: 1, text: "one\n\(chapter)\n"), chapter: chapter, in: f.book, user: f.ann) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await gate.untilWaiting(chapters.count, in: f.db)
        try await gate.release()
        let outcomes = try await saves.value
        #expect(f.db.writes.transactions - before == 1)
        #expect(outcomes.count == chapters.count)
        #expect(outcomes.allSatisfy { if case .created(2, false, _, _) = $0 { true } else { false } })
        for chapter in chapters {
            #expect(try await f.db.revision(2, of: chapter, in: f.book, user: f.ann).text == "one\n\(chapter)\n")
        }
        let log = try await f.db.changes(book: f.book, since: 0, limit: 1000, user: f.ann).changes.map(\.seq)
        #expect(log == Array(1...log.count))
    }

    /// A write that fails inside a batch rolls back alone: its revision, its change-log
    /// entry and its cached text are gone, and the writes around it commit.
    @Test(arguments: StoreKind.allCases) func aFailingWriteRollsBackAloneInItsBatch(_ kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        struct Abort: Error {}
        let (chapter, book, ann) = (f.chapter, f.book, f.ann)
        // The two writes below queue up behind the held writer and share the next transaction.
        let gate = await WriterGate(f.db)
        let before = f.db.writes.transactions
        let failing = Task {
            try await f.db.write { db, effects in
                try f.db.insertRevision(
                    chapter: chapter, number: 2, parent: 1, author: ann.name, message: nil, merged: false, text: "gone\n",
                    previous: Fixture.lines.joined(), db, effects: &effects)
                _ = try AppDatabase.appendChange(
                    Change(seq: 0, type: "chapter.revised", chapter: chapter, revision: 2, author: ann.name), book: book, db, effects: &effects)
                throw Abort()
            }
        }
        try await gate.untilWaiting(1, in: f.db)
        let created = Task { try await f.db.createChapter(.init(title: "Two", text: "two\n"), in: book, user: ann) }
        try await gate.untilWaiting(2, in: f.db)
        try await gate.release()
        await #expect(throws: Abort.self) { try await failing.value }
        let other = try await created.value
        #expect(f.db.writes.transactions - before == 1)
        #expect(try await f.db.writer.read { try f.db.revisionText(2, of: chapter, $0) } == nil)
        #expect(f.db.texts.text(of: chapter, revision: 2) == nil)
        #expect(try await f.db.revision(1, of: other.id, in: book, user: ann).text == "two\n")
        guard case .created(2, false, _, let seq) = try await f.save("kept\n", base: 1) else { Issue.record("the save did not commit"); return }
        #expect(try await f.db.revision(2, of: chapter, in: book, user: ann).text == "kept\n")
        let log = try await f.db.changes(book: book, since: 0, limit: 1000, user: ann).changes.map(\.seq)
        #expect(log == Array(1...seq))
    }
}

/// The WAL is checkpointed off the writer: the database file itself grows only when a
/// checkpoint copies pages into it, and the writer's own automatic checkpoint is off.
@Suite struct WALCheckpointTests {
    @Test func theWALIsCheckpointedSoonAfterCommits() async throws {
        let path = try StoreKind.temporaryPath("wal")
        let db = try AppDatabase.open(path: path)
        #expect(try await db.writer.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 0)
        func fileSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        let before = fileSize()
        let ann = try await db.addUser(name: "ann", password: "password-a")
        let book = try await db.createBook(.init(title: "Big"), user: ann).id
        // 20 chapters of 40 KB of distinct text: about 800 KB of new pages.
        for i in 0..<20 {
            let text = (0..<1000).map { "chapter \(i) line \($0) of a long enough text\n" }.joined()
            _ = try await db.createChapter(.init(title: "c\(i)", text: text), in: book, user: ann)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while fileSize() < before + 500_000, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(fileSize() >= before + 500_000)
    }

    /// Under writes without a pause the WAL still starts over (here with a bound of 64
    /// frames instead of 65,536). Each start-over bumps the checkpoint sequence number in the
    /// WAL file's header (bytes 12-15, big-endian); without the writer's checkpoint it stays
    /// put, and the WAL file grows larger than what was written.
    @Test func theWALStartsOverUnderSustainedWrites() async throws {
        let path = try StoreKind.temporaryPath("wal")
        let db = try AppDatabase.open(path: path, walRestartFrames: 64)
        let ann = try await db.addUser(name: "ann", password: "password-a")
        let book = try await db.createBook(.init(title: "Busy"), user: ann).id
        func walSequence() -> UInt32? {
            guard let header = FileManager.default.contents(atPath: path + "-wal")?.prefix(16), header.count == 16 else { return nil }
            return header.suffix(4).reduce(0) { $0 << 8 | UInt32($1) }
        }
        let before = try #require(walSequence())
        let text = (0..<1000).map { "line \($0) of a chapter written again and again\n" }.joined()
        // A volume, not a time: a loaded machine writes slowly, and must still write enough.
        let deadline = ContinuousClock.now + .seconds(120)
        let written = try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var (i, bytes) = (0, 0)
                    while bytes < 5_000_000, ContinuousClock.now < deadline {
                        _ = try await db.createChapter(.init(title: "w\(writer)-\(i)", text: "\(writer) \(i)\n" + text), in: book, user: ann)
                        bytes += text.utf8.count
                        i += 1
                    }
                    return bytes
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(written >= 2_000_000)
        #expect(try #require(walSequence()) >= before + 2)
    }
}
