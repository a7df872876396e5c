import BookClient
import BookModel
import Foundation
import Testing

@Suite struct FolderClientTests {
    /// Clones a book with chapters One (10 numbered lines) and Two; returns the ids.
    func cloneBook(_ server: ClientServer) async throws -> (one: String, two: String, client: FolderClient) {
        let one = try await server.createChapter("One", ClientServer.lines(10).joined())
        let two = try await server.createChapter("Two", "Second chapter.\n")
        let client = try await FolderClient.clone(bookURL: server.bookURL, token: server.annToken, into: server.folder)
        return (one, two, client)
    }

    @Test func cloneWritesALoadableBookFolderAndAPrivateToken() async throws {
        try await withClientServer { server in
            let (_, _, client) = try await self.cloneBook(server)
            let book = try BookFolder.load(from: server.folder)
            #expect(!book.hasErrors, "\(book.problems)")
            #expect(book.manuscript.chaptersInOrder.map(\.title) == ["One", "Two"])
            #expect(try server.file("chapters/one.md") == "# One\n\n" + ClientServer.lines(10).joined())
            let token = server.folder.appendingPathComponent(".booksprint/token").path
            let mode = try FileManager.default.attributesOfItem(atPath: token)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(try String(contentsOfFile: token, encoding: .utf8) == server.annToken)
            #expect(try await client.status().lines.isEmpty)
            await #expect(throws: ClientError.self) {
                _ = try await FolderClient.clone(bookURL: server.bookURL, token: server.annToken, into: server.folder)
            }
        }
    }

    @Test func pullMergesServerEditsIntoLocalEditsOnOtherLinesAndPushSendsBoth() async throws {
        try await withClientServer { server in
            let (one, two, client) = try await self.cloneBook(server)
            try server.writeOne(replacing: 1, with: "local edit\n")
            try await server.edit(one) { $0[7] = "server edit\n" }
            try await server.edit(two) { $0[0] = "Second chapter, revised.\n" }
            #expect(try await client.status().lines == ["both      chapters/one.md", "server    chapters/two.md"])

            let pulled = try await client.pull()
            #expect(pulled == SyncReport(lines: ["merged  chapters/one.md", "updated chapters/two.md"], conflicts: 0))
            var both = ClientServer.lines(10)
            both[1] = "local edit\n"
            both[7] = "server edit\n"
            #expect(try server.file("chapters/one.md") == "# One\n\n" + both.joined())
            #expect(try server.file("chapters/two.md") == "# Two\n\nSecond chapter, revised.\n")
            #expect(try await client.status().lines == ["local     chapters/one.md"])

            let pushed = try await client.push()
            #expect(pushed.lines == ["pushed  chapters/one.md (revision 3)"] && pushed.conflicts == 0)
            #expect(try await server.text(one) == both.joined())
            #expect(try await client.status().lines.isEmpty)
            #expect(try await client.push().lines.isEmpty)
        }
    }

    @Test func pushFromAStaleBaseAdoptsTheServersMerge() async throws {
        try await withClientServer { server in
            let (one, _, client) = try await self.cloneBook(server)
            let local = try server.writeOne(replacing: 1, with: "local edit\n")
            try await server.edit(one) { $0[7] = "server edit\n" }

            let pushed = try await client.push()
            #expect(pushed.lines == ["pushed  chapters/one.md (merged with the server's changes, revision 3)"])
            var both = local
            both[7] = "server edit\n"
            #expect(try server.file("chapters/one.md") == "# One\n\n" + both.joined())
            #expect(try await server.text(one) == both.joined())
            #expect(try await client.status().lines.isEmpty)
        }
    }

    @Test func sameLineOnBothSidesGivesMarkersOnPullAndNothingIsLost() async throws {
        try await withClientServer { server in
            let (one, _, client) = try await self.cloneBook(server)
            try server.writeOne(replacing: 2, with: "LOCAL three\n")
            try await server.edit(one) { $0[2] = "SERVER three\n" }

            let pulled = try await client.pull()
            #expect(pulled == SyncReport(lines: ["CONFLICT (content): Merge conflict in chapters/one.md"], conflicts: 1))
            let marked = try server.file("chapters/one.md")
            #expect(marked.contains("<<<<<<< local\nLOCAL three\n=======\nSERVER three\n>>>>>>> server\n"))
            #expect(try await client.status() == SyncReport(lines: ["conflict  chapters/one.md"], conflicts: 1))
            #expect(try await client.push() == SyncReport(
                lines: ["refused chapters/one.md: it still has conflict markers; resolve them first"], conflicts: 1))
            #expect(try await server.text(one).contains("SERVER three"))

            let resolved = try server.writeOne(replacing: 2, with: "LOCAL and SERVER three\n")
            #expect(try await client.status().lines == ["local     chapters/one.md"])
            let pushed = try await client.push()
            #expect(pushed.lines == ["pushed  chapters/one.md (revision 3)"])
            #expect(try await server.text(one) == resolved.joined())
        }
    }

    @Test func aConflictingPushWritesTheServersMarkersAndResolvesItsConflictRecord() async throws {
        try await withClientServer { server in
            let (one, _, client) = try await self.cloneBook(server)
            try server.writeOne(replacing: 2, with: "LOCAL three\n")
            try await server.edit(one) { $0[2] = "SERVER three\n" }

            let pushed = try await client.push()
            #expect(pushed.conflicts == 1)
            #expect(pushed.lines.first?.hasPrefix("CONFLICT (content): Merge conflict in chapters/one.md") == true)
            let marked = try server.file("chapters/one.md")
            #expect(marked.contains("LOCAL three") && marked.contains("SERVER three") && marked.contains("<<<<<<<"))
            #expect(try await server.text(one).contains("SERVER three"))
            let conflicts = try await server.call(.GET, "/chapters/\(one)").json["conflicts"] as? [String]
            #expect(conflicts?.count == 1)

            let resolved = try server.writeOne(replacing: 2, with: "resolved three\n")
            #expect(try await client.push().lines == ["pushed  chapters/one.md (revision 3)"])
            #expect(try await server.text(one) == resolved.joined())
            let record = try await server.call(.GET, "/chapters/\(one)/conflicts/\(conflicts![0])")
            #expect(record.json["state"] as? String == "resolved")
        }
    }

    @Test func aChangedTitleLineOrAForeignFolderGivesAClearError() async throws {
        try await withClientServer { server in
            let (_, _, client) = try await self.cloneBook(server)
            try server.write("chapters/one.md", "# Renamed\n\nline 1\n")
            await #expect(throws: ClientError.self) { _ = try await client.push() }
            let elsewhere = FolderClient(root: server.folder.appendingPathComponent("chapters"))
            await #expect(throws: ClientError.self) { _ = try await elsewhere.status() }
        }
    }

    @Test func cloneBringsTheImagesSoTheFolderPassesItsCheck() async throws {
        try await withClientServer { server in
            // As the server's SVG cleaner writes it (attributes sorted, a final newline), so
            // that the upload stores these very bytes and the clone must bring them back.
            let svg = #"<svg xmlns="http://www.w3.org/2000/svg" height="1" width="1"/>"# + "\n"
            try await server.uploadSVG("dot.svg", svg)
            _ = try await server.createChapter("Pictures", "![A dot](../images/dot.svg)\n")
            _ = try await FolderClient.clone(bookURL: server.bookURL, token: server.annToken, into: server.folder)
            #expect(try server.file("images/dot.svg") == svg)
            let book = try BookFolder.load(from: server.folder)
            #expect(book.problems.isEmpty, "\(book.problems)")
        }
    }

    @Test func markersThatTheBookShowsOnPurposeAreNotAConflict() async throws {
        try await withClientServer { server in
            let example = "Git writes:\n\n```\n<<<<<<< ours\nA\n=======\nB\n>>>>>>> theirs\n```\n"
            _ = try await server.createChapter("Markers", example)
            let client = try await FolderClient.clone(bookURL: server.bookURL, token: server.annToken, into: server.folder)
            #expect(try await client.status().lines.isEmpty)
            try server.write("chapters/markers.md", "# Markers\n\n" + example + "More.\n")
            #expect(try await client.push().lines == ["pushed  chapters/markers.md (revision 2)"])
        }
    }

    @Test func aNewChapterListedInBookYamlIsCreatedOnPush() async throws {
        try await withClientServer { server in
            let (_, _, client) = try await self.cloneBook(server)
            try server.write("book.yaml", try server.file("book.yaml") + "- chapter: chapters/three.md\n")
            try server.write("chapters/three.md", "# Three\n\nThe third chapter.\n")
            #expect(try await client.status().lines == ["new       chapters/three.md"])
            #expect(try await client.push().lines == ["created chapters/three.md (revision 1)"])
            #expect(try await client.status().lines.isEmpty)

            let book = try await server.call(.GET, "")
            let heads = book.json["chapters"] as! [String: [String: Any]]
            let three = try #require(heads.first { $0.value["title"] as? String == "Three" }?.key)
            #expect(try await server.text(three) == "The third chapter.\n")
            try server.write("chapters/three.md", "# Three\n\nThe third chapter, longer.\n")
            #expect(try await client.push().lines == ["pushed  chapters/three.md (revision 2)"])
            #expect(try await server.text(three) == "The third chapter, longer.\n")
        }
    }

    @Test func bookURLsAreParsedStrictly() throws {
        let parsed = try BookAPI.parse(bookURL: "http://127.0.0.1:8080/api/v1/books/abc/")
        #expect(parsed.root == "http://127.0.0.1:8080" && parsed.book == "abc")
        for bad in ["127.0.0.1:8080/api/v1/books/abc", "http://h/api/v1/books/", "http://h/books/abc", "ftp://h/api/v1/books/a"] {
            #expect(throws: ClientError.self) { try BookAPI.parse(bookURL: bad) }
        }
    }
}
