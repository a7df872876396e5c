import BookModel
import Foundation
import ZIPFoundation

/// Packs a book as EPUB 3: `mimetype` first and stored, container, package document with
/// accessibility metadata, one XHTML file per part and chapter, navigation document with
/// `toc` and `landmarks`, NCX, cover and colophon. Entries are written in a fixed order
/// with a fixed date, so the same book and time give the same bytes.
struct EPUBWriter {
    let exporter: BookExporter

    func write(to url: URL) throws -> ExportReport {
        let archive = try Archive(url: url, accessMode: .create)
        return try self.fill(archive)
    }

    func data() throws -> (Data, ExportReport) {
        let archive = try Archive(accessMode: .create)
        let report = try self.fill(archive)
        return (archive.data ?? Data(), report)
    }

    private func fill(_ archive: Archive) throws -> ExportReport {
        // Entries carry a fixed date: the export time lives in the package document only.
        func add(_ path: String, _ text: String) throws { try archive.addFixedDateEntry(path, Data(text.utf8)) }

        try archive.addFixedDateEntry("mimetype", Data("application/epub+zip".utf8), compress: false)
        try add("META-INF/container.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
              <rootfiles>
                <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
              </rootfiles>
            </container>

            """)

        let plan = self.exporter.plan()
        let links = PageLinks.files(plan, extension: "xhtml", imageFolder: "../images/")
        let problems = try self.exporter.renderPages(plan, links: links) { index, body in
            let page = plan.pages[index]
            let isPart = page.kind == .part
            let content = "<section id=\"\(page.key)\" class=\"\(isPart ? "part" : "chapter")\" epub:type=\"\(isPart ? "part" : "chapter")\">\n<h1>\(XMLEscaping.text(page.title))</h1>\n\(body)</section>\n"
            try add("EPUB/text/\(page.key).xhtml", self.document(title: page.title, body: content))
        }
        if let cover = plan.cover {
            let body = "<section class=\"cover\" epub:type=\"cover\"><img src=\"../images/\(cover.fileName)\" alt=\"\(XMLEscaping.attribute("Cover of " + self.exporter.title))\"/></section>\n"
            try add("EPUB/text/cover.xhtml", self.document(title: self.exporter.title, body: body))
        }
        try add("EPUB/text/colophon.xhtml", self.document(
            title: "Colophon",
            body: "<section class=\"colophon\" epub:type=\"colophon\">\n\(self.exporter.colophonBody())\n</section>\n"))
        for asset in plan.imageOrder {
            let data = try self.exporter.manuscript.source.data(at: asset.path) ?? Data()
            // Compressed formats gain nothing from deflate; SVG (text) does.
            try archive.addFixedDateEntry("EPUB/images/\(asset.fileName)", data, compress: asset.type == .svg)
        }
        try add("EPUB/css/book.css", self.exporter.stylesheet)
        try add("EPUB/nav.xhtml", self.navigation(plan))
        try add("EPUB/toc.ncx", self.ncx(plan))
        try add("EPUB/package.opf", self.packageDocument(plan, problems: problems))
        return ExportReport(problems, plan)
    }

    private var htmlAttributes: String {
        let lang = XMLEscaping.attribute(self.exporter.language)
        return "xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"\(lang)\" xml:lang=\"\(lang)\""
            + (self.exporter.isRightToLeft ? " dir=\"rtl\"" : "")
    }

    private func document(title: String, body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html \(self.htmlAttributes)>
        <head>
        <meta charset="UTF-8"/>
        <title>\(XMLEscaping.text(title))</title>
        <link rel="stylesheet" type="text/css" href="../css/book.css"/>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    // MARK: Navigation

    private func navigation(_ plan: ExportPlan) -> String {
        func list(_ items: [ExportPlan.NavItem], indent: String) -> String {
            var out = "\(indent)<ol>\n"
            for item in items {
                let page = plan.pages[item.page]
                out += "\(indent)  <li><a href=\"text/\(page.key).xhtml\">\(XMLEscaping.text(page.title))</a>"
                if !item.children.isEmpty { out += "\n" + list(item.children, indent: indent + "    ") + "\(indent)  " }
                out += "</li>\n"
            }
            return out + "\(indent)</ol>\n"
        }
        var landmarks = ""
        if plan.cover != nil { landmarks += "    <li><a epub:type=\"cover\" href=\"text/cover.xhtml\">Cover</a></li>\n" }
        landmarks += "    <li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">Contents</a></li>\n"
        if let first = plan.pages.first {
            landmarks += "    <li><a epub:type=\"bodymatter\" href=\"text/\(first.key).xhtml\">Start of content</a></li>\n"
        }
        let toc = plan.nav.isEmpty ? "  <ol>\n    <li><a href=\"text/colophon.xhtml\">Colophon</a></li>\n  </ol>\n" : list(plan.nav, indent: "  ")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html>
            <html \(self.htmlAttributes)>
            <head>
            <meta charset="UTF-8"/>
            <title>Contents</title>
            <link rel="stylesheet" type="text/css" href="css/book.css"/>
            </head>
            <body>
            <nav epub:type="toc" id="toc" role="doc-toc">
              <h1>Contents</h1>
            \(toc)</nav>
            <nav epub:type="landmarks" id="landmarks" hidden="hidden">
              <h2>Landmarks</h2>
              <ol>
            \(landmarks)  </ol>
            </nav>
            </body>
            </html>

            """
    }

    private func ncx(_ plan: ExportPlan) -> String {
        var order = 0
        var depth = 1
        func points(_ items: [ExportPlan.NavItem], level: Int, indent: String) -> String {
            depth = max(depth, level)
            var out = ""
            for item in items {
                order += 1
                let page = plan.pages[item.page]
                out += "\(indent)<navPoint id=\"np-\(order)\" playOrder=\"\(order)\">\n"
                out += "\(indent)  <navLabel><text>\(XMLEscaping.text(page.title))</text></navLabel>\n"
                out += "\(indent)  <content src=\"text/\(page.key).xhtml\"/>\n"
                out += points(item.children, level: level + 1, indent: indent + "  ")
                out += "\(indent)</navPoint>\n"
            }
            return out
        }
        var map = points(plan.nav, level: 1, indent: "    ")
        if map.isEmpty {
            map = "    <navPoint id=\"np-1\" playOrder=\"1\">\n      <navLabel><text>Colophon</text></navLabel>\n      <content src=\"text/colophon.xhtml\"/>\n    </navPoint>\n"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="\(XMLEscaping.attribute(self.exporter.language))">
              <head>
                <meta name="dtb:uid" content="\(XMLEscaping.attribute(self.exporter.identifier))"/>
                <meta name="dtb:depth" content="\(depth)"/>
                <meta name="dtb:totalPageCount" content="0"/>
                <meta name="dtb:maxPageNumber" content="0"/>
              </head>
              <docTitle><text>\(XMLEscaping.text(self.exporter.title))</text></docTitle>
              <navMap>
            \(map)  </navMap>
            </ncx>

            """
    }

    // MARK: Package document

    private func packageDocument(_ plan: ExportPlan, problems: [BookProblem]) -> String {
        let metadata = self.exporter.manuscript.metadata
        func element(_ name: String, _ value: String, _ attributes: String = "") -> String {
            "    <\(name)\(attributes)>\(XMLEscaping.text(value))</\(name)>\n"
        }
        var meta = element("dc:identifier", self.exporter.identifier, " id=\"book-id\"")
        meta += element("dc:title", self.exporter.title)
        meta += element("dc:language", self.exporter.language)
        for (n, creator) in self.exporter.creators.enumerated() {
            meta += element("dc:creator", creator, " id=\"creator-\(n + 1)\"")
        }
        if let license = metadata.license, !license.isEmpty { meta += element("dc:rights", license) }
        if let description = metadata.description, !description.isEmpty { meta += element("dc:description", description) }
        meta += element("meta", self.exporter.timestamp, " property=\"dcterms:modified\"")
        // Accessibility (EPUB Accessibility 1.1 / schema.org): what a reader needs to know.
        let hasImages = !plan.imageOrder.isEmpty
        let missingAlt = problems.contains { $0.message.hasSuffix(ChapterRenderer.missingAltText) }
        meta += element("meta", "textual", " property=\"schema:accessMode\"")
        if hasImages { meta += element("meta", "visual", " property=\"schema:accessMode\"") }
        meta += element("meta", "textual", " property=\"schema:accessModeSufficient\"")
        if hasImages { meta += element("meta", "textual,visual", " property=\"schema:accessModeSufficient\"") }
        for feature in ["structuralNavigation", "tableOfContents", "readingOrder"] {
            meta += element("meta", feature, " property=\"schema:accessibilityFeature\"")
        }
        if hasImages && !missingAlt { meta += element("meta", "alternativeText", " property=\"schema:accessibilityFeature\"") }
        meta += element("meta", "none", " property=\"schema:accessibilityHazard\"")
        let summary = "Reflowable text with a navigable table of contents and headings in reading order."
            + (hasImages ? (missingAlt ? " Some images lack a text description." : " Every image has a text description.") : "")
        meta += element("meta", summary, " property=\"schema:accessibilitySummary\"")

        var manifest = """
                <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
                <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
                <item id="css" href="css/book.css" media-type="text/css"/>

            """
        var spine = ""
        if let cover = plan.cover {
            manifest += "    <item id=\"cover\" href=\"text/cover.xhtml\" media-type=\"application/xhtml+xml\"/>\n"
            spine += "    <itemref idref=\"cover\"/>\n"
            meta += "    <meta name=\"cover\" content=\"img-\(Slug.make(cover.fileName))\"/>\n"
        }
        spine += "    <itemref idref=\"nav\"/>\n"
        for page in plan.pages {
            manifest += "    <item id=\"p-\(page.key)\" href=\"text/\(page.key).xhtml\" media-type=\"application/xhtml+xml\"/>\n"
            spine += "    <itemref idref=\"p-\(page.key)\"/>\n"
        }
        manifest += "    <item id=\"colophon\" href=\"text/colophon.xhtml\" media-type=\"application/xhtml+xml\"/>\n"
        spine += "    <itemref idref=\"colophon\"/>\n"
        for asset in plan.imageOrder {
            let properties = asset == plan.cover ? " properties=\"cover-image\"" : ""
            manifest += "    <item id=\"img-\(Slug.make(asset.fileName))\" href=\"images/\(asset.fileName)\" media-type=\"\(asset.type.mediaType)\"\(properties)/>\n"
        }
        let direction = self.exporter.isRightToLeft ? " page-progression-direction=\"rtl\"" : ""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="\(XMLEscaping.attribute(self.exporter.language))"\(self.exporter.isRightToLeft ? " dir=\"rtl\"" : "")>
              <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
            \(meta)  </metadata>
              <manifest>
            \(manifest)  </manifest>
              <spine toc="ncx"\(direction)>
            \(spine)  </spine>
            </package>

            """
    }
}
