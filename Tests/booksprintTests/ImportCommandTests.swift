import Foundation
import Testing

/// `booksprint import` run as a user would: the book lands in the store (and `book list`
/// shows it), problems print as `file:line:`, bad arguments give one line and exit 64, a
/// folder no reader understands exits 1.
@Suite struct ImportCommandTests {
    static let handbook = BooksprintBinary.repositoryRoot.appendingPathComponent("Books/booksprint-handbook").path

    /// A fresh store folder with the administrator `admin`.
    func storeWithAdmin() throws -> URL {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString)")
        let added = try BooksprintBinary.run(["user", "add", "admin", "--admin", "--password-stdin", "--data", data.path], input: "secret-password\n")
        try #require(added.status == 0, "\(added.errors)")
        return data
    }

    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("import-book-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func importedHandbookIsListed() throws {
        let data = try self.storeWithAdmin()
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try BooksprintBinary.run(["import", Self.handbook, "--data", data.path])
        #expect(result.status == 0, "\(result.errors)")
        let line = try #require(result.output.split(separator: "\n").last.map(String.init))
        #expect(line.hasPrefix("imported b"))
        // Five SVG figures and four screenshots of the web app.
        #expect(line.hasSuffix("\tThe Booksprint Handbook\t13 chapters, 14 images, owner admin"))
        let id = line.dropFirst("imported ".count).prefix { $0 != "\t" }
        let list = try BooksprintBinary.run(["book", "list", "--data", data.path])
        #expect(list.status == 0)
        #expect(list.output.hasPrefix("\(id)\t"))
        #expect(list.output.hasSuffix("\tThe Booksprint Handbook\n"))
    }

    @Test func mdBookTreeImportsWithItsProblemsShown() throws {
        let data = try self.storeWithAdmin()
        let tree = try self.scratch()
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: tree)
        }
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("src"), withIntermediateDirectories: true)
        try Data("# Summary\n\n- [Intro](intro.md)\n- [Gone](gone.md)\n".utf8).write(to: tree.appendingPathComponent("src/SUMMARY.md"))
        try Data("# Intro\n\nSee ![a map](map.png).\n".utf8).write(to: tree.appendingPathComponent("src/intro.md"))
        let result = try BooksprintBinary.run(["import", tree.path, "--from", "mdbook", "--data", data.path, "--owner", "admin"])
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(tree.path)/") && $0.contains("gone.md") && $0.contains(": warning: ") })
        #expect(lines.contains { $0.hasPrefix("\(tree.path)/src/intro.md:3: error: ") && $0.contains("map.png") })
        #expect(lines.last?.hasSuffix("\t1 chapters, 0 images, owner admin") == true, "\(result.output)")
        let list = try BooksprintBinary.run(["book", "list", "--data", data.path])
        #expect(list.output.split(separator: "\n").count == 1)
    }

    @Test func folderNoReaderUnderstandsExits1() throws {
        let data = try self.storeWithAdmin()
        let empty = try self.scratch()
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: empty)
        }
        let plain = try BooksprintBinary.run(["import", empty.path, "--data", data.path])
        #expect(plain.status == 1)
        #expect(plain.errors.hasPrefix("\(empty.path): error: neither a book folder"))
        #expect(plain.errors.split(separator: "\n").count == 1)
        let forced = try BooksprintBinary.run(["import", Self.handbook, "--from", "mdbook", "--data", data.path])
        #expect(forced.status == 1)
        #expect(forced.errors.split(separator: "\n").count == 1, "\(forced.errors)")
        #expect(try BooksprintBinary.run(["book", "list", "--data", data.path]).output.isEmpty)
    }

    @Test func badArgumentsGiveOneLineAndStatus64() throws {
        let data = try self.storeWithAdmin()
        let bare = FileManager.default.temporaryDirectory.appendingPathComponent("import-bare-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: bare)
        }
        for arguments in [
            ["import"],
            ["import", "/nonexistent/book", "--data", data.path],
            ["import", Self.handbook, "--from", "pdf", "--data", data.path],
            ["import", Self.handbook, "--owner", "nobody", "--data", data.path],
            ["import", Self.handbook, "--data", bare.path],
        ] {
            let result = try BooksprintBinary.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.errors)")
            #expect(result.errors.hasPrefix("booksprint: "), "\(arguments): \(result.errors)")
            #expect(result.errors.split(separator: "\n").count == 1, "\(arguments): \(result.errors)")
        }
        #expect(try BooksprintBinary.run(["book", "list", "--data", data.path]).output.isEmpty)
    }
}
