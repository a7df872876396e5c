import BookModel
import Foundation
import Testing

@Suite struct BookFolderRoundTripTests {
    /// An SVG as the cleaner writes it (SVGCleaner), which reading a folder leaves as it is:
    /// the round trip promises the bytes of what a folder can hold.
    static let cleanSVG = Data((#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 1"><rect height="1" width="1"/></svg>"# + "\n").utf8)

    /// Titles and texts that trip naive writers: YAML look-alikes, heading syntax, edges.
    static let awkwardTitles = [
        "Plain", "C#", "Ends with ##", " spaced ", "yes", "1.0", "null", "Ünïcødé — 書", "a: b", "- dash",
        "#hash", "Two\nlines", "", "![only an image](x.png)", "'quoted'", "Title with trailing space ",
    ]
    static let awkwardTexts = [
        "Plain text.\n", "", "no final newline", "\n\nstarts with blank lines\n", "# Looks like a title\n\nBut is text.\n",
        "Tabs\tand trailing spaces  \n", "ÜTF-8 ✓ 書\n", "---\nfront: matter?\n---\n", "```\n# code\n```\n",
    ]

    static func manuscript(seed: UInt64) -> (Manuscript, [String]) {
        var random = SplitMix(seed)
        var texts: [String: String] = [:]
        var counter = 0
        func chapter() -> ManuscriptNode {
            counter += 1
            let path = counter % 3 == 0 ? "chapters/sub/c\(counter).md" : "chapters/c\(counter).md"
            texts[path] = Self.awkwardTexts[random.below(Self.awkwardTexts.count)]
            let status = [nil, "draft", "needs review", "done", "yes"][random.below(5)]
            return .chapter(ManuscriptChapter(path: path, title: Self.awkwardTitles[random.below(Self.awkwardTitles.count)], status: status))
        }
        func nodes(depth: Int) -> [ManuscriptNode] {
            (0..<random.below(4)).map { _ in
                depth < 3 && random.below(3) == 0
                    ? .part(title: Self.awkwardTitles[random.below(Self.awkwardTitles.count)], children: nodes(depth: depth + 1))
                    : chapter()
            }
        }
        var contents = nodes(depth: 0)
        contents.append(chapter())
        let files = ["images/cover.png": Data([0x89, 0x50, 0x4E, 0x47, 0, 1, 2]), "images/fig 1.svg": Self.cleanSVG]
        let metadata = BookMetadata(
            title: "Round: trip", subtitle: random.below(2) == 0 ? nil : "yes", language: "de",
            license: "CC BY-SA 4.0", description: "Line one\nline two: with colon\n", authors: ["Ada", "null"],
            identifier: "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427", cover: "images/cover.png")
        let manuscript = Manuscript(
            metadata: metadata, contents: contents, contributors: ["Grace", "Ada"],
            stylesheet: random.below(2) == 0 ? nil : "p { margin: 0 }\n", source: MemorySource(texts: texts, files: files))
        return (manuscript, Array(files.keys).sorted())
    }

    @Test(arguments: 0..<40 as Range<UInt64>)
    func writeThenLoadGivesTheSameBookByteForByte(seed: UInt64) throws {
        let (original, images) = Self.manuscript(seed: seed)
        let folder = try TestFolder()
        try BookFolder.write(original, images: images, to: folder.url)
        let loaded = try BookFolder.load(from: folder.url)
        let book = loaded.manuscript

        #expect(book.metadata == original.metadata)
        #expect(book.contents == original.contents)
        #expect(book.contributors == original.contributors)
        #expect(book.stylesheet == original.stylesheet)
        #expect(loaded.images == images)
        for chapter in original.chaptersInOrder {
            let expected = try original.source.text(ofChapterAt: chapter.path)
            #expect(Data(try book.source.text(ofChapterAt: chapter.path).utf8) == Data(expected.utf8), "\(chapter.path)")
        }
        for image in images {
            #expect(try book.source.data(at: image) == original.source.data(at: image))
        }
        #expect(!loaded.problems.contains { $0.message.contains("toc") || $0.message.contains("YAML") }, "\(loaded.report)")

        // Writing what was loaded gives the same files, byte for byte.
        let again = try TestFolder()
        try BookFolder.write(book, images: loaded.images, to: again.url)
        #expect(try again.contents() == folder.contents())
    }

    @Test func theWrittenFolderIsWhatAPersonWouldWrite() throws {
        let texts = ["chapters/intro.md": "Hello.\n"]
        let manuscript = Manuscript(
            metadata: BookMetadata(title: "Small", identifier: "urn:uuid:x"),
            contents: [.part(title: "One", children: [.chapter(ManuscriptChapter(path: "chapters/intro.md", title: "Intro", status: "done"))])],
            source: MemorySource(texts: texts))
        let folder = try TestFolder()
        try BookFolder.write(manuscript, images: [], to: folder.url)
        let files = try folder.contents()
        #expect(String(decoding: files["chapters/intro.md"]!, as: UTF8.self) == "# Intro\n\nHello.\n")
        #expect(String(decoding: files["book.yaml"]!, as: UTF8.self) == """
            title: Small
            language: en
            identifier: urn:uuid:x
            toc:
            - part: One
              children:
              - chapter: chapters/intro.md
                status: done

            """)
    }

    @Test func writeRefusesPathsThatLeaveTheFolder() throws {
        let manuscript = Manuscript(
            metadata: BookMetadata(title: "Bad", identifier: "x"),
            contents: [.chapter(ManuscriptChapter(path: "../escape.md", title: "Out"))],
            source: MemorySource(texts: ["../escape.md": "x"]))
        let folder = try TestFolder()
        #expect(throws: BookWriteError.self) { try BookFolder.write(manuscript, images: [], to: folder.url) }
    }
}

/// A small seeded generator, so a failing case can be replayed from its seed.
struct SplitMix {
    var state: UInt64

    init(_ seed: UInt64) { self.state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(self.next() % UInt64(bound)) }
}
