import ArgumentParser

/// The `booksprint` command: a few lines per subcommand, the work lives in the libraries.
@main
struct Booksprint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "booksprint",
        abstract: "Write a whole book together in a few days.",
        subcommands: [Merge.self])
}
