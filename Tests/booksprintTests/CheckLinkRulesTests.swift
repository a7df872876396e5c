import Foundation
import Testing

/// `booksprint check` lists what the export's link and stylesheet rules would drop, with
/// the chapter (or stylesheet) and line, as the export itself reports it.
@Suite struct CheckLinkRulesTests {
    @Test func droppedSchemesAndBrokenAddressesAreListedWithChapterAndLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("check-links-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        try Data("title: Links\nidentifier: x\nstylesheet: book.css\ntoc:\n  - chapter: chapters/a.md\n".utf8)
            .write(to: folder.appendingPathComponent("book.yaml"))
        try Data("""
            # A

            [fine](https://example.com/a b) and [mail](mailto:a@example.com)

            [js](javascript:alert(1)) and [entity](jav&#x61;script:alert(2))

            <a href=" VBScript:x">raw</a>
            <https://exa mple.com/>

            [host](<https://exa mple.com/>)

            """.utf8).write(to: folder.appendingPathComponent("chapters/a.md"))
        try Data("p { color: red; }\n\nbody { background: url(j\\61vascript:x); }\n@import url(https://evil.example/x.css);\n".utf8)
            .write(to: folder.appendingPathComponent("book.css"))

        let result = try BooksprintBinary.run(["check", folder.path])
        #expect(result.status == 0, "\(result.output)\(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let chapter = "\(folder.path)/chapters/a.md"
        #expect(lines.contains("\(chapter):5: warning: link to a 'javascript:' address dropped (links go to http, https or mailto addresses, or inside the book); written as text"))
        #expect(lines.filter { $0.hasPrefix("\(chapter):5: warning: link to a 'javascript:'") }.count == 2)
        #expect(lines.contains { $0.hasPrefix("\(chapter):7: warning: link to a 'vbscript:' address dropped") })
        #expect(lines.contains("\(chapter):10: warning: link to 'https://exa mple.com/' is not a valid web address (space in the host); written as text"))
        #expect(lines.contains { $0.hasPrefix("\(folder.path)/stylesheet:3: warning: url(javascript:...) dropped") })
        #expect(lines.contains { $0.hasPrefix("\(folder.path)/stylesheet:4: warning: @import dropped") })
        // The allowed links are kept, and nothing is said about them but Markdown's reading
        // of a destination with a space (the reader's own check).
        #expect(!lines.contains { $0.contains("mailto:a@") || $0.contains(": error: ") }, "\(lines)")
        #expect(result.errors == "0 errors, 7 warnings\n", "\(result.errors)")
    }
}
