import Foundation

/// The book folder format (`book.yaml`, `chapters/*.md`, `images/`): how a book lives
/// outside the server, in any editor and in git.
public enum BookFolder {
    /// Reads `book.yaml` + `chapters/*.md` + `images/`. Throws only when nothing sensible
    /// can be read (no book.yaml, YAML that does not parse: a BookProblem-carrying error);
    /// everything else is reported in `problems`.
    public static func load(from folder: URL) throws -> LoadedBook {
        let folderSource = FolderSource(root: folder)
        try folderSource.refuseLinksOut([BookYaml.file])
        guard let yamlData = try? Data(contentsOf: folderSource.url(of: BookYaml.file)) else {
            throw BookLoadError(BookProblem(.error, file: BookYaml.file, "missing: a book folder needs a book.yaml"))
        }
        let yamlFile = ChapterFile(data: yamlData)
        let yaml = try BookYaml(parsing: yamlFile.content)
        var problems = yaml.problems
        if yamlFile.hadBOM { problems.append(BookProblem(.warning, file: BookYaml.file, line: 1, "byte order mark ignored")) }

        var metadata = yaml.metadata
        if metadata.identifier.isEmpty {
            metadata.identifier = BookIdentifier.derived(title: metadata.title, authors: metadata.authors)
            problems.append(BookProblem(
                .warning, file: BookYaml.file,
                "no identifier: using \(metadata.identifier) (from the title); add it as 'identifier:' to keep it"))
        }

        var loader = Loader(source: folderSource)
        let contents = loader.nodes(yaml.toc)
        problems += loader.problems
        let source = loader.source
        if loader.chapters.isEmpty {
            problems.append(BookProblem(.warning, file: BookYaml.file, "the toc lists no chapter"))
        }

        // Chapter files that the toc does not list: an error, never a silent drop.
        let listed = Set(loader.chapters.map(\.path))
        for file in source.files(under: "chapters") where file.lowercased().hasSuffix(".md") && !listed.contains(file) {
            problems.append(BookProblem(.error, file: file, "chapter file not in book.yaml's toc"))
        }

        if let cover = metadata.cover, source.existingPath(cover) == nil {
            problems.append(BookProblem(.error, file: BookYaml.file, "cover '\(cover)' not found"))
        }
        var stylesheet: String?
        if let css = yaml.stylesheet {
            if let data = try? source.data(at: css) {
                stylesheet = String(decoding: data, as: UTF8.self)
            } else {
                problems.append(BookProblem(.error, file: BookYaml.file, "stylesheet '\(css)' not found"))
            }
        }
        let check = ChapterCheck(source: source, chapters: listed, display: { $0 })
        for (chapter, file) in zip(loader.chapters, loader.files) {
            problems += check.problems(in: file, at: chapter.path)
        }
        let manuscript = Manuscript(
            metadata: metadata, contents: contents, contributors: yaml.contributors,
            stylesheet: stylesheet, source: source)
        let images = Set(source.files(under: "images")).union(check.shown.paths)
        problems += source.svgProblems(in: images.sorted())
        return LoadedBook(manuscript: manuscript, problems: problems, images: images.sorted())
    }

    /// Turns toc entries into manuscript nodes, reading each chapter file once to find its
    /// title and its problems (the text itself is read again on demand).
    private struct Loader {
        var source: FolderSource
        var chapters: [ManuscriptChapter] = []
        var files: [ChapterFile] = []
        var problems: [BookProblem] = []
        var seen: [String: Int] = [:]

        init(source: FolderSource) { self.source = source }

        mutating func nodes(_ entries: [BookYaml.Entry]) -> [ManuscriptNode] {
            entries.compactMap { entry in
                switch entry {
                case .part(let title, _, let children):
                    return .part(title: title, children: self.nodes(children))
                case .chapter(let path, let title, let status, let target, let headingInText, let line):
                    return self.chapter(path, title: title, status: status, target: target, headingInText: headingInText, line: line)
                        .map { .chapter($0) }
                }
            }
        }

        private mutating func chapter(
            _ written: String, title: String?, status: String?, target: Int?, headingInText: Bool, line: Int
        ) -> ManuscriptChapter? {
            guard !written.hasPrefix("/"), let path = BookPath.normalise(written) else {
                self.error(line, "chapter '\(written)' is not a path inside the book folder")
                return nil
            }
            if let first = self.seen[path] {
                self.error(line, "chapter '\(path)' is listed twice (first on line \(first))")
                return nil
            }
            self.seen[path] = line
            guard self.source.isFile(path), let data = try? Data(contentsOf: self.source.url(of: path)) else {
                self.error(line, "chapter file '\(path)' is missing")
                return nil
            }
            if !path.lowercased().hasSuffix(".md") {
                self.problems.append(BookProblem(.warning, file: BookYaml.file, line: line, "chapter '\(path)' is not a .md file"))
            }
            let file = ChapterFile(data: data, takesTitle: !headingInText)
            if headingInText { self.source.headingsInText.insert(path) }
            var chosen = file.heading ?? title ?? ChapterTitle.fromFileName(path)
            if let heading = file.heading, heading.isEmpty {
                chosen = title ?? ChapterTitle.fromFileName(path)
                self.problems.append(BookProblem(.warning, file: path, line: file.headingLine, "empty title heading"))
            } else if let heading = file.heading, let title, title != heading {
                self.problems.append(BookProblem(
                    .warning, file: BookYaml.file, line: line,
                    "title '\(title)' differs from the chapter's heading '\(heading)'; the heading wins"))
            }
            if chosen.trimmingCharacters(in: .whitespaces).isEmpty {
                self.problems.append(BookProblem(.warning, file: BookYaml.file, line: line, "chapter '\(path)' has an empty title"))
            }
            let chapter = ManuscriptChapter(path: path, title: chosen, status: status, target: target)
            self.chapters.append(chapter)
            self.files.append(file)
            return chapter
        }

        private mutating func error(_ line: Int, _ message: String) {
            self.problems.append(BookProblem(.error, file: BookYaml.file, line: line, message))
        }
    }
}
