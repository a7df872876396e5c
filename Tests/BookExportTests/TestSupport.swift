import BookModel
import Foundation
import Testing

/// A temporary folder removed when the test is done with it.
final class TemporaryFolder {
    let url: URL

    init() throws {
        self.url = FileManager.default.temporaryDirectory
            .appendingPathComponent("booksprint-export-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    /// BOOKSPRINT_KEEP_TEST_FILES=1 keeps the folder for a look at what a test wrote.
    deinit {
        if ProcessInfo.processInfo.environment["BOOKSPRINT_KEEP_TEST_FILES"] == "1" { return }
        try? FileManager.default.removeItem(at: self.url)
    }

    /// Writes `files` (path -> text or bytes) under the folder, creating subfolders.
    func write(_ files: [String: Data]) throws {
        for (path, data) in files {
            let file = self.url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file)
        }
    }

    func path(_ name: String) -> URL { self.url.appendingPathComponent(name) }
}

extension Data {
    init(text: String) { self.init(text.utf8) }
}

/// Small images of every format a book may bring, real enough for EPUBCheck.
enum SampleImages {
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg==")!
    static let gif = Data(base64Encoded: "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")!
    static let jpeg = Data(base64Encoded: "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=")!
    static let webp = Data(base64Encoded: "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA")!
    static let svg = Data(text: """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">
          <title>Two boxes</title>
          <rect x="5" y="5" width="50" height="50" fill="#36c"/>
          <rect x="65" y="5" width="50" height="50" fill="#c63"/>
        </svg>

        """)
}
