import BookModel

/// How an output format points at pages and images: EPUB and the site link files, the
/// one-file HTML links ids and inlines images.
struct PageLinks: Sendable {
    /// The href of a page, or of an anchor id on it.
    var page: @Sendable (_ page: Int, _ anchor: String?) -> String
    var image: @Sendable (ExportPlan.ImageAsset) -> String

    /// One file per page (`key.xhtml`, `key.html`) beside each other, images in `imageFolder`.
    static func files(_ plan: ExportPlan, extension ext: String, imageFolder: String) -> PageLinks {
        PageLinks(
            page: { page, anchor in
                let file = "\(plan.pages[page].key).\(ext)"
                return anchor.map { "\(file)#\($0)" } ?? file
            },
            image: { imageFolder + $0.fileName })
    }
}

/// Turns one chapter's Markdown into an XHTML fragment: headings with book-wide ids, links
/// between chapters pointed at the output files, images resolved and checked, raw HTML kept
/// when it can be well-formed and dropped with a warning (chapter and line) otherwise.
struct ChapterRenderer {
    let plan: ExportPlan
    let page: Int
    let links: PageLinks
    /// First pass: record anchors and images, report nothing, output is thrown away.
    let collecting: Bool

    private(set) var problems: [BookProblem] = []
    /// The problems among `problems` that the link rule (`LinkScheme`, `ExternalURL`) found.
    private(set) var linkRuleProblems: [BookProblem] = []
    private(set) var localAnchors: [String] = []
    /// First pass: image references as written, looked up later in book order.
    private(set) var imageReferences: [String] = []
    private var out: XHTMLBuilder
    private var headingSlugs = UniqueNames()
    private var footnoteNumbers: [String: Int] = [:]
    private var footnotesDefined = 0
    private var footnotesOpen = false
    /// The line inline content is on: cmark gives inlines their block's line, so soft and
    /// hard breaks are counted to name the right one.
    private var inlineLine = 0
    private var headingShift = 1
    /// Set while inside an inline `<script>`-like element whose end tag is in a later node.
    private var skippingUntilEndOf: String?
    /// Raw start tags dropped, by name, whose end tags are then dropped without a warning.
    private var droppedStarts: [String: Int] = [:]
    private let chapter: ManuscriptChapter
    private let key: String
    /// Set for the app's preview: top-level blocks carry `data-line`, links to other
    /// chapters keep their fragment as written, images point at the book's assets.
    var preview: PreviewTargets?
    /// For the preview: whether each line (1-based) of the text is blank.
    private var blankLines: [Bool] = []

    init(plan: ExportPlan, page: Int, links: PageLinks, collecting: Bool, expectedSize: Int = 0) {
        self.plan = plan
        self.page = page
        self.links = links
        self.collecting = collecting
        self.chapter = plan.chapter(of: page) ?? ManuscriptChapter(path: "", title: "")
        self.key = plan.pages[page].key
        self.out = XHTMLBuilder(capacity: collecting ? 0 : expectedSize + expectedSize / 4)
        self.out.discarding = collecting
    }

    /// Renders `markdown` and returns the XHTML of the chapter's body (after its title).
    mutating func render(_ markdown: String) -> String {
        if self.preview != nil { self.blankLines = Self.blankLines(of: markdown) }
        let document = MarkdownDocument(markdown)
        // The nodes borrow the document's C tree: keep it alive until rendering is done.
        return withExtendedLifetime(document) { self.render(document.root) }
    }

    private mutating func render(_ root: MarkdownNode) -> String {
        // The builder reports raw HTML it had to repair; collect into a local first since the
        // closure cannot capture `self` mutably.
        var repairs: [(Int, String)] = []
        self.out.warn = { line, message in repairs.append((line, message)) }
        // A leading "# Title" repeating the chapter's title is not shown twice.
        var blocks = Array(root.children)
        if let first = blocks.first, first.kind == .heading, first.headingLevel == 1,
           first.plainText.trimmingSpaces == self.plan.pages[self.page].title {
            blocks.removeFirst()
        }
        // The text's top heading level sits just below the chapter title (h1), whatever
        // level the writer started at.
        let top = blocks.filter { $0.kind == .heading }.map(\.headingLevel).min() ?? 2
        self.headingShift = 2 - top
        for block in blocks {
            // cmark puts footnote definitions last; the list of notes ends with them.
            if block.kind != .footnoteDefinition { self.closeFootnotes() }
            // The block's first element names the source lines it came from.
            if self.preview != nil { self.out.pendingAttributes = [("data-line", self.lineRange(of: block))] }
            self.block(block)
            self.out.pendingAttributes = []
            for (line, message) in repairs { self.warn(line, message) }
            repairs.removeAll()
        }
        self.closeFootnotes()
        while !self.out.stack.isEmpty { self.out.close() }
        for (line, message) in repairs { self.warn(line, message) }
        return self.out.output
    }

    /// `START-END`, the block's lines without the blank lines cmark counts at the end of
    /// lists and breaks.
    private func lineRange(of block: MarkdownNode) -> String {
        let start = block.line
        var end = max(start, block.endLine)
        while end > start, end < self.blankLines.count, self.blankLines[end] { end -= 1 }
        return "\(start)-\(end)"
    }

    static func blankLines(of text: String) -> [Bool] {
        var blank = [false]  // line 0 does not exist
        var current = true
        for byte in text.utf8 {
            if byte == 10 {
                blank.append(current)
                current = true
            } else if byte != 32, byte != 9, byte != 13 {
                current = false
            }
        }
        blank.append(current)
        return blank
    }

    // MARK: Blocks

    private mutating func block(_ node: MarkdownNode) {
        switch node.kind {
        case .paragraph:
            // Paragraphs in tight lists are written without <p>, as cmark's renderer does.
            if let item = node.parent, item.kind == .item || item.kind == .taskItem,
               let list = item.parent, list.isTightList {
                self.inlines(node)
                return
            }
            self.openBlock("p", line: node.line)
            self.inlines(node)
            self.out.close()
        case .heading:
            self.heading(node)
        case .blockQuote:
            self.openBlock("blockquote", line: node.line)
            for child in node.children { self.block(child) }
            self.out.close()
        case .list:
            var attributes: [(String, String)] = []
            if node.isOrderedList, node.listStart != 1 { attributes.append(("start", String(node.listStart))) }
            self.openBlock(node.isOrderedList ? "ol" : "ul", attributes, line: node.line)
            for item in node.children { self.block(item) }
            self.out.close()
        case .item, .taskItem:
            let task = node.kind == .taskItem
            self.out.open("li", task ? [("class", "task")] : [])
            if task { self.out.append(node.isChecked ? "<span class=\"check\">\u{2611}</span> " : "<span class=\"check\">\u{2610}</span> ") }
            for child in node.children { self.block(child) }
            self.out.close()
        case .codeBlock:
            let language = node.fenceInfo.split(separator: " ").first.map(String.init)
            self.openBlock("pre", line: node.line)
            self.out.open("code", language.map { [("class", "language-\($0)")] } ?? [])
            self.out.text(node.literal)
            self.out.close()
            self.out.close()
        case .htmlBlock:
            self.rawHTML(node.literal, line: node.line)
        case .thematicBreak:
            self.out.prepareForBlock(line: node.line)
            self.out.void("hr")
        case .table:
            self.table(node)
        case .footnoteDefinition:
            self.footnoteDefinition(node)
        default:
            for child in node.children { self.block(child) }
        }
    }

    private mutating func openBlock(_ name: String, _ attributes: [(String, String)] = [], line: Int) {
        self.out.prepareForBlock(line: line)
        self.out.open(name, attributes)
    }

    private mutating func heading(_ node: MarkdownNode) {
        // The chapter title is the page's h1; the text's headings sit one level below it.
        let level = min(max(node.headingLevel + self.headingShift, 2), 6)
        var text = node.plainText.trimmingSpaces
        if text.isEmpty {
            text = self.imageAlts(node).joined(separator: " ")
        }
        let slug = Slug.make(text)
        let local = self.headingSlugs.claim(slug.isEmpty ? "section" : slug)
        self.openBlock("h\(level)", [("id", self.anchorID(local))], line: node.line)
        self.inlines(node)
        self.out.close()
    }

    private func imageAlts(_ node: MarkdownNode) -> [String] {
        node.children.flatMap { child -> [String] in
            child.kind == .image ? [child.plainText] : self.imageAlts(child)
        }
    }

    /// The book-wide id of a local anchor (a heading slug or an id written in raw HTML).
    private mutating func anchorID(_ local: String) -> String {
        if self.collecting {
            self.localAnchors.append(local)
            return local
        }
        return self.plan.anchor(local, page: self.page) ?? local
    }

    private mutating func table(_ node: MarkdownNode) {
        let alignments = node.tableAlignments
        self.openBlock("table", line: node.line)
        var bodyOpen = false
        for row in node.children {
            let header = row.kind == .tableHeader
            if header {
                self.out.open("thead")
            } else if !bodyOpen {
                self.out.open("tbody")
                bodyOpen = true
            }
            self.out.open("tr")
            for (column, cell) in row.children.enumerated() {
                let align = column < alignments.count ? alignments[column] : nil
                self.out.open(header ? "th" : "td", align.map { [("style", "text-align: \($0)")] } ?? [])
                self.inlines(cell)
                self.out.close()
            }
            self.out.close()
            if header { self.out.close() }
        }
        if bodyOpen { self.out.close() }
        self.out.close()
    }

    private mutating func footnoteDefinition(_ node: MarkdownNode) {
        if !self.footnotesOpen {
            self.out.prepareForBlock(line: node.line)
            self.out.open("section", [("class", "footnotes")])
            self.out.open("ol")
            self.footnotesOpen = true
        }
        self.footnotesDefined += 1
        let n = self.footnotesDefined
        self.out.open("li", [("id", "\(self.key)--fn\(n)")])
        for child in node.children { self.block(child) }
        self.out.open("p")
        self.out.open("a", [("href", self.links.page(self.page, "\(self.key)--ref\(n)")), ("class", "footnote-back")])
        self.out.text("\u{21A9}")
        self.out.close()
        self.out.close()
        self.out.close()
    }

    private mutating func closeFootnotes() {
        guard self.footnotesOpen else { return }
        self.out.close()
        self.out.close()
        self.footnotesOpen = false
    }

    // MARK: Inlines

    private mutating func inlines(_ node: MarkdownNode) {
        if node.kind == .paragraph || node.kind == .heading || node.kind == .tableCell {
            self.inlineLine = node.line
        }
        for child in node.children {
            if let name = self.skippingUntilEndOf {
                if child.kind == .htmlInline, child.literal.lowercased().hasPrefix("</\(name)") {
                    self.skippingUntilEndOf = nil
                }
                continue
            }
            self.inline(child)
        }
        if node.kind == .paragraph || node.kind == .heading || node.kind == .tableCell {
            self.skippingUntilEndOf = nil
        }
    }

    private mutating func inline(_ node: MarkdownNode) {
        switch node.kind {
        case .text: self.out.text(node.literal)
        case .softBreak:
            self.out.append("\n")
            self.inlineLine += 1
        case .lineBreak:
            self.out.void("br")
            self.inlineLine += 1
        case .code:
            self.out.open("code")
            self.out.text(node.literal)
            self.out.close()
        case .emphasis: self.wrap("em", node)
        case .strong: self.wrap("strong", node)
        case .strikethrough: self.wrap("del", node)
        case .htmlInline:
            self.rawHTML(node.literal, line: self.inlineLine)
            self.inlineLine += node.literal.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        case .link:
            if !self.out.isOpen("a"), let href = self.linkTarget(node.url, line: self.inlineLine) {
                var attributes = [("href", href)]
                if !node.title.isEmpty { attributes.append(("title", node.title)) }
                self.out.open("a", attributes)
                self.inlines(node)
                self.out.close()
            } else {
                self.inlines(node)
            }
        case .image:
            self.image(src: node.url, alt: node.plainText, title: node.title, line: self.inlineLine)
        case .footnoteReference:
            let label = node.literal
            let n: Int
            let first: Bool
            if let known = self.footnoteNumbers[label] {
                (n, first) = (known, false)
            } else {
                n = self.footnoteNumbers.count + 1
                self.footnoteNumbers[label] = n
                first = true
            }
            self.out.open("sup", [("class", "footnote-ref")])
            var attributes = [("href", self.links.page(self.page, "\(self.key)--fn\(n)"))]
            if first { attributes.append(("id", "\(self.key)--ref\(n)")) }
            self.out.open("a", attributes)
            self.out.text(String(n))
            self.out.close()
            self.out.close()
        default:
            self.inlines(node)
        }
    }

    private mutating func wrap(_ name: String, _ node: MarkdownNode) {
        self.out.open(name)
        self.inlines(node)
        self.out.close()
    }

    // MARK: Links and images

    /// The href a link written in this chapter should have in the output, or nil (and a
    /// warning) when it points nowhere.
    private mutating func linkTarget(_ url: String, line: Int) -> String? {
        let url = url.trimmingSpaces
        if url.isEmpty {
            self.warn(line, "link has no target; written as text")
            return nil
        }
        let scheme = LinkScheme.scheme(of: url)
        if let scheme, !LinkScheme.allowed.contains(scheme) {
            self.warnLink(line, "link to a '\(scheme.prefix(20)):' address dropped (links go to http, https or mailto addresses, or inside the book); written as text")
            return nil
        }
        // The first pass needs no link targets, and resolving them is the costly part.
        if self.collecting { return "#" }
        if scheme != nil || url.hasPrefix("//") || url.hasPrefix("\\\\") {
            switch ExternalURL.normalised(url) {
            case .success(let href): return href
            case .failure(let failure):
                self.warnLink(line, "link to '\(url.prefix(80))' is not a valid web address (\(failure)); written as text")
                return nil
            }
        }
        let fragment = url.firstIndex(of: "#").map { String(url[url.index(after: $0)...]) }
        let targetPage: Int
        if BookPath.localPart(of: url).isEmpty {
            targetPage = self.page
        } else {
            guard let resolved = self.plan.resolveLink(url, from: self.chapter.path) else {
                self.error(line, "link to '\(url)' points outside the book")
                return nil
            }
            guard let page = self.plan.chapterPage(for: resolved) else {
                // Only asks whether the file exists: `plan.image(at:)` would register it as
                // an image to copy, from a worker thread, in an order that varies run to run.
                if (try? self.plan.manuscript.source.data(at: resolved)) != nil {
                    self.warn(line, "link to '\(url)', which is not a chapter of the book")
                } else {
                    self.error(line, "link to missing file '\(url)'")
                }
                return nil
            }
            targetPage = page
        }
        guard let fragment, !fragment.isEmpty else { return self.links.page(targetPage, nil) }
        // The preview knows the anchors of its own chapter only; the app finds the others.
        if self.preview != nil, targetPage != self.page { return self.links.page(targetPage, fragment) }
        if let id = self.plan.anchor(fragment, page: targetPage) { return self.links.page(targetPage, id) }
        self.warn(line, "link to '\(url)': no heading or anchor '\(fragment)' there; it points at the chapter instead")
        return self.links.page(targetPage, nil)
    }

    private mutating func image(src: String, alt: String, title: String, extra: [(String, String)] = [], line: Int) {
        let src = src.trimmingSpaces
        if alt.trimmingSpaces.isEmpty {
            self.warn(line, "image '\(src)'" + Self.missingAltText)
        }
        if BookPath.isExternal(src) || src.hasPrefix("data:") {
            self.warn(line, BookPath.isRemote(src)
                ? "remote image '\(src)' is not fetched on export; put a copy in images/"
                : "image '\(src.prefix(40))...' is inline data, which EPUB readers need not show; put a file in images/")
            self.imagePlaceholder(alt)
            return
        }
        if self.collecting {
            self.imageReferences.append(src)
            return
        }
        if let preview = self.preview {
            guard let name = preview.assetName(src, from: self.chapter.path) else {
                self.error(line, src.isEmpty ? "image with no source" : "image '\(src)' not found")
                self.imagePlaceholder(alt)
                return
            }
            var attributes = [("src", preview.assetURL(name)), ("data-asset", name), ("alt", alt)]
            if !title.isEmpty { attributes.append(("title", title)) }
            self.out.void("img", attributes + extra)
            return
        }
        guard let path = self.plan.locatePath(src, from: self.chapter.path) else {
            self.error(line, src.isEmpty ? "image with no source" : "image '\(src)' points outside the book")
            self.imagePlaceholder(alt)
            return
        }
        switch self.plan.image(at: path) {
        case .found(let asset):
            var attributes = [("src", self.links.image(asset)), ("alt", alt)]
            if !title.isEmpty { attributes.append(("title", title)) }
            self.out.void("img", attributes + extra)
        case .missing:
            self.error(line, "image '\(src)' not found")
            self.imagePlaceholder(alt)
        case .unsupported:
            self.error(line, "image '\(src)' is not PNG, JPEG, GIF, WebP or SVG; left out")
            self.imagePlaceholder(alt)
        }
    }

    private mutating func imagePlaceholder(_ alt: String) {
        guard !alt.isEmpty else { return }
        self.out.open("span", [("class", "missing-image")])
        self.out.text(alt)
        self.out.close()
    }

    // MARK: Raw HTML

    private mutating func rawHTML(_ html: String, line: Int) {
        for (token, offset) in RawHTMLTokenizer.tokenize(html) {
            let line = line + offset
            switch token {
            case .text(let text):
                if let current = self.out.current, HTMLElementRules.structural.contains(current) {
                    if !text.allSatisfy(\.isWhitespace) {
                        self.warn(line, "text directly inside raw HTML <\(current)> dropped")
                    }
                    continue
                }
                self.out.text(text)
            case .rawText(let name, let closed):
                self.warn(line, "raw HTML <\(name)> dropped with its content (not allowed in a book)")
                if !closed { self.skippingUntilEndOf = name }
            case .end(let name):
                let name = HTMLElementRules.renamed[name] ?? name
                if HTMLElementRules.void.contains(name) { continue }
                if !self.out.closeRaw(name, line: line) {
                    // The end of a start tag already dropped (and warned about) goes quietly.
                    if let dropped = self.droppedStarts[name], dropped > 0 {
                        self.droppedStarts[name] = dropped - 1
                    } else {
                        self.warn(line, "raw HTML </\(name)> closes nothing open; dropped")
                    }
                }
            case .start(let original, let attributes, let selfClosing):
                let name = HTMLElementRules.renamed[original] ?? original
                if !self.rawStart(original, attributes, selfClosing: selfClosing, line: line), !selfClosing,
                   !HTMLElementRules.void.contains(name) {
                    self.droppedStarts[name, default: 0] += 1
                }
            }
        }
    }

    /// Writes a raw start tag as XHTML; false when it was dropped.
    private mutating func rawStart(_ original: String, _ attributes: [(String, String)], selfClosing: Bool, line: Int) -> Bool {
        let name = HTMLElementRules.renamed[original] ?? original
        let isFlow = HTMLElementRules.flow.contains(name)
        guard isFlow || HTMLElementRules.phrasing.contains(name) else {
            self.warn(line, "raw HTML <\(original)> is not allowed in a book; tag dropped")
            return false
        }
        let current = self.out.current ?? "body"
        if let parents = HTMLElementRules.requiredParents[name] {
            guard parents.contains(current) else {
                self.warn(line, "raw HTML <\(original)> outside <\(parents.sorted().joined(separator: "> or <"))>; tag dropped")
                return false
            }
        } else if HTMLElementRules.structural.contains(current) {
            self.warn(line, "raw HTML <\(original)> cannot stand directly inside <\(current)>; tag dropped")
            return false
        } else if isFlow, self.out.inPhrasing {
            self.warn(line, "raw HTML <\(original)> cannot stand inside a paragraph or heading; tag dropped")
            return false
        }
        if name == "a", self.out.isOpen("a") {
            self.warn(line, "raw HTML <a> inside a link; tag dropped")
            return false
        }
        var kept: [(String, String)] = []
        var src = ""
        var alt: String?
        for (attribute, value) in attributes {
            let attribute = (original == "a" && attribute == "name") ? "id" : attribute
            guard HTMLElementRules.globalAttributes.contains(attribute)
                || HTMLElementRules.elementAttributes[name]?.contains(attribute) == true else { continue }
            guard HTMLElementRules.accepts(attribute, value) else { continue }
            switch attribute {
            case "id":
                let trimmed = value.trimmingSpaces
                guard !trimmed.isEmpty else { continue }
                let local = self.headingSlugs.claim(trimmed)
                kept.append(("id", self.anchorID(local)))
            case "href":
                guard let href = self.linkTarget(value, line: line) else { continue }
                kept.append(("href", href))
            case "src": src = value
            case "alt": alt = value
            default:
                kept.append((attribute, HTMLElementRules.boolean.contains(attribute) ? attribute : value))
            }
        }
        if name == "img" {
            // A raw <img> goes through the same checks as a Markdown image, keeping extras.
            self.image(src: src, alt: alt ?? "", title: "", extra: kept, line: line)
            return true
        }
        if HTMLElementRules.void.contains(name) {
            self.out.void(name, kept)
            return true
        }
        self.out.open(name, kept, raw: true, line: line)
        if selfClosing { _ = self.out.closeRaw(name, line: line) }
        return true
    }

    // MARK: Problems

    /// The end of the warning for an image without alt text (worded as the readers word it,
    /// so that `booksprint export` shows it once); the package metadata looks for it.
    static let missingAltText = " has no alt text; readers who cannot see it get nothing"

    private mutating func warn(_ line: Int, _ message: String) {
        guard !self.collecting else { return }
        self.problems.append(BookProblem(.warning, file: self.chapter.path, line: line, message))
    }

    /// A link the link rule dropped: `booksprint check` lists these beside its own checks.
    private mutating func warnLink(_ line: Int, _ message: String) {
        guard !self.collecting else { return }
        self.warn(line, message)
        self.linkRuleProblems.append(self.problems[self.problems.count - 1])
    }

    private mutating func error(_ line: Int, _ message: String) {
        guard !self.collecting else { return }
        self.problems.append(BookProblem(.error, file: self.chapter.path, line: line, message))
    }
}
