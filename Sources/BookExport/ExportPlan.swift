import BookModel
import Foundation

/// Everything an export knows before it writes a page: the pages in reading order with
/// safe file keys, every anchor id of every page, and every image with its sniffed type.
/// Built by a first pass over the chapters, so that links between chapters can be checked
/// and pointed at the right file and id while memory holds one chapter at a time.
///
/// Shared by the threads that render chapters: the page list never changes after `init`,
/// anchors only in the first pass's ordered step, and the caches behind `image(at:)` and
/// `resolveLink` are guarded by `lock`.
final class ExportPlan: @unchecked Sendable {
    struct Page {
        enum Kind: Equatable {
            case part
            case chapter(ManuscriptChapter)
        }
        var kind: Kind
        var title: String
        /// Safe, unique name: file stem in the container and section id in one-file HTML.
        var key: String
    }

    /// The table of contents as a tree of page indexes.
    struct NavItem {
        var page: Int
        var children: [NavItem]
    }

    /// An image copied into the export once, whatever the number of references.
    struct ImageAsset: Equatable {
        /// Book-relative path of the source file.
        var path: String
        /// File name inside the export's image folder.
        var fileName: String
        var type: ImageFormat
    }

    enum ImageLookup: Equatable {
        case found(ImageAsset)
        case missing
        case unsupported
    }

    let manuscript: Manuscript
    private(set) var pages: [Page] = []
    private(set) var nav: [NavItem] = []
    private(set) var pageOfChapter: [String: Int] = [:]
    /// Per page: the anchor names a link may use (heading slugs, raw ids) -> the unique id.
    private(set) var anchors: [[String: String]] = []
    private(set) var images: [String: ImageLookup] = [:]
    /// Images in order of first use: the order they are written in.
    private(set) var imageOrder: [ImageAsset] = []
    /// Problems with the book's structure (not with one chapter's text).
    private(set) var problems: [BookProblem] = []
    private var globalIDs = UniqueNames()
    /// Link destinations already resolved, by chapter folder and destination: books link to
    /// the same few places over and over, and resolving goes through Foundation.
    private var resolvedLinks: [String: String?] = [:]
    private var imageNames = UniqueNames()
    private let lock = NSLock()

    /// Names the exporter's own pages use; chapters never get them.
    static let reservedKeys = ["nav", "cover", "colophon", "toc", "index", "title", "style", "images", "css", "text"]

    init(_ manuscript: Manuscript) {
        self.manuscript = manuscript
        var keys = UniqueNames()
        for key in Self.reservedKeys { _ = keys.claim(key) }
        var partCount = 0
        func build(_ nodes: [ManuscriptNode]) -> [NavItem] {
            var items: [NavItem] = []
            for node in nodes {
                switch node {
                case .part(let title, let children):
                    partCount += 1
                    let index = self.pages.count
                    var label = title.trimmingCharacters(in: .whitespacesAndNewlines)
                    if label.isEmpty {
                        label = "Part \(partCount)"
                        self.problems.append(BookProblem(.warning, file: "book.yaml", "part \(partCount) has no title; called \"\(label)\""))
                    }
                    self.pages.append(Page(kind: .part, title: label, key: keys.claim("part-\(partCount)")))
                    let kids = build(children)
                    items.append(NavItem(page: index, children: kids))
                case .chapter(let chapter):
                    if self.pageOfChapter[chapter.path] != nil {
                        self.problems.append(BookProblem(.error, file: chapter.path, "chapter is listed twice; exported once"))
                        continue
                    }
                    var label = chapter.title.trimmingCharacters(in: .whitespacesAndNewlines)
                    if label.isEmpty {
                        label = BookPath.stem(of: chapter.path)
                        self.problems.append(BookProblem(.warning, file: chapter.path, "chapter has no title; using its file name"))
                    }
                    let slug = Slug.make(BookPath.stem(of: chapter.path))
                    let index = self.pages.count
                    self.pageOfChapter[chapter.path] = index
                    self.pages.append(Page(kind: .chapter(chapter), title: label, key: keys.claim(slug.isEmpty ? "chapter" : slug)))
                    items.append(NavItem(page: index, children: []))
                }
            }
            return items
        }
        self.nav = build(manuscript.contents)
        for page in self.pages { _ = self.globalIDs.claim(page.key) }
        self.anchors = Array(repeating: [:], count: self.pages.count)
    }

    /// Records the anchors a chapter defines (in the order met) and gives each its id,
    /// unique in the whole book and stable from export to export.
    func register(anchors local: [String], page: Int) {
        let key = self.pages[page].key
        for name in local where self.anchors[page][name] == nil {
            let slug = Slug.make(name)
            self.anchors[page][name] = self.globalIDs.claim("\(key)-\(slug.isEmpty ? "id" : slug)")
        }
    }

    /// The id of anchor `name` on `page`, matching as written or by slug (`#Über Uns` finds
    /// the heading `über-uns`); nil when the page has no such anchor.
    func anchor(_ name: String, page: Int) -> String? {
        let anchors = self.anchors[page]
        if let id = anchors[name] { return id }
        let decoded = name.removingPercentEncoding ?? name
        return anchors[decoded] ?? anchors[Slug.make(decoded)]
    }

    /// Looks an image up, reading and sniffing it the first time only.
    func image(at path: String) -> ImageLookup {
        self.lock.withLock { self.lockedImage(at: path) }
    }

    private func lockedImage(at path: String) -> ImageLookup {
        if let known = self.images[path] { return known }
        let result: ImageLookup
        if let data = try? self.manuscript.source.data(at: path) {
            if let type = ImageFormat(sniffing: data) {
                let stem = Slug.make(BookPath.stem(of: path))
                let name = self.imageNames.claim(stem.isEmpty ? "image" : stem)
                let asset = ImageAsset(path: path, fileName: "\(name).\(type.fileExtension)", type: type)
                self.imageOrder.append(asset)
                result = .found(asset)
            } else {
                result = .unsupported
            }
        } else {
            result = .missing
        }
        self.images[path] = result
        return result
    }

    /// The book's cover image, when it names one that exists.
    lazy var cover: ImageAsset? = {
        guard let path = self.manuscript.metadata.cover, !path.isEmpty,
              let resolved = BookPath.normalise(path) else { return nil }
        switch self.image(at: resolved) {
        case .found(let asset): return asset
        case .missing:
            self.problems.append(BookProblem(.error, file: "book.yaml", "cover image \(path) not found"))
            return nil
        case .unsupported:
            self.problems.append(BookProblem(.error, file: "book.yaml", "cover image \(path) is not PNG, JPEG, GIF, WebP or SVG"))
            return nil
        }
    }()

    /// Pages in reading order that are chapters, with their index.
    var chapterPages: [(index: Int, chapter: ManuscriptChapter)] {
        self.pages.indices.compactMap { i in
            if case .chapter(let chapter) = self.pages[i].kind { return (i, chapter) }
            return nil
        }
    }

    /// The chapter path a page shows, if it is a chapter.
    func chapter(of page: Int) -> ManuscriptChapter? {
        if case .chapter(let chapter) = self.pages[page].kind { return chapter }
        return nil
    }

    /// The book path a link written in `file` names: relative to the chapter, else from the
    /// book's root (the readers' rule), preferring a path that is a chapter.
    func resolveLink(_ destination: String, from file: String) -> String? {
        let key = BookPath.directory(of: file) + "\u{0}" + destination
        if let known = self.lock.withLock({ self.resolvedLinks[key] }) { return known }
        let resolved = BookPath.locate(destination, from: file, exists: { self.chapterPage(for: $0) != nil })
        self.lock.withLock { self.resolvedLinks[key] = resolved }
        return resolved
    }

    /// The book path an image reference written in `file` names (the readers' rule: relative
    /// to the chapter, else from the root, preferring a path that exists).
    func locatePath(_ src: String, from file: String) -> String? {
        BookPath.locate(src, from: file, exists: { self.image(at: $0) != .missing })
    }

    /// Registers the image a reference names when first met (the first pass's job).
    func locateImage(_ src: String, from file: String) {
        guard !BookPath.isExternal(src), let path = self.locatePath(src, from: file) else { return }
        _ = self.image(at: path)
    }

    /// Whether a book-relative path names a chapter; tries `README.md`/`index.md` for folders.
    func chapterPage(for path: String) -> Int? {
        if let page = self.pageOfChapter[path] { return page }
        for index in ["README.md", "index.md", "readme.md"] {
            if let page = self.pageOfChapter[path + "/" + index] { return page }
        }
        return nil
    }
}
