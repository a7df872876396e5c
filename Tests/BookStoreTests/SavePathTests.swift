@testable import BookStore
import Foundation
import Testing

@Suite struct SavePathTests {
    @Test(arguments: StoreKind.allCases)
    func saveFromHeadCreatesTheNextRevision(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let text = Fixture.text(replacing: 0, with: "first\n")
        guard case .created(let revision, let merged, let saved, _) = try await f.save(text, base: 1) else {
            Issue.record("expected a new revision")
            return
        }
        #expect(revision == 2 && !merged && saved == text)
        #expect(try await f.db.chapter(f.chapter, in: f.book, user: f.rea).text == text)
    }

    @Test(arguments: StoreKind.allCases)
    func staleSaveMergesCleanly(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        _ = try await f.save(Fixture.text(replacing: 0, with: "top\n"), base: 1)
        let outcome = try await f.save(Fixture.text(replacing: 9, with: "bottom\n"), base: 1, by: f.fran)
        var expected = Fixture.lines
        expected[0] = "top\n"
        expected[9] = "bottom\n"
        #expect(outcome == .created(revision: 3, merged: true, text: expected.joined(), seq: 4))
        let history = try await f.db.revisions(of: f.chapter, in: f.book, limit: 10, before: nil, user: f.rea)
        #expect(history.revisions.map(\.revision) == [3, 2, 1])
        #expect(history.revisions[0].parents == [2, 1])
    }

    @Test(arguments: StoreKind.allCases)
    func savingTheHeadsTextCreatesNothing(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        #expect(try await f.save(Fixture.lines.joined(), base: 1) == .unchanged(revision: 1, text: Fixture.lines.joined()))
        #expect(try await f.db.changes(book: f.book, since: 0, limit: 100, user: f.ann).last == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func conflictKeepsTheAuthorsTextAndResolvingClosesIt(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        _ = try await f.save(Fixture.text(replacing: 4, with: "mine\n"), base: 1, by: f.fran)
        let theirs = Fixture.text(replacing: 4, with: "yours\n")
        guard case .conflict(let conflict) = try await f.save(theirs, base: 1) else {
            Issue.record("expected a conflict")
            return
        }
        #expect(conflict.head == 2 && conflict.base == 1)
        #expect(conflict.hunks.count == 1)
        #expect(conflict.hunks.first?.oursStart == 5)
        #expect(conflict.textWithMarkers.contains("<<<<<<< r2\nmine\n=======\nyours\n>>>>>>> yours\n"))
        let stored = try await f.db.conflict(conflict.conflict, of: f.chapter, in: f.book, user: f.rea)
        #expect(stored.text == theirs && stored.state == .open && stored.author == "ann")
        #expect(try await f.db.chapter(f.chapter, in: f.book, user: f.ann).conflicts == [conflict.conflict])
        #expect(try await f.db.chapter(f.chapter, in: f.book, user: f.ann).revision == 2)

        let resolved = Fixture.text(replacing: 4, with: "ours\n")
        await #expect(throws: StoreError.invalid("resolves names nope, which is not a conflict of this chapter")) {
            try await f.save(resolved, base: 2, resolves: ["nope"])
        }
        guard case .created(3, false, _, _) = try await f.save(resolved, base: 2, resolves: [conflict.conflict]) else {
            Issue.record("expected revision 3")
            return
        }
        #expect(try await f.db.conflict(conflict.conflict, of: f.chapter, in: f.book, user: f.ann).state == .resolved)
        #expect(try await f.db.chapter(f.chapter, in: f.book, user: f.ann).conflicts.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func dismissedConflictStaysOnRecord(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        _ = try await f.save(Fixture.text(replacing: 4, with: "mine\n"), base: 1, by: f.fran)
        guard case .conflict(let c) = try await f.save(Fixture.text(replacing: 4, with: "yours\n"), base: 1) else {
            Issue.record("expected a conflict")
            return
        }
        #expect(try await f.db.dismissConflict(c.conflict, of: f.chapter, in: f.book, user: f.ann).state == .dismissed)
        #expect(try await f.db.conflict(c.conflict, of: f.chapter, in: f.book, user: f.rea).text.contains("yours"))
    }

    @Test(arguments: StoreKind.allCases)
    func badBasesAndRolesAreRefused(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        await #expect(throws: StoreError.baseRequired) { try await f.save("x", base: nil) }
        await #expect(throws: StoreError.unknownBase(7)) { try await f.save("x", base: 7) }
        await #expect(throws: StoreError.unknownBase(0)) { try await f.save("x", base: 0) }
        await #expect(throws: StoreError.self) { try await f.save("x", base: 1, by: f.rea) }
        await #expect(throws: StoreError.notFound("no book \(f.book)")) { try await f.save("x", base: 1, by: f.sam) }
        await #expect(throws: StoreError.notFound("no book \(f.book)")) { try await f.db.book(f.book, user: f.sam) }
        await #expect(throws: StoreError.notFound("no chapter nope")) {
            try await f.db.save(Save(base: 1, text: "x"), chapter: "nope", in: f.book, user: f.ann)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func idempotencyKeyReplaysAndRefusesADifferentRequest(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let text = Fixture.text(replacing: 2, with: "once\n")
        let first = try await f.save(text, base: 1, key: "k1")
        let again = try await f.save(text, base: 1, key: "k1")
        #expect(first == again)
        #expect(try await f.db.chapter(f.chapter, in: f.book, user: f.ann).revision == 2)
        await #expect(throws: StoreError.idempotencyKeyReused) { try await f.save("other", base: 1, key: "k1") }
        // Keys are per user: another user's same key is a new request.
        guard case .created(3, _, _, _) = try await f.save(Fixture.text(replacing: 3, with: "fran\n"), base: 2, by: f.fran, key: "k1") else {
            Issue.record("expected revision 3")
            return
        }
    }

    /// 8 writers x 25 saves, each owning one line (with an untouched line between two
    /// owners), each adopting only its own answers, so most saves come from stale bases:
    /// every acknowledged edit ends in the text, no conflict, revisions 1...201 without a gap.
    @Test(arguments: StoreKind.allCases)
    func concurrentWritersOnDifferentLinesAllLand(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let mergedSaves = try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var base = 1
                    var lines = Fixture.lines
                    var merges = 0
                    for round in 0..<25 {
                        lines[2 * writer] = "writer \(writer) round \(round)\n"
                        switch try await f.save(lines.joined(), base: base) {
                        case .created(let revision, let merged, let adopted, _):
                            base = revision
                            lines = adopted.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 + "\n" }
                            if merged { merges += 1 }
                        case .unchanged(let revision, _): base = revision
                        case .conflict(let c): Issue.record("false conflict: \(c.hunks)")
                        }
                    }
                    return merges
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mergedSaves > 0)
        let head = try await f.db.chapter(f.chapter, in: f.book, user: f.ann)
        #expect(head.revision == 201)
        for writer in 0..<8 { #expect(head.text.contains("writer \(writer) round 24\n")) }
        let history = try await f.db.revisions(of: f.chapter, in: f.book, limit: 1000, before: nil, user: f.ann)
        #expect(history.revisions.map(\.revision) == Array((1...201).reversed()))
        let feed = try await f.db.changes(book: f.book, since: 0, limit: 1000, user: f.ann)
        #expect(feed.changes.map(\.seq) == Array(1...feed.last))
        #expect(feed.changes.filter { $0.type == "chapter.revised" }.map(\.revision) == (2...201).map { $0 })
    }
}
