import BookModel
import Foundation
import Testing

@Suite struct MdBookTests {
    /// An mdBook tree with the mess real ones have: see each test for the part it checks.
    static func messyTree() throws -> TestFolder {
        let folder = try TestFolder([
            "book.toml": """
                [book]
                title = "Messy \\"Book\\""
                authors = [
                  "Ann",
                  "Bob",
                ]
                language = "fr"
                src = "src"

                [output.html]
                title = "not the book's title"
                """,
            "src/SUMMARY.md": """
                # Summary

                [Preface](README.md)

                # Getting started

                - [Install](guide/install.md)
                  - [On Linux](guide/sub%20dir/linux.md)
                  - [Draft one]()
                - [Guide](guide/)
                - [Twice](guide/install.md)
                - [Gone](nothere.md)
                - Just text

                ---

                # Reference

                - [Tables](tables.md)
                - [Draft parent]()
                  - [Spaced](guide/sub dir/spaced.md)

                [Appendix](appendix.md)
                """,
            "src/README.md": "# Preface\n\nHi ![logo](/Images/logo.png) ![case](/images/LOGO.png)\n",
            "src/guide/install.md": "# ![banner](../Images/logo.png)\n\nInstall text [up](../README.md) [folder](./)\n",
            "src/guide/README.md": "# Guide index\n\ntext\n",
            "src/guide/sub dir/linux.md": "# Linux\n\nlinux\n",
            "src/guide/sub dir/spaced.md": "spaced ![s](../../Images/logo.png)\n",
            "src/tables.md": """
                # Tables

                <table>
                <tr><td><img src="Images/logo.png" alt="l"></td></tr>
                <tr><td><img src="Images/missing.png"></td></tr>
                </table>

                """,
            "src/appendix.md": "appendix\n\n{{#include ../code/example.rs}}\n",
            "src/orphan.md": "orphan\n",
        ])
        try folder.write("src/Images/logo.png", Data([0x89, 0x50, 0x4E, 0x47]))
        return folder
    }

    static func chapter(_ path: String, _ title: String) -> ManuscriptNode {
        .chapter(ManuscriptChapter(path: path, title: title))
    }

    @Test func summaryBecomesPartsAndChaptersInOrder() throws {
        let folder = try Self.messyTree()
        let book = try loadBook(at: folder.url)
        let expected: [ManuscriptNode] = [
            Self.chapter("README.md", "Preface"),
            .part(title: "Getting started", children: [
                .part(title: "Install", children: [
                    Self.chapter("guide/install.md", "Install"), Self.chapter("guide/sub dir/linux.md", "On Linux"),
                ]),
                Self.chapter("guide/README.md", "Guide"),
            ]),
            .part(title: "Reference", children: [
                Self.chapter("tables.md", "Tables"),
                .part(title: "Draft parent", children: [Self.chapter("guide/sub dir/spaced.md", "Spaced")]),
            ]),
            Self.chapter("appendix.md", "Appendix"),
        ]
        #expect(book.manuscript.contents == expected)
        let meta = book.manuscript.metadata
        #expect(meta.title == "Messy \"Book\"")
        #expect(meta.authors == ["Ann", "Bob"])
        #expect(meta.language == "fr")
        #expect(meta.identifier.hasPrefix("urn:uuid:"))
        #expect(book.images == ["Images/logo.png"])
    }

    @Test func whatCouldNotBeReadIsReportedWithSummaryLines() throws {
        let folder = try Self.messyTree()
        let book = try MdBook.load(from: folder.url)
        let summary = "src/SUMMARY.md"
        #expect(book.has(.warning, summary, line: 9, containing: "draft chapter 'Draft one'"))
        #expect(book.has(.warning, summary, line: 11, containing: "listed twice (first on line 7)"))
        #expect(book.has(.warning, summary, line: 12, containing: "'nothere.md' does not exist"))
        #expect(book.has(.warning, summary, line: 13, containing: "'Just text' links to no file"))
        #expect(book.has(.warning, "src/orphan.md", containing: "not in SUMMARY.md"))
        #expect(book.has(.warning, "src/README.md", line: 3, containing: "letter case differs"))
        #expect(book.has(.error, "src/tables.md", line: 5, containing: "image 'Images/missing.png' not found"))
        #expect(book.has(.warning, "src/tables.md", line: 5, containing: "no alt text"))
        #expect(book.has(.warning, "src/appendix.md", line: 3, containing: "directive '{{#include' is not expanded"))
        #expect(book.problems.filter { $0.severity == .error }.count == 1, "\(book.report)")
    }

    @Test func textsLoseTheirTitleHeadingButKeepImageHeadings() throws {
        let folder = try Self.messyTree()
        let source = try MdBook.load(from: folder.url).manuscript.source
        #expect(try source.text(ofChapterAt: "README.md") == "Hi ![logo](/Images/logo.png) ![case](/images/LOGO.png)\n")
        #expect(try source.text(ofChapterAt: "guide/install.md").hasPrefix("# ![banner]"))
        #expect(try source.data(at: "/Images/logo.png") == Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(try source.data(at: "guide/sub%20dir/../../images/LOGO.png") == Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(try source.data(at: "../outside.png") == nil)
    }

    @Test func gitBookTreeWithBookJsonAtTheRootLoads() throws {
        let folder = try TestFolder([
            "book.json": #"{"title": "Git Book", "author": "Gita", "language": "he"}"#,
            "SUMMARY.md": "# Table of Contents\n\n* [Introduction](README.md)\n* [Chapter](chapter1/README.md)\n    * [Section](chapter1/section.md)\n",
            "README.md": "Intro\n",
            "chapter1/README.md": "# Chapter one\n\nBody\n",
            "chapter1/section.md": "Section [back](../README.md)\n",
        ])
        let book = try loadBook(at: folder.url)
        #expect(book.problems.isEmpty, "\(book.report)")
        #expect(book.manuscript.metadata.title == "Git Book")
        #expect(book.manuscript.metadata.authors == ["Gita"])
        #expect(book.manuscript.metadata.language == "he")
        #expect(book.manuscript.contents == [
            Self.chapter("README.md", "Introduction"),
            .part(title: "Chapter", children: [Self.chapter("chapter1/README.md", "Chapter"), Self.chapter("chapter1/section.md", "Section")]),
        ])
    }

    @Test func anMdBookWrittenAsABookFolderKeepsItsTexts() throws {
        let tree = try Self.messyTree()
        let loaded = try MdBook.load(from: tree.url)
        let folder = try TestFolder()
        try BookFolder.write(loaded.manuscript, images: loaded.images, to: folder.url)
        let again = try BookFolder.load(from: folder.url)
        #expect(again.manuscript.contents == loaded.manuscript.contents)
        for chapter in loaded.manuscript.chaptersInOrder {
            #expect(try again.manuscript.source.text(ofChapterAt: chapter.path) == loaded.manuscript.source.text(ofChapterAt: chapter.path))
        }
        #expect(!again.problems.contains { $0.message.contains("toc") }, "\(again.report)")
    }

    @Test func folderThatIsNeitherKindThrowsAClearError() throws {
        let folder = try TestFolder(["notes.md": "x\n"])
        do {
            _ = try loadBook(at: folder.url)
            Issue.record("loaded a folder with no book in it")
        } catch let error as BookLoadError {
            #expect(error.problem.message.contains("book.yaml"))
            #expect(error.problem.message.contains("SUMMARY.md"))
        }
    }
}
