import Foundation
import Testing

@Suite struct ClientCommandTests {
    @Test(arguments: [
        ["clone", "not-a-url", "dir"],
        ["clone", "http://127.0.0.1:9/books/x", "dir"],
        ["clone", "http://127.0.0.1:9/api/v1/books/x"],
        ["clone", "http://127.0.0.1:9/api/v1/books/x", "dir", "--username", "ann", "--password-stdin"],
        ["push", "a", "b"],
        ["pull", "--bogus"],
    ])
    func badArgumentsGiveOneLineAndStatus64(arguments: [String]) throws {
        let result = try BooksprintBinary.run(arguments, input: "")
        #expect(result.status == 64)
        #expect(result.errors.hasPrefix("booksprint: "))
        #expect(result.errors.filter { $0 == "\n" }.count == 1, "\(result.errors)")
    }

    @Test func aFolderThatIsNoCloneIsOneLineAndStatus1() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in ["status", "pull", "push"] {
            let result = try BooksprintBinary.run([command, folder.path])
            #expect(result.status == 1)
            #expect(result.errors == "booksprint: \(folder.path) is not a booksprint clone (no .booksprint/state.json)\n")
        }
    }
}
