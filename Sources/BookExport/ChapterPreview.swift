import BookModel
import Foundation

/// Renders a chapter's Markdown for the web app's preview, through the exporter's own
/// `ChapterRenderer` (the same cmark-gfm, the same raw-HTML and link rules), as an XHTML
/// fragment safe to insert into the app's page: no script, style, frame, object, form,
/// base, meta or link element, no event-handler or style attribute, no link or image to a
/// `javascript:`, `vbscript:`, `data:` or `file:` address survives the renderer's
/// allow-lists. Each top-level block carries `data-line="START-END"` (1-based source lines,
/// inclusive); links to other chapters of the book point at the app's chapter pages
/// (`/books/BOOK/chapters/ID#fragment`), and images of the book at its assets
/// (`/api/v1/books/BOOK/assets/NAME`, with `data-asset="NAME"`).
public struct ChapterPreview: Sendable {
    /// A chapter of the book: its id and the file name `export.zip` gives it.
    public struct Chapter: Sendable {
        public var id: String
        public var file: String
        public var title: String

        public init(id: String, file: String, title: String) {
            self.id = id
            self.file = file
            self.title = title
        }
    }

    public let book: String
    public let chapters: [Chapter]
    public let assets: Set<String>

    public init(book: String, chapters: [Chapter], assets: Set<String>) {
        self.book = book
        self.chapters = chapters
        self.assets = assets
    }

    /// The fragment and what the renderer found wrong (line numbers of `markdown`).
    /// `chapter`: the id of the chapter the text belongs to, when known (its title is not
    /// repeated, and links to it stay on the page).
    public func render(_ markdown: String, chapter: String? = nil) -> (html: String, problems: [BookProblem]) {
        MarkdownDocument.prepare()
        var ids: [String: String] = [:]
        var contents: [ManuscriptNode] = []
        var own = "chapters/\u{1}preview.md"
        for c in self.chapters {
            let path = "chapters/\(c.file).md"
            if c.id == chapter { own = path }
            ids[path] = c.id
            contents.append(.chapter(ManuscriptChapter(path: path, title: c.title)))
        }
        // A text of no chapter yet gets a page of its own beside the others.
        if ids[own] == nil { contents.append(.chapter(ManuscriptChapter(path: own, title: "\u{1}"))) }
        let manuscript = Manuscript(metadata: BookMetadata(title: "", identifier: ""), contents: contents, source: NoFiles())
        let plan = ExportPlan(manuscript)
        let page = plan.pageOfChapter[own] ?? 0
        let book = self.book
        let chapterIDs = ids
        let links = PageLinks(
            page: { target, anchor in
                let fragment = anchor.map { "#" + BookPath.encodeHref($0) } ?? ""
                if target == page, !fragment.isEmpty { return fragment }
                let id = plan.chapter(of: target).flatMap { chapterIDs[$0.path] } ?? ""
                return "/books/\(book)/chapters/\(id)" + fragment
            },
            image: { _ in "" })
        let targets = PreviewTargets(book: self.book, assets: self.assets)
        // First pass over this chapter only: its anchors, for links inside it.
        var first = ChapterRenderer(plan: plan, page: page, links: links, collecting: true)
        first.preview = targets
        _ = first.render(markdown)
        plan.register(anchors: first.localAnchors, page: page)
        var renderer = ChapterRenderer(plan: plan, page: page, links: links, collecting: false, expectedSize: markdown.utf8.count)
        renderer.preview = targets
        let html = renderer.render(markdown)
        return (html, renderer.problems)
    }

    /// The preview reads no files: images are the book's assets, named in `assets`.
    private struct NoFiles: ManuscriptSource {
        func text(ofChapterAt path: String) throws -> String { "" }
        func data(at path: String) throws -> Data? { nil }
    }
}

/// Where the preview points images: the book's assets, by name.
struct PreviewTargets: Sendable {
    let book: String
    let assets: Set<String>

    /// The asset an image reference names: the last part of the path it resolves to (the
    /// store's rule: `images/NAME`, `../images/NAME`, and any other path inside the book),
    /// when the book has it.
    func assetName(_ src: String, from file: String) -> String? {
        for path in BookPath.candidates(for: src, from: file) {
            if let name = path.split(separator: "/").last.map(String.init), self.assets.contains(name) { return name }
        }
        return nil
    }

    func assetURL(_ name: String) -> String {
        "/api/v1/books/\(self.book)/assets/\(BookPath.encodeHref(name))"
    }
}
