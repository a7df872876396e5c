import BookModel
import Foundation
import Testing
import TestSupport

@testable import BookExport

/// EPUBs that EPUBCheck 5 passes with 0 fatal, 0 errors, 0 warnings, opened again by a
/// second reader. Serialized: each EPUBCheck run is a Java process on shared cores.
@Suite(.serialized) struct EPUBExportTests {
    static let fixedDate = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(.needs(.epubcheck)) func nastyBookPassesEPUBCheck() throws {
        let folder = try TemporaryFolder()
        let book = try NastyBook.load(into: folder)
        let epub = folder.path("nasty.epub")
        let report = try BookExporter(book.manuscript, options: ExportOptions(date: Self.fixedDate)).write(.epub, to: epub)
        #expect(try EPUBCheck.complaints(about: epub) == [])
        #expect(report.pages == 10)
        #expect(report.images == 6)
    }

    @Test func nastyBookProblemsNameChapterAndLine() throws {
        let folder = try TemporaryFolder()
        let book = try NastyBook.load(into: folder)
        let report = try BookExporter(book.manuscript).write(.epub, to: folder.path("nasty.epub"))
        let lines = Set(report.problems.map(\.description))
        let expected = [
            "chapters/raw.md:26: warning: raw HTML <script> dropped with its content (not allowed in a book)",
            "chapters/raw.md:20: warning: raw HTML <div> cannot stand inside a paragraph or heading; tag dropped",
            "chapters/raw.md:24: warning: raw HTML </span> closes nothing open; dropped",
            "chapters/raw.md:34: warning: raw HTML <iframe> dropped with its content (not allowed in a book)",
            "chapters/intro.md:23: warning: image '../images/logo.png' has no alt text; readers who cannot see it get nothing",
            "chapters/intro.md:23: warning: remote image 'https://example.com/x.png' is not fetched on export; put a copy in images/",
            "chapters/intro.md:24: error: image '../images/gone.png' not found",
            "chapters/intro.md:24: error: image '../images/fake.png' is not PNG, JPEG, GIF, WebP or SVG; left out",
            "chapters/intro.md:28: error: link to missing file 'nope.md'",
            "chapters/intro.md:28: warning: link to 'links.md#nope': no heading or anchor 'nope' there; it points at the chapter instead",
        ]
        for line in expected {
            #expect(lines.contains(line), "missing problem: \(line)\nall: \(lines.sorted().joined(separator: "\n"))")
        }
    }

    @Test(.needs(.lxml)) func secondReaderSeesSpineAndNavInBookOrder() throws {
        let folder = try TemporaryFolder()
        let book = try NastyBook.load(into: folder)
        let epub = folder.path("nasty.epub")
        try BookExporter(book.manuscript).write(.epub, to: epub)
        let result = try LinkChecker.check("epub", epub)
        let pages = ["intro", "part-1", "uber-uns", "part-2", "part-3", "deep-chapter", "empty", "part-4", "raw", "links"]
        #expect(result.stored)
        #expect(result.spine == ["text/cover.xhtml", "nav.xhtml"] + pages.map { "text/\($0).xhtml" } + ["text/colophon.xhtml"])
        #expect(result.toc == pages.map { "text/\($0).xhtml" })
        #expect(result.labels == ["Introduction", "Part One & More", "Über uns", "Deeper", "Deepest", "Deep chapter",
                                  "Empty chapter", "חלק שני", "Raw HTML", "Links"])
        #expect(result.broken == [])
    }

    @Test func sameBookAndTimeGiveTheSameBytes() throws {
        let folder = try TemporaryFolder()
        let book = try NastyBook.load(into: folder)
        let options = ExportOptions(date: Self.fixedDate)
        try BookExporter(book.manuscript, options: options).write(.epub, to: folder.path("a.epub"))
        try BookExporter(book.manuscript, options: options).write(.epub, to: folder.path("b.epub"))
        let (data, _) = try BookExporter(book.manuscript, options: options).epubData()
        let a = try Data(contentsOf: folder.path("a.epub"))
        #expect(a == (try Data(contentsOf: folder.path("b.epub"))))
        #expect(a == data)
    }

    @Test(.needs(.lxml)) func packageDocumentCarriesMetadataAndAccessibility() throws {
        let folder = try TemporaryFolder()
        let book = try NastyBook.load(into: folder)
        let epub = folder.path("nasty.epub")
        try BookExporter(book.manuscript, options: ExportOptions(date: Self.fixedDate)).write(.epub, to: epub)
        let script = """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            sys.stdout.write(z.read("EPUB/package.opf").decode())
            """
        let opf = try Python.run(script, [epub.path])
        for fragment in [
            "<dc:identifier id=\"book-id\">urn:uuid:6f1c9d3e-2b7a-4c1e-9a55-0d2f6e8b7c41</dc:identifier>",
            "<dc:language>he</dc:language>", "<dc:creator id=\"creator-2\">Grace O'Example</dc:creator>",
            "<dc:rights>CC BY-SA 4.0</dc:rights>", "<meta property=\"dcterms:modified\">2026-09-21T",
            "property=\"schema:accessMode\">visual", "property=\"schema:accessibilityHazard\">none",
            "property=\"schema:accessibilitySummary\">", "properties=\"cover-image\"",
            "page-progression-direction=\"rtl\"", "media-type=\"image/jpeg\"", "href=\"images/diagram-one.svg\"",
        ] {
            #expect(opf.contains(fragment), "package document lacks \(fragment)")
        }
        #expect(opf.components(separatedBy: "dcterms:modified").count == 2)
    }
}

extension EPUBExportTests {
    @Test(.needs(.epubcheck, .lxml)) func mdBookTreePassesEPUBCheck() throws {
        let folder = try TemporaryFolder()
        let book = try MdBookTree.load(into: folder)
        let epub = folder.path("mdbook.epub")
        let report = try BookExporter(book.manuscript).write(.epub, to: epub)
        #expect(try EPUBCheck.complaints(about: epub) == [])
        #expect(report.images == 2)
        let result = try LinkChecker.check("epub", epub)
        #expect(result.broken == [])
        #expect(result.labels.allSatisfy { !$0.isEmpty })
        #expect(result.toc.count >= 6)
    }
}

extension EPUBExportTests {
    @Test(.needs(.epubcheck, .lxml)) func handbookPassesEPUBCheckWithoutProblems() throws {
        let folder = try TemporaryFolder()
        let book = try loadBook(at: Oracle.repoRoot.appendingPathComponent("Books/booksprint-handbook"))
        let epub = folder.path("handbook.epub")
        let report = try BookExporter(book.manuscript).write(.epub, to: epub)
        #expect(report.problems.map(\.description) == [])
        #expect(report.pages >= 10)
        #expect(try EPUBCheck.complaints(about: epub) == [])
        let result = try LinkChecker.check("epub", epub)
        #expect(result.broken == [])
        #expect(result.spine.first == "text/cover.xhtml")
    }
}

extension EPUBExportTests {
    /// No chapters, no title, no language, no identifier, a part with no title, a chapter
    /// whose file is gone: still a valid EPUB, with each gap reported.
    @Test(.needs(.epubcheck)) func emptyAndUntitledBookIsStillValid() throws {
        let folder = try TemporaryFolder()
        let manuscript = Manuscript(
            metadata: BookMetadata(title: " ", language: "", identifier: ""),
            contents: [.part(title: "", children: [.chapter(ManuscriptChapter(path: "chapters/gone.md", title: ""))])],
            source: MemorySource(files: [:]))
        let epub = folder.path("empty.epub")
        let report = try BookExporter(manuscript).write(.epub, to: epub)
        #expect(report.problems.map(\.description).sorted() == [
            "book.yaml: warning: part 1 has no title; called \"Part 1\"",
            "book.yaml: warning: no identifier; exported as urn:uuid:92749713-5cda-8e78-8afe-c2b6eba0ddc1, derived from the title and authors",
            "chapters/gone.md: error: chapter file not found; exported with its title only",
            "chapters/gone.md: warning: chapter has no title; using its file name",
        ].sorted())
        #expect(try EPUBCheck.complaints(about: epub) == [])
        let nothing = Manuscript(metadata: BookMetadata(title: "Nothing", identifier: "urn:uuid:0"), contents: [], source: MemorySource(files: [:]))
        let empty = folder.path("nothing.epub")
        let nothingReport = try BookExporter(nothing).write(.epub, to: empty)
        #expect(nothingReport.problems.map(\.description) == [
            "book.yaml: warning: identifier 'urn:uuid:0' is not a valid urn:uuid; exported as urn:uuid:45d64032-9bc8-8d4b-a0e9-94fa51b81476"
        ])
        #expect(try EPUBCheck.complaints(about: empty) == [])
    }
}
