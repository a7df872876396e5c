import Foundation
import TestSupport
import Testing

/// A clone holds the project and nothing else, so no tracked file may send its reader to a
/// path outside it: not the README, the handbook, a source comment, a script or the OpenAPI
/// document.
@Suite struct SelfContainedRepositoryTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Places that exist only on a development machine. Spelled in pieces so that this file
    /// does not match itself.
    static let outsidePaths = [
        ["..", "shared", ""].joined(separator: "/"),  // the workspace beside the checkout
        ["", "work", ""].joined(separator: "/"),
        ["", "home", ""].joined(separator: "/"),
        ["", "root", ""].joined(separator: "/"),
        ["", "Users", ""].joined(separator: "/"),
    ]

    @Test(.enabled(if: FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path),
                   "needs a git checkout: the files are those git tracks"))
    func noTrackedTextFileRefersToAPathOutsideTheRepository() throws {
        let files = try Self.trackedFiles()
        #expect(files.contains("README.md") && files.contains("Sources/BookServer/Public/openapi.yaml"), "\(files.count) files")
        var found: [String] = []
        for file in files {
            guard let text = Self.text(of: file) else { continue }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for path in Self.outsidePaths where line.contains(path) {
                    found.append("\(file):\(number + 1): \(path): \(line.trimmingCharacters(in: .whitespaces))")
                }
                if file.hasSuffix(".md") {
                    found += Self.linksLeavingTheRepository(in: line, of: file).map { "\(file):\(number + 1): link \($0)" }
                }
            }
        }
        #expect(found.isEmpty, "paths outside the repository:\n\(found.joined(separator: "\n"))")
    }

    /// The check itself: each kind of reference it must catch, and the repository's own
    /// relative links it must let through.
    @Test func theCheckCatchesWhatLeavesTheRepository() {
        let shared = Self.outsidePaths[0], work = Self.outsidePaths[1]
        #expect(Self.outsidePaths.contains { "see \(shared)spec/protocol.md".contains($0) })
        #expect(Self.outsidePaths.contains { "cd \(work)main && make".contains($0) })
        #expect(Self.linksLeavingTheRepository(in: "[spec](../\(shared)cli.md)", of: "Books/x.md") == ["../\(shared)cli.md"])
        #expect(Self.linksLeavingTheRepository(in: "[up](../README.md)", of: "README.md") == ["../README.md"])
        #expect(Self.linksLeavingTheRepository(in: "[up](../../x.md)", of: "Books/b/x.md").isEmpty)
        #expect(Self.linksLeavingTheRepository(
            in: "![a](../images/a.png) [b](b.md#x) [c](https://example.org/../x) [d](#top)",
            of: "Books/booksprint-handbook/chapters/a.md").isEmpty)
    }

    /// The targets of Markdown links and images on `line` that, relative to `file`, lead out
    /// of the repository.
    static func linksLeavingTheRepository(in line: Substring, of file: String) -> [String] {
        line.ranges(of: "](").compactMap { start in
            let target = line[start.upperBound...].prefix { $0 != ")" && $0 != " " }
            guard !target.isEmpty, !target.contains(":"), !target.hasPrefix("#"), !target.hasPrefix("/") else { return nil }
            let folder = file.split(separator: "/").dropLast()
            var depth = folder.count
            for part in target.split(separator: "#").first?.split(separator: "/") ?? [] {
                if part == ".." { depth -= 1 } else if part != "." { depth += 1 }
                if depth < 0 { return String(target) }
            }
            return nil
        }
    }
    static func linksLeavingTheRepository(in line: String, of file: String) -> [String] {
        self.linksLeavingTheRepository(in: line[...], of: file)
    }

    /// `git ls-files` from the package root: what a clone holds.
    static func trackedFiles() throws -> [String] {
        let git = try Subprocess.run(tool: "git", ["-C", self.root.path, "ls-files", "-z"])
        try #require(git.status == 0, "git ls-files exited with \(git.status): \(git.errors)")
        let data = git.stdout
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's text, or nil for a binary file (a NUL byte, or not UTF-8) or one deleted
    /// in the working tree.
    static func text(of file: String) -> String? {
        guard let data = FileManager.default.contents(atPath: self.root.appendingPathComponent(file).path),
              !data.contains(0) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
