import BookModel
import Foundation

/// A real folder under the temporary directory, filled from a dictionary of path -> text,
/// removed when the test is done with it.
final class TestFolder {
    let url: URL

    init(_ files: [String: String] = [:]) throws {
        self.url = FileManager.default.temporaryDirectory
            .appendingPathComponent("booksprint-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
        for (path, text) in files { try self.write(path, Data(text.utf8)) }
    }

    deinit { try? FileManager.default.removeItem(at: self.url) }

    func write(_ path: String, _ data: Data) throws {
        let file = self.url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    /// Every file below the folder with its bytes, keyed by relative path.
    func contents() throws -> [String: Data] {
        var found: [String: Data] = [:]
        let base = self.url.standardizedFileURL.path
        let enumerator = FileManager.default.enumerator(at: self.url, includingPropertiesForKeys: [.isRegularFileKey])
        while let file = enumerator?.nextObject() as? URL {
            guard (try file.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            found[String(file.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: file)
        }
        return found
    }
}

/// Chapter texts and images held in memory: a manuscript that did not come from a folder.
struct MemorySource: ManuscriptSource {
    var texts: [String: String]
    var files: [String: Data] = [:]

    func text(ofChapterAt path: String) throws -> String {
        guard let text = self.texts[path] else { throw CocoaError(.fileReadNoSuchFile) }
        return text
    }

    func data(at path: String) throws -> Data? { self.files[path] }
}

extension LoadedBook {
    /// Problems rendered the way `booksprint check` prints them.
    var report: [String] { self.problems.map(\.description) }

    func has(_ severity: BookProblem.Severity, _ file: String, line: Int? = nil, containing text: String) -> Bool {
        self.problems.contains {
            $0.severity == severity && $0.file == file && (line == nil || $0.line == line) && $0.message.contains(text)
        }
    }
}

/// The handbook in this repository.
let handbookFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Books/booksprint-handbook", isDirectory: true)
