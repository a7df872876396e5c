@testable import BookStore
import Foundation
import GRDB
import Testing
import TextMerge

/// Revisions stored as deltas against the revision before: every text reads back exactly,
/// from a fresh process (no cache) too, and the history takes a fraction of whole texts.
@Suite struct RevisionStorageTests {
    /// A deterministic generator, so that a failure can be replayed from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let words = ["sprint", "book", "chapter", "élan", "日本", "\t", "", "the", "a", "line"]

    /// `lines` with a few lines replaced, inserted or deleted at random places; sometimes
    /// the last newline goes or comes back, sometimes everything changes.
    static func edit(_ lines: [String], _ rng: inout SplitMix) -> [String] {
        if Int.random(in: 0..<40, using: &rng) == 0 { return (0..<Int.random(in: 0...30, using: &rng)).map { "new \($0)\n" } }
        var lines = lines
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = Int.random(in: 0...lines.count, using: &rng)
            let line = (0..<Int.random(in: 0...6, using: &rng)).map { _ in Self.words.randomElement(using: &rng)! }.joined(separator: " ") + "\n"
            switch Int.random(in: 0..<3, using: &rng) {
            case 0 where at < lines.count: lines[at] = line
            case 1 where at < lines.count: lines.remove(at: at)
            default: lines.insert(line, at: at)
            }
        }
        if let last = lines.indices.last, Int.random(in: 0..<10, using: &rng) == 0 {
            lines[last] = lines[last].hasSuffix("\n") ? String(lines[last].dropLast()) : lines[last] + "\n"
        }
        return lines
    }

    @Test func deltasRoundTripBetweenRandomTexts() throws {
        var rng = SplitMix(state: 7)
        var lines = (0..<300).map { "line \($0) of the chapter\n" }
        for round in 0..<2000 {
            let oldText = lines.joined(), old = Array(oldText.utf8)
            lines = Self.edit(lines, &rng)
            let newText = lines.joined(), new = Array(newText.utf8)
            let delta = TextDelta.encode(from: oldText, to: newText)
            #expect(try TextDelta.apply(delta, to: old) == new, "round \(round)")
            var covered = 0
            for range in changedRanges(from: old, to: new) {
                #expect(range.old.lowerBound >= covered && range.old.upperBound <= old.count)
                covered = range.old.upperBound
            }
        }
    }

    @Test func aSmallEditOfALongTextIsASmallDelta() {
        let old = (0..<2000).map { "line \($0) of a chapter long enough to look like prose\n" }
        var new = old
        new[1234] = "an edited line\n"
        new[10] = "another one\n"
        let delta = TextDelta.encode(from: old.joined(), to: new.joined())
        #expect(delta.count < 100)
    }

    @Test func aDamagedDeltaIsRefused() {
        let old = Array("one\ntwo\nthree\n".utf8)
        let delta = TextDelta.encode(from: "one\ntwo\nthree\n", to: "one\n2\nthree\n")
        #expect(throws: TextDelta.Corrupt.self) { try TextDelta.apply(delta, to: Array("one\n".utf8)) }
        #expect(throws: TextDelta.Corrupt.self) { try TextDelta.apply(Array(delta.dropLast(2)), to: old) }
        #expect(throws: TextDelta.Corrupt.self) { try TextDelta.apply([2] + delta.dropFirst(), to: old) }
    }

    @Test func everyRevisionReadsBackAfterARestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-revisions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("store.sqlite").path
        var rng = SplitMix(state: 42)
        var lines = (0..<400).map { "line \($0) of a chapter long enough to look like prose\n" }
        var texts = [lines.joined()]
        let (book, chapter): (String, String)
        do {
            let db = try AppDatabase.open(path: path)
            let ann = try await db.addUser(name: "ann", password: "password-a")
            book = try await db.createBook(.init(title: "History"), user: ann).id
            chapter = try await db.createChapter(.init(title: "Long", text: texts[0]), in: book, user: ann).id
            while texts.count < 300 {
                lines = Self.edit(lines, &rng)
                let text = lines.joined()
                guard case .created(let revision, _, _, _) = try await db.save(Save(base: texts.count, text: text), chapter: chapter, in: book, user: ann)
                else { continue }  // an edit that changed nothing
                #expect(revision == texts.count + 1)
                texts.append(text)
            }
        }
        let db = try AppDatabase.open(path: path)
        let (_, ann) = try await db.login(name: "ann", password: "password-a")
        for (index, text) in texts.enumerated().reversed() {
            #expect(try await db.revision(index + 1, of: chapter, in: book, user: ann).text == text, "revision \(index + 1)")
        }
        let (whole, deltas, stored) = try await db.writer.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT count(text), count(delta), sum(coalesce(length(CAST(text AS BLOB)), 0) + coalesce(length(delta), 0))
                FROM revision WHERE chapterId = ?
                """, arguments: [chapter])!
            return (row[0] as Int, row[1] as Int, row[2] as Int)
        }
        // Runs of at most 50 deltas: at least 6 whole texts in 300 revisions.
        #expect(whole >= 6 && deltas > 200)
        // A few edits per revision (and now and then a rewrite): about an eighth of whole texts.
        #expect(stored < texts.map(\.utf8.count).reduce(0, +) / 5)
    }

    @Test func aRolledBackRevisionIsNotRemembered() async throws {
        let f = try await Fixture(.file)
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await f.db.write { db, effects in
                try f.db.insertRevision(
                    chapter: f.chapter, number: 2, parent: 1, author: "ann", message: nil, merged: false, text: "gone\n",
                    previous: Fixture.lines.joined(), db, effects: &effects)
                #expect(try f.db.revisionText(2, of: f.chapter, db) == "gone\n")
                throw Abort()
            }
        }
        #expect(try await f.db.writer.read { try f.db.revisionText(2, of: f.chapter, $0) } == nil)
        guard case .created(2, false, _, _) = try await f.save("kept\n", base: 1) else { Issue.record("the save did not commit"); return }
        #expect(try await f.db.revision(2, of: f.chapter, in: f.book, user: f.ann).text == "kept\n")
    }

    @Test func wholeTextsFromBeforeDeltasStayReadable() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-v2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("store.sqlite").path
        do {
            let pool = try DatabasePool(path: path)
            try AppDatabase.migrator.migrate(pool, upTo: "v2-chapter-file")
            try await pool.write { db in
                try db.execute(sql: """
                    INSERT INTO user (name, passwordHash, createdAt) VALUES ('ann', 'x', '2026-01-01');
                    INSERT INTO book (id, metadata, workflow, toc, tocVersion, createdAt) VALUES ('b1', '{}', '["draft"]', '[]', 1, '2026-01-01');
                    INSERT INTO member VALUES ('b1', 1, 'author');
                    INSERT INTO chapter (id, bookId, title, status, head, createdAt) VALUES ('c1', 'b1', 'Old', 'draft', 2, '2026-01-01');
                    INSERT INTO revision VALUES ('c1', 1, NULL, 'ann', '2026-01-01', NULL, 0, 'first\n');
                    INSERT INTO revision VALUES ('c1', 2, 1, 'ann', '2026-01-02', NULL, 0, 'second\n');
                    """)
            }
        }
        let db = try AppDatabase.open(path: path)
        let ann = User(id: 1, name: "ann", isAdmin: false)
        #expect(try await db.revision(1, of: "c1", in: "b1", user: ann).text == "first\n")
        guard case .created(3, false, _, _) = try await db.save(Save(base: 2, text: "second\nthird\n"), chapter: "c1", in: "b1", user: ann) else {
            Issue.record("the save did not commit"); return
        }
        #expect(try await db.revision(2, of: "c1", in: "b1", user: ann).text == "second\n")
        #expect(try await db.revision(3, of: "c1", in: "b1", user: ann).text == "second\nthird\n")
    }
}
