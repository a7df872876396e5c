import Foundation
import TestSupport
import TextMerge

/// Runs `git merge-file -p` as the reference, many cases per shell process (tests that
/// use it are marked `.needs(.git)`).
enum GitOracle {
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
        try Self.runScript(folder.appendingPathComponent("run.sh"), home: folder)
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

    /// Runs a generated script with git's user and system configuration out of the way.
    static func runScript(_ script: URL, home: URL) throws {
        _ = try Oracle.git.path()
        let result = try Subprocess.run(URL(fileURLWithPath: "/bin/sh"), [script.path], environment: [
            "HOME": home.path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ])
        guard result.status == 0 else { throw OracleError(message: "oracle script failed: \(result.status) \(result.errors)") }
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
        try Self.runScript(folder.appendingPathComponent("run.sh"), home: folder)
        return try pairs.indices.map { index in
            try algorithms.map { algorithm in
                try String(contentsOf: folder.appendingPathComponent("\(index).\(algorithm.rawValue)"), encoding: .utf8)
            }
        }
    }
}
