import ArgumentParser
import Foundation
import TextMerge

extension MarkerStyle: ExpressibleByArgument {}
extension DiffAlgorithm: ExpressibleByArgument {}

extension Booksprint {
    /// `booksprint merge`: a drop-in for `git merge-file -p`.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Three-way merge of three files, printed to standard output.",
            discussion: """
                Merges the changes that lead from BASE to THEIRS into OURS, exactly as \
                `git merge-file -p OURS BASE THEIRS` does: same argument order, same conflict \
                markers, same output byte for byte, same exit status.

                Exit status: the number of conflicts (at most 127), 0 when the merge is clean, \
                255 on an error such as a missing or binary file, 64 for bad arguments.

                --words is the server's merge: histogram diff, then each conflicting hunk is \
                merged again word by word and resolved when the two sides' word changes neither \
                overlap nor touch; otherwise it stays a conflict. It is never fuzzy.
                """)

        @Option(help: "Conflict style: merge (ours and theirs), diff3 (with the base), zdiff3 (diff3 without the lines both sides share).")
        var style: MarkerStyle = .merge

        @Flag(help: "Resolve conflicting hunks word by word when that is safe (the server's merge).")
        var words = false

        @Option(name: .customLong("diff-algorithm"), help: "Line diff against the base: myers (git's default) or histogram.")
        var diffAlgorithm: DiffAlgorithm = .myers

        @Option(name: .customLong("marker-size"), help: "Width of the conflict markers.")
        var markerSize: Int = 7

        @Option(name: .customShort("L"), help: ArgumentHelp(
            "Label for ours, then base, then theirs (repeat up to 3 times; the file names otherwise).",
            valueName: "label"))
        var labels: [String] = []

        @Argument(help: "Our version, into which the other changes are merged.")
        var ours: String

        @Argument(help: "The common ancestor of both versions.")
        var base: String

        @Argument(help: "Their version.")
        var theirs: String

        func validate() throws {
            if self.labels.count > 3 { throw ValidationError("-L may be given at most 3 times (ours, base, theirs).") }
            if self.markerSize < 1 { throw ValidationError("--marker-size must be a positive number.") }
        }

        func run() throws {
            let files: [[UInt8]]
            do {
                files = try [self.ours, self.base, self.theirs].map(Self.read)
            } catch {
                Self.fail("\(error)")
            }
            let options = MergeOptions(algorithm: self.diffAlgorithm, wordRefinement: self.words)
            let result: MergeResult
            do {
                result = try TextMerge.merge(base: files[1], ours: files[0], theirs: files[2], options: options)
            } catch {
                switch error {
                case .binary(let which):
                    let path = which == "ours" ? self.ours : which == "base" ? self.base : self.theirs
                    Self.fail("Cannot merge binary files: \(path)")
                }
            }
            let labels = self.labels + [self.ours, self.base, self.theirs].dropFirst(self.labels.count)
            let output = result.render(style: self.style, ours: labels[0], base: labels[1], theirs: labels[2], markerSize: self.markerSize)
            Self.writeOut(output)
            let conflicts = result.conflictCount(style: self.style)
            if conflicts > 0 { throw ExitCode(Int32(min(conflicts, 127))) }
        }

        struct ReadError: Error, CustomStringConvertible {
            var description: String
        }

        static func read(_ path: String) throws -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = FileManager.default.fileExists(atPath: path) ? "cannot read it" : "No such file or directory"
                throw ReadError(description: "Could not read \(path): \(reason)")
            }
            return [UInt8](data)
        }

        static func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            Foundation.exit(255)
        }

        static func writeOut(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }
}
