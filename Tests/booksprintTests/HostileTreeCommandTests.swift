import Foundation
import Testing

/// `check`, `export` and `import` of trees that try to reach out: an mdBook whose `src/`,
/// `book.toml` or `SUMMARY.md` is a symbolic link out of the tree is refused with one line;
/// a book folder of hostile SVGs exports with every picture cleaned or left out.
@Suite struct HostileTreeCommandTests {
    static let corpus = BooksprintBinary.repositoryRoot.appendingPathComponent("Tests/HostileSVG")

    func scratch(_ label: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Three trees, each with one of its own files a link to `outside`, which holds a book
    /// that reads fine by itself.
    func linkedTrees(outside: URL, in base: URL) throws -> [(link: String, tree: URL)] {
        try self.write("# Summary\n\n- [Secret](secret.md)\n", to: outside.appendingPathComponent("src/SUMMARY.md"))
        try self.write("# Secret\n\nRead from outside the tree.\n", to: outside.appendingPathComponent("src/secret.md"))
        try self.write("[book]\ntitle = \"Outside\"\n", to: outside.appendingPathComponent("book.toml"))
        var trees: [(String, URL)] = []
        for link in ["src", "book.toml", "src/SUMMARY.md"] {
            let tree = base.appendingPathComponent(link.replacingOccurrences(of: "/", with: "-"))
            try self.write("# Intro\n", to: tree.appendingPathComponent("src/intro.md"))
            if link != "src/SUMMARY.md" { try self.write("# Summary\n\n- [Intro](intro.md)\n", to: tree.appendingPathComponent("src/SUMMARY.md")) }
            if link == "src" { try FileManager.default.removeItem(at: tree.appendingPathComponent("src")) }
            try FileManager.default.createSymbolicLink(
                at: tree.appendingPathComponent(link), withDestinationURL: outside.appendingPathComponent(link))
            trees.append((link, tree))
        }
        return trees
    }

    @Test func mdBookLinkedOutOfItsTreeIsRefusedByCheckExportAndImport() throws {
        let base = try self.scratch("linked")
        defer { try? FileManager.default.removeItem(at: base) }
        let data = base.appendingPathComponent("store")
        let added = try BooksprintBinary.run(["user", "add", "admin", "--admin", "--password-stdin", "--data", data.path], input: "secret-password\n")
        try #require(added.status == 0, "\(added.errors)")
        let trees = try self.linkedTrees(outside: base.appendingPathComponent("outside"), in: base)
        // The outside book itself is fine: what is refused is reaching it through a link.
        let outside = try BooksprintBinary.run(["check", base.appendingPathComponent("outside").path])
        try #require(outside.status == 0, "\(outside.output)")
        for (link, tree) in trees {
            let expected = "\(link): error: is a symbolic link out of the book's folder; refused"
            let check = try BooksprintBinary.run(["check", tree.path])
            #expect(check.status == 1, "\(link): \(check.output)")
            #expect(check.output == "\(tree.path)/\(expected)\n", "\(link)")
            let export = try BooksprintBinary.run(["export", tree.path, "-o", base.appendingPathComponent("out.epub").path])
            #expect(export.status == 1, "\(link): \(export.errors)")
            #expect(export.errors == "\(expected)\n", "\(link)")
            #expect(!FileManager.default.fileExists(atPath: base.appendingPathComponent("out.epub").path))
            let imported = try BooksprintBinary.run(["import", tree.path, "--data", data.path])
            #expect(imported.status == 1, "\(link): \(imported.output)")
            #expect(imported.errors == "\(tree.path)/\(expected)\n", "\(link)")
        }
        #expect(try BooksprintBinary.run(["book", "list", "--data", data.path]).output.isEmpty)
    }

    /// A book folder whose `book.yaml` is a link to another folder's is refused as well.
    @Test func bookFolderWhoseBookYamlLinksOutIsRefused() throws {
        let base = try self.scratch("linked-yaml")
        defer { try? FileManager.default.removeItem(at: base) }
        let outside = base.appendingPathComponent("outside")
        try self.write("title: Outside\nidentifier: urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3303\ntoc:\n  - chapter: chapters/a.md\n",
                       to: outside.appendingPathComponent("book.yaml"))
        try self.write("# A\n", to: outside.appendingPathComponent("chapters/a.md"))
        let folder = base.appendingPathComponent("book")
        try self.write("# A\n", to: folder.appendingPathComponent("chapters/a.md"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("book.yaml"), withDestinationURL: outside.appendingPathComponent("book.yaml"))
        try #require(try BooksprintBinary.run(["check", outside.path]).status == 0)
        let check = try BooksprintBinary.run(["check", folder.path])
        #expect(check.status == 1)
        #expect(check.output == "\(folder.path)/book.yaml: error: is a symbolic link out of the book's folder; refused\n", "\(check.output)")
        let export = try BooksprintBinary.run(["export", folder.path, "-o", base.appendingPathComponent("out.epub").path])
        #expect(export.status == 1 && !FileManager.default.fileExists(atPath: base.appendingPathComponent("out.epub").path), "\(export.errors)")
    }

    /// A link that stays inside the tree is followed as before.
    @Test func mdBookLinkedInsideItsTreeStillReads() throws {
        let tree = try self.scratch("linked-inside")
        defer { try? FileManager.default.removeItem(at: tree) }
        try self.write("# Summary\n\n- [Intro](intro.md)\n", to: tree.appendingPathComponent("real/SUMMARY.md"))
        try self.write("# Intro\n\nText.\n", to: tree.appendingPathComponent("real/intro.md"))
        try FileManager.default.createSymbolicLink(at: tree.appendingPathComponent("src"), withDestinationURL: tree.appendingPathComponent("real"))
        let check = try BooksprintBinary.run(["check", tree.path])
        #expect(check.status == 0, "\(check.output)")
    }

    /// A folder holding the corpus: `check` names each cleaned and refused SVG; the EPUB and
    /// the site carry only cleaned copies (and none of the refused ones).
    @Test func hostileSVGsInAFolderNeverReachAnExport() throws {
        let folder = try self.scratch("hostile-svg")
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".svg") }.sorted()
        for name in names {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent(name), to: folder.appendingPathComponent("images/\(name)"))
        }
        try self.write("title: Hostile\nidentifier: urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3302\ntoc:\n  - chapter: chapters/a.md\n", to: folder.appendingPathComponent("book.yaml"))
        try self.write("# A\n\n" + names.map { "![\($0)](../images/\($0))\n" }.joined(), to: folder.appendingPathComponent("chapters/a.md"))

        let check = try BooksprintBinary.run(["check", folder.path])
        #expect(check.status == 1)
        for name in names {
            let said = name.hasPrefix("refused-") ? "error: SVG refused: " : "warning: SVG cleaned, dropped: "
            #expect(check.output.contains("\(folder.path)/images/\(name): \(said)"), "\(name): \(check.output)")
        }

        let epub = folder.appendingPathComponent("book.epub")
        let export = try BooksprintBinary.run(["export", folder.path, "-o", epub.path])
        #expect(export.status == 0, "\(export.errors)")
        let site = folder.appendingPathComponent("site")
        #expect(try BooksprintBinary.run(["export", folder.path, "--format", "site", "-o", site.path]).status == 0)
        let unzipped = folder.appendingPathComponent("unzipped")
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        unzip.arguments = ["-q", epub.path, "-d", unzipped.path]
        try unzip.run()
        unzip.waitUntilExit()
        try #require(unzip.terminationStatus == 0)
        for output in [unzipped, site] {
            let svgs = (FileManager.default.enumerator(atPath: output.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".svg") }
            #expect(svgs.count == names.filter { $0.hasPrefix("clean-") }.count, "\(output.lastPathComponent): \(svgs)")
            for svg in svgs {
                let text = try String(contentsOf: output.appendingPathComponent(svg), encoding: .utf8)
                #expect(try Self.forbiddenPatterns(in: text) == [], "\(svg): \(text)")
                #expect(text.contains("id=\"keep\""), "\(svg)")
            }
        }
    }

    /// The patterns of the corpus's `forbidden.txt` that `svg` matches.
    static func forbiddenPatterns(in svg: String) throws -> [String] {
        try String(contentsOf: self.corpus.appendingPathComponent("forbidden.txt"), encoding: .utf8).split(separator: "\n")
            .filter { try NSRegularExpression(pattern: String($0), options: .caseInsensitive).firstMatch(in: svg, range: NSRange(svg.startIndex..., in: svg)) != nil }
            .map(String.init)
    }
}
