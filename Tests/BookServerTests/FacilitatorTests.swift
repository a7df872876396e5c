import BookExport
import BookModel
import BookServer
import BookStore
import Foundation
import Testing
import ZIPFoundation

/// The facilitator's endpoints on a real server on loopback: word-count targets (views,
/// book.yaml, the round trip through export.zip), deleted chapters, "check before
/// publishing", the site export, the workflow's states and the assets' uses.
@Suite struct FacilitatorTests {
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg==")!

    @Test func facilitatorSetsATargetThatTheViewsShow() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("Some words here.\n", title: "Intro")
            let set = try await live.fran.call(.PATCH, "\(live.path)/chapters/\(chapter)", json: ["target": 1500])
            #expect(set.status == 200, "\(set.text)")
            #expect(set["target"] as? Int == 1500)
            let view = try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)")
            #expect(view["target"] as? Int == 1500)
            let book = try await live.rea.call(.GET, live.path)
            let summary = try #require((book["chapters"] as? [String: Any])?[chapter] as? [String: Any])
            #expect(summary["target"] as? Int == 1500)
            #expect(summary["words"] as? Int == 3)
            #expect(summary["modifiedBy"] as? String == "ann")
            #expect((summary["modified"] as? String)?.hasPrefix("20") == true)

            // A title change leaves the target; null clears it.
            let title = try await live.ann.call(.PATCH, "\(live.path)/chapters/\(chapter)", json: ["title": "Opening"])
            #expect(title["target"] as? Int == 1500)
            let cleared = try await live.fran.call(.PATCH, "\(live.path)/chapters/\(chapter)", json: ["target": NSNull()])
            #expect(cleared.status == 200)
            #expect(cleared["target"] == nil)
        }
    }

    @Test func onlyFacilitatorsSetTargetsAndOnlyInRange() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("Text.\n")
            let path = "\(live.path)/chapters/\(chapter)"
            #expect(try await live.ann.call(.PATCH, path, json: ["target": 10]).status == 403)
            #expect(try await live.fran.call(.PATCH, path, json: ["target": -1]).status == 422)
            #expect(try await live.fran.call(.PATCH, path, json: ["target": 10_000_001]).status == 422)
            #expect(try await live.fran.call(.PATCH, path, json: ["target": "many"]).status == 400)
            #expect(try await live.fran.call(.PATCH, path, json: ["target": 2.5]).status == 400)
            #expect(try await live.rea.call(.GET, path)["target"] == nil)
        }
    }

    /// The target goes into book.yaml (`target:` on the chapter's toc entry) and comes back
    /// with an import of the zip.
    @Test func targetsTravelThroughTheBookFolder() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("Text.\n", title: "Aimed")
            _ = try await live.createChapter("Other.\n", title: "Free")
            #expect(try await live.fran.call(.PATCH, "\(live.path)/chapters/\(chapter)", json: ["target": 2000]).status == 200)
            let zip = try await live.fran.call(.GET, "\(live.path)/export.zip")
            #expect(zip.status == 200)
            let folder = try unzipped(zip.body)
            defer { try? FileManager.default.removeItem(at: folder) }
            let root = folder.appendingPathComponent("live")
            let yaml = try String(contentsOf: root.appendingPathComponent("book.yaml"), encoding: .utf8)
            #expect(yaml.contains("target: 2000"), "\(yaml)")
            let loaded = try BookFolder.load(from: root)
            #expect(loaded.problems == [])
            #expect(loaded.manuscript.chaptersInOrder.map(\.target) == [2000, nil])

            let fran = try #require(try await live.database.users().first { $0.name == "fran" })
            let imported = try await live.database.importBook(loaded, owner: fran)
            let book = try await live.fran.call(.GET, "/api/v1/books/\(imported)")
            let chapters = try #require(book["chapters"] as? [String: [String: Any]])
            #expect(Set(chapters.values.map { $0["title"] as? String ?? "" }) == ["Aimed", "Free"])
            #expect(chapters.values.first { $0["title"] as? String == "Aimed" }?["target"] as? Int == 2000)
            #expect(chapters.values.first { $0["title"] as? String == "Free" }?["target"] == nil)
        }
    }

    @Test func aTargetThatIsNotAWholeNumberIsReportedInBookYaml() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("target-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("chapters"), withIntermediateDirectories: true)
        try Data("title: T\nidentifier: urn:uuid:3f0c2a9e-8b1d-4c57-9e2a-1d6b7c8e9f01\ntoc:\n  - chapter: chapters/a.md\n    target: lots\n".utf8).write(to: folder.appendingPathComponent("book.yaml"))
        try Data("# A\n\nText.\n".utf8).write(to: folder.appendingPathComponent("chapters/a.md"))
        let loaded = try BookFolder.load(from: folder)
        #expect(loaded.manuscript.chaptersInOrder.first?.target == nil)
        #expect(loaded.problems.map(\.description) == ["book.yaml:5: warning: target: is a number of words from 0 to 10000000; 'lots' ignored"])
    }

    @Test func deletedChaptersAreListedForFacilitatorsAndRestored() async throws {
        try await withLiveServer { live in
            let gone = try await live.createChapter("Old text.\n", title: "Gone")
            _ = try await live.createChapter("Kept.\n", title: "Kept")
            #expect(try await live.fran.call(.DELETE, "\(live.path)/chapters/\(gone)").status == 204)
            let listing = try await live.fran.call(.GET, "\(live.path)/chapters?deleted=true")
            #expect(listing.status == 200, "\(listing.text)")
            let chapters = try #require(listing["chapters"] as? [[String: Any]])
            #expect(chapters.map { $0["id"] as? String } == [gone])
            #expect(chapters.first?["title"] as? String == "Gone")
            #expect(chapters.first?["modifiedBy"] as? String == "ann")
            #expect(try await live.ann.call(.GET, "\(live.path)/chapters?deleted=true").status == 403)
            #expect(try await live.sam.call(.GET, "\(live.path)/chapters?deleted=true").status == 404)
            #expect(try await live.fran.call(.GET, "\(live.path)/chapters").status == 400)
            #expect(try await live.fran.call(.POST, "\(live.path)/chapters/\(gone)/restore").status == 200)
            let after = try await live.fran.call(.GET, "\(live.path)/chapters?deleted=true")
            #expect((after["chapters"] as? [Any])?.isEmpty == true)
        }
    }

    /// A planted broken link, a missing image, an image without alt text, dropped raw HTML, a
    /// `javascript:` link and conflict markers come back with their chapter and line.
    @Test func problemsListWhatAnExportWouldReport() async throws {
        try await withLiveServer { live in
            let text = """
                Fine paragraph.

                See [the missing chapter](nowhere.md).

                ![](../images/absent.png)

                <script>alert(1)</script>

                [click](javascript:alert(1))

                <<<<<<< mine
                one
                =======
                two
                >>>>>>> theirs

                ```
                <<<<<<< shown on purpose
                =======
                >>>>>>> in a code block
                ```

                """
            let chapter = try await live.createChapter(text, title: "Trouble")
            _ = try await live.createChapter("All good.\n", title: "Clean")
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/pic.png", body: Array(Self.png), headers: [("Content-Type", "image/png")]).status == 201)
            _ = try await live.createChapter("![](../images/pic.png)\n", title: "No alt")
            let reply = try await live.rea.call(.GET, "\(live.path)/problems")
            #expect(reply.status == 200, "\(reply.text)")
            let problems = try #require(reply["problems"] as? [[String: Any]])
            let trouble = problems.filter { $0["chapter"] as? String == chapter }
            let found = trouble.map { "\($0["line"] as? Int ?? 0) \($0["kind"] as? String ?? "")" }
            #expect(found == ["3 broken-link", "5 missing-alt-text", "5 missing-image", "7 raw-html", "9 link-scheme", "11 conflict-markers"], "\(problems)")
            #expect(trouble.allSatisfy { $0["title"] as? String == "Trouble" && ($0["message"] as? String)?.isEmpty == false })
            #expect(problems.contains { $0["kind"] as? String == "missing-alt-text" && $0["title"] as? String == "No alt" })
            #expect(!problems.contains { $0["title"] as? String == "Clean" })
            #expect(try await live.sam.call(.GET, "\(live.path)/problems").status == 404)
        }
    }

    /// The handbook shows conflict markers on purpose, in code blocks: not problems.
    @Test func theHandbookHasNoProblemsToReport() async throws {
        try await withLiveServer { live in
            let book = try await live.importHandbook()
            let reply = try await live.rea.call(.GET, "/api/v1/books/\(book)/problems")
            #expect(reply.status == 200)
            #expect((reply["problems"] as? [Any])?.isEmpty == true, "\(reply.text.prefix(2000))")
        }
    }

    @Test func siteExportIsAZipOfPages() async throws {
        try await withLiveServer { live in
            try await live.writeSmallBook()
            let reply = try await live.rea.call(.GET, "\(live.path)/export.site.zip")
            #expect(reply.status == 200)
            #expect(reply.headers["Content-Type"].first == "application/zip")
            #expect(reply.headers["Content-Disposition"].first == "attachment; filename=\"live-a-b.site.zip\"")
            let archive = try Archive(data: reply.body, accessMode: .read)
            let paths = Set(archive.map(\.path))
            #expect(paths.contains("live-a-b/index.html"), "\(paths.sorted())")
            #expect(paths.contains("live-a-b/style.css"))
            #expect(paths.contains("live-a-b/images/figure.png"))
            #expect(paths.filter { $0.hasSuffix(".html") }.count >= 4)
            let again = try await live.rea.call(.GET, "\(live.path)/export.site.zip", headers: [("If-None-Match", reply.headers["ETag"].first ?? "")])
            #expect(again.status == 304)
        }
    }

    @Test func workflowStatesAreAddedRenamedAndReordered() async throws {
        try await withLiveServer { live in
            let a = try await live.createChapter("A.\n", title: "A")
            let b = try await live.createChapter("B.\n", title: "B")
            #expect(try await live.ann.call(.PATCH, "\(live.path)/chapters/\(b)", json: ["status": "needs review"]).status == 200)
            // Rename "needs review" to "review", add "copy edit", reorder.
            let changed = try await live.fran.call(
                .PATCH, live.path,
                json: ["workflow": ["draft", "copy edit", "review", "done"], "renames": ["needs review": "review"]])
            #expect(changed.status == 200, "\(changed.text)")
            #expect(changed["workflow"] as? [String] == ["draft", "copy edit", "review", "done"])
            let chapters = try #require(changed["chapters"] as? [String: [String: Any]])
            #expect(chapters[a]?["status"] as? String == "draft")
            #expect(chapters[b]?["status"] as? String == "review")
            // Swapping two names in one request.
            let swapped = try await live.fran.call(
                .PATCH, live.path,
                json: ["workflow": ["review", "copy edit", "draft", "done"], "renames": ["draft": "review", "review": "draft"]])
            #expect(swapped.status == 200, "\(swapped.text)")
            let after = try #require(swapped["chapters"] as? [String: [String: Any]])
            #expect(after[a]?["status"] as? String == "review")
            #expect(after[b]?["status"] as? String == "draft")
        }
    }

    @Test func aStateInUseCannotBeDropped() async throws {
        try await withLiveServer { live in
            let b = try await live.createChapter("B.\n", title: "Being reviewed")
            #expect(try await live.ann.call(.PATCH, "\(live.path)/chapters/\(b)", json: ["status": "needs review"]).status == 200)
            let refused = try await live.fran.call(.PATCH, live.path, json: ["workflow": ["draft", "done"]])
            #expect(refused.status == 409, "\(refused.text)")
            #expect((refused["detail"] as? String)?.contains("\"Being reviewed\" (needs review)") == true, "\(refused.text)")
            #expect(try await live.rea.call(.GET, live.path)["workflow"] as? [String] == ["draft", "needs review", "done"])
            // A rename that does not fit is invalid, and changes nothing either.
            let bad = try await live.fran.call(.PATCH, live.path, json: ["workflow": ["draft", "done"], "renames": ["nothing": "done"]])
            #expect(bad.status == 422)
            // A state no chapter is in goes.
            #expect(try await live.ann.call(.PATCH, "\(live.path)/chapters/\(b)", json: ["status": "done"]).status == 200)
            #expect(try await live.fran.call(.PATCH, live.path, json: ["workflow": ["draft", "done"]]).status == 200)
        }
    }

    @Test func assetsNameTheChaptersThatShowThem() async throws {
        try await withLiveServer { live in
            for name in ["used.png", "idle.png"] {
                let put = try await live.ann.call(.PUT, "\(live.path)/assets/\(name)", body: Array(Self.png), headers: [("Content-Type", "image/png")])
                #expect(put.status == 201)
            }
            let one = try await live.createChapter("![A](../images/used.png)\n", title: "One")
            let two = try await live.createChapter("<img src=\"images/used.png\" alt=\"B\">\n\n![C](https://example.com/idle.png)\n", title: "Two")
            let listing = try await live.rea.call(.GET, "\(live.path)/assets")
            #expect(listing.status == 200)
            let assets = try #require(listing["assets"] as? [[String: Any]])
            let used = try #require(assets.first { $0["name"] as? String == "used.png" })
            #expect((used["usedBy"] as? [[String: Any]])?.map { $0["chapter"] as? String } == [one, two])
            #expect((used["usedBy"] as? [[String: Any]])?.map { $0["title"] as? String } == ["One", "Two"])
            #expect(used["size"] as? Int == Self.png.count)
            #expect(used["contentType"] as? String == "image/png")
            let idle = try #require(assets.first { $0["name"] as? String == "idle.png" })
            #expect((idle["usedBy"] as? [Any])?.isEmpty == true)
        }
    }
}
