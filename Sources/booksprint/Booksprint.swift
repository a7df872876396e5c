import ArgumentParser
import Foundation

/// The `booksprint` command: a few lines per subcommand, the work lives in the libraries.
@main
struct Booksprint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "booksprint",
        abstract: "Write a whole book together in a few days.",
        subcommands: [Merge.self])

    /// Runs a plain `booksprint merge` without ArgumentParser's start-up cost (see
    /// `Merge.Request.quickParse`); everything else goes through ArgumentParser.
    @MainActor static func main() async {
        if let request = Merge.Request.quickParse(Array(CommandLine.arguments.dropFirst())) {
            Foundation.exit(request.execute())
        }
        await Self.main(nil)
    }
}
