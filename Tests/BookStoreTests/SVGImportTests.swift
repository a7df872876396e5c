import BookModel
@testable import BookStore
import Foundation
import Testing

/// A book folder holding the hostile SVGs of `Tests/HostileSVG`, imported into a real
/// store: the images land cleaned, the refused ones not at all, and the loader says which.
@Suite struct SVGImportTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HostileSVG")

    /// The patterns of the corpus's `forbidden.txt` that `svg` matches.
    static func forbiddenPatterns(in svg: String) throws -> [String] {
        try String(contentsOf: self.corpus.appendingPathComponent("forbidden.txt"), encoding: .utf8).split(separator: "\n")
            .filter { try NSRegularExpression(pattern: String($0), options: .caseInsensitive).firstMatch(in: svg, range: NSRange(svg.startIndex..., in: svg)) != nil }
            .map(String.init)
    }

    @Test(arguments: StoreKind.allCases)
    func importedSVGsAreCleanedOrLeftOut(kind: StoreKind) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-svg-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.corpus, to: folder.appendingPathComponent("images"))
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".svg") }.sorted()
        try Data("title: Hostile\nidentifier: urn:uuid:9\ntoc:\n  - chapter: chapters/a.md\n".utf8).write(to: folder.appendingPathComponent("book.yaml"))
        let chapter = "# A\n\n" + names.map { "![\($0)](../images/\($0))\n" }.joined()
        try Data(chapter.utf8).write(to: folder.appendingPathComponent("chapters/a.md"))

        let loaded = try loadBook(at: folder)
        for name in names {
            let said = loaded.problems.filter { $0.file == "images/\(name)" }
            if name.hasPrefix("refused-") {
                #expect(said.map(\.severity) == [.error] && said[0].message.hasPrefix("SVG refused: "), "\(name): \(said)")
            } else {
                #expect(said.map(\.severity) == [.warning] && said[0].message.hasPrefix("SVG cleaned, dropped: "), "\(name): \(said)")
            }
        }

        let db = try kind.open()
        let owner = try await db.addUser(name: "fran", password: "password-f")
        let id = try await db.importBook(loaded, owner: owner)
        let stored = try await db.assets(of: id, user: owner).map(\.name)
        #expect(stored == names.filter { $0.hasPrefix("clean-") })
        for name in stored {
            let asset = try await db.asset(name, of: id, user: owner)
            let text = String(decoding: asset.data, as: UTF8.self)
            #expect(try Self.forbiddenPatterns(in: text) == [], "\(name): \(text)")
            #expect(text.contains("id=\"keep\"") && asset.info.contentType == "image/svg+xml", "\(name)")
        }
    }

    /// The store cleans what any source hands it, not only a folder's.
    @Test func importCleansSVGsFromAnySource() async throws {
        let hostile = try Data(contentsOf: Self.corpus.appendingPathComponent("clean-script.svg"))
        let manuscript = Manuscript(
            metadata: BookMetadata(title: "Memory", language: "en", authors: [], identifier: "urn:uuid:8"),
            contents: [.chapter(ManuscriptChapter(path: "a.md", title: "A"))],
            source: MemorySource(files: ["a.md": Data("Text.\n".utf8), "images/s.svg": hostile]))
        let db = try AppDatabase.inMemory()
        let owner = try await db.addUser(name: "fran", password: "password-f")
        let id = try await db.importBook(LoadedBook(manuscript: manuscript, problems: [], images: ["images/s.svg"]), owner: owner)
        let text = String(decoding: try await db.asset("s.svg", of: id, user: owner).data, as: UTF8.self)
        #expect(try Self.forbiddenPatterns(in: text) == [] && text.contains("id=\"keep\""), "\(text)")
    }
}
