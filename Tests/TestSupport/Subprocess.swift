import Foundation

/// What a child process printed and how it ended.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data

    /// Standard output as UTF-8 text.
    public var output: String { String(decoding: self.stdout, as: UTF8.self) }
    /// Standard error as UTF-8 text.
    public var errors: String { String(decoding: self.stderr, as: UTF8.self) }
}

/// The one way tests run another program: to its end, with its output and errors read
/// side by side (a child that fills one pipe while the test waits on the other would hang).
public enum Subprocess {
    /// Runs `executable` with `arguments`; `input`, when given, is its standard input.
    /// `environment` replaces the test's environment when given.
    public static func run(
        _ executable: URL, _ arguments: [String], input: Data? = nil, in directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let errors = Drain(stderr.fileHandleForReading)
        if let input {
            let writer = stdin.fileHandleForWriting
            DispatchQueue.global().async {
                // A child that exits without reading its input leaves the pipe closed: not an error here.
                try? writer.write(contentsOf: input)
                try? writer.close()
            }
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: output, stderr: errors.wait())
    }

    /// The same from async code: the wait happens on a Dispatch thread, since blocking one of
    /// the cooperative pool's few threads for a long run would slow every other test.
    public static func run(
        _ executable: URL, _ arguments: [String], input: Data? = nil, in directory: URL? = nil,
        environment: [String: String]? = nil
    ) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try Self.run(executable, arguments, input: input, in: directory, environment: environment) as ProcessResult
                })
            }
        }
    }

    /// Runs `name` found on PATH (as `/usr/bin/env name` would).
    public static func run(tool name: String, _ arguments: [String], input: Data? = nil, in directory: URL? = nil) throws -> ProcessResult {
        guard let tool = Self.onPath(name) else { throw Missing(name: name) }
        return try self.run(tool, arguments, input: input, in: directory)
    }

    /// The executable `name` in a folder of PATH, or nil.
    public static func onPath(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").lazy.map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(self.name) is not on PATH" }
    }

    /// Reads a pipe to its end on a thread of its own.
    private final class Drain: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            DispatchQueue.global().async {
                self.data = handle.readDataToEndOfFile()
                self.done.signal()
            }
        }

        func wait() -> Data {
            self.done.wait()
            return self.data
        }
    }
}
