import Foundation
import Yams

/// `book.yaml` read into metadata and a table of contents whose every entry remembers its
/// line, so problems found later (a missing file, a duplicate) can point at it.
struct BookYaml {
    enum Entry {
        case part(title: String, line: Int, children: [Entry])
        case chapter(path: String, title: String?, status: String?, target: Int?, headingInText: Bool, line: Int)
    }

    static let file = "book.yaml"

    var metadata: BookMetadata
    var contributors: [String] = []
    /// Path of the book's own CSS, from `stylesheet:`.
    var stylesheet: String?
    var toc: [Entry] = []
    var problems: [BookProblem] = []

    /// Throws only when the text is not YAML or not a mapping: nothing else can be read then.
    init(parsing text: String) throws {
        let root: Node
        do {
            root = try Yams.compose(yaml: text) ?? Node([(Node, Node)]())
        } catch let error as YamlError {
            throw BookLoadError(Self.problem(for: error))
        }
        guard let mapping = root.mapping else {
            throw BookLoadError(BookProblem(
                .error, file: Self.file, line: root.mark?.line,
                "expected keys such as title: and toc:, found \(Self.kind(of: root))"))
        }
        self.metadata = BookMetadata(title: "", identifier: "")
        var sawTitle = false
        var sawToc = false
        for (key, value) in mapping {
            let line = key.mark?.line
            guard let name = key.string else {
                self.warn(line, "ignored a key that is not text")
                continue
            }
            switch name {
            case "title":
                sawTitle = true
                self.metadata.title = self.text(value, name) ?? ""
                if self.metadata.title.trimmingCharacters(in: .whitespaces).isEmpty {
                    self.problems.append(BookProblem(.error, file: Self.file, line: line, "the book's title is empty"))
                }
            case "subtitle": self.metadata.subtitle = self.text(value, name)
            case "language":
                self.metadata.language = self.text(value, name) ?? "en"
                if self.metadata.language.range(of: "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", options: .regularExpression) == nil {
                    self.warn(line, "language '\(self.metadata.language)' is not a BCP 47 tag such as en, de or pt-BR")
                }
            case "license": self.metadata.license = self.text(value, name)
            case "description": self.metadata.description = self.text(value, name)
            case "identifier": self.metadata.identifier = self.text(value, name) ?? ""
            case "cover": self.metadata.cover = self.text(value, name)
            case "stylesheet": self.stylesheet = self.text(value, name)
            case "authors", "author": self.metadata.authors = self.texts(value, name)
            case "contributors": self.contributors = self.texts(value, name)
            case "toc":
                sawToc = true
                self.toc = self.entries(value)
            default:
                self.warn(line, "unknown key '\(name)' ignored")
            }
        }
        if !sawTitle {
            self.problems.append(BookProblem(.error, file: Self.file, line: 1, "no title: the book needs one"))
        }
        if !sawToc {
            self.problems.append(BookProblem(.error, file: Self.file, line: 1, "no toc: list the chapters under toc:"))
        }
    }

    private mutating func warn(_ line: Int?, _ message: String) {
        self.problems.append(BookProblem(.warning, file: Self.file, line: line, message))
    }

    private mutating func error(_ line: Int?, _ message: String) {
        self.problems.append(BookProblem(.error, file: Self.file, line: line, message))
    }

    /// A scalar as text; a list or mapping where text belongs is an error.
    private mutating func text(_ node: Node, _ key: String) -> String? {
        if case .scalar(let scalar) = node {
            return scalar.tag == .implicit && scalar.string.isEmpty && scalar.style == .plain ? nil : scalar.string
        }
        self.error(node.mark?.line, "'\(key)' should be text, found \(Self.kind(of: node))")
        return nil
    }

    /// One name or a list of names.
    private mutating func texts(_ node: Node, _ key: String) -> [String] {
        if let sequence = node.sequence { return sequence.compactMap { self.text($0, key) } }
        return self.text(node, key).map { [$0] } ?? []
    }

    private mutating func entries(_ node: Node) -> [Entry] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty { return [] }
        guard let sequence = node.sequence else {
            self.error(node.mark?.line, "toc should be a list of '- chapter:' and '- part:' entries")
            return []
        }
        return sequence.compactMap { self.entry($0) }
    }

    private mutating func entry(_ node: Node) -> Entry? {
        let line = node.mark?.line ?? 0
        // `- chapters/x.md` is a chapter too: what people type first.
        if case .scalar(let scalar) = node { return .chapter(path: scalar.string, title: nil, status: nil, target: nil, headingInText: false, line: line) }
        guard let mapping = node.mapping else {
            self.error(line, "a toc entry should be '- chapter: FILE' or '- part: TITLE'")
            return nil
        }
        var fields: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            if ["chapter", "part", "title", "status", "target", "children", "heading"].contains(name) {
                fields[name] = value
            } else {
                self.warn(key.mark?.line, "unknown toc key '\(name)' ignored")
            }
        }
        switch (fields["chapter"], fields["part"]) {
        case (let chapter?, nil):
            if fields["children"] != nil { self.warn(line, "a chapter has no children; they were ignored") }
            guard let path = self.text(chapter, "chapter"), !path.isEmpty else {
                self.error(line, "chapter entry with no file")
                return nil
            }
            return .chapter(path: path, title: fields["title"].flatMap { self.text($0, "title") },
                            status: fields["status"].flatMap { self.text($0, "status") },
                            target: fields["target"].flatMap { self.target($0) },
                            headingInText: self.headingInText(fields["heading"]), line: line)
        case (nil, let part?):
            let title = self.text(part, "part") ?? ""
            if title.trimmingCharacters(in: .whitespaces).isEmpty { self.warn(line, "part with an empty title") }
            return .part(title: title, line: line, children: fields["children"].map { self.entries($0) } ?? [])
        case (.some, .some):
            self.error(line, "a toc entry is either a chapter or a part, not both")
        case (nil, nil):
            self.error(line, "a toc entry needs 'chapter: FILE' or 'part: TITLE'")
        }
        return nil
    }

    /// `target: 1500`: the words aimed at, a whole number from 0 to `maxTarget`; anything
    /// else is reported and left unset.
    private mutating func target(_ node: Node) -> Int? {
        guard let text = self.text(node, "target") else { return nil }
        guard let words = Int(text), (0...ManuscriptChapter.maxTarget).contains(words) else {
            self.warn(node.mark?.line, "target: is a number of words from 0 to \(ManuscriptChapter.maxTarget); '\(text.prefix(40))' ignored")
            return nil
        }
        return words
    }

    /// `heading: text` says the chapter's leading `# ` line belongs to its text (written when a
    /// title cannot be a heading but the text starts with one); `heading: title` is the default.
    private mutating func headingInText(_ node: Node?) -> Bool {
        guard let node else { return false }
        switch self.text(node, "heading") {
        case "text": return true
        case "title": return false
        default:
            self.warn(node.mark?.line, "heading: is 'title' (the default) or 'text'")
            return false
        }
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar: "text"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    static func problem(for error: YamlError) -> BookProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return BookProblem(.error, file: Self.file, line: mark.line, "YAML does not parse: \(detail)")
        case .reader(let problem, _, _, _):
            return BookProblem(.error, file: Self.file, "YAML does not parse: \(problem)")
        default:
            return BookProblem(.error, file: Self.file, "YAML does not parse: \(error)")
        }
    }
}
