import BookModel
import Foundation
import Testing

/// Whatever is on disk, the readers answer with problems or a thrown BookLoadError, never
/// a crash: fragments of YAML and Markdown shuffled by a seeded generator.
@Suite struct GarbageInputTests {
    static let yamlPieces = [
        "title: T\n", "toc:\n", "  - chapter: chapters/a.md\n", "  - part: P\n    children:\n", "      - chapters/a.md\n",
        "- x\n", "? complex\n: key\n", "&a [1, *a]\n", "toc: *missing\n", "\t\n", "title: [\n", "\u{0}", "'\n", "{}\n",
        "  - chapter: ../../etc/passwd\n", "  - chapter: /abs.md\n", "language: 12\n", "authors: {a: b}\n", "---\n", "...\n",
    ]
    static let markdownPieces = [
        "# Title\n", "![", "](", ")", "[x](", "../images/", "a b.png", "<img src=", "\"", "'", ">", "\n", "\r\n", "```\n",
        "| a |\n|---|\n", "<table><tr><td>", "![](", "#", "%20", "\u{FEFF}", "\u{0}", "[^1]", "[^1]: note\n", "<!-- ", "-->",
    ]
    static let summaryPieces = [
        "# Summary\n", "# Part\n", "- [A](a.md)\n", "  - [B](b.md)\n", "- [Draft]()\n", "[Prefix](a.md)\n", "---\n", "* x\n",
        "- [Folder](dir/)\n", "- [Out](../../x.md)\n", "- [Web](https://x.org)\n", "1. [N](a.md)\n", "\n", "    - [Deep](a.md)\n",
    ]

    static func garbage(_ pieces: [String], _ random: inout SplitMix) -> String {
        (0..<random.below(30)).map { _ in pieces[random.below(pieces.count)] }.joined()
    }

    @Test(arguments: 0..<60 as Range<UInt64>)
    func garbageNeverCrashesTheReaders(seed: UInt64) throws {
        var random = SplitMix(seed)
        let folder = try TestFolder([
            "book.yaml": Self.garbage(Self.yamlPieces, &random),
            "chapters/a.md": Self.garbage(Self.markdownPieces, &random),
            "src/SUMMARY.md": Self.garbage(Self.summaryPieces, &random),
            "src/a.md": Self.garbage(Self.markdownPieces, &random),
            "src/b.md": Self.garbage(Self.markdownPieces, &random),
            "src/dir/README.md": Self.garbage(Self.markdownPieces, &random),
        ])
        for load in [BookFolder.load(from:), MdBook.load(from:)] {
            do {
                let book = try load(folder.url)
                for chapter in book.manuscript.chaptersInOrder {
                    _ = try book.manuscript.source.text(ofChapterAt: chapter.path)
                }
                #expect(book.problems.allSatisfy { !$0.message.isEmpty })
            } catch let error as BookLoadError {
                #expect(!error.problem.message.isEmpty)
            }
        }
    }
}
