import Foundation

/// Checks one chapter's links and images against the files of the book: the problems
/// `booksprint check` lists and an export would otherwise trip over.
struct ChapterCheck {
    var source: FolderSource
    /// Every chapter path of the book, to tell a link to a chapter from a link to a stray file.
    var chapters: Set<String>
    /// How problems name a file: the path relative to the folder the user pointed at.
    var display: (String) -> String
    /// The local pictures the checked chapters show, so a writer can copy them along.
    let shown = FileList()

    func problems(in file: ChapterFile, at path: String) -> [BookProblem] {
        var problems: [BookProblem] = []
        let shown = self.display(path)
        if file.hadBOM { problems.append(BookProblem(.warning, file: shown, line: 1, "byte order mark stripped")) }
        if file.hadCRLF { problems.append(BookProblem(.warning, file: shown, line: 1, "CRLF line endings converted to LF")) }
        if !file.isValidUTF8 {
            problems.append(BookProblem(.error, file: shown, "not valid UTF-8; undecodable bytes were replaced"))
        }
        let references = MarkdownScan.references(in: file.content)
        for reference in references.spaced {
            let what = reference.kind == .image ? "picture" : "link"
            problems.append(BookProblem(
                .warning, file: shown, line: reference.line,
                "'\(reference.destination)' has spaces, so Markdown reads this \(what) as plain text; write <\(reference.destination)> or use %20"))
        }
        for reference in references.parsed {
            switch reference.kind {
            case .image: problems += self.imageProblems(reference, in: path)
            case .link: problems += self.linkProblems(reference, in: path)
            }
        }
        return problems
    }

    private func imageProblems(_ image: MarkdownReference, in path: String) -> [BookProblem] {
        let shown = self.display(path)
        var problems: [BookProblem] = []
        let name = image.destination
        if image.altText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(BookProblem(.warning, file: shown, line: image.line,
                                        "image '\(name)' has no alt text; readers who cannot see it get nothing"))
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(BookProblem(.error, file: shown, line: image.line, "image with no source"))
        } else if BookPath.isRemote(name) {
            problems.append(BookProblem(.warning, file: shown, line: image.line,
                                        "remote image '\(name)' is not fetched on export; put a copy in images/"))
        } else if name.lowercased().hasPrefix("data:") {
            // Inline pictures travel with the text.
        } else if BookPath.isExternal(name) {
            problems.append(BookProblem(.warning, file: shown, line: image.line, "image '\(name)' is not a file of the book"))
        } else {
            switch self.lookUp(name, from: path) {
            case .found(let file): self.shown.add(file)
            case .chapter: break
            case .caseDiffers(let real):
                self.shown.add(real)
                problems.append(BookProblem(.warning, file: shown, line: image.line,
                                            "image '\(name)' found only as '\(real)' (letter case differs)"))
            case .folder, .missing:
                problems.append(BookProblem(.error, file: shown, line: image.line, "image '\(name)' not found"))
            }
        }
        return problems
    }

    private func linkProblems(_ link: MarkdownReference, in path: String) -> [BookProblem] {
        let shown = self.display(path)
        let name = link.destination
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            return [BookProblem(.warning, file: shown, line: link.line, "link '\(link.text)' has no destination")]
        }
        // Addresses with a scheme are the exporter's link rule's to judge (it drops what is
        // not allowed, `BookExporter.linkRuleProblems`), not files to look for.
        if LinkScheme.scheme(of: name) != nil || BookPath.isExternal(name) || BookPath.localPart(of: name).isEmpty { return [] }
        switch self.lookUp(name, from: path) {
        case .found(let file) where file.lowercased().hasSuffix(".md"):
            return [BookProblem(.warning, file: shown, line: link.line,
                                "link to '\(name)', which is not a chapter of the book")]
        case .chapter, .found: return []
        case .caseDiffers(let real):
            return [BookProblem(.warning, file: shown, line: link.line,
                                "link to '\(name)' found only as '\(real)' (letter case differs)")]
        case .folder(let folder):
            return [BookProblem(.warning, file: shown, line: link.line,
                                "link to folder '\(folder)', which has no README.md or index.md chapter")]
        case .missing:
            return [BookProblem(.error, file: shown, line: link.line, "link to missing file '\(name)'")]
        }
    }

    /// State shared by copies of the checker (it is a struct): pictures seen, look-ups made.
    final class FileList {
        private(set) var paths = Set<String>()
        var lookUps: [String: LookUp] = [:]
        func add(_ path: String) { self.paths.insert(path) }
    }

    enum LookUp { case chapter(String), found(String), caseDiffers(String), folder(String), missing }

    /// Resolves a destination relative to the chapter, then (the book folder's `images/x`
    /// form) relative to the book's root.
    func lookUp(_ destination: String, from path: String) -> LookUp {
        let key = BookPath.directory(of: path) + "\u{0}" + destination
        if let known = self.shown.lookUps[key] { return known }
        let found = self.uncachedLookUp(destination, from: path)
        self.shown.lookUps[key] = found
        return found
    }

    private func uncachedLookUp(_ destination: String, from path: String) -> LookUp {
        let candidates = BookPath.candidates(for: destination, from: path)
        for candidate in candidates {
            if self.chapters.contains(candidate) { return .chapter(candidate) }
            if self.source.isFile(candidate) { return .found(candidate) }
            if self.source.isDirectory(candidate) {
                for index in ["README.md", "index.md"] where self.chapters.contains(candidate + "/" + index) {
                    return .chapter(candidate + "/" + index)
                }
            }
        }
        for candidate in candidates {
            if let real = self.source.caseInsensitiveMatch(candidate) { return .caseDiffers(real) }
        }
        if let folder = candidates.first(where: self.source.isDirectory) { return .folder(folder) }
        return .missing
    }
}
