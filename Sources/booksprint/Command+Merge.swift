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
            if let problem = self.request.problem { throw ValidationError(problem) }
        }

        func run() throws {
            let status = self.request.execute()
            if status != 0 { throw ExitCode(status) }
        }

        var request: Request {
            Request(
                ours: self.ours, base: self.base, theirs: self.theirs, style: self.style, words: self.words,
                algorithm: self.diffAlgorithm, markerSize: self.markerSize, labels: self.labels)
        }
    }
}

extension Booksprint.Merge {
    /// One merge to do, however its arguments were parsed.
    struct Request: Equatable {
        var ours = "", base = "", theirs = ""
        var style: MarkerStyle = .merge
        var words = false
        var algorithm: DiffAlgorithm = .myers
        var markerSize = 7
        var labels: [String] = []

        /// What is wrong with the arguments, if anything (ArgumentParser reports it).
        var problem: String? {
            if self.labels.count > 3 { return "-L may be given at most 3 times (ours, base, theirs)." }
            if self.markerSize < 1 { return "--marker-size must be a positive number." }
            return nil
        }

        /// Merges, writes the result to standard output and returns the exit status: the
        /// number of conflicts (at most 127), or 255 after a one-line error.
        func execute() -> Int32 {
            let files: [[UInt8]]
            do {
                files = try [self.ours, self.base, self.theirs].map(Self.read)
            } catch {
                return Self.fail("\(error)")
            }
            let options = MergeOptions(algorithm: self.algorithm, wordRefinement: self.words)
            let result: MergeResult
            do {
                result = try TextMerge.merge(base: files[1], ours: files[0], theirs: files[2], options: options)
            } catch {
                switch error {
                case .binary(let which):
                    let path = which == "ours" ? self.ours : which == "base" ? self.base : self.theirs
                    return Self.fail("Cannot merge binary files: \(path)")
                }
            }
            // git's labels: the -L values in order, then the file names.
            let labels = self.labels + [self.ours, self.base, self.theirs].dropFirst(self.labels.count)
            Self.writeOut(result.render(style: self.style, ours: labels[0], base: labels[1], theirs: labels[2], markerSize: self.markerSize))
            return Int32(min(result.conflictCount(style: self.style), 127))
        }

        struct ReadError: Error, CustomStringConvertible {
            var description: String
        }

        /// Reads a whole file straight into an array (no Data in between: the inputs can be
        /// megabytes, and copies show in the start-to-exit time).
        static func read(_ path: String) throws -> [UInt8] {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw ReadError(description: "Could not read \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                throw ReadError(description: "Could not read \(path): not a regular file")
            }
            let size = Int(info.st_size)
            guard size > 0 else { return [] }
            var failure: Int32 = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                while count < size {
                    let got = Foundation.read(fd, buffer.baseAddress! + count, size - count)
                    if got < 0 { failure = errno }
                    if got <= 0 { break }
                    count += got
                }
            }
            if failure != 0 { throw ReadError(description: "Could not read \(path): \(String(cString: strerror(failure)))") }
            return bytes
        }

        static func fail(_ message: String) -> Int32 {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            return 255
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

        /// Reads the plain `merge` invocations (the options above and three files) without
        /// ArgumentParser, whose reflection costs several milliseconds at every start, which
        /// matters for a drop-in of `git merge-file`. Anything else, `--help` or a mistake,
        /// returns nil and goes through ArgumentParser, which owns help and error messages.
        static func quickParse(_ arguments: [String]) -> Request? {
            guard arguments.first == "merge" else { return nil }
            var request = Request()
            var files: [String] = []
            var rest = arguments.dropFirst().makeIterator()
            while let argument = rest.next() {
                var name = argument, inline: String?
                if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                    name = String(argument[..<equals])
                    inline = String(argument[argument.index(after: equals)...])
                }
                func value() -> String? { inline ?? rest.next() }
                switch name {
                case "--style":
                    guard let style = value().flatMap(MarkerStyle.init(rawValue:)) else { return nil }
                    request.style = style
                case "--diff-algorithm":
                    guard let algorithm = value().flatMap(DiffAlgorithm.init(rawValue:)) else { return nil }
                    request.algorithm = algorithm
                case "--marker-size":
                    guard let size = value().flatMap({ Int($0) }) else { return nil }
                    request.markerSize = size
                case "--words" where inline == nil:
                    request.words = true
                case "-L":
                    guard let label = rest.next() else { return nil }
                    request.labels.append(label)
                default:
                    if argument.hasPrefix("-") && argument != "-" { return nil }
                    files.append(argument)
                }
            }
            guard files.count == 3, request.problem == nil else { return nil }
            (request.ours, request.base, request.theirs) = (files[0], files[1], files[2])
            return request
        }
    }
}
