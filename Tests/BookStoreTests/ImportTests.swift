import BookModel
@testable import BookStore
import Foundation
import Testing

/// Chapter texts and images held in memory, for writing a book folder to import.
struct MemorySource: ManuscriptSource {
    var files: [String: Data]
    func text(ofChapterAt path: String) throws -> String { String(decoding: self.files[path] ?? Data(), as: UTF8.self) }
    func data(at path: String) throws -> Data? { self.files[path] }
}

@Suite struct ImportTests {
    /// A book folder written by BookFolder and read back by `loadBook` lands in the store
    /// with its metadata, parts, chapter texts byte for byte, statuses and images.
    @Test(arguments: StoreKind.allCases)
    func importedBookFolderKeepsItsStructureAndTexts(kind: StoreKind) async throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 16))
        let texts = ["chapters/intro.md": "# Intro\n\nCafé, naïve — ﬁ.\n", "chapters/body.md": "# Body\n\n![A chart](../images/chart.png)\n"]
        let manuscript = Manuscript(
            metadata: BookMetadata(title: "Imported", language: "fr", authors: ["Ann"], identifier: "urn:uuid:1"),
            contents: [
                .chapter(ManuscriptChapter(path: "chapters/intro.md", title: "Intro", status: "done")),
                .part(title: "Part One", children: [.chapter(ManuscriptChapter(path: "chapters/body.md", title: "Body"))]),
            ],
            source: MemorySource(files: texts.mapValues { Data($0.utf8) }.merging(["images/chart.png": png]) { a, _ in a }))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-import-\(UUID().uuidString)")
        try BookFolder.write(manuscript, images: ["images/chart.png"], to: folder)
        let loaded = try loadBook(at: folder)

        let db = try kind.open()
        let owner = try await db.addUser(name: "fran", password: "password-f")
        let id = try await db.importBook(loaded, owner: owner)
        let book = try await db.book(id, user: owner)
        #expect(book.title == "Imported" && book.language == "fr" && book.authors == ["Ann"] && book.role == .facilitator)
        #expect(book.toc.nodes.map(\.kind) == [.chapter, .part])
        #expect(book.toc.nodes[1].title == "Part One" && book.toc.nodes[1].children.map(\.title) == ["Body"])
        let chapters = book.toc.chapterIDsInOrder
        let intro = try await db.chapter(chapters[0], in: id, user: owner)
        #expect(intro.text == texts["chapters/intro.md"] && intro.status == "done" && intro.revision == 1)
        #expect(try await db.chapter(chapters[1], in: id, user: owner).text == texts["chapters/body.md"])
        let asset = try await db.asset("chart.png", of: id, user: owner)
        #expect(asset.data == png && asset.info.contentType == "image/png")
    }
}
