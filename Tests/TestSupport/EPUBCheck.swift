import Foundation

/// EPUBCheck 5, the reference validator of EPUB 3, as every test target runs it.
public enum EPUBCheck {
    /// EPUBCheck's fatal, error and warning lines about the EPUB at `file`; empty when it
    /// reports nothing. Output that is neither a complaint nor EPUBCheck's all-clear (a crash,
    /// a Java error) comes back as one complaint, so that it fails the test too.
    public static func complaints(about file: URL) throws -> [String] {
        let jar = try Oracle.epubcheck.path()
        let result = try Subprocess.run(tool: "java", ["-jar", jar.path, file.path])
        let output = result.output + result.errors
        let complaints = output.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("FATAL") || $0.hasPrefix("ERROR") || $0.hasPrefix("WARNING") }
        if complaints.isEmpty && (result.status != 0 || !output.contains("No errors or warnings detected")) {
            return ["epubcheck exited \(result.status): \(output)"]
        }
        return complaints
    }

    /// The same for an EPUB held in memory (a server's answer).
    public static func complaints(about epub: Data) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("epubcheck-\(UUID().uuidString).epub")
        try epub.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try self.complaints(about: file)
    }
}

/// Python scripts run by the venv's Python, with lxml at hand.
public enum Python {
    /// Runs `script` with `arguments`; a non-zero exit is an error carrying what it printed.
    public static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let result = try Subprocess.run(try Oracle.lxml.path(), ["-c", script] + arguments)
        guard result.status == 0 else { throw Failed(status: result.status, output: result.output + result.errors) }
        return result.output
    }

    public struct Failed: Error, CustomStringConvertible {
        public var status: Int32
        public var output: String
        public var description: String { "python exited \(self.status): \(self.output)" }

        public init(status: Int32, output: String) {
            self.status = status
            self.output = output
        }
    }
}
