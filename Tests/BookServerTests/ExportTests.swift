import BookExport
import BookModel
import BookServer
import BookStore
import Foundation
import Synchronization
import Testing
import TestSupport
import ZIPFoundation

/// `/export.epub`, `/export.html` and `/export.zip` of a real server on loopback: the sample
/// handbook and a book written through the API pass EPUBCheck 5 with nothing to report; the
/// zip is a book folder that loads as the same book and imports into a fresh store as it
/// was; readers may export and strangers do not learn that the book exists.
@Suite struct ExportTests {
    static let handbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Books/booksprint-handbook")

    @Test(.needs(.epubcheck))
    func handbookExportPassesEPUBCheck() async throws {
        try await withLiveServer { live in
            let book = try await live.importHandbook()
            let reply = try await live.rea.call(.GET, "/api/v1/books/\(book)/export.epub")
            #expect(reply.status == 200, "\(reply.text.prefix(500))")
            #expect(reply.headers["Content-Type"].first == "application/epub+zip")
            #expect(reply.headers["Content-Disposition"].first == "attachment; filename=\"the-booksprint-handbook.epub\"")
            let complaints = try EPUBCheck.complaints(about: reply.body)
            #expect(complaints == [], "\(complaints.joined(separator: "\n"))")
            // Every link between chapters and every figure found its target through the
            // store, as it does from the folder.
            let epub = try Archive(data: reply.body, accessMode: .read)
            let text = try epub.filter { $0.path.hasSuffix(".xhtml") }.map { try epub.text(of: $0) }.joined()
            #expect(text.contains("../images/three-way-merge.svg"))
            let rea = try #require(try await live.database.users().first { $0.name == "rea" })
            let stored = try await live.database.loadBook(book, user: rea).book
            #expect(try BookExporter(stored.manuscript).epubData().1.problems == [])
        }
    }

    @Test(.needs(.epubcheck))
    func bookWrittenThroughTheAPIPassesEPUBCheck() async throws {
        try await withLiveServer { live in
            try await live.writeSmallBook()
            let reply = try await live.rea.call(.GET, "\(live.path)/export.epub")
            #expect(reply.status == 200)
            #expect(reply.headers["Content-Disposition"].first == "attachment; filename=\"live-a-b.epub\"")
            let complaints = try EPUBCheck.complaints(about: reply.body)
            #expect(complaints == [], "\(complaints.joined(separator: "\n"))")
            let epub = try Archive(data: reply.body, accessMode: .read)
            let pages = try epub.filter { $0.path.hasSuffix(".xhtml") }.map { try epub.text(of: $0) }.joined()
            #expect(pages.contains("<img src=\"../images/figure.png\" alt=\"A figure\""))
            #expect(pages.contains("Written together by ann, fran."))
            let link = try #require(pages.range(of: "href=\"[^\"]*#[^\"]*later\"", options: .regularExpression), "link to the later chapter")
            #expect(!pages[link].contains(".md"))
        }
    }

    /// An mdBook tree keeps its folders in the chapters' names, so links between chapters
    /// (`guide/getting%20started.md`, `../README.md`) and pictures (`/Images/x.png`,
    /// `../Images/x.png`) still resolve when the store exports it.
    @Test(.needs(.epubcheck))
    func importedMdBookTreeExportsWithItsLinksAndPictures() async throws {
        let png = try #require(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg=="))
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("mdbook-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tree) }
        let files: [String: Data] = [
            "book.toml": Data("[book]\ntitle = \"Tree\"\n".utf8),
            "src/SUMMARY.md": Data("""
                # Summary

                [Introduction](README.md)

                - [Getting started](guide/getting%20started.md)
                  - [Nested](guide/nested.md)
                - [Reference](reference/README.md)

                """.utf8),
            "src/README.md": Data("# Introduction\n\nStart with the [guide](guide/getting%20started.md).\n".utf8),
            "src/guide/getting started.md": Data("# Getting started\n\n![Diagram](/Images/diagram.png)\n\nSee [details](nested.md#details).\n".utf8),
            "src/guide/nested.md": Data("# Nested\n\n## Details\n\nBack to the [introduction](../README.md).\n".utf8),
            "src/reference/README.md": Data("# Reference\n\n![Logo](../Images/logo.png)\n".utf8),
            "src/Images/diagram.png": png,
            "src/Images/logo.png": png,
        ]
        for (path, data) in files {
            let file = tree.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file)
        }
        try await withLiveServer { live in
            let fran = try #require(try await live.database.users().first { $0.name == "fran" })
            let folder = try loadBook(at: tree)
            #expect(folder.problems == [])
            let book = try await live.database.importBook(folder, owner: fran)
            let stored = try await live.database.loadBook(book, user: fran).book
            #expect(stored.manuscript.chaptersInOrder.map(\.path) == [
                "chapters/README.md", "chapters/guide/getting started.md", "chapters/guide/nested.md", "chapters/reference/README.md",
            ])
            #expect(try BookExporter(stored.manuscript).epubData().1.problems == [])
            let reply = try await live.fran.call(.GET, "/api/v1/books/\(book)/export.epub")
            #expect(reply.status == 200)
            let complaints = try EPUBCheck.complaints(about: reply.body)
            #expect(complaints == [], "\(complaints.joined(separator: "\n"))")
        }
    }

    @Test func htmlExportIsOneSelfContainedFile() async throws {
        try await withLiveServer { live in
            try await live.writeSmallBook()
            let reply = try await live.rea.call(.GET, "\(live.path)/export.html")
            #expect(reply.status == 200)
            #expect(reply.headers["Content-Type"].first == "text/html; charset=utf-8")
            #expect(reply.headers["Content-Disposition"].first == "attachment; filename=\"live-a-b.html\"")
            #expect(reply.text.hasPrefix("<!DOCTYPE html>"))
            #expect(reply.text.contains("src=\"data:image/png;base64,"))
            #expect(reply.text.contains("Second steps"))
            #expect(!reply.text.contains("images/figure.png"))
        }
    }

    @Test func zipLoadsAsTheSameBook() async throws {
        try await withLiveServer { live in
            try await live.writeSmallBook()
            let reply = try await live.rea.call(.GET, "\(live.path)/export.zip")
            #expect(reply.status == 200)
            #expect(reply.headers["Content-Type"].first == "application/zip")
            #expect(reply.headers["Content-Disposition"].first == "attachment; filename=\"live-a-b.zip\"")
            let folder = try unzipped(reply.body)
            defer { try? FileManager.default.removeItem(at: folder) }
            let loaded = try BookFolder.load(from: folder.appendingPathComponent("live-a-b"))
            #expect(loaded.problems == [])
            let fran = try #require(try await live.database.users().first { $0.name == "fran" })
            try expectSameBook(loaded, try await live.database.loadBook(live.book, user: fran).book)
        }
    }

    /// Titles and texts that a book folder can only carry with care: a title that cannot be
    /// a `# ` line, a text that starts with its own heading, leading blank lines, no final
    /// newline, quotes and YAML look-alikes, right-to-left and emoji, an empty chapter.
    @Test func awkwardTitlesAndTextsSurviveTheZip() async throws {
        try await withLiveServer { live in
            let chapters: [(title: String, text: String)] = [
                ("yes", "# Its own heading\n\nBody.\n"),
                ("Title ending in #", "\n\n\nStarts after blank lines"),
                ("\"Quoted\": a title", "Line with trailing spaces   \nand a tab\there\n"),
                ("null", ""),
                ("שלום 👋", "مرحبا\n\n- [ ] task\n"),
                ("1.0", "---\nnot: front matter\n---\n"),
            ]
            for chapter in chapters { _ = try await live.createChapter(chapter.text, title: chapter.title) }
            let reply = try await live.rea.call(.GET, "\(live.path)/export.zip")
            #expect(reply.status == 200)
            let folder = try unzipped(reply.body)
            defer { try? FileManager.default.removeItem(at: folder) }
            let loaded = try BookFolder.load(from: folder.appendingPathComponent("live"))
            #expect(loaded.problems.filter { $0.severity == .error } == [])
            let rea = try #require(try await live.database.users().first { $0.name == "rea" })
            let stored = try await live.database.loadBook(live.book, user: rea).book
            #expect(stored.manuscript.chaptersInOrder.map(\.title) == chapters.map(\.title))
            try expectSameBook(loaded, stored)
        }
    }

    @Test func zipImportedIntoAFreshStoreExportsIdentically() async throws {
        let first = try await replyOfLiveServer { live in
            let book = try await live.importHandbook()
            return try await live.fran.call(.GET, "/api/v1/books/\(book)/export.zip")
        }
        #expect(first.status == 200)
        let folder = try unzipped(first.body)
        defer { try? FileManager.default.removeItem(at: folder) }
        let reimported = try BookFolder.load(from: folder.appendingPathComponent("the-booksprint-handbook"))
        #expect(reimported.problems == [])
        try expectSameBook(reimported, try BookFolder.load(from: Self.handbook))
        let second = try await replyOfLiveServer { live in
            let fran = try #require(try await live.database.users().first { $0.name == "fran" })
            let book = try await live.database.importBook(reimported, owner: fran)
            return try await live.fran.call(.GET, "/api/v1/books/\(book)/export.zip")
        }
        #expect(second.status == 200)
        #expect(first.body == second.body)
    }

    /// An export's date is the book's last change, so the same state of the book gives the
    /// same bytes and one ETag; a change gives new ones.
    @Test func sameStateExportsSameBytesAndRevalidates() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("Text.\n", title: "Only")
            for format in ["epub", "html", "zip"] {
                let path = "\(live.path)/export.\(format)"
                let first = try await live.rea.call(.GET, path)
                try await Task.sleep(for: .milliseconds(1100))
                let second = try await live.rea.call(.GET, path)
                #expect(first.status == 200 && second.status == 200)
                #expect(first.body == second.body, "\(format)")
                let eTag = try #require(first.headers["ETag"].first)
                #expect(second.headers["ETag"].first == eTag)
                let cached = try await live.rea.call(.GET, path, headers: [("If-None-Match", eTag)])
                #expect(cached.status == 304 && cached.body.isEmpty)
            }
            let before = try await live.rea.call(.GET, "\(live.path)/export.epub")
            let save = try await live.ann.call(.POST, "\(live.path)/chapters/\(chapter)/revisions", json: ["base": 1, "text": "Other text.\n"])
            try #require(save.status == 201)
            let after = try await live.rea.call(.GET, "\(live.path)/export.epub", headers: [("If-None-Match", before.headers["ETag"].first ?? "")])
            #expect(after.status == 200)
            #expect(after.headers["ETag"].first != before.headers["ETag"].first)
            #expect(after.body != before.body)
        }
    }

    @Test func readersExportStrangersGet404() async throws {
        try await withLiveServer { live in
            _ = try await live.createChapter("Text.\n", title: "Only")
            for format in ["epub", "html", "zip"] {
                let path = "\(live.path)/export.\(format)"
                #expect(try await live.rea.call(.GET, path).status == 200)
                let stranger = try await live.sam.call(.GET, path)
                #expect(stranger.status == 404)
                #expect(stranger.headers["Content-Type"].first == "application/problem+json")
                #expect(try await live.anonymous.call(.GET, path).status == 401)
                #expect(try await live.rea.call(.GET, "/api/v1/books/bnosuchbook/export.\(format)").status == 404)
            }
        }
    }

    @Test func contributorsAreCountedByRevisionsMostFirst() async throws {
        try await withLiveServer { live in
            try await live.writeSmallBook()
            let rea = try #require(try await live.database.users().first { $0.name == "rea" })
            let book = try await live.database.loadBook(live.book, user: rea).book
            #expect(book.manuscript.contributors == ["ann", "fran"])
            // Named after their titles when created, kept unique; the part went first.
            #expect(book.manuscript.chaptersInOrder.map(\.path) == ["chapters/second-steps.md", "chapters/second-steps-2.md", "chapters/first-steps.md"])
            #expect(book.manuscript.chaptersInOrder.map(\.status) == [nil, nil, "done"])
        }
    }
}

// MARK: Helpers

extension LiveBook {
    /// The sample handbook imported into this server's store with fran as its facilitator,
    /// rea as a reader.
    func importHandbook() async throws -> String {
        let fran = try #require(try await self.database.users().first { $0.name == "fran" })
        let book = try await self.database.importBook(try BookFolder.load(from: ExportTests.handbook), owner: fran)
        let member = try await self.fran.call(.PUT, "/api/v1/books/\(book)/members/rea", json: ["role": "reader"])
        try #require(member.status == 200)
        return book
    }

    /// A book made the way co-authors make one: metadata, a part, three chapters (two with
    /// the same title), a link between chapters, a figure, statuses, saves by two people.
    func writeSmallBook() async throws {
        let patch = try await self.fran.call(
            .PATCH, self.path,
            json: ["title": "Live: a/b", "subtitle": "Sub", "license": "CC BY 4.0", "authors": [], "description": "Made live."])
        try #require(patch.status == 200, "\(patch.text)")
        let png = try #require(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg=="))
        let asset = try await self.ann.call(.PUT, "\(self.path)/assets/figure.png", body: Array(png), headers: [("Content-Type", "image/png")])
        try #require(asset.status == 201, "\(asset.text)")
        let first = try await self.createChapter(
            "Start with ![A figure](../images/figure.png).\n\nThen read [the later part](second-steps.md#later).\n", title: "First steps")
        let part = try await self.fran.call(.POST, "\(self.path)/toc/ops", json: ["baseVersion": 0, "ops": [["op": "addPart", "title": "Part one"]]])
        try #require(part.status == 200, "\(part.text)")
        let partID = try #require((part["added"] as? [String])?.first)
        let second = try await self.ann.call(
            .POST, "\(self.path)/chapters", json: ["title": "Second steps", "text": "Intro.\n\n## Later\n\nÜmlauts — and no final newline", "parent": partID])
        try #require(second.status == 201)
        let third = try await self.fran.call(.POST, "\(self.path)/chapters", json: ["title": "Second steps", "text": "", "parent": partID])
        try #require(third.status == 201)
        let save = try await self.ann.call(
            .POST, "\(self.path)/chapters/\(first)/revisions",
            json: ["base": 1, "text": "Start with ![A figure](../images/figure.png).\n\nThen read [the later part](second-steps.md#later).\n\nMore.\n"])
        try #require(save.status == 201, "\(save.text)")
        let status = try await self.ann.call(.PATCH, "\(self.path)/chapters/\(first)", json: ["status": "done"])
        try #require(status.status == 200)
    }
}

extension Archive {
    func text(of entry: Entry) throws -> String {
        var data = Data()
        _ = try self.extract(entry) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }
}

/// What `body` got from a live server that is gone by the time it is looked at.
func replyOfLiveServer(_ body: @escaping @Sendable (LiveBook) async throws -> Reply) async throws -> Reply {
    final class Slot: Sendable { let reply = Mutex<Reply?>(nil) }
    let slot = Slot()
    try await withLiveServer { live in
        let got = try await body(live)
        slot.reply.withLock { $0 = got }
    }
    return try #require(slot.reply.withLock { $0 })
}

/// `zip` unpacked into a new temporary folder.
func unzipped(_ zip: Data) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-zip-\(UUID().uuidString)")
    let file = folder.appendingPathExtension("zip")
    try zip.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    try FileManager.default.unzipItem(at: file, to: folder)
    return folder
}

/// The book folder rules' "same book": metadata, titles, order, parts, statuses, texts byte
/// for byte, and images.
func expectSameBook(_ a: LoadedBook, _ b: LoadedBook, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(a.manuscript.metadata == b.manuscript.metadata, sourceLocation: sourceLocation)
    #expect(a.manuscript.contents == b.manuscript.contents, sourceLocation: sourceLocation)
    for chapter in a.manuscript.chaptersInOrder {
        #expect(
            try a.manuscript.source.text(ofChapterAt: chapter.path) == (try b.manuscript.source.text(ofChapterAt: chapter.path)),
            "\(chapter.path)", sourceLocation: sourceLocation)
    }
    #expect(a.images == b.images, sourceLocation: sourceLocation)
    for image in a.images {
        #expect(try a.manuscript.source.data(at: image) == (try b.manuscript.source.data(at: image)), "\(image)", sourceLocation: sourceLocation)
    }
}
