import BookModel
import Foundation

/// Writes a book as HTML5 that is also well-formed XML (polyglot markup): either one
/// self-contained file (CSS inline, images as data URLs, contents with links) or a site of
/// one page per part and chapter with next/previous links.
struct HTMLWriter {
    let exporter: BookExporter

    func writeSingleFile(to url: URL) throws -> ExportReport {
        let plan = self.exporter.plan()
        let source = self.exporter.manuscript.source
        let links = PageLinks(
            page: { page, anchor in "#" + (anchor ?? plan.pages[page].key) },
            image: { asset in
                let data = (try? source.data(at: asset.path)) ?? nil
                return "data:\(asset.type.mediaType);base64,\(data?.base64EncodedString() ?? "")"
            })
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        func emit(_ text: String) { file.write(Data(text.utf8)) }

        emit(self.head(title: self.exporter.title, styles: "<style>\n\(self.inlineCSS)</style>"))
        emit("<header class=\"title-page\">\n\(self.titleBlock(plan, links: links))</header>\n")
        emit("<nav id=\"toc\" class=\"toc\">\n<h2>Contents</h2>\n\(self.contents(plan, links: links))</nav>\n")
        let problems = try self.exporter.renderPages(plan, links: links) { index, body in
            emit(self.section(plan, index, body: body))
        }
        emit("<footer class=\"colophon\">\n\(self.exporter.colophonBody())\n</footer>\n</body>\n</html>\n")
        return ExportReport(problems, plan)
    }

    func writeSite(to folder: URL) throws -> ExportReport {
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
        let plan = self.exporter.plan()
        let links = PageLinks.files(plan, extension: "html", imageFolder: "images/")
        let styles = "<link rel=\"stylesheet\" href=\"style.css\"/>"
        try Data(self.exporter.stylesheet.utf8)
            .write(to: folder.appendingPathComponent("style.css"))

        var index = self.head(title: self.exporter.title, styles: styles)
        index += "<header class=\"title-page\">\n\(self.titleBlock(plan, links: links))</header>\n"
        index += "<nav id=\"toc\" class=\"toc\">\n<h2>Contents</h2>\n\(self.contents(plan, links: links))</nav>\n"
        if let first = plan.pages.first {
            index += "<nav class=\"page-links\"><span></span><a href=\"\(first.key).html\" rel=\"next\">\(XMLEscaping.text(first.title)) \u{2192}</a></nav>\n"
        }
        index += "<footer class=\"colophon\">\n\(self.exporter.colophonBody())\n</footer>\n</body>\n</html>\n"
        try Data(index.utf8).write(to: folder.appendingPathComponent("index.html"))

        let problems = try self.exporter.renderPages(plan, links: links) { page, body in
            let pager = self.pager(plan, page)
            let html = self.head(title: "\(plan.pages[page].title) \u{2014} \(self.exporter.title)", styles: styles)
                + pager + self.section(plan, page, body: body) + pager + "</body>\n</html>\n"
            try Data(html.utf8).write(to: folder.appendingPathComponent("\(plan.pages[page].key).html"))
        }
        for asset in plan.imageOrder {
            let data = try self.exporter.manuscript.source.data(at: asset.path) ?? Data()
            try data.write(to: folder.appendingPathComponent("images/\(asset.fileName)"))
        }
        return ExportReport(problems, plan)
    }

    // MARK: Pieces

    /// The book's CSS made safe inside `<style>` in a document that is also XML.
    private var inlineCSS: String {
        self.exporter.stylesheet
            .replacingOccurrences(of: "&", with: "\\26 ")
            .replacingOccurrences(of: "<", with: "\\3C ")
    }

    private func head(title: String, styles: String) -> String {
        let lang = XMLEscaping.attribute(self.exporter.language)
        return """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="\(lang)" xml:lang="\(lang)"\(self.exporter.isRightToLeft ? " dir=\"rtl\"" : "")>
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(XMLEscaping.text(title))</title>
            \(styles)
            </head>
            <body>

            """
    }

    private func titleBlock(_ plan: ExportPlan, links: PageLinks) -> String {
        var out = ""
        if let cover = plan.cover {
            out += "<p class=\"cover\"><img src=\"\(XMLEscaping.attribute(links.image(cover)))\" alt=\"\(XMLEscaping.attribute("Cover of " + self.exporter.title))\"/></p>\n"
        }
        out += "<h1>\(XMLEscaping.text(self.exporter.title))</h1>\n"
        if let subtitle = self.exporter.manuscript.metadata.subtitle, !subtitle.isEmpty {
            out += "<p class=\"subtitle\">\(XMLEscaping.text(subtitle))</p>\n"
        }
        if !self.exporter.creators.isEmpty {
            out += "<p class=\"authors\">\(XMLEscaping.text(self.exporter.creators.joined(separator: ", ")))</p>\n"
        }
        return out
    }

    private func contents(_ plan: ExportPlan, links: PageLinks) -> String {
        func list(_ items: [ExportPlan.NavItem]) -> String {
            var out = "<ol>\n"
            for item in items {
                let page = plan.pages[item.page]
                out += "<li><a href=\"\(XMLEscaping.attribute(links.page(item.page, nil)))\">\(XMLEscaping.text(page.title))</a>"
                if !item.children.isEmpty { out += "\n" + list(item.children) }
                out += "</li>\n"
            }
            return out + "</ol>\n"
        }
        return plan.nav.isEmpty ? "" : list(plan.nav)
    }

    private func section(_ plan: ExportPlan, _ index: Int, body: String) -> String {
        let page = plan.pages[index]
        let kind = page.kind == .part ? "part" : "chapter"
        return "<section id=\"\(page.key)\" class=\"\(kind)\">\n<h1>\(XMLEscaping.text(page.title))</h1>\n\(body)</section>\n"
    }

    /// Previous / contents / next links of a site page.
    private func pager(_ plan: ExportPlan, _ index: Int) -> String {
        var out = "<nav class=\"page-links\">"
        if index > 0 {
            let previous = plan.pages[index - 1]
            out += "<a href=\"\(previous.key).html\" rel=\"prev\">\u{2190} \(XMLEscaping.text(previous.title))</a>"
        } else {
            out += "<a href=\"index.html\" rel=\"prev\">\u{2190} \(XMLEscaping.text(self.exporter.title))</a>"
        }
        out += "<a href=\"index.html#toc\">Contents</a>"
        if index + 1 < plan.pages.count {
            let next = plan.pages[index + 1]
            out += "<a href=\"\(next.key).html\" rel=\"next\">\(XMLEscaping.text(next.title)) \u{2192}</a>"
        } else {
            out += "<span></span>"
        }
        return out + "</nav>\n"
    }
}
