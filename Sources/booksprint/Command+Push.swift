import ArgumentParser
import BookClient

extension Booksprint {
    /// `booksprint push [DIR]`: send local edits as saves with their base.
    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send local edits to the server, adopting its merges; conflicts get markers and exit status 1.")
        @OptionGroup var folder: ClientFolder

        func run() async throws {
            try self.folder.finish(try await runClient { try await self.folder.client.push() }, quiet: "nothing to push")
        }
    }
}
