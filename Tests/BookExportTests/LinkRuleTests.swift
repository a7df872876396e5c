import BookModel
import Foundation
import TestSupport
import Testing

@testable import BookExport

/// Links out of the book are written as a browser reads them, in the one spelling
/// EPUBCheck and the Nu HTML Checker accept, or as text with a warning when they are not
/// addresses at all; the book's CSS follows the link rule too.
@Suite struct LinkRuleTests {
    @Test(arguments: [
        ("https://example.com/a b/c d.html", "https://example.com/a%20b/c%20d.html"),
        ("https://example.com/search?q=two words&x=1", "https://example.com/search?q=two%20words&x=1"),
        ("https://example.com\\docs\\page.html", "https://example.com/docs/page.html"),
        ("https:\\\\example.com\\path", "https://example.com/path"),
        ("http:example.com/x", "http://example.com/x"),
        ("https:///path", "https://path"),
        ("HTTPS://EXAMPLE.COM/Path", "https://example.com/Path"),
        ("https://example.com/a[1]/b", "https://example.com/a%5B1%5D/b"),
        ("https://example.com/{id}/a|b^c`", "https://example.com/%7Bid%7D/a%7Cb%5Ec%60"),
        ("https://ex%41mple.com/", "https://example.com/"),
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
        ("http://日本語.jp/パス", "http://xn--wgv71a119e.jp/%E3%83%91%E3%82%B9"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("http://example.com:/x", "http://example.com/x"),
        ("http://[2001:DB8:0:0:0:0:0:1]:8080/p", "http://[2001:db8::1]:8080/p"),
        ("http://[::ffff:192.168.0.1]/", "http://[::ffff:c0a8:1]/"),
        ("http://0x7f.1/", "http://127.0.0.1/"),
        ("http://3232235521/", "http://192.168.0.1/"),
        ("https://example.com/?a=<b>&c=\"d\"&e='f'", "https://example.com/?a=%3Cb%3E&c=%22d%22&e=%27f%27"),
        ("https://example.com/page#sec tion<1>#2", "https://example.com/page#sec%20tion%3C1%3E%232"),
        ("https://example.com/caf%C3%A9?q=%20x", "https://example.com/caf%C3%A9?q=%20x"),
        ("https://example.com/100%/done?p=%zz#%", "https://example.com/100%25/done?p=%25zz#%25"),
        ("https://example.com/a/./b/../c/%2e%2E/d", "https://example.com/a/d"),
        ("https://example.com/a/..", "https://example.com/"),
        ("https://Example.com", "https://example.com"),
        ("https://example.com?q#f", "https://example.com?q#f"),
        ("https://exa\tmple.com/ta\nb", "https://example.com/tab"),
        ("https://user:pa ss@example.com/", "https://user:pa%20ss@example.com/"),
        ("//example.com/path with space", "https://example.com/path%20with%20space"),
        ("https://example.com./x", "https://example.com./x"),
        ("mailto:ada@example.com?subject=Hello World&body=Line 1%0ALine 2", "mailto:ada@example.com?subject=Hello%20World&body=Line%201%0ALine%202"),
        ("mailto:jürgen@example.com?subject=Grüße", "mailto:j%C3%BCrgen@example.com?subject=Gr%C3%BC%C3%9Fe"),
    ])
    func webAddressesAreWrittenAsABrowserReadsThem(input: String, expected: String) {
        #expect(ExternalURL.normalised(input) == .success(expected))
    }

    @Test(arguments: [
        ("https://exa mple.com/", "space in the host"),
        ("https://exa<mple>.com/", "'<' in the host"),
        ("https://ex%zzample.com/", "'%' in the host"),
        ("https:", "no host"),
        ("https://", "no host"),
        ("http://example.com:99999/x", "port 99999 is out of range"),
        ("http://example.com:80a/", "port '80a' is not a number"),
        ("http://[2001:db8::zz]/", "invalid IPv6 address"),
        ("http://[::1/x", "invalid IPv6 address"),
        ("http://1.2.3.999/", "invalid IPv4 address"),
        ("http://1.2.3.4.5/", "invalid IPv4 address"),
    ])
    func whatCannotBeAnAddressIsAFailure(input: String, reason: String) {
        #expect(ExternalURL.normalised(input) == .failure(ExternalURL.Failure(reason)))
    }

    @Test func punycodeMatchesRFC3492() {
        // RFC 3492, 7.1 (A) Arabic (Egyptian), and a label with ASCII before the rest.
        #expect(Punycode.encode("\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\u{0645}\u{0648}\u{0634}\u{0639}\u{0631}\u{0628}\u{064A}\u{061F}") == "egbpdaj6bu4bxfgehfvwxn")
        #expect(Punycode.encode("münchen") == "mnchen-3ya")
    }

    @Test func theBooksStylesheetLosesScriptAndImportsAndKeepsTheRest() {
        let css = """
            @import url("https://evil.example/x.css");
            @IMPORT 'local.css';
            p { color: red; background: url(javascript:alert(1)); }
            h1 { background: URL( "jav\\61script:alert(2)" ); margin: 0 }
            h2 { b\\61ckground: u\\72l(vbscript:x) }
            .a { background-image: image-set("data:text/html,x" 1x); }
            .b { width: expression(alert(3)); }
            .c { behavior: url(x.htc); -moz-binding: url(x.xml#y); }
            .d { background: url(images/paper.png); } /* url(javascript:in a comment) */
            .e { background: url(https://example.com/a.png); content: "javascript: is a word here"; }
            @font-face { font-family: "Book: Serif"; src: url(fonts/book.woff2) format("woff2"); }

            """
        let rules = StylesheetRules(css)
        #expect(!rules.css.lowercased().contains("import"))
        #expect(!rules.css.contains("script:alert") && !rules.css.contains("vbscript") && !rules.css.contains("61script"))
        #expect(!rules.css.contains("expression") && !rules.css.contains("behavior") && !rules.css.contains("binding"))
        #expect(!rules.css.contains("data:"))
        #expect(rules.css.contains("p {  color: red; }") || rules.css.contains("p { color: red; }"), "\(rules.css)")
        #expect(rules.css.contains("margin: 0 }"))
        #expect(rules.css.contains("url(images/paper.png)") && rules.css.contains("url(https://example.com/a.png)"))
        #expect(rules.css.contains("\"javascript: is a word here\"") && rules.css.contains("src: url(fonts/book.woff2)"))
        #expect(rules.problems.map(\.line) == [1, 2, 3, 4, 5, 6, 7, 8, 8])
        #expect(rules.problems.allSatisfy { $0.severity == .warning && $0.file == StylesheetRules.file })
        #expect(rules.problems[0].message == "@import dropped: the export carries the book's stylesheet alone")
        #expect(rules.problems[2].message.hasPrefix("url(javascript:...) dropped"))
    }

    @Test(.needs(.epubcheck)) func theBooksCSSIsExportedUnderTheRule() throws {
        let folder = try TemporaryFolder()
        try folder.write(LinksFromRealBooks.files.merging([
            "book.css": Data(text: "p { background: url(javascript:alert(1)); }\n@import 'https://evil.example/x.css';\nh2 { color: teal; }\n"),
        ]) { $1 })
        let yaml = String(decoding: LinksFromRealBooks.files["book.yaml"]!, as: UTF8.self) + "stylesheet: book.css\n"
        try folder.write(["book.yaml": Data(text: yaml)])
        let book = try loadBook(at: folder.url)
        let epub = folder.path("book.epub")
        let report = try BookExporter(book.manuscript).write(.epub, to: epub)
        #expect(report.problems.filter { $0.file == StylesheetRules.file }.map(\.line) == [1, 2])
        let site = folder.path("site")
        try BookExporter(book.manuscript).write(.site, to: site)
        let css = try String(contentsOf: site.appendingPathComponent("style.css"), encoding: .utf8)
        #expect(css.hasSuffix("h2 { color: teal; }\n") && !css.contains("javascript") && !css.contains("@import"))
        #expect(try EPUBCheck.complaints(about: epub) == [])
    }

    /// Links as sprint-written Markdown books have them: before the rule, this book made
    /// EPUBCheck report 30 errors (RSC-020 invalid URL, RSC-005 bad href, RSC-007).
    @Test(.needs(.epubcheck)) func linksFromRealBooksExportCleanUnderEPUBCheck() throws {
        let folder = try TemporaryFolder()
        try folder.write(LinksFromRealBooks.files)
        let book = try loadBook(at: folder.url)
        let epub = folder.path("book.epub")
        let report = try BookExporter(book.manuscript).write(.epub, to: epub)
        #expect(try EPUBCheck.complaints(about: epub) == [])

        // What cannot be an address is text, with a warning naming chapter and line.
        let invalid = report.problems.filter { $0.message.contains("is not a valid web address") }
        #expect(invalid.allSatisfy { $0.file == "chapters/links.md" && $0.severity == .warning })
        #expect(Set(invalid.compactMap(\.line)) == LinksFromRealBooks.invalidLines, "\(invalid)")
        // Every other link is kept.
        let xhtml = try Python.run("""
            import sys, zipfile
            print(zipfile.ZipFile(sys.argv[1]).read('EPUB/text/links.xhtml').decode())
            """, [epub.path])
        #expect(xhtml.contains("href=\"https://example.com/a%20b/c%20d.html\""))
        #expect(xhtml.contains("href=\"https://xn--bcher-kva.example/stra%C3%9Fe\""))
        #expect(xhtml.contains("href=\"other-page.xhtml#other-page-a-heading\""))
        #expect(xhtml.contains("href=\"https://raw.example/a%20b/c\""))
        #expect(xhtml.contains("href=\"https://example.com/%3Cx%3E\""))
    }
}

/// A book with links of every kind found in real Markdown books: spaces, backslashes,
/// unbalanced brackets and parentheses, invalid hosts, IDN hosts, ports, IPv6 and IPv4,
/// queries and fragments with odd characters, mailto with parameters, percent-encodings
/// good and bad, relative links with spaces, reference links, autolinks, raw `<a>`.
enum LinksFromRealBooks {
    /// The lines of `chapters/links.md` whose link is no address (written as text).
    static let invalidLines: Set<Int> = [11, 12, 13, 15, 20, 21, 23, 24, 27, 46, 58]

    static let files: [String: Data] = [
        "book.yaml": Data(text: """
            title: Links from real books
            language: en
            authors: [Ada Example]
            identifier: urn:uuid:0b7d2c1e-5a3f-4e8b-9c6d-1f2e3a4b5c6d
            toc:
              - chapter: chapters/links.md
              - chapter: chapters/other page.md

            """),
        "chapters/other page.md": Data(text: "# Other page\n\n## A heading\n\nText.\n"),
        "chapters/links.md": Data(text: """
            # Links

            - [space in path](<https://example.com/a b/c d.html>)
            - [space in query](<https://example.com/search?q=two words&x=1>)
            - [backslashes](https://example.com\\docs\\page.html)
            - [backslash host](https:\\\\example.com\\path)
            - [unbalanced paren](https://en.wikipedia.org/wiki/Swift_(programming_language)
            - [parens](https://en.wikipedia.org/wiki/Swift_(programming_language))
            - [brackets in path](https://example.com/a[1]/b)
            - [brackets](<https://example.com/x]y>)
            - [invalid host space](<https://exa mple.com/>)
            - [invalid host chars](https://exa<mple>.com/)
            - [empty host](<https://>)
            - [host with percent](https://ex%41mple.com/)
            - [bad host percent](https://ex%zzample.com/)
            - [IDN host](https://bücher.example/straße)
            - [IDN host 2](http://日本語.jp/パス?クエリ=値#断片)
            - [port](http://example.com:8080/x)
            - [default port](https://example.com:443/x)
            - [bad port](http://example.com:99999/x)
            - [port letters](http://example.com:80a/)
            - [IPv6](http://[2001:db8::1]:8080/path)
            - [bad IPv6](http://[2001:db8::zz]/)
            - [unclosed IPv6](http://[::1/x)
            - [IPv4](http://192.168.0.1/)
            - [odd IPv4](http://0x7f.1/)
            - [bad IPv4](http://1.2.3.999/)
            - [query odd](https://example.com/?a=<b>&c="d"&e={f}|g^h`i)
            - [fragment odd](https://example.com/page#sec<1>"x"`)
            - [two hashes](https://example.com/a#b#c)
            - [mailto params](<mailto:ada@example.com?subject=Hello World&body=Line 1%0ALine 2>)
            - [mailto plain](mailto:ada@example.com)
            - [mailto unicode](mailto:jürgen@bücher.example?subject=Grüße)
            - [mailto odd](<mailto:a b@example.com>)
            - [good percent](https://example.com/caf%C3%A9?q=%20x)
            - [bad percent](https://example.com/100%/done?p=%zz#%)
            - [percent at end](https://example.com/a%)
            - [userinfo](<https://user:pa ss@example.com/>)
            - [dot segments](https://example.com/a/./b/../c/%2e%2E/d)
            - [tabs](<https://exa\tmple.com/ta\tb>)
            - [pipe and caret](https://example.com/a|b^c)
            - [curly](https://example.com/{id}/x)
            - [protocol-relative](<//example.com/path with space>)
            - [uppercase scheme](HTTPS://EXAMPLE.COM/Path)
            - [trailing dot host](https://example.com./x)
            - [just scheme](https:)
            - [http no slashes](http:example.com/x)
            - <https://autolink.example/x\\y>
            - www.example.com/a_(b)
            - https://bare.example.com/path?x=1&y=2.
            - [relative with space](<other page.md>)
            - [relative encoded](other%20page.md#a-heading)
            - [ref link][r1] and [ref link 2][r2]
            - <a href="https://raw.example/a b\\c">raw a</a>
            - <a href="https://ex&#97;mple.com/&lt;x&gt;">raw entities</a>
            - <a href="  HTTP://Example.COM:80/  ">raw spaced</a>
            - [empty label]() and [angle empty](<>)
            - <a href="http://[bad">raw bad host</a>

            [r1]: <https://ref.example/a b> "Title"
            [r2]: https://ref.example/%E2%82%AC|x

            """),
    ]
}
