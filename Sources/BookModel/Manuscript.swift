import Foundation

/// A whole book as the exporter reads it and the book folder format stores it: metadata and
/// a tree of parts and chapters. Chapter texts and images are fetched on demand from a
/// `ManuscriptSource`, so exporting needs memory for one chapter at a time, not the book.
public struct Manuscript: Sendable {
    public var metadata: BookMetadata
    public var contents: [ManuscriptNode]
    /// Contributors credited in the colophon (from revision history when exported from the
    /// server), most revisions first.
    public var contributors: [String]
    /// Extra CSS the book brings, appended after the default stylesheet.
    public var stylesheet: String?
    public var source: any ManuscriptSource

    public init(
        metadata: BookMetadata, contents: [ManuscriptNode], contributors: [String] = [],
        stylesheet: String? = nil, source: any ManuscriptSource
    ) {
        self.metadata = metadata
        self.contents = contents
        self.contributors = contributors
        self.stylesheet = stylesheet
        self.source = source
    }

    /// Every chapter in reading order.
    public var chaptersInOrder: [ManuscriptChapter] {
        var out: [ManuscriptChapter] = []
        func walk(_ nodes: [ManuscriptNode]) {
            for node in nodes {
                switch node {
                case .chapter(let c): out.append(c)
                case .part(_, let children): walk(children)
                }
            }
        }
        walk(self.contents)
        return out
    }
}

/// A node of the manuscript's tree.
public indirect enum ManuscriptNode: Sendable, Equatable {
    case part(title: String, children: [ManuscriptNode])
    case chapter(ManuscriptChapter)
}

/// A chapter's place in the book; its text comes from the manuscript's source.
public struct ManuscriptChapter: Sendable, Equatable, Hashable {
    /// Path of the chapter inside the book, `chapters/name.md`: what links between chapters
    /// name, and what problems are reported against.
    public var path: String
    public var title: String
    public var status: String?
    /// The words the facilitator aims at for this chapter (`target:` in book.yaml), if set.
    public var target: Int?
    /// The largest target a chapter can have, in book.yaml and on the server.
    public static let maxTarget = 10_000_000

    public init(path: String, title: String, status: String? = nil, target: Int? = nil) {
        self.path = path
        self.title = title
        self.status = status
        self.target = target
    }
}

/// Where chapter texts and images come from: a folder on disk, or the server's store.
public protocol ManuscriptSource: Sendable {
    /// The Markdown text of the chapter at `path` (`chapters/name.md`).
    func text(ofChapterAt path: String) throws -> String
    /// The bytes of the file at `path` inside the book (`images/x.png`), or nil when absent.
    func data(at path: String) throws -> Data?
}

/// A problem found in a book, named by file and line so that a writer can fix it.
public struct BookProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var file: String
    public var line: Int?
    public var message: String

    public init(_ severity: Severity, file: String, line: Int? = nil, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: error: message`, the shape compilers use, so editors can jump to it.
    public var description: String {
        let place = self.line.map { "\(self.file):\($0)" } ?? self.file
        return "\(place): \(self.severity.rawValue): \(self.message)"
    }
}
