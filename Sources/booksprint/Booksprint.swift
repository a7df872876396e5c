import ArgumentParser
import Foundation

/// The `booksprint` command: a few lines per subcommand, the work lives in the libraries.
@main
struct Booksprint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "booksprint",
        abstract: "Write a whole book together in a few days.",
        subcommands: [
            Serve.self,
            Merge.self,
            Export.self,
            Check.self,
            Import.self,
            UserCommand.self,
            BookCommand.self,
            Clone.self,
            Pull.self,
            Push.self,
            Status.self,
        ])

    /// As ArgumentParser's own `main`, with two differences: a plain `booksprint merge` skips
    /// ArgumentParser's start-up cost (see `Merge.Request.quickParse`), and bad arguments give
    /// the one-line error and exit status 64 the command contract asks for, not a usage screen.
    @MainActor static func main() async {
        limitMallocArenas()
        if let request = Merge.Request.quickParse(Array(CommandLine.arguments.dropFirst())) {
            Foundation.exit(request.execute())
        }
        do {
            var command = try await Self.asyncParseAsRoot(nil)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if Self.exitCode(for: error) == .validationFailure {
                let message = Self.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad arguments"
                FileHandle.standardError.write(Data("booksprint: \(message)\n".utf8))
                Self.exit(withError: ExitCode.validationFailure)
            }
            Self.exit(withError: error)
        }
    }
}
