import Foundation
import Testing
import TestSupport

/// `booksprint merge` as a process: output, exit status, errors.
@Suite struct MergeCommandTests {
    /// The built `booksprint`, next to the test bundle in the build folder.
    static let binary: URL? = {
        let folder = Bundle.main.bundleURL
        return [folder, folder.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("booksprint") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], in folder: URL) throws -> Run {
        let binary = try #require(Self.binary, "booksprint is not built next to the tests")
        return try Self.run(binary.path, arguments, in: folder)
    }

    static func run(_ executable: String, _ arguments: [String], in folder: URL) throws -> Run {
        let result = try Subprocess.run(URL(fileURLWithPath: executable), arguments, in: folder)
        return Run(status: result.status, stdout: result.output, stderr: result.errors)
    }

    /// A temporary folder with the given files.
    func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("merge-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    static let conflicting = ["base": "a\nb\nc\n", "ours": "a\nB\nc\n", "theirs": "a\nX\nc\n"]

    @Test func exitStatusIsTheNumberOfConflictsAndOutputIsGits() throws {
        let folder = try self.folder(Self.conflicting)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try self.run(["merge", "ours", "base", "theirs"], in: folder)
        #expect(run.status == 1)
        #expect(run.stdout == "a\n<<<<<<< ours\nB\n=======\nX\n>>>>>>> theirs\nc\n")
    }

    @Test func matchesGitMergeFileWithLabelsAndStyles() throws {
        let folder = try self.folder(Self.conflicting)
        defer { try? FileManager.default.removeItem(at: folder) }
        for options in [["--style", "diff3", "-L", "mine"], ["--style=zdiff3", "-L", "x", "-L", "y", "-L", "z"], ["--marker-size", "3"]] {
            let git = ["merge-file", "-p"] + options.map { $0 == "--style" ? "" : $0.replacingOccurrences(of: "--style=", with: "--") }
                .map { $0 == "diff3" ? "--diff3" : $0 }.filter { !$0.isEmpty } + ["ours", "base", "theirs"]
            let expected = try Self.run("/usr/bin/env", ["git"] + git, in: folder)
            let run = try self.run(["merge"] + options + ["ours", "base", "theirs"], in: folder)
            #expect(run.stdout == expected.stdout, "\(options)")
            #expect(run.status == expected.status, "\(options)")
        }
    }

    @Test func cleanMergeExitsZero() throws {
        let folder = try self.folder(["base": "a\nb\nc\n", "ours": "A\nb\nc\n", "theirs": "a\nb\nC\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try self.run(["merge", "--words", "ours", "base", "theirs"], in: folder)
        #expect(run.status == 0)
        #expect(run.stdout == "A\nb\nC\n")
    }

    @Test func exitStatusIsCappedAt127() throws {
        let lines = (0 ..< 700).map { "line \($0)\n" }
        func side(_ mark: String) -> String {
            lines.enumerated().map { $0.offset % 5 == 0 ? "\(mark) \($0.offset)\n" : $0.element }.joined()
        }
        // 140 conflicts, four lines apart (closer ones would be joined into one).
        let base = lines.joined(), ours = side("ours"), theirs = side("theirs")
        let folder = try self.folder(["base": base, "ours": ours, "theirs": theirs])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try self.run(["merge", "ours", "base", "theirs"], in: folder)
        #expect(run.status == 127)
    }

    @Test func missingFileIsAnErrorWith255() throws {
        let folder = try self.folder(Self.conflicting)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try self.run(["merge", "ours", "nope", "theirs"], in: folder)
        #expect(run.status == 255)
        #expect(run.stderr.hasPrefix("error: ") && run.stderr.contains("nope"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func binaryFileIsRefusedWith255() throws {
        let folder = try self.folder(["base": "a\n", "ours": "a\u{0}b\n", "theirs": "a\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try self.run(["merge", "ours", "base", "theirs"], in: folder)
        #expect(run.status == 255)
        #expect(run.stderr == "error: Cannot merge binary files: ours\n")
    }

    @Test(arguments: [
        ["merge", "--style", "bogus", "ours", "base", "theirs"],
        ["merge", "-L", "1", "-L", "2", "-L", "3", "-L", "4", "ours", "base", "theirs"],
        ["merge", "--marker-size", "0", "ours", "base", "theirs"],
        ["merge", "ours", "base"],
        ["merge", "--frobnicate", "ours", "base", "theirs"],
    ])
    func badArgumentsExit64(_ arguments: [String]) throws {
        let folder = try self.folder(Self.conflicting)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try self.run(arguments, in: folder)
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix("booksprint: "))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stdout.isEmpty)
    }

    @Test func helpExplainsTheExitStatus() throws {
        let folder = try self.folder([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try self.run(["merge", "--help"], in: folder)
        #expect(run.status == 0)
        #expect(run.stdout.contains("Exit status") && run.stdout.contains("--words") && run.stdout.contains("-L <label>"))
    }
}
