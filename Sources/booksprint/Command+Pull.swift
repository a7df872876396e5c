import ArgumentParser
import BookClient

extension Booksprint {
    /// `booksprint pull [DIR]`: merge the server's changes into the folder.
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the server's changes into local edits; conflicts get markers and exit status 1.")
        @OptionGroup var folder: ClientFolder

        func run() async throws {
            try self.folder.finish(try await runClient { try await self.folder.client.pull() }, quiet: "already up to date")
        }
    }
}
