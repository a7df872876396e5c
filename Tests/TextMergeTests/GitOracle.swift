import Foundation
import Testing
import TextMerge

/// Runs `git merge-file -p` as the reference, many cases per shell process.
enum GitOracle {
    /// Whether git is on PATH; under Scripts/test (BOOKSPRINT_REQUIRE_ORACLES=1) a missing
    /// git is a failure, elsewhere the oracle tests are skipped.
    static func available() -> Bool {
        let found = (try? run("/bin/sh", ["-c", "command -v git"]).status) == 0
        if !found && ProcessInfo.processInfo.environment["BOOKSPRINT_REQUIRE_ORACLES"] == "1" {
            Issue.record("git is required as the merge oracle but is not on PATH")
        }
        return found
    }

    struct Output: Equatable {
        var bytes: [UInt8]
        var status: Int32
    }

    /// One git invocation: its extra arguments (style flags, -L labels).
    struct Variant: Sendable {
        var name: String
        var arguments: [String]
    }

    /// Writes every case to a temporary folder, runs git on each case in every variant
    /// from one shell script, and reads the outputs back: `[case][variant]`.
    static func outputs(_ cases: [MergeCase], variants: [Variant]) throws -> [[Output]] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("textmerge-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var script = "cd '\(folder.path)' || exit 1\n"
        for (index, merge) in cases.enumerated() {
            let dir = folder.appendingPathComponent("\(index)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(merge.base).write(to: dir.appendingPathComponent("base"))
            try Data(merge.ours).write(to: dir.appendingPathComponent("ours"))
            try Data(merge.theirs).write(to: dir.appendingPathComponent("theirs"))
            script += "cd \(index)\n"
            for (v, variant) in variants.enumerated() {
                let arguments = variant.arguments.map { "'\($0)'" }.joined(separator: " ")
                script += "git merge-file -p \(arguments) ours base theirs > out\(v) 2>/dev/null; echo $? > rc\(v)\n"
            }
            script += "cd ..\n"
        }
        try Data(script.utf8).write(to: folder.appendingPathComponent("run.sh"))
        let result = try run("/bin/sh", [folder.appendingPathComponent("run.sh").path], environment: [
            "HOME": folder.path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ])
        guard result.status == 0 else { throw OracleError(message: "oracle script failed: \(result.status)") }
        return try cases.indices.map { index in
            let dir = folder.appendingPathComponent("\(index)")
            return try variants.indices.map { v in
                let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent("out\(v)")))
                let rc = try String(contentsOf: dir.appendingPathComponent("rc\(v)"), encoding: .utf8)
                return Output(bytes: bytes, status: Int32(rc.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1)
            }
        }
    }

    struct OracleError: Error { var message: String }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

extension GitOracle {
    /// `git diff --no-index --no-indent-heuristic [--histogram]` of each pair, from the
    /// first "@@" on (the hunks), from one shell script: `[pair][algorithm]`.
    static func diffs(_ pairs: [(old: [UInt8], new: [UInt8])], algorithms: [DiffAlgorithm]) throws -> [[String]] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("textmerge-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var script = "cd '\(folder.path)' || exit 1\n"
        for (index, pair) in pairs.enumerated() {
            try Data(pair.old).write(to: folder.appendingPathComponent("\(index).old"))
            try Data(pair.new).write(to: folder.appendingPathComponent("\(index).new"))
            for algorithm in algorithms {
                let option = algorithm == .histogram ? "--histogram" : ""
                script += "git diff --no-index --no-indent-heuristic --no-color \(option) \(index).old \(index).new | sed -n -e '/^@@/,$p' | sed -e 's/^\\(@@ .* @@\\).*/\\1/' > \(index).\(algorithm.rawValue)\n"
            }
        }
        try Data(script.utf8).write(to: folder.appendingPathComponent("run.sh"))
        let result = try run("/bin/sh", [folder.appendingPathComponent("run.sh").path], environment: [
            "HOME": folder.path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ])
        guard result.status == 0 else { throw OracleError(message: "oracle script failed: \(result.status)") }
        return try pairs.indices.map { index in
            try algorithms.map { algorithm in
                try String(contentsOf: folder.appendingPathComponent("\(index).\(algorithm.rawValue)"), encoding: .utf8)
            }
        }
    }
}
