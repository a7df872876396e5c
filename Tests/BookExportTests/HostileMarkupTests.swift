import BookModel
import Foundation
import TestSupport
import Testing

@testable import BookExport

/// Random and hostile Markdown and HTML through the preview and every export, read back by
/// a real parser (lxml: strict XML for the XHTML and the previews, its HTML parser for the
/// HTML pages): no script element, no `on*` attribute, no frame, object, embed, form or
/// base, no style attribute but the tables' alignment, and no URL attribute with a scheme
/// other than http, https or mailto (or the one-file HTML's own `data:image` pictures),
/// the scheme read as a browser reads it. Seeded: the seed is printed, and
/// `BOOKSPRINT_SEED=N` replays a run.
@Suite struct HostileMarkupTests {
    @Test(.needs(.lxml)) func noOutputCarriesScriptHandlersOrForbiddenSchemes() throws {
        var random = TestSeed.generator()
        let chapters = (0..<40).map { _ in HostileMarkup.chapter(using: &random) }
        let folder = try TemporaryFolder()
        var files: [String: Data] = [
            "images/a.png": SampleImages.png,
        ]
        var toc = "title: Hostile\nidentifier: urn:uuid:5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6\nlanguage: en\ntoc:\n"
        for (i, text) in chapters.enumerated() {
            files["chapters/c\(i).md"] = Data(text: text)
            toc += "  - chapter: chapters/c\(i).md\n    title: Chapter \(i)\n"
        }
        files["book.yaml"] = Data(text: toc)
        try folder.write(files)
        let book = try loadBook(at: folder.url)
        let exporter = BookExporter(book.manuscript)
        try exporter.write(.epub, to: folder.path("book.epub"))
        try exporter.write(.html, to: folder.path("book.html"))
        try exporter.write(.site, to: folder.path("site"))

        let preview = ChapterPreview(
            book: "b", chapters: chapters.indices.map { .init(id: "id\($0)", file: "c\($0)", title: "Chapter \($0)") },
            assets: ["a.png"])
        var previews: [String] = []
        for (i, text) in chapters.enumerated() {
            let file = folder.path("preview-\(i).xhtml")
            try Data(text: preview.render(text, chapter: "id\(i)").html).write(to: file)
            previews.append(file.path)
        }
        let site = try FileManager.default.contentsOfDirectory(atPath: folder.path("site").path)
            .filter { $0.hasSuffix(".html") }.map { folder.path("site/\($0)").path }

        let arguments = ["epub", folder.path("book.epub").path, "html", folder.path("book.html").path]
            + site.flatMap { ["html", $0] } + previews.flatMap { ["fragment", $0] }
        let found = try Python.run(HostileMarkup.checker, arguments)
        #expect(found.isEmpty, "\(found.prefix(4000))")
        // The checker itself finds what it looks for.
        let bait = folder.path("bait.xhtml")
        try Data(text: "<p><a href=\" JaVa&#x09;script:x\">x</a><b onclick=\"x\"/><svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg></p>").write(to: bait)
        let caught = try Python.run(HostileMarkup.checker, ["fragment", bait.path])
        #expect(caught.contains("href=' JaVa\\tscript:x'") && caught.contains("onclick attribute") && caught.contains("<script> element"), "\(caught)")
    }
}

/// Pieces of hostile markup and how to put them together at random.
enum HostileMarkup {
    static let pieces: [String] = [
        "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<scr<script>ipt>alert(1)</script>",
        "<script/xss src=x>", "<ScRiPt\n>alert(1)</sCrIpT >", "<script", "</script>", "<svg><script>alert(1)</script></svg>",
        "<svg onload=alert(1)>", "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", "<math href=\"javascript:alert(1)\">x</math>",
        "<iframe src=\"javascript:alert(1)\"></iframe>", "<iframe srcdoc=\"<script>alert(1)</script>\">",
        "<form action=\"javascript:alert(1)\"><button formaction=javascript:alert(1)>go</button></form>",
        "<img src=x onerror=alert(1)>", "<img src=\"javascript:alert(1)\" alt=x>", "<img src=images/a.png alt=a onload=x>",
        "<a href=\"jav&#x09;ascript:alert(1)\">t</a>", "<a href=\"jav&#x61;script:alert(1)\">e</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">d</a>",
        "<a href=\"javascript&colon;alert(1)\">c</a>", "<a href=\" javascript:alert(1)\">s</a>",
        "<a href=\"java\u{0}script:alert(1)\">n</a>", "<a href=\"&#0000106avascript:alert(1)\">z</a>",
        "<a href=javascript:alert(1)>u</a>", "<a/href=\"javascript:alert(1)\">sl</a>", "<a\nhref=\"javascript:alert(1)\">nl</a>",
        "<a href='vbscript:msgbox(1)' onclick=x>v</a>", "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">d</a>",
        "<a href=\"file:///etc/passwd\">f</a>", "<a href=\"feed:javascript:alert(1)\">fe</a>", "<a href=\"JAVASCRIPT:x\" ONCLICK=\"x\">U</a>",
        "<a href=\"http://ok.example/\" onmouseover=\"x\">ok</a>", "<p onmouseover=\"x\">p</p>", "<details open ontoggle=alert(1)>d</details>",
        "<div style=\"background:url(javascript:alert(1));width:expression(alert(1))\">st</div>",
        "<style>body{background:url(javascript:alert(1))}</style>", "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">", "<base href=\"javascript:alert(1)//\">", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<link rel=import href=\"https://evil.example/x.html\">", "<template><script>alert(1)</script></template>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", "<textarea><script>alert(1)</script></textarea>",
        "<!--<script>alert(1)</script>-->", "<![CDATA[<script>alert(1)</script>]]>", "<xmp><script>alert(1)</script></xmp>",
        "<isindex action=javascript:alert(1)>", "<frameset><frame src=javascript:alert(1)></frameset>", "<applet code=x></applet>",
        "<input onfocus=alert(1) autofocus>", "<video poster=javascript:alert(1)><source src=javascript:x></video>",
        "<table background=\"javascript:alert(1)\"><tr><td onclick=x>c</td></tr></table>", "<blockquote cite=\"javascript:x\">q</blockquote>",
        "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x]( javascript:alert(1))", "<javascript:alert(1)>", "<vbscript:x>",
        "[r][bad]\n\n[bad]: javascript:alert(1)", "![x](javascript:alert(1))", "[x](<java script:alert(1)>)", "[a](&#x6A;avascript:alert(1))",
        "[a](java&#115;cript:alert(1))", "[a](data:text/html,<script>alert(1)</script>)", "[m](mailto:a@example.com?subject=<script>)",
        "[h](https://exa mple.com/)", "[h](<https://ok.example/a b>)", "[h](http://[::1)", "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\" alt=s>",
        "`<script>alert(1)</script>`", "```html\n<script>alert(1)</script>\n```", "> <script>alert(1)</script>", "- <b onclick=x>li</b>",
        "| a | b |\n|---|:-:|\n| <i onclick=x>c</i> | [d](javascript:x) |", "# <span onclick=x>H</span>", "&lt;script&gt;", "<", ">", "\"", "'", "&",
    ]

    static let noise = Array("<>\"'&=/;:#x \n\tjavascript".unicodeScalars)

    /// One chapter: pieces, pieces cut and glued to others, and noise, in random blocks.
    static func chapter<G: RandomNumberGenerator>(using random: inout G) -> String {
        var out = ""
        for _ in 0..<Int.random(in: 5...20, using: &random) {
            var piece: String
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<6:
                piece = self.pieces.randomElement(using: &random)!
            case 6..<8:
                let a = Array(self.pieces.randomElement(using: &random)!.unicodeScalars)
                let b = Array(self.pieces.randomElement(using: &random)!.unicodeScalars)
                let cut = Int.random(in: 0...a.count, using: &random)
                let from = Int.random(in: 0...b.count, using: &random)
                piece = String(String.UnicodeScalarView(a[..<cut] + b[from...]))
            default:
                piece = String(String.UnicodeScalarView((0..<Int.random(in: 1...30, using: &random)).map { _ in
                    self.noise.randomElement(using: &random)!
                }))
            }
            out += piece + ["\n\n", "\n", " ", ""].randomElement(using: &random)!
        }
        return out
    }

    /// Reads each (kind, path) pair and prints one line per thing that must not be there.
    static let checker = #"""
        import re, sys, zipfile
        from lxml import etree, html

        ALLOWED = {"http", "https", "mailto"}
        URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "srcset",
                          "cite", "longdesc", "usemap", "manifest", "ping", "codebase", "xmlns:xlink"}
        BANNED = {"script", "iframe", "frame", "frameset", "object", "embed", "form", "base", "applet",
                  "input", "button", "textarea", "select", "isindex", "template", "noscript", "foreignobject"}
        HEAD_ONLY = {"style", "link", "meta"}

        def scheme(value):
            value = re.sub(r"[\t\n\r]", "", value)
            value = value.strip("".join(chr(c) for c in range(0x21)))
            value = re.sub(r"[\x00-\x1f]", "", value)
            m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", value)
            return m.group(1).lower() if m else None

        def local(name):
            # '{namespace}name' (XML), 'prefix:name' (the HTML parser keeps prefixes).
            return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() if isinstance(name, str) else None

        def check(where, root, kind):
            for element in root.iter():
                name = local(element.tag)
                if name is None:
                    continue
                if name in BANNED:
                    print(f"{where}: <{name}> element")
                if name in HEAD_ONLY:
                    parent = element.getparent()
                    if kind == "fragment" or parent is None or local(parent.tag) != "head":
                        print(f"{where}: <{name}> outside the head")
                for attribute, value in element.attrib.items():
                    a = local(attribute)
                    if a.startswith("on"):
                        print(f"{where}: {a} attribute on <{name}>")
                    if a == "style" and not re.fullmatch(r"text-align: (left|right|center)", value):
                        print(f"{where}: style {value!r} on <{name}>")
                    if a in URL_ATTRIBUTES or a.endswith("href"):
                        s = scheme(value)
                        if s is None or s in ALLOWED:
                            continue
                        if (kind == "html" and name == "img" and a == "src"
                                and re.match(r"data:image/(png|jpeg|gif|webp|svg\+xml);base64,", value)):
                            continue
                        print(f"{where}: {a}={value[:60]!r} on <{name}>")

        args = sys.argv[1:]
        for kind, path in zip(args[0::2], args[1::2]):
            if kind == "epub":
                book = zipfile.ZipFile(path)
                for name in book.namelist():
                    if name.endswith(".xhtml"):
                        check(f"{path}!{name}", etree.fromstring(book.read(name)), "xhtml")
            elif kind == "html":
                data = open(path, "rb").read()
                check(path + " (XML)", etree.fromstring(data), kind)
                check(path + " (HTML)", html.document_fromstring(data), kind)
            else:
                text = open(path, encoding="utf-8").read()
                wrapped = '<div xmlns="http://www.w3.org/1999/xhtml">' + text + "</div>"
                check(path + " (XML)", etree.fromstring(wrapped.encode()), kind)
                for element in html.fragments_fromstring(text or "<p></p>"):
                    if not isinstance(element, str):
                        check(path + " (HTML)", element, kind)
        """#
}
