import ArgumentParser
import BookStore
import Foundation

extension Booksprint {
    /// `booksprint user add|list|passwd`: accounts of a local store.
    struct UserCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: "Manage the accounts of a local store.",
            subcommands: [Add.self, List.self, Passwd.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create an account; the password is read from standard input.")
            @Argument(help: "The user name: letters, digits, '-', '_', '.'.") var name: String
            @Flag(help: "Make the account an administrator (manages accounts and the members of every book).") var admin = false
            @Flag(help: "Read the password from standard input (the only way; never an argument).") var passwordStdin = false
            @OptionGroup var store: DataOptions

            func run() async throws {
                let password = try readPassword()
                try await self.store.open().addUser(name: self.name, password: password, isAdmin: self.admin)
                print("created \(self.name)\(self.admin ? " (admin)" : "")")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the accounts.")
            @OptionGroup var store: DataOptions

            func run() async throws {
                for user in try await self.store.open().users() {
                    print(user.isAdmin ? "\(user.name)\tadmin" : user.name)
                }
            }
        }

        struct Passwd: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set an account's password (read from standard input); signs out its sessions and ends its event streams.")
            @Argument(help: "The user name.") var name: String
            @Flag(help: "Read the password from standard input (the only way; never an argument).") var passwordStdin = false
            @OptionGroup var store: DataOptions

            func run() async throws {
                try await self.store.open().setPassword(name: self.name, password: try readPassword())
                print("password of \(self.name) changed")
            }
        }
    }

    /// `booksprint book list`: the books of a local store.
    struct BookCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "book", abstract: "List the books of a local store.", subcommands: [List.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List every book: id, last seq, title.")
            @OptionGroup var store: DataOptions

            func run() async throws {
                for book in try await self.store.open().allBooks() {
                    print("\(book.id)\t\(book.seq)\t\(book.title)")
                }
            }
        }
    }
}

/// The first line of standard input, without its newline.
func readPassword() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw ValidationError("give the password on standard input")
    }
    return line
}
