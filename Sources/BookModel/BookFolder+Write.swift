import Foundation
import Yams

/// Why a manuscript could not be written as a book folder.
public struct BookWriteError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

extension BookFolder {
    /// The file name `write` gives the book's own CSS.
    static let stylesheetFile = "book.css"

    /// Writes a manuscript as a book folder (book.yaml, chapters/, images/), so that
    /// load(write(x)) gives x back: titles, order, parts, statuses, targets, text byte for byte,
    /// images, metadata.
    ///
    /// A chapter's title is written as its file's leading `# Title` line (what people
    /// editing the folder expect) unless the title cannot survive that (empty, several
    /// lines, edge spaces, trailing `#`s); then it goes to `title:` in book.yaml.
    public static func write(_ manuscript: Manuscript, images: [String], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = FolderSource(root: folder)  // after the folder exists: its links resolve in init

        var written = Set<String>()
        func checkedPath(_ path: String, _ what: String) throws -> String {
            guard !path.hasPrefix("/"), let normal = BookPath.normalise(path), normal == path,
                  normal != BookYaml.file
            else { throw BookWriteError("\(what) path '\(path)' is not a plain path inside the book folder") }
            guard written.insert(normal).inserted else { throw BookWriteError("\(what) '\(path)' appears twice") }
            return normal
        }
        func save(_ data: Data, at path: String) throws {
            let url = target.url(of: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        }

        func tocNodes(_ nodes: [ManuscriptNode]) throws -> [Node] {
            try nodes.map { node in
                switch node {
                case .part(let title, let children):
                    return Node([(Node("part"), Self.yamlText(title)), (Node("children"), Node(try tocNodes(children)))])
                case .chapter(let chapter):
                    let path = try checkedPath(chapter.path, "chapter")
                    let text = try manuscript.source.text(ofChapterAt: chapter.path)
                    var pairs: [(Node, Node)] = [(Node("chapter"), Self.yamlText(path))]
                    if ChapterFile.canBeHeading(chapter.title) {
                        try save(Data("# \(chapter.title)\n\n\(text)".utf8), at: path)
                    } else {
                        pairs.append((Node("title"), Self.yamlText(chapter.title)))
                        if ChapterFile(data: Data(text.utf8)).heading != nil {
                            pairs.append((Node("heading"), Node("text")))
                        }
                        try save(Data(text.utf8), at: path)
                    }
                    if let status = chapter.status { pairs.append((Node("status"), Self.yamlText(status))) }
                    if let target = chapter.target { pairs.append((Node("target"), Node(String(target)))) }
                    return Node(pairs)
                }
            }
        }
        let toc = try tocNodes(manuscript.contents)

        var files = images
        // The cover travels even when the caller forgot it; a cover the source lacks is left
        // for `load` to report rather than failing the whole write.
        if let cover = manuscript.metadata.cover, !files.contains(cover), try manuscript.source.data(at: cover) != nil {
            files.append(cover)
        }
        for image in files {
            let path = try checkedPath(image, "image")
            guard let data = try manuscript.source.data(at: image) else {
                throw BookWriteError("image '\(image)' is not in the book's source")
            }
            try save(data, at: path)
        }

        let meta = manuscript.metadata
        var pairs: [(Node, Node)] = [(Node("title"), Self.yamlText(meta.title))]
        func add(_ key: String, _ value: String?) {
            if let value { pairs.append((Node(key), Self.yamlText(value))) }
        }
        add("subtitle", meta.subtitle)
        add("language", meta.language)
        if !meta.authors.isEmpty { pairs.append((Node("authors"), Node(meta.authors.map(Self.yamlText)))) }
        if !manuscript.contributors.isEmpty {
            pairs.append((Node("contributors"), Node(manuscript.contributors.map(Self.yamlText))))
        }
        add("license", meta.license)
        add("identifier", meta.identifier)
        add("description", meta.description)
        add("cover", meta.cover)
        if let css = manuscript.stylesheet {
            try save(Data(css.utf8), at: try checkedPath(Self.stylesheetFile, "stylesheet"))
            add("stylesheet", Self.stylesheetFile)
        }
        pairs.append((Node("toc"), Node(toc)))
        let yaml = try Yams.serialize(node: Node(pairs), indent: 2, width: -1, allowUnicode: true)
        try save(Data(yaml.utf8), at: BookYaml.file)
    }

    /// A string that reads back as the same string, quoted when YAML would take it for
    /// something else (`yes`, `1.0`, `null`).
    static func yamlText(_ text: String) -> Node {
        (try? text.represented()) ?? Node(text)
    }
}
