import Foundation
import Testing

/// Runs the built `booksprint` with arguments and standard input.
private func booksprint(_ arguments: [String], input: String = "") throws -> (status: Int32, out: String, err: String) {
    let products = Bundle.main.bundleURL.pathExtension == "xctest"
        ? Bundle.main.bundleURL.deletingLastPathComponent()
        : URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let process = Process()
    process.executableURL = products.appendingPathComponent("booksprint")
    process.arguments = arguments
    let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, out, err)
}

@Suite struct AdminCommandTests {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-admin-\(UUID().uuidString)").path

    @Test func userAddReadsThePasswordFromStandardInput() throws {
        let added = try booksprint(["user", "add", "ann", "--password-stdin", "--data", self.data], input: "a long password\n")
        #expect(added.status == 0, "\(added.err)")
        let admin = try booksprint(["user", "add", "boss", "--admin", "--password-stdin", "--data", self.data], input: "another password\n")
        #expect(admin.status == 0, "\(admin.err)")
        #expect(try booksprint(["user", "list", "--data", self.data]).out == "ann\nboss\tadmin\n")
        #expect(try booksprint(["book", "list", "--data", self.data]).out == "")

        let again = try booksprint(["user", "add", "ann", "--password-stdin", "--data", self.data], input: "a long password\n")
        #expect(again.status == 1 && again.err == "Error: user ann already exists\n", "\(again.err)")
        let changed = try booksprint(["user", "passwd", "ann", "--password-stdin", "--data", self.data], input: "a new long password\n")
        #expect(changed.status == 0, "\(changed.err)")
        let nobody = try booksprint(["user", "passwd", "nobody", "--password-stdin", "--data", self.data], input: "a new long password\n")
        #expect(nobody.status != 0 && nobody.err.contains("no user nobody"))
    }

    @Test func badArgumentsGiveOneLineAndStatus64() throws {
        let noPassword = try booksprint(["user", "add", "ann", "--password-stdin", "--data", self.data], input: "")
        #expect(noPassword.status == 64)
        let badPort = try booksprint(["serve", "--port", "99999", "--data", self.data])
        #expect(badPort.status == 64 && badPort.err.split(separator: "\n").count == 1, "\(badPort.err)")
    }
}
