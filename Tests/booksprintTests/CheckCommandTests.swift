import Foundation
import Testing
import TestSupport

/// Runs the built `booksprint` binary, as a user would.
struct BooksprintBinary {
    static let url: URL = {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("booksprint"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("booksprint"),
            repositoryRoot.appendingPathComponent(".build/debug/booksprint"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs the binary; `input`, when given, is its standard input.
    static func run(_ arguments: [String], input: String? = nil) throws -> Result {
        let result = try Subprocess.run(Self.url, arguments, input: input.map { Data($0.utf8) })
        return Result(status: result.status, output: result.output, errors: result.errors)
    }
}

@Suite struct CheckCommandTests {
    @Test func handbookChecksCleanWithStatusZero() throws {
        let handbook = BooksprintBinary.repositoryRoot.appendingPathComponent("Books/booksprint-handbook").path
        let result = try BooksprintBinary.run(["check", handbook])
        #expect(result.status == 0)
        #expect(result.output.isEmpty, "\(result.output)")
        #expect(result.errors == "0 errors, 0 warnings\n")
    }

    @Test func brokenBookListsEachProblemWithFileAndLineAndExitsOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        try Data("title: Broken\nidentifier: x\ntoc:\n  - chapter: chapters/a.md\n  - chapter: chapters/gone.md\n".utf8)
            .write(to: folder.appendingPathComponent("book.yaml"))
        try Data("# A\n\n![](../images/none.png)\n".utf8).write(to: folder.appendingPathComponent("chapters/a.md"))
        try Data("x\n".utf8).write(to: folder.appendingPathComponent("chapters/stray.md"))

        let result = try BooksprintBinary.run(["check", folder.path])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(folder.path)/book.yaml:5: error: chapter file 'chapters/gone.md' is missing"))
        #expect(lines.contains("\(folder.path)/chapters/stray.md: error: chapter file not in book.yaml's toc"))
        #expect(lines.contains("\(folder.path)/chapters/a.md:3: error: image '../images/none.png' not found"))
        #expect(lines.contains { $0.hasPrefix("\(folder.path)/chapters/a.md:3: warning: image '../images/none.png' has no alt text") })
        #expect(result.errors == "3 errors, 1 warning\n")
    }

    @Test func warningsAloneExitZero() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        try Data("title: Fine\nidentifier: x\ntoc:\n  - chapter: chapters/a.md\n".utf8).write(to: folder.appendingPathComponent("book.yaml"))
        try Data("![Far away](https://example.org/a.png)\r\n".utf8).write(to: folder.appendingPathComponent("chapters/a.md"))
        let result = try BooksprintBinary.run(["check", folder.path])
        #expect(result.status == 0)
        #expect(result.output.contains("chapters/a.md:1: warning: remote image"))
        #expect(result.output.contains("chapters/a.md:1: warning: CRLF"))
    }

    @Test func yamlThatDoesNotParseIsOneErrorWithItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("title: x\ntoc:\n  - chapter: a.md\n   bad: indent\n".utf8).write(to: folder.appendingPathComponent("book.yaml"))
        let result = try BooksprintBinary.run(["check", folder.path])
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("\(folder.path)/book.yaml:4: error: YAML does not parse"))
    }

    @Test(arguments: [["check"], ["check", "/no/such/folder"], ["check", "a", "b"], ["check", "--bogus", "."]])
    func badArgumentsGiveOneLineAndStatus64(arguments: [String]) throws {
        let result = try BooksprintBinary.run(arguments)
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.errors.hasPrefix("booksprint: "))
        #expect(result.errors.filter { $0 == "\n" }.count == 1, "\(result.errors)")
    }

    @Test func helpExplainsTheCommand() throws {
        let result = try BooksprintBinary.run(["check", "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("FILE:LINE: error|warning: MESSAGE"))
    }
}
