import ArgumentParser
import BookClient

extension Booksprint {
    /// `booksprint status [DIR]`: what changed locally, on the server, or both.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List chapters changed locally (local), on the server (server), on both (both), or with conflict markers.")
        @OptionGroup var folder: ClientFolder

        func run() async throws {
            let report = try await runClient { try await self.folder.client.status() }
            print(report.lines.isEmpty ? "up to date" : report.lines.joined(separator: "\n"))
        }
    }
}
