import BookModel
import Testing

@Suite struct BookPathTests {
    @Test func normaliseRemovesDotsAndNeverLeavesTheRoot() {
        #expect(BookPath.normalise("a/./b/../c") == "a/c")
        #expect(BookPath.normalise("/images//x.png") == "images/x.png")
        #expect(BookPath.normalise("a/../../x") == nil)
        #expect(BookPath.normalise("./") == nil)
    }

    @Test func resolveIsRelativeToTheFileAndDropsFragments() {
        #expect(BookPath.resolve("../images/a%20b.png", from: "chapters/x.md") == "images/a b.png")
        #expect(BookPath.resolve("other.md#section", from: "chapters/x.md") == "chapters/other.md")
        #expect(BookPath.resolve("/Images/x.png?v=2", from: "guide/deep/x.md") == "Images/x.png")
        #expect(BookPath.resolve("#anchor", from: "chapters/x.md") == nil)
        #expect(BookPath.resolve("https://example.org/x.png", from: "x.md") == nil)
        #expect(BookPath.resolve("mailto:a@example.org", from: "x.md") == nil)
        #expect(BookPath.resolve("../../x.png", from: "chapters/x.md") == nil)
    }

    @Test func candidatesTryTheChapterFolderThenTheRoot() {
        #expect(BookPath.candidates(for: "images/x.png", from: "chapters/a.md") == ["chapters/images/x.png", "images/x.png"])
        #expect(BookPath.candidates(for: "../images/x.png", from: "chapters/a.md") == ["images/x.png"])
        #expect(BookPath.locate("images/x.png", from: "chapters/a.md") { $0 == "images/x.png" } == "images/x.png")
        #expect(BookPath.locate("images/x.png", from: "chapters/a.md") { _ in false } == "chapters/images/x.png")
    }

    @Test func externalAndRemoteAreToldApart() {
        #expect(BookPath.isExternal("data:image/png;base64,AAAA"))
        #expect(BookPath.isExternal("//cdn.example.org/x.png"))
        #expect(!BookPath.isExternal("C:x.png"))
        #expect(!BookPath.isExternal("images/x:y.png"))
        #expect(BookPath.isRemote("HTTPS://example.org/x.png"))
        #expect(!BookPath.isRemote("data:image/png;base64,AAAA"))
    }
}
