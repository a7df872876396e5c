import BookServer
import BookStore
import Foundation
import Testing

/// The data folder holds every book and the password hashes: its owner's alone.
@Suite struct DataFolderTests {
    static func mode(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
    }

    @Test func dataFolderIsCreated0700AndItsFiles0600() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-modes-\(UUID().uuidString)/data")
        let configuration = ServerConfiguration(dataDirectory: dir)
        let database = try openDatabase(configuration: configuration)
        let fran = try await database.addUser(name: "fran", password: "password-fran")
        let book = try await database.createBook(.init(title: "Private"), user: fran)
        _ = try await database.putAsset("a.txt", contentType: "text/plain", data: Data("asset".utf8), of: book.id, user: fran)
        #expect(try Self.mode(dir.path) == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.contains("booksprint.sqlite-wal") && files.contains("booksprint.sqlite-shm"), "\(files)")
        for name in files { #expect(try Self.mode(dir.appendingPathComponent(name).path) == 0o600, "\(name)") }
    }

    /// A folder made before, readable by all, is narrowed when the server opens it.
    @Test func anOpenFolderIsNarrowed() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-modes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let configuration = ServerConfiguration(dataDirectory: dir)
        _ = try openDatabase(configuration: configuration)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: configuration.databasePath)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        _ = try openDatabase(configuration: configuration)
        #expect(try Self.mode(dir.path) == 0o700)
        #expect(try Self.mode(configuration.databasePath) == 0o600)
    }
}
