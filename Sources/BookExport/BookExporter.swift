import BookModel
import Foundation

/// The formats a book leaves in.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// EPUB 3 (with an NCX for EPUB 2 readers), valid under EPUBCheck 5.
    case epub
    /// One self-contained HTML5 file: CSS inline, images as data URLs, contents at the top.
    case html
    /// A folder of HTML pages, one per chapter, with next/previous links.
    case site
}

/// Settings of one export.
public struct ExportOptions: Sendable {
    /// Written as `dcterms:modified` and the colophon's export date; fix it and the same
    /// book gives byte-identical files.
    public var date: Date
    /// Called after each page is written with (pages done, pages in total).
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(date: Date = Date(), progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.date = date
        self.progress = progress
    }
}

/// What an export found wrong in the book (each problem with file and line) and what it wrote.
public struct ExportReport: Sendable {
    public var problems: [BookProblem]
    public var pages: Int
    public var images: Int

    /// The problems in file and line order.
    init(_ problems: [BookProblem], _ plan: ExportPlan) {
        self.problems = problems.sorted { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        self.pages = plan.pages.count
        self.images = plan.imageOrder.count
    }
}

/// Exports a `Manuscript` as EPUB 3, one HTML file or an HTML site. Two passes over the
/// chapters (the first learns every anchor and image, the second writes), each holding one
/// chapter in memory at a time.
public struct BookExporter: Sendable {
    public let manuscript: Manuscript
    public let options: ExportOptions

    public init(_ manuscript: Manuscript, options: ExportOptions = ExportOptions()) {
        self.manuscript = manuscript
        self.options = options
    }

    /// Writes the book in `format` to `url` (a file for epub and html, a folder for site).
    @discardableResult
    public func write(_ format: ExportFormat, to url: URL) throws -> ExportReport {
        switch format {
        case .epub:
            try? FileManager.default.removeItem(at: url)
            return try EPUBWriter(exporter: self).write(to: url)
        case .html:
            return try HTMLWriter(exporter: self).writeSingleFile(to: url)
        case .site:
            return try HTMLWriter(exporter: self).writeSite(to: url)
        }
    }

    /// The EPUB as bytes (for the server's `/export.epub`).
    public func epubData() throws -> (Data, ExportReport) {
        try EPUBWriter(exporter: self).data()
    }

    // MARK: Shared by the writers

    /// First pass: learns every page's anchors and every image, reporting nothing. Chapters
    /// are parsed in parallel; anchors and images are registered in book order, so names
    /// and ids do not depend on timing.
    func plan() -> ExportPlan {
        MarkdownDocument.prepare()
        let plan = ExportPlan(self.manuscript)
        _ = plan.cover
        let links = PageLinks(page: { _, _ in "#" }, image: { _ in "" })
        let chapters = plan.chapterPages
        let source = self.manuscript.source
        try? OrderedParallelMap.run(count: chapters.count) { i -> ChapterRenderer? in
            guard let text = try? source.text(ofChapterAt: chapters[i].chapter.path) else { return nil }
            var renderer = ChapterRenderer(plan: plan, page: chapters[i].index, links: links, collecting: true)
            _ = renderer.render(text)
            return renderer
        } consume: { i, renderer in
            guard let renderer else { return }
            plan.register(anchors: renderer.localAnchors, page: chapters[i].index)
            for src in renderer.imageReferences {
                plan.locateImage(src, from: chapters[i].chapter.path)
            }
        }
        return plan
    }

    /// Second pass: renders each page's body (chapter text after its title; empty for
    /// parts) in parallel and hands them to `write` in reading order. Returns the problems.
    func renderPages(
        _ plan: ExportPlan, links: PageLinks, write: (_ page: Int, _ body: String) throws -> Void
    ) throws -> [BookProblem] {
        var problems = plan.problems + (self.identifierProblem.map { [$0] } ?? []) + self.bookStylesheet.problems
        let exporter = self
        try OrderedParallelMap.run(count: plan.pages.count) { index -> (String, [BookProblem]) in
            guard let chapter = plan.chapter(of: index) else { return ("", []) }
            do {
                let text = try exporter.manuscript.source.text(ofChapterAt: chapter.path)
                var renderer = ChapterRenderer(plan: plan, page: index, links: links, collecting: false, expectedSize: text.utf8.count)
                let body = renderer.render(text)
                return (body, exporter.inFileLines(renderer.problems, chapter: chapter, text: text))
            } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
                return ("", [BookProblem(.error, file: chapter.path, "chapter file not found; exported with its title only")])
            } catch {
                return ("", [BookProblem(.error, file: chapter.path, "chapter text cannot be read (\(error.localizedDescription)); exported with its title only")])
            }
        } consume: { index, result in
            problems += result.1
            try write(index, result.0)
            self.options.progress?(index + 1, plan.pages.count)
        }
        return problems
    }

    /// Problem lines are lines of the chapter's text; readers may have taken a leading
    /// `# Title` out of it, so they are moved by the lines the file has above the text.
    func inFileLines(_ problems: [BookProblem], chapter: ManuscriptChapter, text: String) -> [BookProblem] {
        guard !problems.isEmpty, let raw = try? self.manuscript.source.data(at: chapter.path) else { return problems }
        let offset = raw.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } - text.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        guard offset > 0 else { return problems }
        return problems.map { problem in
            var moved = problem
            moved.line = problem.line.map { $0 + offset }
            return moved
        }
    }

    /// Language tag and writing direction of the book.
    var language: String {
        let tag = self.manuscript.metadata.language.trimmingCharacters(in: .whitespaces)
        return tag.isEmpty ? "en" : tag
    }

    var isRightToLeft: Bool {
        let primary = self.language.split(separator: "-").first.map { $0.lowercased() } ?? ""
        return ["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "syr", "iw"].contains(primary)
    }

    var title: String {
        let title = self.manuscript.metadata.title.trimmingCharacters(in: .whitespacesAndNewlines)
        return title.isEmpty ? "Untitled" : title
    }

    /// The CSS every format ships: the default stylesheet, then the book's own, which thus
    /// wins where both set something (under the link rule: `StylesheetRules`).
    var stylesheet: String { Stylesheet.book + self.bookStylesheet.css }

    var bookStylesheet: StylesheetRules { StylesheetRules(self.manuscript.stylesheet ?? "") }

    /// Named authors, else the contributors (the metadata's rule).
    var creators: [String] {
        let authors = self.manuscript.metadata.authors.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return authors.isEmpty ? self.manuscript.contributors : authors
    }

    /// `2026-11-22T02:00:00Z`, the form `dcterms:modified` requires.
    var timestamp: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: self.options.date)
    }

    var day: String { String(self.timestamp.prefix(10)) }

    /// The book's identifier, or one derived from its title and authors (as a book folder
    /// without one gets) so that it stays the same from export to export. A `urn:uuid:` that is not a UUID (EPUBCheck warns) is replaced
    /// by a UUID derived from it, just as stable.
    var identifier: String {
        let id = self.manuscript.metadata.identifier.trimmingCharacters(in: .whitespaces)
        if id.isEmpty { return BookIdentifier.derived(title: self.title, authors: self.manuscript.metadata.authors) }
        if id.lowercased().hasPrefix("urn:uuid:"), UUID(uuidString: String(id.dropFirst(9))) == nil {
            return BookIdentifier.derived(from: id)
        }
        return id
    }

    /// A warning when the identifier had to be derived or replaced.
    var identifierProblem: BookProblem? {
        let id = self.manuscript.metadata.identifier.trimmingCharacters(in: .whitespaces)
        if id.isEmpty {
            return BookProblem(.warning, file: "book.yaml", "no identifier; exported as \(self.identifier), derived from the title and authors")
        }
        if self.identifier != id {
            return BookProblem(.warning, file: "book.yaml", "identifier '\(id)' is not a valid urn:uuid; exported as \(self.identifier)")
        }
        return nil
    }

    /// The colophon's content: title, credits, license and export date.
    func colophonBody() -> String {
        var out = XHTMLBuilder()
        out.open("h1")
        out.text(self.title)
        out.close()
        if let subtitle = self.manuscript.metadata.subtitle, !subtitle.isEmpty {
            out.open("p", [("class", "subtitle")])
            out.text(subtitle)
            out.close()
        }
        let authors = self.manuscript.metadata.authors.filter { !$0.isEmpty }
        if !authors.isEmpty {
            out.open("p")
            out.text("By " + authors.joined(separator: ", ") + ".")
            out.close()
        }
        if !self.manuscript.contributors.isEmpty {
            out.open("p")
            out.text("Written together by " + self.manuscript.contributors.joined(separator: ", ") + ".")
            out.close()
        }
        out.open("p")
        out.text("License: " + (self.manuscript.metadata.license.flatMap { $0.isEmpty ? nil : $0 } ?? "all rights reserved") + ".")
        out.close()
        out.open("p")
        out.text("Exported on \(self.day) with Booksprint.")
        out.close()
        return out.output
    }
}
