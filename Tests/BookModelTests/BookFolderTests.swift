import BookModel
import Foundation
import Testing

@Suite struct BookFolderTests {
    static let minimalYaml = """
        title: Labcraft
        identifier: urn:uuid:0d6c3a52-8f7c-4d0a-9f39-5f4e2a1b7c10
        toc:
          - chapter: chapters/preface.md
          - part: Why labs
            children:
              - chapter: chapters/defining-labs.md
                title: What is a lab?
                status: done
              - part: Stories
                children:
                  - chapter: chapters/failures.md

        """

    @Test func titleComesFromHeadingThenTitleKeyThenFileName() throws {
        let folder = try TestFolder([
            "book.yaml": Self.minimalYaml,
            "chapters/preface.md": "# Before we start\n\nWelcome.\n",
            "chapters/defining-labs.md": "A lab is a place.\n",
            "chapters/failures.md": "Things went wrong.\n",
        ])
        let book = try BookFolder.load(from: folder.url)
        #expect(book.problems.isEmpty, "\(book.report)")
        #expect(book.manuscript.chaptersInOrder.map(\.title) == ["Before we start", "What is a lab?", "Failures"])
        #expect(book.manuscript.chaptersInOrder.map(\.status) == [nil, "done", nil])
        let expected: [ManuscriptNode] = [
            .chapter(ManuscriptChapter(path: "chapters/preface.md", title: "Before we start")),
            .part(title: "Why labs", children: [
                .chapter(ManuscriptChapter(path: "chapters/defining-labs.md", title: "What is a lab?", status: "done")),
                .part(title: "Stories", children: [.chapter(ManuscriptChapter(path: "chapters/failures.md", title: "Failures"))]),
            ]),
        ]
        #expect(book.manuscript.contents == expected)
        #expect(book.manuscript.metadata.title == "Labcraft")
    }

    @Test func leadingHeadingIsTakenOutOfTheText() throws {
        let folder = try TestFolder([
            "book.yaml": Self.minimalYaml,
            "chapters/preface.md": "\n# Before we start ##\n\nWelcome.\n\n# Not the title\n",
            "chapters/defining-labs.md": "## A second-level heading is text\n",
            "chapters/failures.md": "",
        ])
        let book = try BookFolder.load(from: folder.url)
        let source = book.manuscript.source
        #expect(try source.text(ofChapterAt: "chapters/preface.md") == "Welcome.\n\n# Not the title\n")
        #expect(try source.text(ofChapterAt: "chapters/defining-labs.md") == "## A second-level heading is text\n")
        #expect(try source.text(ofChapterAt: "chapters/failures.md") == "")
        #expect(book.manuscript.chaptersInOrder[0].title == "Before we start")
    }

    @Test func headingMadeOnlyOfAnImageStaysInTheText() throws {
        let folder = try TestFolder([
            "book.yaml": Self.minimalYaml,
            "chapters/preface.md": "# ![The lab](../images/lab.png)\n\nText.\n",
            "chapters/defining-labs.md": "x\n", "chapters/failures.md": "y\n",
        ])
        try folder.write("images/lab.png", Data([0x89, 0x50]))
        let book = try BookFolder.load(from: folder.url)
        #expect(book.manuscript.chaptersInOrder[0].title == "Preface")
        #expect(try book.manuscript.source.text(ofChapterAt: "chapters/preface.md").hasPrefix("# ![The lab]"))
        #expect(!book.hasErrors, "\(book.report)")
    }

    @Test func crlfAndByteOrderMarkAreConvertedAndSaidSo() throws {
        let folder = try TestFolder(["book.yaml": Self.minimalYaml, "chapters/defining-labs.md": "x\n", "chapters/failures.md": "y\n"])
        try folder.write("chapters/preface.md", Data([0xEF, 0xBB, 0xBF]) + Data("# Hello\r\n\r\nOne\r\nTwo\r\n".utf8))
        let book = try BookFolder.load(from: folder.url)
        #expect(try book.manuscript.source.text(ofChapterAt: "chapters/preface.md") == "One\nTwo\n")
        #expect(book.manuscript.chaptersInOrder[0].title == "Hello")
        #expect(book.has(.warning, "chapters/preface.md", line: 1, containing: "byte order mark"))
        #expect(book.has(.warning, "chapters/preface.md", line: 1, containing: "CRLF"))
        #expect(!book.hasErrors)
    }

    @Test func chapterFileNotInTheTocIsAnErrorNamingIt() throws {
        let folder = try TestFolder([
            "book.yaml": Self.minimalYaml, "chapters/preface.md": "a\n", "chapters/defining-labs.md": "b\n",
            "chapters/failures.md": "c\n", "chapters/extra/forgotten.md": "d\n",
        ])
        let book = try BookFolder.load(from: folder.url)
        #expect(book.hasErrors)
        #expect(book.has(.error, "chapters/extra/forgotten.md", containing: "not in book.yaml's toc"))
    }

    @Test func tocEntryWithMissingFileIsAnErrorWithItsLine() throws {
        let folder = try TestFolder(["book.yaml": Self.minimalYaml, "chapters/preface.md": "a\n", "chapters/failures.md": "c\n"])
        let book = try BookFolder.load(from: folder.url)
        #expect(book.has(.error, "book.yaml", line: 7, containing: "'chapters/defining-labs.md' is missing"))
        #expect(book.manuscript.chaptersInOrder.map(\.path) == ["chapters/preface.md", "chapters/failures.md"])
    }

    @Test func duplicateChapterIsAnErrorNamingBothLines() throws {
        let yaml = "title: T\nidentifier: x\ntoc:\n  - chapter: chapters/a.md\n  - chapter: chapters/b.md\n  - chapter: ./chapters/a.md\n"
        let folder = try TestFolder(["book.yaml": yaml, "chapters/a.md": "a\n", "chapters/b.md": "b\n"])
        let book = try BookFolder.load(from: folder.url)
        #expect(book.has(.error, "book.yaml", line: 6, containing: "listed twice (first on line 4)"))
        #expect(book.manuscript.chaptersInOrder.count == 2)
    }

    @Test func yamlThatDoesNotParseThrowsWithItsLine() throws {
        let folder = try TestFolder(["book.yaml": "title: Fine\nlanguage: en\ntoc:\n  - chapter: [unclosed\n  - chapter: b.md\n"])
        do {
            _ = try BookFolder.load(from: folder.url)
            Issue.record("a broken book.yaml loaded")
        } catch let error as BookLoadError {
            #expect(error.problem.file == "book.yaml")
            #expect(error.problem.line == 5)
            #expect(error.problem.message.contains("YAML does not parse"))
        }
    }

    @Test func folderWithoutBookYamlThrows() throws {
        let folder = try TestFolder(["chapters/a.md": "a\n"])
        #expect(throws: BookLoadError.self) { try BookFolder.load(from: folder.url) }
        #expect(throws: BookLoadError.self) { try loadBook(at: folder.url) }
    }

    @Test func wrongShapesInBookYamlAreErrorsWithLines() throws {
        let yaml = "title: [a, b]\ntoc:\n  - chapter: chapters/a.md\n    part: Both\n  - 42: x\n  - {}\n  - chapter: ../outside.md\nfavourite: blue\n"
        let folder = try TestFolder(["book.yaml": yaml, "chapters/a.md": "a\n"])
        let book = try BookFolder.load(from: folder.url)
        #expect(book.has(.error, "book.yaml", line: 1, containing: "'title' should be text"))
        #expect(book.has(.error, "book.yaml", line: 3, containing: "either a chapter or a part"))
        #expect(book.has(.error, "book.yaml", line: 6, containing: "needs 'chapter: FILE'"))
        #expect(book.has(.error, "book.yaml", line: 7, containing: "not a path inside the book folder"))
        #expect(book.has(.warning, "book.yaml", line: 8, containing: "unknown key 'favourite'"))
    }

    @Test func brokenImagesAndLinksAreReportedWithTheirLines() throws {
        let text = """
            # Pictures

            A found one: ![A lab](../images/lab.png), and in the folder form ![Lab](images/lab.png).
            A missing one: ![Gone](../images/gone.png)
            ![](../images/lab.png)
            ![Remote](https://example.org/x.png)

            | table | cell |
            |---|---|
            | ![In a table](images/nope.png) | [next](b.md#top) |

            <p><img src="../images/raw.png" alt="raw"></p>

            See [the other chapter](b.md), [nothing](missing.md), [anchor](#here) and [web](https://example.org).
            """
        let folder = try TestFolder([
            "book.yaml": "title: T\nidentifier: x\ntoc:\n  - chapter: chapters/a.md\n  - chapter: chapters/b.md\n",
            "chapters/a.md": text, "chapters/b.md": "b\n",
        ])
        try folder.write("images/lab.png", Data([1]))
        let book = try BookFolder.load(from: folder.url)
        let file = "chapters/a.md"
        #expect(book.has(.error, file, line: 4, containing: "image '../images/gone.png' not found"))
        #expect(book.has(.warning, file, line: 5, containing: "no alt text"))
        #expect(book.has(.warning, file, line: 6, containing: "remote image"))
        #expect(book.has(.error, file, line: 10, containing: "image 'images/nope.png' not found"))
        #expect(book.has(.error, file, line: 12, containing: "image '../images/raw.png' not found"))
        #expect(book.has(.error, file, line: 14, containing: "link to missing file 'missing.md'"))
        #expect(book.problems.count == 6, "\(book.report)")
    }

    @Test func emptyTitlesAreReported() throws {
        let yaml = "title: ''\nidentifier: x\ntoc:\n  - part: ''\n    children:\n      - chapter: chapters/a.md\n"
        let folder = try TestFolder(["book.yaml": yaml, "chapters/a.md": "#\n\nText\n"])
        let book = try BookFolder.load(from: folder.url)
        #expect(book.has(.error, "book.yaml", line: 1, containing: "title is empty"))
        #expect(book.has(.warning, "book.yaml", line: 4, containing: "empty title"))
        #expect(book.has(.warning, "chapters/a.md", line: 1, containing: "empty title heading"))
        #expect(book.manuscript.chaptersInOrder[0].title == "A")
    }

    @Test func missingIdentifierIsDerivedFromTheTitleAndStable() throws {
        let yaml = "title: Labcraft\ntoc:\n  - chapter: chapters/a.md\n"
        let folder = try TestFolder(["book.yaml": yaml, "chapters/a.md": "a\n"])
        let first = try BookFolder.load(from: folder.url)
        let second = try BookFolder.load(from: folder.url)
        #expect(first.manuscript.metadata.identifier.hasPrefix("urn:uuid:"))
        #expect(first.manuscript.metadata.identifier == second.manuscript.metadata.identifier)
        #expect(first.has(.warning, "book.yaml", containing: "no identifier"))

        let written = try TestFolder()
        try BookFolder.write(first.manuscript, images: first.images, to: written.url)
        let reloaded = try BookFolder.load(from: written.url)
        #expect(reloaded.problems.isEmpty, "\(reloaded.report)")
        #expect(reloaded.manuscript.metadata.identifier == first.manuscript.metadata.identifier)
    }

    @Test func referencesWithSpacesThatMarkdownIgnoresAreReported() throws {
        let text = "# Spaces\n\n![A lab](../images/my lab.png) and [a link](other chapter.md).\n\n`![code](not a.png)`\n\n    ![indented](code block.png)\n\n![Titled](../images/lab.png \"The lab\")\n"
        let folder = try TestFolder([
            "book.yaml": "title: T\nidentifier: x\ntoc:\n  - chapter: chapters/a.md\n", "chapters/a.md": text,
        ])
        try folder.write("images/lab.png", Data([1]))
        let book = try BookFolder.load(from: folder.url)
        #expect(book.has(.warning, "chapters/a.md", line: 3, containing: "'../images/my lab.png' has spaces"))
        #expect(book.has(.warning, "chapters/a.md", line: 3, containing: "'other chapter.md' has spaces"))
        #expect(book.problems.count == 2, "\(book.report)")
    }

    @Test func symbolicLinksCannotLeadOutOfTheBook() throws {
        let outside = try TestFolder(["secret.png": "secret"])
        let folder = try TestFolder([
            "book.yaml": "title: T\nidentifier: x\ntoc:\n  - chapter: chapters/a.md\n",
            "chapters/a.md": "![Secret](../images/link.png)\n",
        ])
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("images"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: folder.url.appendingPathComponent("images/link.png"), withDestinationURL: outside.url.appendingPathComponent("secret.png"))
        let book = try BookFolder.load(from: folder.url)
        #expect(try book.manuscript.source.data(at: "images/link.png") == nil)
        #expect(book.has(.error, "chapters/a.md", line: 1, containing: "not found"))
    }

    @Test func languageThatIsNotATagIsAWarning() throws {
        let folder = try TestFolder([
            "book.yaml": "title: T\nidentifier: x\nlanguage: English (UK)\ntoc:\n  - chapter: chapters/a.md\n", "chapters/a.md": "a\n",
        ])
        let book = try BookFolder.load(from: folder.url)
        #expect(book.has(.warning, "book.yaml", line: 3, containing: "not a BCP 47 tag"))
    }

    @Test func picturesOutsideImagesTravelWithTheBook() throws {
        let folder = try TestFolder([
            "book.yaml": "title: T\nidentifier: x\ntoc:\n  - chapter: chapters/a.md\n",
            "chapters/a.md": "![Beside the chapter](figures/plot.svg)\n",
        ])
        try folder.write("chapters/figures/plot.svg", Data("<svg/>".utf8))
        let loaded = try BookFolder.load(from: folder.url)
        #expect(loaded.images == ["chapters/figures/plot.svg"])
        let copy = try TestFolder()
        try BookFolder.write(loaded.manuscript, images: loaded.images, to: copy.url)
        let again = try BookFolder.load(from: copy.url)
        #expect(again.problems.isEmpty, "\(again.report)")
    }

    @Test func textThatIsNotUtf8IsAnError() throws {
        let folder = try TestFolder(["book.yaml": "title: T\nidentifier: x\ntoc:\n  - chapter: chapters/a.md\n"])
        try folder.write("chapters/a.md", Data([0x23, 0x20, 0x41, 0x0A, 0x0A, 0xC3, 0x28, 0xFF, 0x0A]))
        let book = try BookFolder.load(from: folder.url)
        #expect(book.has(.error, "chapters/a.md", containing: "not valid UTF-8"))
        #expect(book.manuscript.chaptersInOrder.map(\.title) == ["A"])
    }

    @Test func emptyTocIsAWarning() throws {
        let folder = try TestFolder(["book.yaml": "title: T\nidentifier: x\ntoc:\n"])
        let book = try BookFolder.load(from: folder.url)
        #expect(book.manuscript.contents.isEmpty)
        #expect(book.has(.warning, "book.yaml", containing: "lists no chapter"))
        #expect(!book.hasErrors)
    }

    @Test func missingCoverAndStylesheetAreErrors() throws {
        let yaml = "title: T\nidentifier: x\ncover: images/cover.png\nstylesheet: book.css\ntoc:\n  - chapter: chapters/a.md\n"
        let folder = try TestFolder(["book.yaml": yaml, "chapters/a.md": "a\n"])
        let book = try BookFolder.load(from: folder.url)
        #expect(book.has(.error, "book.yaml", containing: "cover 'images/cover.png' not found"))
        #expect(book.has(.error, "book.yaml", containing: "stylesheet 'book.css' not found"))
    }
}
