import CMarkGFM
import Foundation

/// SUMMARY.md read through cmark-gfm: headings are part titles, lists are chapters (nested
/// lists sub-chapters), links in plain paragraphs are prefix and suffix chapters.
struct SummaryReader {
    var source: FolderSource
    var summaryFile: String
    var chapters: [ManuscriptChapter] = []
    /// Each chapter's file as read for its title (nil when it could not be read), in the
    /// order of `chapters`, so that the checks after the summary need not read it again.
    var files: [ChapterFile?] = []
    var problems: [BookProblem] = []
    var bookTitle: String?
    private var seen: [String: Int] = [:]

    init(source: FolderSource, summaryFile: String) {
        self.source = source
        self.summaryFile = summaryFile
    }

    mutating func read(_ text: String) -> [ManuscriptNode] {
        MarkdownScan.withDocument(text) { document in
            var top: [ManuscriptNode] = []
            var part: (title: String, children: [ManuscriptNode])?
            var sawChapter = false
            var block = cmark_node_first_child(document)
            while let node = block {
                block = cmark_node_next(node)
                let type = cmark_node_get_type(node)
                if type == CMARK_NODE_HEADING {
                    let title = Self.plainText(node).trimmingCharacters(in: .whitespaces)
                    if !sawChapter, part == nil, cmark_node_get_heading_level(node) == 1 {
                        // mdBook's optional first heading (`# Summary`) names the page, not a part.
                        let generic = ["summary", "table of contents", "contents"]
                        if !generic.contains(title.lowercased()), !title.isEmpty { self.bookTitle = title }
                        continue
                    }
                    if let open = part { top.append(.part(title: open.title, children: open.children)) }
                    if title.isEmpty { self.warn(node, "part heading with no text") }
                    part = (title, [])
                } else if type == CMARK_NODE_LIST {
                    let nodes = self.items(of: node)
                    sawChapter = sawChapter || !nodes.isEmpty
                    if part != nil { part!.children += nodes } else { top += nodes }
                } else if type == CMARK_NODE_PARAGRAPH {
                    // Prefix and suffix chapters: plain links outside any list, never in a part.
                    let links = Self.links(in: node)
                    if !links.isEmpty, let open = part {
                        top.append(.part(title: open.title, children: open.children))
                        part = nil
                    }
                    for link in links {
                        if let chapter = self.chapter(link) {
                            top.append(.chapter(chapter))
                            sawChapter = true
                        }
                    }
                }
            }
            if let open = part { top.append(.part(title: open.title, children: open.children)) }
            return top
        }
    }

    private mutating func items(of list: OpaquePointer) -> [ManuscriptNode] {
        var nodes: [ManuscriptNode] = []
        var item = cmark_node_first_child(list)
        while let current = item {
            item = cmark_node_next(current)
            var own: ManuscriptChapter?
            var label: String?
            var children: [ManuscriptNode] = []
            var child = cmark_node_first_child(current)
            while let block = child {
                child = cmark_node_next(block)
                let type = cmark_node_get_type(block)
                if type == CMARK_NODE_PARAGRAPH, own == nil, label == nil {
                    if let link = Self.links(in: block).first {
                        own = self.chapter(link)
                        label = link.text
                    } else {
                        label = Self.plainText(block).trimmingCharacters(in: .whitespacesAndNewlines)
                        // `[Title](a file.md)`: CommonMark allows no spaces there, people write them anyway.
                        if let spaced = Self.spacedLink(label ?? "", line: Int(cmark_node_get_start_line(block))) {
                            own = self.chapter(spaced)
                            label = spaced.text
                        }
                    }
                } else if type == CMARK_NODE_LIST {
                    children += self.items(of: block)
                }
            }
            switch (own, children.isEmpty) {
            case (let chapter?, true): nodes.append(.chapter(chapter))
            case (let chapter?, false): nodes.append(.part(title: chapter.title, children: [.chapter(chapter)] + children))
            case (nil, false):
                // A heading-like entry (text or a draft link) over sub-chapters: a part.
                nodes.append(.part(title: label ?? "", children: children))
            case (nil, true):
                if let label, !label.isEmpty, Self.links(in: current).isEmpty {
                    self.warn(current, "entry '\(label)' links to no file; left out")
                }
            }
        }
        return nodes
    }

    private mutating func chapter(_ link: MarkdownReference) -> ManuscriptChapter? {
        let title = link.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if link.destination.trimmingCharacters(in: .whitespaces).isEmpty {
            self.warn(line: link.line, "draft chapter '\(title)' has no file yet; left out")
            return nil
        }
        if BookPath.isExternal(link.destination) {
            self.warn(line: link.line, "'\(link.destination)' is not a file of the book; left out")
            return nil
        }
        guard var path = BookPath.resolve(link.destination, from: "SUMMARY.md") else {
            self.warn(line: link.line, "'\(link.destination)' is outside the book; left out")
            return nil
        }
        if self.source.isDirectory(path) {
            guard let index = ["README.md", "index.md", "readme.md"].first(where: { self.source.isFile(path + "/" + $0) }) else {
                self.warn(line: link.line, "'\(link.destination)' is a folder with no README.md or index.md; left out")
                return nil
            }
            path += "/" + index
        }
        if !self.source.isFile(path) {
            guard let real = self.source.existingPath(path) else {
                self.warn(line: link.line, "'\(link.destination)' does not exist; left out")
                return nil
            }
            self.warn(line: link.line, "'\(link.destination)' found as '\(real)'")
            path = real
        }
        if let first = self.seen[path] {
            self.warn(line: link.line, "'\(path)' is listed twice (first on line \(first)); kept the first")
            return nil
        }
        self.seen[path] = link.line
        let file = (try? Data(contentsOf: self.source.url(of: path))).map { ChapterFile(data: $0) }
        var chosen = title
        if chosen.isEmpty { chosen = file?.heading ?? "" }
        if chosen.trimmingCharacters(in: .whitespaces).isEmpty {
            chosen = ChapterTitle.fromFileName(path)
            self.warn(line: link.line, "chapter '\(path)' has an empty title; using '\(chosen)'")
        }
        let chapter = ManuscriptChapter(path: path, title: chosen)
        self.chapters.append(chapter)
        self.files.append(file)
        return chapter
    }

    private mutating func warn(_ node: OpaquePointer, _ message: String) {
        self.warn(line: Int(cmark_node_get_start_line(node)), message)
    }

    private mutating func warn(line: Int, _ message: String) {
        self.problems.append(BookProblem(.warning, file: self.summaryFile, line: line, message))
    }

    /// `[Title](path with spaces.md)` read as a link, or nil when the text is not that shape.
    static func spacedLink(_ text: String, line: Int) -> MarkdownReference? {
        guard text.hasPrefix("["), text.hasSuffix(")"), let close = text.range(of: "](") else { return nil }
        let title = String(text[text.index(after: text.startIndex)..<close.lowerBound])
        let destination = String(text[close.upperBound..<text.index(before: text.endIndex)])
        guard !destination.isEmpty, !title.contains("]") else { return nil }
        return MarkdownReference(kind: .link, destination: destination, line: line, text: title)
    }

    /// The links of one paragraph, with their text.
    static func links(in node: OpaquePointer) -> [MarkdownReference] {
        var found: [MarkdownReference] = []
        for (current, entering) in MarkdownWalk(node) {
            guard entering, cmark_node_get_type(current) == CMARK_NODE_LINK else { continue }
            found.append(MarkdownReference(
                kind: .link, destination: MarkdownScan.url(of: current),
                line: Int(cmark_node_get_start_line(current)), text: Self.plainText(current)))
        }
        return found
    }

    /// The text of a node's inline content, markup dropped.
    static func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        for (current, entering) in MarkdownWalk(node) {
            guard entering else { continue }
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
                text += MarkdownScan.literal(of: current)
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            }
        }
        return text
    }
}
