import BookModel

/// What a problem is about, so that a list of them can be grouped and explained.
public enum ProblemKind: String, Sendable, CaseIterable {
    case brokenLink = "broken-link"
    case linkScheme = "link-scheme"
    case missingImage = "missing-image"
    case missingAltText = "missing-alt-text"
    case rawHTML = "raw-html"
    case conflictMarkers = "conflict-markers"
    /// Anything else (book.yaml, a chapter that cannot be read).
    case other
}

extension BookProblem {
    /// The kind, read from the message the exporter wrote (`ChapterRenderer`'s wording);
    /// `BookCheckTests` hold each wording to its kind.
    public var kind: ProblemKind {
        let m = self.message
        if m.hasPrefix(ConflictMarkerScan.message) { return .conflictMarkers }
        if m.hasPrefix("raw HTML") || m.hasPrefix("text directly inside raw HTML") { return .rawHTML }
        if m.hasSuffix(ChapterRenderer.missingAltText) { return .missingAltText }
        if m.hasPrefix("link to a '") && m.contains("address dropped") { return .linkScheme }
        if m.hasPrefix("link") { return .brokenLink }
        if m.hasPrefix("image") { return .missingImage }
        return .other
    }
}

extension BookExporter {
    /// Every problem an export of the book would report, plus conflict markers left in the
    /// chapters' texts, in file and line order; nothing is written.
    public func check() throws -> [BookProblem] {
        let plan = self.plan()
        var problems = try self.renderPages(plan, links: .files(plan, extension: "html", imageFolder: "images/")) { _, _ in }
        for chapter in self.manuscript.chaptersInOrder {
            guard let text = try? self.manuscript.source.text(ofChapterAt: chapter.path) else { continue }
            problems += ConflictMarkerScan.problems(in: text, file: chapter.path)
        }
        return ExportReport(problems, plan).problems
    }
}

/// Finds git's conflict blocks (`<<<<<<<`, `=======`, `>>>>>>>` at line starts) left in a
/// chapter's text, outside fenced code (where a book about merging shows them on purpose).
public enum ConflictMarkerScan {
    static let message = "conflict markers left in the text"

    public static func problems(in text: String, file: String) -> [BookProblem] {
        var problems: [BookProblem] = []
        var fence: Character?  // the open fence's character, inside a fenced code block
        var start: Int?  // line of the open block's `<<<<<<<`
        var sawSeparator = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            if indent < 4, let mark = body.first, mark == "`" || mark == "~", body.hasPrefix(String(repeating: mark, count: 3)) {
                if fence == nil { fence = mark } else if fence == mark { fence = nil }
                continue
            }
            guard fence == nil else { continue }
            if line.hasPrefix("<<<<<<<") {
                (start, sawSeparator) = (index + 1, false)
            } else if start != nil, line.hasPrefix("=======") {
                sawSeparator = true
            } else if let open = start, sawSeparator, line.hasPrefix(">>>>>>>") {
                problems.append(BookProblem(.error, file: file, line: open, "\(Self.message): resolve them, then save"))
                start = nil
            }
        }
        return problems
    }
}
