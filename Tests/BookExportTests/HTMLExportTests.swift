import BookModel
import Foundation
import Testing
import TestSupport

@testable import BookExport

/// The one-file HTML and the site: well-formed (parsed as XML by lxml), every internal
/// link and image resolves, contents in book order.
@Suite struct HTMLExportTests {
    @Test(.needs(.lxml)) func singleFileIsSelfContainedAndEveryLinkResolves() throws {
        let folder = try TemporaryFolder()
        let book = try NastyBook.load(into: folder)
        let out = folder.path("html")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let report = try BookExporter(book.manuscript).write(.html, to: out.appendingPathComponent("book.html"))
        #expect(report.pages == 10)
        let html = try String(contentsOf: out.appendingPathComponent("book.html"), encoding: .utf8)
        #expect(html.contains("<style>"))
        #expect(html.contains("src=\"data:image/svg+xml;base64,"))
        #expect(html.contains("src=\"data:image/jpeg;base64,"))
        #expect(!html.contains("<link rel=\"stylesheet\""))
        #expect(html.contains("dir=\"rtl\""))
        #expect(html.contains("<meta name=\"viewport\""))
        let result = try LinkChecker.check("html", out)
        #expect(result.broken == [])
        #expect(result.toc == ["#intro", "#part-1", "#uber-uns", "#part-2", "#part-3", "#deep-chapter", "#empty", "#part-4", "#raw", "#links"])
        #expect(result.labels.allSatisfy { !$0.isEmpty })
    }

    @Test(.needs(.lxml)) func siteHasAPagePerChapterWithNextAndPrevious() throws {
        let folder = try TemporaryFolder()
        let book = try NastyBook.load(into: folder)
        let site = folder.path("site")
        try BookExporter(book.manuscript).write(.site, to: site)
        let names = try FileManager.default.contentsOfDirectory(atPath: site.path).sorted()
        #expect(names == ["deep-chapter.html", "empty.html", "images", "index.html", "intro.html", "links.html",
                          "part-1.html", "part-2.html", "part-3.html", "part-4.html", "raw.html", "style.css", "uber-uns.html"])
        let raw = try String(contentsOf: site.appendingPathComponent("raw.html"), encoding: .utf8)
        #expect(raw.contains("<a href=\"part-4.html\" rel=\"prev\">"))
        #expect(raw.contains("<a href=\"links.html\" rel=\"next\">"))
        let result = try LinkChecker.check("html", site)
        #expect(result.broken == [])
        #expect(result.toc.first == "intro.html")
    }
}
