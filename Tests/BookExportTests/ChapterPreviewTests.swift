import BookModel
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import BookExport

/// The web app's preview: the exporter's pipeline with source lines, app links and asset
/// URLs, and nothing active whatever the chapter holds.
@Suite struct ChapterPreviewTests {
    let preview = ChapterPreview(
        book: "B1",
        chapters: [
            .init(id: "c1", file: "intro", title: "Intro"), .init(id: "c2", file: "other", title: "Other"),
        ],
        assets: ["fig.png", "cover.svg"])

    @Test func topLevelBlocksCarryTheirSourceLines() {
        let text = "## Head\n\nPara one\ncontinues\n\n- a\n- b\n\n```\ncode\n```\n\n> quoted\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        let (html, problems) = self.preview.render(text, chapter: "c1")
        #expect(problems.isEmpty)
        #expect(html.contains("<h2 data-line=\"1-1\" id=\"intro-head\">"))
        #expect(html.contains("<p data-line=\"3-4\">Para one\ncontinues</p>"))
        #expect(html.contains("<ul data-line=\"6-7\"><li>a</li>"))
        #expect(html.contains("<pre data-line=\"9-11\"><code>code\n</code></pre>"))
        #expect(html.contains("<blockquote data-line=\"13-13\"><p>quoted</p>"))
        #expect(html.contains("<hr data-line=\"15-15\"/>"))
        #expect(html.contains("<table data-line=\"17-19\">"))
        // Only top-level blocks: the quote's paragraph and the list items have none.
        #expect(html.components(separatedBy: "data-line=").count - 1 == 7)
    }

    @Test func linksToChaptersPointAtTheAppsChapterPages() {
        let text = """
            [a](other.md) [b](other.md#Some%20Place) [c](../chapters/other.md) [d](chapters/other.md#x)
            [here](#sec) [self](intro.md#sec) [web](https://example.com/a?b=1) [mail](mailto:a@example.com) [gone](missing.md)

            ## Sec
            """
        let (html, problems) = self.preview.render(text, chapter: "c1")
        #expect(html.contains("<a href=\"/books/B1/chapters/c2\">a</a>"))
        #expect(html.contains("<a href=\"/books/B1/chapters/c2#Some%20Place\">b</a>"))
        #expect(html.contains("<a href=\"/books/B1/chapters/c2\">c</a>"))
        #expect(html.contains("<a href=\"/books/B1/chapters/c2#x\">d</a>"))
        #expect(html.contains("<a href=\"#intro-sec\">here</a>"))
        #expect(html.contains("<a href=\"#intro-sec\">self</a>"))
        #expect(html.contains("<a href=\"https://example.com/a?b=1\">web</a>"))
        #expect(html.contains("<a href=\"mailto:a@example.com\">mail</a>"))
        #expect(html.contains(" gone"))
        #expect(problems.map(\.line) == [2] && problems.first?.message.contains("missing.md") == true)
    }

    @Test func imagesPointAtTheBooksAssets() {
        let text = "![A figure](images/fig.png)\n\n![B](../images/fig.png \"T\")\n\n<img src=\"images/cover.svg\" alt=\"C\" width=\"3\">\n\n![Lost](images/missing.png)\n"
        let (html, problems) = self.preview.render(text)
        #expect(html.contains("<img src=\"/api/v1/books/B1/assets/fig.png\" data-asset=\"fig.png\" alt=\"A figure\"/>"))
        #expect(html.contains("<img src=\"/api/v1/books/B1/assets/fig.png\" data-asset=\"fig.png\" alt=\"B\" title=\"T\"/>"))
        #expect(html.contains("<img data-line=\"5-5\" src=\"/api/v1/books/B1/assets/cover.svg\" data-asset=\"cover.svg\" alt=\"C\" width=\"3\"/>"))
        #expect(html.contains("<span class=\"missing-image\">Lost</span>"))
        #expect(problems.count == 1 && problems[0].line == 7 && problems[0].severity == .error)
    }

    /// Everything a chapter could try, to run script in the app's page.
    static let hostile = """
        <script>alert(1)</script>

        <img src="x" onerror="alert(1)">

        [click](javascript:alert(1)) [c2](jav&#x61;script:alert(2)) [c3](javascript&colon;alert(3)) [c4](JAVASCRIPT:alert(4))

        <a href="vbscript:msgbox(1)">vb</a> <a href="JaVa&#09;script:alert(5)">tab</a> <a href=" &#x01;javascript:alert(6)">ctl</a>

        <a href="java&#10;script:alert(7)">nl</a> <a href="&#x6A;avascript&#x3A;alert(8)">hex</a> <a href="javascript&#58alert(9)">dec</a>

        [d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) <a href="data:text/html,<script>alert(1)</script>">d2</a>

        <a href="file:///etc/passwd">f</a> <a href="  DATA:text/html,x">d3</a>

        <iframe src="https://evil.example/"></iframe>

        <svg onload="alert(1)"><circle r="1"/></svg>

        <p style="background:url(javascript:alert(1))" onclick="alert(1)" onmouseover=alert(1)>styled</p>

        <style>body { display: none }</style>

        <object data="x.swf"></object><embed src="x.swf"><form action="https://evil.example/"><input name="q"></form>

        <base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)"><link rel="stylesheet" href="x.css">

        ![img](javascript:alert(1)) <img src="data:image/svg+xml,<svg onload=alert(1)>" alt="x"> <img src="javascript:alert(1)" alt="y">

        <div><math><mtext><a href="javascript:alert(1)">m</a></mtext></math></div>

        <noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>

        <a href="other.md#ok" onclick="alert(1)">kept</a> <details open ontoggle="alert(1)"><summary>s</summary>d</details>
        """

    @Test func aHostileChapterProducesNothingActive() throws {
        let (html, problems) = self.preview.render(Self.hostile, chapter: "c1")
        let found = try Self.elements(of: html)
        let allowed = HTMLElementRules.flow.union(HTMLElementRules.phrasing)
        for (name, attributes) in found {
            #expect(allowed.contains(name), "element <\(name)>")
            for (attribute, value) in attributes {
                #expect(!attribute.lowercased().hasPrefix("on") && attribute.lowercased() != "style", "<\(name) \(attribute)>")
                if ["href", "src", "action", "formaction", "data", "xlink:href"].contains(attribute) {
                    let read = value.unicodeScalars.filter { $0.value > 0x20 }.map(String.init).joined().lowercased()
                    #expect(read.hasPrefix("/") || read.hasPrefix("#") || read.hasPrefix("https:") || read.hasPrefix("http:") || read.hasPrefix("mailto:"),
                            "<\(name) \(attribute)=\"\(value)\">")
                }
            }
        }
        let lower = html.lowercased()
        for banned in ["<script", "<iframe", "<svg", "<style", "<object", "<embed", "<form", "<base", "<meta", "<link", "<math", "<input", "javascript:", "vbscript:", "data:"] {
            #expect(!lower.contains(banned), "\(banned) in the preview")
        }
        // The links' texts stay, as text; each dropped link is named with its line.
        for text in ["click", "c2", "c3", "c4", "vb", "tab", "ctl", "nl", "hex", "dec", "d2", "d3", ">f<", "styled"] {
            #expect(html.contains(text), "\(text)")
        }
        #expect(html.contains("<a href=\"/books/B1/chapters/c2#ok\">kept</a>"))
        let dropped = problems.filter { $0.message.contains("address dropped") }.map(\.line)
        #expect(dropped.count >= 13, "\(problems)")
        #expect(dropped.contains(5) && dropped.contains(7) && dropped.contains(9) && dropped.contains(13))
    }

    /// The scheme is the one a browser reads from the attribute.
    @Test func schemesAreReadAsABrowserReadsThem() {
        #expect(LinkScheme.scheme(of: "JaVa\tscript:x") == "javascript")
        #expect(LinkScheme.scheme(of: " \u{1}\u{0}java\nscr\ript:x") == "javascript")
        #expect(LinkScheme.scheme(of: "java\u{1}script:x") == "javascript")
        #expect(LinkScheme.scheme(of: "HTTPS://example.com") == "https")
        #expect(LinkScheme.scheme(of: "chapters/a.md") == nil)
        #expect(LinkScheme.scheme(of: "#x:y") == nil)
        #expect(LinkScheme.scheme(of: "/a:b") == nil)
        #expect(LinkScheme.scheme(of: "java script:x") == nil)
        #expect(LinkScheme.scheme(of: "1ab:x") == nil)
        #expect(LinkScheme.isAllowed("mailto:a@b") && LinkScheme.isAllowed("//host/x") && LinkScheme.isAllowed("x.md#y"))
        #expect(!LinkScheme.isAllowed("vbscript:x") && !LinkScheme.isAllowed("data:text/html,x") && !LinkScheme.isAllowed("file:///x"))
    }

    /// The exports get the same allow-list: the link goes, its text stays, with a warning.
    @Test func exportsDropLinksToOtherSchemes() throws {
        let (bodies, problems) = try ChapterRendererTests().render([("chapters/a.md", "[x](javascript:alert(1)) and <a href=\"vbscript:y\">y</a> [ok](https://example.com)\n")])
        let body = bodies["chapters/a.md"] ?? ""
        // (A raw <a> without its href stays as an <a> without one.)
        #expect(body.contains("<p>x and <a>y</a> <a href=\"https://example.com\">ok</a></p>"))
        #expect(problems.filter { $0.message.contains("'javascript:' address dropped") || $0.message.contains("'vbscript:' address dropped") }.count == 2)
    }

    /// A 10,000-word chapter (timing belongs to benchmarks; this checks it renders whole).
    @Test func aTenThousandWordChapterRenders() {
        var text = ""
        var words = 0
        var n = 0
        while words < 10_000 {
            n += 1
            switch n % 5 {
            case 0: text += "## Section \(n)\n\n"; words += 2
            case 1: text += "- item *one* of \(n)\n- item **two** with [a link](other.md)\n\n"; words += 11
            default:
                text += "A paragraph of plain words, with `code` and _emphasis_, number \(n), which goes on\nto a second line before it ends here.\n\n"
                words += 21
            }
        }
        #expect(WordCount.count(markdown: text) >= 10_000)
        let (html, problems) = self.preview.render(text, chapter: "c1")
        #expect(problems.isEmpty)
        #expect(html.components(separatedBy: "data-line=").count - 1 == n)
        #expect(html.hasSuffix("</p>"))
    }

    /// Element names and attributes of an XHTML fragment (it must parse as XML).
    static func elements(of fragment: String) throws -> [(String, [String: String])] {
        final class Collector: NSObject, XMLParserDelegate {
            var found: [(String, [String: String])] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
                self.found.append((name, attributes))
            }
        }
        let parser = XMLParser(data: Data(("<root>" + fragment + "</root>").utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map(String.init(describing:)) ?? "")")
        return collector.found.filter { $0.0 != "root" }
    }
}
