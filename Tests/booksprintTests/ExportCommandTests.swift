import Foundation
import Testing

/// `booksprint export` run as a user would: files written, problems as `file:line:`,
/// one-line errors and exit 64 for bad arguments, reproducible with SOURCE_DATE_EPOCH.
@Suite struct ExportCommandTests {
    static let handbook = BooksprintBinary.repositoryRoot.appendingPathComponent("Books/booksprint-handbook").path

    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func handbookExportsToEveryFormat() throws {
        let out = try self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        for (format, name) in [("epub", "book.epub"), ("html", "book.html"), ("site", "site")] {
            let result = try BooksprintBinary.run(["export", Self.handbook, "--format", format, "-o", out.appendingPathComponent(name).path])
            #expect(result.status == 0, "\(format): \(result.errors)")
            #expect(result.output.isEmpty, "\(result.output)")
            #expect(result.errors.hasPrefix("wrote "))
        }
        let epub = try Data(contentsOf: out.appendingPathComponent("book.epub"))
        #expect(epub.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
        #expect(String(decoding: epub.prefix(58).suffix(20), as: UTF8.self) == "application/epub+zip")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("site/index.html").path))
    }

    @Test func sourceDateEpochMakesExportsByteIdentical() throws {
        let out = try self.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        setenv("SOURCE_DATE_EPOCH", "1790000000", 1)
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        for name in ["a.epub", "b.epub"] {
            _ = try BooksprintBinary.run(["export", Self.handbook, "-o", out.appendingPathComponent(name).path])
        }
        let a = try Data(contentsOf: out.appendingPathComponent("a.epub"))
        #expect(!a.isEmpty)
        #expect(a == (try Data(contentsOf: out.appendingPathComponent("b.epub"))))
    }

    @Test func problemsArePrintedWithFileAndLine() throws {
        let folder = try self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        try Data("title: Raw\nidentifier: urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301\ntoc:\n  - chapter: chapters/a.md\n".utf8)
            .write(to: folder.appendingPathComponent("book.yaml"))
        try Data("# A\n\nText.\n\nMore <script>x()</script> text.\n".utf8).write(to: folder.appendingPathComponent("chapters/a.md"))
        let result = try BooksprintBinary.run(["export", folder.path, "-o", folder.appendingPathComponent("a.epub").path])
        #expect(result.status == 0)
        #expect(result.output == "\(folder.path)/chapters/a.md:5: warning: raw HTML <script> dropped with its content (not allowed in a book)\n")
    }

    @Test func badArgumentsGiveOneLineAndStatus64() throws {
        for arguments in [
            ["export", Self.handbook],
            ["export", Self.handbook, "--format", "pdf", "-o", "/tmp/x"],
            ["export", "/nonexistent/book", "-o", "/tmp/x.epub"],
        ] {
            let result = try BooksprintBinary.run(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.errors.split(separator: "\n").count == 1, "\(result.errors)")
        }
    }
}
