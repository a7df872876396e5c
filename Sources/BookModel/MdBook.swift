import Foundation

/// Readers for other people's layouts (mdBook/GitBook SUMMARY.md trees).
///
/// Real trees are messy, so the reader keeps going and says what it did: a file listed
/// twice is kept once, a file that does not exist and a draft chapter (`[Title]()`) are
/// left out, a chapter with sub-chapters becomes a part that opens with that chapter,
/// a link to a folder means its README.md or index.md. Each of these is a warning with
/// SUMMARY.md's line; only a book with nothing to read is an error.
public enum MdBook {
    public static func load(from folder: URL) throws -> LoadedBook {
        let tree = FolderSource(root: folder)
        try tree.refuseLinksOut(["book.toml", "book.json"])
        let config = MdBookConfig(folder: folder)
        guard let summaryFolder = Self.summaryFolder(in: folder, config: config) else {
            throw BookLoadError(BookProblem(.error, file: "SUMMARY.md", "no SUMMARY.md at the root or in src/"))
        }
        let prefix = summaryFolder.isEmpty ? "" : summaryFolder + "/"
        try tree.refuseLinksOut([summaryFolder, prefix + "SUMMARY.md"].filter { !$0.isEmpty })
        let source = FolderSource(root: summaryFolder.isEmpty ? folder : folder.appendingPathComponent(summaryFolder))
        let summaryData = (try? Data(contentsOf: source.url(of: "SUMMARY.md"))) ?? Data()
        var reader = SummaryReader(source: source, summaryFile: prefix + "SUMMARY.md")
        let summary = ChapterFile(data: summaryData)
        let contents = reader.read(summary.content)
        var problems = config.problems + reader.problems

        let chapters = reader.chapters
        if chapters.isEmpty {
            problems.append(BookProblem(.error, file: prefix + "SUMMARY.md", "lists no chapter that exists"))
        }
        let listed = Set(chapters.map(\.path))
        for file in source.files(under: "") where file.lowercased().hasSuffix(".md") && file != "SUMMARY.md" && !listed.contains(file) {
            problems.append(BookProblem(.warning, file: prefix + file, "not in SUMMARY.md; left out of the book"))
        }
        let check = ChapterCheck(source: source, chapters: listed, display: { prefix + $0 })
        for (chapter, file) in zip(chapters, reader.files) {
            guard let file else { continue }
            problems += check.problems(in: file, at: chapter.path)
            problems += Self.preprocessorDirectives(in: file.content, shownAs: prefix + chapter.path)
        }

        let title = config.title ?? reader.bookTitle ?? ChapterTitle.fromFileName(folder.lastPathComponent)
        let metadata = BookMetadata(
            title: title, language: config.language ?? "en", description: config.description,
            authors: config.authors, identifier: BookIdentifier.derived(title: title, authors: config.authors))
        let images = Set(source.files(under: "").filter { BookIdentifier.imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) })
            .union(check.shown.paths).sorted()
        problems += source.svgProblems(in: images, display: { prefix + $0 })
        return LoadedBook(
            manuscript: Manuscript(metadata: metadata, contents: contents, source: source),
            problems: problems, images: images)
    }

    /// `{{#include file}}`, `{{#playground}}` and friends are expanded by mdBook's
    /// preprocessors, not by Markdown: an export would show them as text.
    static func preprocessorDirectives(in text: String, shownAs file: String) -> [BookProblem] {
        guard text.contains("{{#") else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            guard let start = line.range(of: "{{#") else { return nil }
            let directive = line[start.lowerBound...].prefix { $0 != "}" && $0 != " " }
            return BookProblem(.warning, file: file, line: index + 1, "mdBook directive '\(directive)' is not expanded; it stays as text")
        }
    }

    /// Where SUMMARY.md lives, relative to `folder`: book.toml's `src` (default `src/`),
    /// book.json's `root`, or the folder itself (GitBook). Nil when there is none.
    static func summaryFolder(in folder: URL, config: MdBookConfig? = nil) -> String? {
        let config = config ?? MdBookConfig(folder: folder)
        var candidates = [config.sourceFolder, "src", ""].compactMap { $0 }
        candidates = candidates.compactMap { $0.isEmpty ? "" : BookPath.normalise($0) }
        return candidates.first { candidate in
            let base = candidate.isEmpty ? folder : folder.appendingPathComponent(candidate)
            return FileManager.default.fileExists(atPath: base.appendingPathComponent("SUMMARY.md").path)
        }
    }
}
