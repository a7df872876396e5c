@testable import BookStore
import Foundation
import Testing

/// The book view's word counts and open conflicts: counted once per head revision.
@Suite struct WordCountStoreTests {
    @Test(arguments: StoreKind.allCases)
    func bookViewCountsWordsOncePerRevision(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let second = try await f.db.createChapter(.init(title: "Two", text: "Three more words.\n"), in: f.book, user: f.ann).id
        let view = try await f.db.book(f.book, user: f.rea)
        #expect(view.chapters[f.chapter]?.words == 40)  // "line N" twenty times
        #expect(view.chapters[second]?.words == 3)
        #expect(view.words == 43)
        let counted = f.db.wordCounts.countedTexts.load(ordering: .relaxed)
        #expect(counted == 2)

        // Views of unchanged heads count nothing.
        for _ in 0..<3 { _ = try await f.db.book(f.book, user: f.ann) }
        #expect(f.db.wordCounts.countedTexts.load(ordering: .relaxed) == counted)

        // A save is counted by the next view, once, and only its chapter.
        _ = try await f.save(Fixture.text(replacing: 0, with: "a longer first line\n"), base: 1)
        let after = try await f.db.book(f.book, user: f.rea)
        #expect(after.chapters[f.chapter]?.words == 42 && after.words == 45)
        _ = try await f.db.book(f.book, user: f.rea)
        #expect(f.db.wordCounts.countedTexts.load(ordering: .relaxed) == counted + 1)
    }

    @Test(arguments: StoreKind.allCases)
    func bookViewCountsOpenConflicts(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        #expect(try await f.db.book(f.book, user: f.rea).chapters[f.chapter]?.conflicts == 0)
        _ = try await f.save(Fixture.text(replacing: 3, with: "ann's\n"), base: 1)
        let conflict = try await f.save(Fixture.text(replacing: 3, with: "fran's\n"), base: 1, by: f.fran)
        guard case .conflict(let record) = conflict else {
            Issue.record("expected a conflict, got \(conflict)")
            return
        }
        #expect(try await f.db.book(f.book, user: f.rea).chapters[f.chapter]?.conflicts == 1)
        _ = try await f.db.dismissConflict(record.conflict, of: f.chapter, in: f.book, user: f.ann)
        #expect(try await f.db.book(f.book, user: f.rea).chapters[f.chapter]?.conflicts == 0)
    }
}
