import ArgumentParser
import BookClient
import Foundation

extension Booksprint {
    /// `booksprint clone URL DIR`: a book on a server as a book folder.
    struct Clone: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a book from a server into a book folder that pull and push keep in sync.",
            discussion: """
                The token comes from the environment variable BOOKSPRINT_TOKEN, or from signing in \
                with --username and a password read from standard input; never from an argument.
                """)
        @Argument(help: "The book's URL: http://HOST:PORT/api/v1/books/ID.") var url: String
        @Argument(help: "The folder to create (absent or empty).") var dir: String
        @Option(help: "Sign in as this user (password from standard input).") var username: String?
        @Flag(help: "Read the password from standard input (the only way; never an argument).") var passwordStdin = false

        func run() async throws {
            let (root, _) = try clientArgument { try BookAPI.parse(bookURL: self.url) }
            let token: String
            if let username {
                token = try await runClient { try await BookAPI.login(root: root, username: username, password: try readPassword()) }
            } else if let environment = ProcessInfo.processInfo.environment["BOOKSPRINT_TOKEN"], !environment.isEmpty {
                token = environment
            } else {
                throw ValidationError("give --username NAME --password-stdin, or set BOOKSPRINT_TOKEN")
            }
            let folder = URL(fileURLWithPath: self.dir)
            _ = try await runClient { try await FolderClient.clone(bookURL: self.url, token: token, into: folder) }
            print("cloned into \(self.dir)")
        }
    }
}

/// A client error in an argument (a malformed URL) is a bad argument: exit 64.
func clientArgument<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ClientError { throw ValidationError(error.description) }
}

/// Runs a client call; its failure (a server's refusal, an unreadable file) is one line on
/// standard error and exit status 1. Bad arguments keep their exit status 64.
func runClient<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as ValidationError { throw error } catch let error as ExitCode {
        throw error
    } catch {
        let line = String(describing: error).split(separator: "\n").first.map(String.init) ?? "failed"
        FileHandle.standardError.write(Data("booksprint: \(line)\n".utf8))
        throw ExitCode.failure
    }
}

/// The folder argument of pull, push and status.
struct ClientFolder: ParsableArguments {
    @Argument(help: "The cloned book folder.") var dir = "."

    var client: FolderClient { FolderClient(root: URL(fileURLWithPath: self.dir)) }

    /// Prints the report; conflicts make the exit status 1, as `git merge` does.
    func finish(_ report: SyncReport, quiet: String) throws {
        print(report.lines.isEmpty ? quiet : report.lines.joined(separator: "\n"))
        if report.conflicts > 0 { throw ExitCode.failure }
    }
}
