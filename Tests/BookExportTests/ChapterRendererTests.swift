import BookModel
import Foundation
import Testing
import TestSupport

@testable import BookExport

/// A manuscript held in memory: chapter texts and files by path.
struct MemorySource: ManuscriptSource {
    var files: [String: Data]
    func text(ofChapterAt path: String) throws -> String {
        guard let data = self.files[path] else { throw CocoaError(.fileReadNoSuchFile) }
        return String(decoding: data, as: UTF8.self)
    }
    func data(at path: String) throws -> Data? { self.files[path] }
}

/// Renders chapters of a small in-memory book and checks the XHTML.
@Suite struct ChapterRendererTests {
    /// Renders `chapters` (path -> Markdown, in order) and returns each body and the problems.
    func render(_ chapters: [(String, String)], files: [String: Data] = [:]) throws -> (bodies: [String: String], problems: [BookProblem]) {
        var all = files
        for (path, text) in chapters { all[path] = Data(text.utf8) }
        let manuscript = Manuscript(
            metadata: BookMetadata(title: "T", identifier: "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
            contents: chapters.map { .chapter(ManuscriptChapter(path: $0.0, title: BookPath.stem(of: $0.0))) },
            source: MemorySource(files: all))
        let exporter = BookExporter(manuscript)
        let plan = exporter.plan()
        let links = PageLinks(page: { page, anchor in "\(plan.pages[page].key).xhtml" + (anchor.map { "#\($0)" } ?? "") },
                              image: { "../images/\($0.fileName)" })
        var bodies: [String: String] = [:]
        let problems = try exporter.renderPages(plan, links: links) { index, body in
            bodies[plan.chapter(of: index)?.path ?? ""] = body
        }
        return (bodies, problems)
    }

    /// Whether each fragment parses as XML (wrapped in one root element), by lxml's strict
    /// parser: one verdict per fragment, or an error (never a pass) when lxml cannot run.
    func wellFormed(_ fragments: [String]) throws -> [Bool] {
        let folder = try TemporaryFolder()
        let file = folder.path("fragments.json")
        try JSONEncoder().encode(fragments).write(to: file)
        let script = """
            import json, sys
            from lxml import etree
            result = []
            for fragment in json.load(open(sys.argv[1])):
                try:
                    etree.fromstring(("<root>" + fragment + "</root>").encode("utf-8"))
                    result.append(True)
                except etree.XMLSyntaxError:
                    result.append(False)
            print(json.dumps(result))
            """
        let output = try Python.run(script, [file.path])
        let verdicts = try JSONDecoder().decode([Bool].self, from: Data((output.split(separator: "\n").last ?? "").utf8))
        guard verdicts.count == fragments.count else { throw Python.Failed(status: 0, output: "\(verdicts.count) verdicts for \(fragments.count) fragments") }
        return verdicts
    }

    func isWellFormed(_ fragment: String) throws -> Bool {
        try self.wellFormed([fragment])[0]
    }

    @Test func headingIdsAreUniqueAcrossTheBookAndLinksFindThem() throws {
        let (bodies, problems) = try render([
            ("chapters/a.md", "## Setup\n\n## Setup\n\nSee [b](b.md#setup) and [second](#setup-1).\n"),
            ("chapters/b.md", "## Setup\n\n[Back](a.md#Setup) [top](../chapters/a.md)\n"),
        ])
        #expect(bodies["chapters/a.md"]!.contains("<h2 id=\"a-setup\">Setup</h2>"))
        #expect(bodies["chapters/a.md"]!.contains("<h2 id=\"a-setup-1\">Setup</h2>"))
        #expect(bodies["chapters/a.md"]!.contains("<a href=\"b.xhtml#b-setup\">b</a>"))
        #expect(bodies["chapters/a.md"]!.contains("<a href=\"a.xhtml#a-setup-1\">second</a>"))
        #expect(bodies["chapters/b.md"]!.contains("<a href=\"a.xhtml#a-setup\">Back</a>"))
        #expect(bodies["chapters/b.md"]!.contains("<a href=\"a.xhtml\">top</a>"))
        #expect(problems.isEmpty)
    }

    @Test func imagesAreSniffedNotTrustedByName() throws {
        let (bodies, problems) = try render(
            [("chapters/a.md", "![A](../images/pic.png) ![B](../images/pic.png) ![C](../images/real.gif)\n")],
            files: ["images/pic.png": SampleImages.jpeg, "images/real.gif": SampleImages.gif])
        #expect(bodies["chapters/a.md"]!.contains("<img src=\"../images/pic.jpg\" alt=\"A\"/> <img src=\"../images/pic.jpg\" alt=\"B\"/>"))
        #expect(bodies["chapters/a.md"]!.contains("<img src=\"../images/real.gif\" alt=\"C\"/>"))
        #expect(problems.isEmpty)
    }

    /// The exporter once took any file with `<svg` in its first 4 KiB for SVG; now it takes
    /// what the store takes, a document whose root element is `svg` (`ImageFormat`).
    @Test func aPageWithAnInlineSvgIsNoSvgImage() throws {
        let page = Data(text: "<!DOCTYPE html>\n<html><body>\(String(decoding: SampleImages.svg, as: UTF8.self))</body></html>\n")
        let (bodies, problems) = try render(
            [("chapters/a.md", "![Page](../images/page.svg) ![Real](../images/real.svg)\n")],
            files: ["images/page.svg": page, "images/real.svg": SampleImages.svg])
        #expect(problems.map(\.description) == ["chapters/a.md:1: error: image '../images/page.svg' is not PNG, JPEG, GIF, WebP or SVG; left out"])
        #expect(bodies["chapters/a.md"]!.contains("<img src=\"../images/real.svg\" alt=\"Real\"/>"))
        #expect(!bodies["chapters/a.md"]!.contains("page.svg\""))
    }

    @Test(.needs(.lxml)) func goodRawHTMLIsKeptAsXHTML() throws {
        let (bodies, problems) = try render([("chapters/a.md", """
            <div class="box">

            *Markdown* inside.

            </div>

            A<br>B <span lang="fr">bonjour</span>&nbsp;&copy; <img src="../images/x.png" alt="X" width="10">

            <table><tr><td colspan="2">cell</td></tr></table>

            """)], files: ["images/x.png": SampleImages.png])
        let body = bodies["chapters/a.md"]!
        #expect(body.contains("<div class=\"box\">\n<p><em>Markdown</em> inside.</p></div>"))
        #expect(body.contains("A<br/>B <span lang=\"fr\">bonjour</span>\u{A0}\u{A9} <img src=\"../images/x.png\" alt=\"X\" width=\"10\"/>"))
        #expect(body.contains("<table><tr><td colspan=\"2\">cell</td></tr></table>"))
        #expect(problems.isEmpty, "\(problems)")
        #expect(try self.isWellFormed(body))
    }

    @Test(.needs(.lxml)) func brokenRawHTMLIsRepairedOrDroppedWithALine() throws {
        let (bodies, problems) = try render([("chapters/a.md", "Intro.\n\n<div><p>open\n\nText </em> and <script>x()</script>\n")])
        #expect(try self.isWellFormed(bodies["chapters/a.md"]!))
        #expect(!bodies["chapters/a.md"]!.contains("script"))
        #expect(!bodies["chapters/a.md"]!.contains("x()"), "script content must not leak as text")
        let lines = problems.map(\.description)
        #expect(lines.contains("chapters/a.md:5: warning: raw HTML </em> closes nothing open; dropped"))
        #expect(lines.contains("chapters/a.md:5: warning: raw HTML <script> dropped with its content (not allowed in a book)"))
        #expect(lines.contains("chapters/a.md:3: warning: raw HTML <p> cannot hold the Markdown that follows; closed before it"))
    }

    /// Random soup of tags, entities, Markdown and junk always renders to well-formed XML.
    @Test(.needs(.lxml)) func anyInputRendersWellFormed() throws {
        let pieces = [
            "<div>", "</div>", "<p>", "</p>", "<span class='a'>", "</span>", "<b>", "</i>", "<ul>", "<li>", "</ul>",
            "<table>", "<tr>", "<td>", "</table>", "<br>", "<img src=x.png>", "<a href='#q'>", "</a>", "<script>",
            "&amp;", "&nbsp;", "&bogus;", "&#0;", "\u{1}", "<!-- c", "-->", "<", ">", "\"", "'", "*em*", "**",
            "`code`", "[l](b.md)", "![i](x.png)", "\n", "\n\n", "# H", "- item", "> quote", "| a | b |\n|---|---|\n",
            "[^1]", "\n\n[^1]: note\n", "<h2 id='x'>", "<font>", "<center>", "<svg><circle/></svg>", "<p/>",
            "<div", "attr=\"", "<?php ?>", "<![CDATA[x]]>", "text ", "é ", "\u{FFFE}", "\t",
        ]
        // The oracle itself rejects what it must.
        #expect(try !self.isWellFormed("<a>"))
        #expect(try !self.isWellFormed("&nbsp;"))
        #expect(try !self.isWellFormed("\u{1}"))
        var generator = TestSeed.generator()
        var inputs: [String] = []
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 1...40, using: &generator) { text += pieces.randomElement(using: &generator)! }
            inputs.append(text)
        }
        let outputs = try inputs.map { try render([("chapters/a.md", $0)]).bodies["chapters/a.md"] ?? "" }
        let verdicts = try self.wellFormed(outputs)
        #expect(verdicts.count == 400, "checked \(verdicts.count) of 400 outputs")
        for (index, ok) in verdicts.enumerated() where !ok {
            Issue.record("input \(inputs[index].debugDescription) gave \(outputs[index])")
            break
        }
    }

    @Test(.needs(.lxml)) func footnotesTaskListsAndTablesRender() throws {
        let (bodies, _) = try render([("chapters/a.md", """
            Claim[^a] and again[^a], other[^b].

            - [x] done
            - [ ] open

            | A | B |
            |---|--:|
            | 1 | 2 |

            [^b]: Second *note*.
            [^a]: First note.

            """)])
        let body = bodies["chapters/a.md"]!
        #expect(body.contains("<sup class=\"footnote-ref\"><a href=\"a.xhtml#a--fn1\" id=\"a--ref1\">1</a></sup> and again<sup class=\"footnote-ref\"><a href=\"a.xhtml#a--fn1\">1</a></sup>"))
        #expect(body.contains("<li id=\"a--fn1\"><p>First note.</p>"))
        #expect(body.contains("<li id=\"a--fn2\"><p>Second <em>note</em>.</p>"))
        #expect(body.contains("<li class=\"task\"><span class=\"check\">\u{2611}</span> done</li>"))
        #expect(body.contains("<th>A</th><th style=\"text-align: right\">B</th>"))
        #expect(try self.isWellFormed(body))
    }

    @Test func slugsAndFileNamesAreSafe() {
        #expect(Slug.make("Über uns: the Team!") == "uber-uns-the-team")
        #expect(Slug.make("  a -- b ") == "a-b")
        #expect(Slug.make("שלום") == "")
        var names = UniqueNames()
        #expect([names.claim("a"), names.claim("a"), names.claim("a")] == ["a", "a-1", "a-2"])
    }
}
