import BookModel
@testable import BookStore
import Foundation
import Testing

/// `AppDatabase.loadBook`: the store's book as the exporter and the book folder writer read
/// it, on both kinds of store.
@Suite struct ManuscriptTests {
    static let handbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Books/booksprint-handbook")

    @Test(arguments: StoreKind.allCases)
    func textsAreTheHeadsWhenLoaded(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let book = try await f.db.loadBook(f.book, user: f.rea).book
        _ = try await f.save(Fixture.text(replacing: 0, with: "changed\n"), base: 1)
        let path = try #require(book.manuscript.chaptersInOrder.first?.path)
        #expect(try book.manuscript.source.text(ofChapterAt: path) == Fixture.lines.joined())
        let later = try await f.db.loadBook(f.book, user: f.rea).book
        #expect(try later.manuscript.source.text(ofChapterAt: path) == Fixture.text(replacing: 0, with: "changed\n"))
        #expect(throws: (any Error).self) { try book.manuscript.source.text(ofChapterAt: "chapters/nothing.md") }
    }

    @Test(arguments: StoreKind.allCases)
    func chaptersKeepTheirFileNameWhenRenamed(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        _ = try await f.db.updateChapter(f.chapter, .init(title: "Uno"), in: f.book, user: f.ann)
        _ = try await f.db.createChapter(.init(title: "ONE"), in: f.book, user: f.ann)
        _ = try await f.db.createChapter(.init(title: "Ünïcode only: ✓"), in: f.book, user: f.ann)
        _ = try await f.db.createChapter(.init(title: "✓"), in: f.book, user: f.ann)
        let book = try await f.db.loadBook(f.book, user: f.rea).book
        #expect(book.manuscript.chaptersInOrder.map(\.path) == [
            "chapters/one.md", "chapters/one-2.md", "chapters/unicode-only.md", "chapters/chapter.md",
        ])
        #expect(book.manuscript.chaptersInOrder.map(\.title) == ["Uno", "ONE", "Ünïcode only: ✓", "✓"])
    }

    @Test(arguments: StoreKind.allCases)
    func deletedChaptersAndChaptersOutsideTheContentsAreLeftOut(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let gone = try await f.db.createChapter(.init(title: "Gone"), in: f.book, user: f.ann).id
        _ = try await f.db.createChapter(.init(title: "Loose"), in: f.book, user: f.ann)
        _ = try await f.db.deleteChapter(gone, in: f.book, user: f.fran)
        let toc = try await f.db.toc(of: f.book, user: f.fran)
        let loose = try #require(toc.nodes.last { $0.title == "Loose" })
        _ = try await f.db.applyTOC([.remove(node: loose.id)], baseVersion: toc.version, to: f.book, user: f.fran)
        let book = try await f.db.loadBook(f.book, user: f.rea).book
        #expect(book.manuscript.chaptersInOrder.map(\.title) == ["One"])
        // Revisions of chapters no longer in the book do not make a contributor.
        #expect(book.manuscript.contributors == ["ann"])
    }

    @Test(arguments: StoreKind.allCases)
    func assetsAreImagesByName(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg==")!
        _ = try await f.db.putAsset("x.png", contentType: "image/png", data: png, of: f.book, user: f.ann)
        let book = try await f.db.loadBook(f.book, user: f.rea).book
        #expect(book.images == ["images/x.png"])
        let source = book.manuscript.source
        #expect(try source.data(at: "images/x.png") == png)
        #expect(try source.data(at: "images/./x.png") == png)
        #expect(try source.data(at: "images/y.png") == nil)
        // Imported trees name their pictures where their folders had them.
        #expect(try source.data(at: "../Images/x.png") == nil)
        #expect(try source.data(at: "Images/x.png") == png)
        #expect(try source.data(at: "images/x%2Epng") == png)
        #expect(try source.data(at: "images/../images/../../x.png") == nil)
        #expect(try source.data(at: "chapters/one.md") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func onlyMembersMayLoad(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        await #expect(throws: StoreError.notFound("no book \(f.book)")) { try await f.db.loadBook(f.book, user: f.sam).book }
        await #expect(throws: StoreError.notFound("no book bnothing")) { try await f.db.loadBook("bnothing", user: f.fran).book }
    }

    @Test(arguments: StoreKind.allCases)
    func importedBookLoadsAsItWasRead(kind: StoreKind) async throws {
        let f = try await Fixture(kind)
        let folder = try BookFolder.load(from: Self.handbook)
        let id = try await f.db.importBook(folder, owner: f.ann)
        let stored = try await f.db.loadBook(id, user: f.ann).book
        #expect(stored.manuscript.metadata == folder.manuscript.metadata)
        #expect(stored.manuscript.contents == folder.manuscript.contents)
        #expect(stored.images == folder.images)
        for chapter in folder.manuscript.chaptersInOrder {
            #expect(try stored.manuscript.source.text(ofChapterAt: chapter.path) == (try folder.manuscript.source.text(ofChapterAt: chapter.path)))
        }
        #expect(stored.manuscript.contributors == ["ann"])
    }
}
