import Foundation
import Testing

@Suite struct AdminCommandTests {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-admin-\(UUID().uuidString)").path

    @Test func userAddReadsThePasswordFromStandardInput() throws {
        let added = try BooksprintBinary.run(["user", "add", "ann", "--password-stdin", "--data", self.data], input: "a long password\n")
        #expect(added.status == 0, "\(added.errors)")
        let admin = try BooksprintBinary.run(["user", "add", "boss", "--admin", "--password-stdin", "--data", self.data], input: "another password\n")
        #expect(admin.status == 0, "\(admin.errors)")
        #expect(try BooksprintBinary.run(["user", "list", "--data", self.data]).output == "ann\nboss\tadmin\n")
        #expect(try BooksprintBinary.run(["book", "list", "--data", self.data]).output == "")

        let again = try BooksprintBinary.run(["user", "add", "ann", "--password-stdin", "--data", self.data], input: "a long password\n")
        #expect(again.status == 1 && again.errors == "Error: user ann already exists\n", "\(again.errors)")
        let changed = try BooksprintBinary.run(["user", "passwd", "ann", "--password-stdin", "--data", self.data], input: "a new long password\n")
        #expect(changed.status == 0, "\(changed.errors)")
        let nobody = try BooksprintBinary.run(["user", "passwd", "nobody", "--password-stdin", "--data", self.data], input: "a new long password\n")
        #expect(nobody.status != 0 && nobody.errors.contains("no user nobody"))
    }

    @Test func badArgumentsGiveOneLineAndStatus64() throws {
        let noPassword = try BooksprintBinary.run(["user", "add", "ann", "--password-stdin", "--data", self.data], input: "")
        #expect(noPassword.status == 64)
        let badPort = try BooksprintBinary.run(["serve", "--port", "99999", "--data", self.data])
        #expect(badPort.status == 64 && badPort.errors.split(separator: "\n").count == 1, "\(badPort.errors)")
    }
}
