@testable import BookServer
@testable import BookStore
import Foundation
import NIOHTTP1
import Testing

/// Who may do what, through HTTP: idempotent replays, sign-in limits, the first-start and
/// reset passwords, administrators, members, and books that stay invisible to strangers.
@Suite struct AccessTests {
    static let problem = "urn:booksprint:problem:"

    /// A replayed write (same Idempotency-Key) checks the caller's role again: an author
    /// made a reader does not get the recorded answer of an author's write.
    @Test func replayChecksTheRoleAgain() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("text\n")
            let patch = { try await live.ann.call(
                .PATCH, "\(live.path)/chapters/\(chapter)", json: ["title": "Renamed"], headers: [("Idempotency-Key", "k-1")]) }
            #expect(try await patch().status == 200)
            #expect(try await patch().status == 200, "a replay while still an author")
            #expect(try await live.fran.call(.PUT, "\(live.path)/members/ann", json: ["role": "reader"]).status == 200)
            let replay = try await patch()
            #expect(replay.status == 403 && replay["type"] as? String == Self.problem + "forbidden", "\(replay.text)")
            #expect(try await live.fran.call(.DELETE, "\(live.path)/members/ann").status == 204)
            #expect(try await patch().status == 404, "a replay after leaving the book")
        }
    }

    /// A TOC `rename` of a chapter node checks the title as `PATCH` of the chapter does.
    @Test func tocRenameOfAChapterIsCheckedAsPatchIs() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("text\n", title: "First")
            let toc = try await live.fran.call(.GET, "\(live.path)/toc")
            let nodes = try #require(toc["nodes"] as? [[String: Any]])
            let node = try #require(nodes.first { $0["chapter"] as? String == chapter }?["id"] as? String)
            let version = try #require(toc["version"] as? Int)
            for bad in ["   ", "", String(repeating: "x", count: 501)] {
                let patched = try await live.fran.call(.PATCH, "\(live.path)/chapters/\(chapter)", json: ["title": bad])
                let renamed = try await live.fran.call(
                    .POST, "\(live.path)/toc/ops", json: ["baseVersion": version, "ops": [["op": "rename", "node": node, "title": bad]]])
                #expect(patched.status == 422 && renamed.status == 422, "\(bad.prefix(10)): \(renamed.text)")
                #expect(renamed["detail"] as? String == patched["detail"] as? String)
            }
            let renamed = try await live.fran.call(
                .POST, "\(live.path)/toc/ops", json: ["baseVersion": version, "ops": [["op": "rename", "node": node, "title": "  Second \n"]]])
            #expect(renamed.status == 200, "\(renamed.text)")
            #expect(try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)")["title"] as? String == "Second")
            let tree = try await live.rea.call(.GET, "\(live.path)/toc")["nodes"] as? [[String: Any]]
            #expect(tree?.first { $0["id"] as? String == node }?["title"] as? String == "Second")
        }
    }

    /// A part's title, added or renamed, gets the same check as a chapter's.
    @Test func tocPartTitlesAreCheckedAsChapterTitlesAre() async throws {
        try await withLiveServer { live in
            let ops = { (version: Int, op: [String: Any]) in
                try await live.fran.call(.POST, "\(live.path)/toc/ops", json: ["baseVersion": version, "ops": [op]]) }
            let added = try await ops(0, ["op": "addPart", "title": " Part one "])
            #expect(added.status == 200, "\(added.text)")
            let part = try #require((added["added"] as? [String])?.first)
            var version = try #require(added["version"] as? Int)
            for bad in ["   ", "", "\u{3000}\n", String(repeating: "x", count: 501)] {
                let add = try await ops(version, ["op": "addPart", "title": bad])
                let rename = try await ops(version, ["op": "rename", "node": part, "title": bad])
                #expect(add.status == 422 && rename.status == 422, "\(bad.prefix(10)): \(add.text) \(rename.text)")
            }
            let renamed = try await ops(version, ["op": "rename", "node": part, "title": "\tPart 1\n"])
            #expect(renamed.status == 200, "\(renamed.text)")
            version = try #require(renamed["version"] as? Int)
            let tree = try await live.rea.call(.GET, "\(live.path)/toc")
            #expect(tree["version"] as? Int == version)
            #expect((tree["nodes"] as? [[String: Any]])?.first { $0["id"] as? String == part }?["title"] as? String == "Part 1")
        }
    }

    /// Five failures of one name are free; then each attempt waits (429 with Retry-After,
    /// the right password too), and the wait is over within seconds; a success resets.
    @Test func signInIsLimitedPerNameAndFreedAgain() async throws {
        try await withLiveServer { live in
            try await live.database.addUser(name: "ola", password: "password-ola")
            let login = { (password: String) in
                try await live.anonymous.call(.POST, "/api/v1/login", json: ["username": "ola", "password": password]) }
            for _ in 0..<6 { #expect(try await login("wrong password").status == 401) }
            let held = try await login("password-ola")
            #expect(held.status == 429 && held["type"] as? String == Self.problem + "too-many-sign-ins", "\(held.text)")
            #expect(held.headers["Retry-After"].first == "1")
            // Another name from the same address is not held back.
            #expect(try await live.anonymous.call(.POST, "/api/v1/login", json: ["username": "rea", "password": "password-rea"]).status == 200)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await login("password-ola").status == 200)
            // The success reset the count: five free failures again.
            for _ in 0..<5 { #expect(try await login("wrong password").status == 401) }
            #expect(try await login("password-ola").status == 200)
        }
    }

    /// The limiter's rules, without waiting for them: the delay doubles up to a minute,
    /// attempts while waiting do not add to it, an address that signed in as a name before is
    /// not held back by that name's count, an address has a count of its own.
    @Test func signInLimiterCapsItsDelayAndSparesKnownAddresses() {
        let limiter = SignInLimiter()
        limiter.succeeded(name: "ann", address: "10.0.0.1")
        for _ in 0..<5 { limiter.failed(name: "Ann", address: "10.0.0.2") }
        #expect(limiter.wait(name: "ann", address: "10.0.0.2") == nil)
        for _ in 0..<12 { limiter.failed(name: "ann", address: "10.0.0.\(3 + Int.random(in: 0..<200))") }
        let wait = limiter.wait(name: "ANN", address: "10.0.0.2")
        #expect(wait != nil && wait! > .seconds(59) && wait! <= .seconds(60))
        #expect(limiter.wait(name: "ann", address: "10.0.0.1") == nil, "the address ann signed in from")
        for _ in 0..<21 { limiter.failed(name: "n\(Int.random(in: 0..<1_000_000))", address: "10.9.9.9") }
        #expect(limiter.wait(name: "someone", address: "10.9.9.9") != nil)
    }

    /// A password that must be changed (first start, reset) opens a session good for
    /// `/me`, `/logout` and `POST /me/password` only; the change clears it, ends the old
    /// sessions, and answers a new one.
    @Test func aOneTimePasswordMustBeChangedFirst() async throws {
        try await withLiveServer { live in
            try await live.database.addUser(name: "boss", password: "first-password", isAdmin: true, mustChangePassword: true)
            let reply = try await live.anonymous.call(.POST, "/api/v1/login", json: ["username": "boss", "password": "first-password"])
            #expect(reply.status == 200 && reply["mustChangePassword"] as? Bool == true)
            let boss = API(base: live.anonymous.base, token: reply["token"] as? String)
            for (method, path) in [(HTTPMethod.GET, "/api/v1/books"), (.GET, live.path), (.GET, "/api/v1/users"), (.POST, "/api/v1/books")] {
                let refused = try await boss.call(method, path, json: method == .POST ? ["title": "T"] : nil)
                #expect(refused.status == 403 && refused["type"] as? String == Self.problem + "password-change-required", "\(path)")
            }
            #expect(try await boss.call(.GET, "/api/v1/me").status == 200)
            let wrong = try await boss.call(.POST, "/api/v1/me/password", json: ["currentPassword": "nope-nope", "newPassword": "a new password"])
            #expect(wrong.status == 403)
            let short = try await boss.call(.POST, "/api/v1/me/password", json: ["currentPassword": "first-password", "newPassword": "short"])
            #expect(short.status == 422)
            let changed = try await boss.call(.POST, "/api/v1/me/password", json: ["currentPassword": "first-password", "newPassword": "a new password"])
            #expect(changed.status == 200 && changed["mustChangePassword"] as? Bool == false, "\(changed.text)")
            #expect(try await boss.call(.GET, "/api/v1/me").status == 401, "the one-time session ended")
            let renewed = API(base: live.anonymous.base, token: changed["token"] as? String)
            #expect(try await renewed.call(.GET, "/api/v1/books").status == 200)
            #expect(try await live.anonymous.call(.POST, "/api/v1/login", json: ["username": "boss", "password": "first-password"]).status == 401)
        }
    }

    /// Administrators' user endpoints: list, add (as `user add` validates), reset a password
    /// to a one-time one; nobody else may.
    @Test func administratorsManageAccounts() async throws {
        try await withLiveServer { live in
            try await live.database.addUser(name: "boss", password: "boss-password", isAdmin: true)
            let boss = try await live.anonymous.login("boss", "boss-password")
            let listed = try await boss.call(.GET, "/api/v1/users")
            #expect((listed["users"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["ann", "boss", "fran", "rea", "sam"])
            let added = try await boss.call(.POST, "/api/v1/users", json: ["username": "Nia", "password": "nia-password"])
            #expect(added.status == 201 && added["name"] as? String == "Nia" && added["isAdmin"] as? Bool == false, "\(added.text)")
            #expect(try await boss.call(.POST, "/api/v1/users", json: ["username": "nia", "password": "nia-password"]).status == 422)
            #expect(try await boss.call(.POST, "/api/v1/users", json: ["username": "bad name", "password": "nia-password"]).status == 422)
            #expect(try await boss.call(.POST, "/api/v1/users", json: ["username": "ok", "password": "short"]).status == 422)
            for path in ["/api/v1/users", "/api/v1/admin/books"] { #expect(try await live.fran.call(.GET, path).status == 403) }
            #expect(try await live.fran.call(.POST, "/api/v1/users", json: ["username": "x", "password": "xxxxxxxxxx"]).status == 403)
            #expect(try await live.fran.call(.POST, "/api/v1/users/ann/password-reset").status == 403)

            let reset = try await boss.call(.POST, "/api/v1/users/ann/password-reset")
            let password = try #require(reset["password"] as? String)
            #expect(reset.status == 200 && password.count == 20 && reset.headers["Cache-Control"].first == "no-store")
            #expect(try await live.ann.call(.GET, "/api/v1/me").status == 401, "the reset ended ann's sessions")
            let ann = try await live.anonymous.call(.POST, "/api/v1/login", json: ["username": "ann", "password": password])
            #expect(ann["mustChangePassword"] as? Bool == true)
            #expect(try await boss.call(.POST, "/api/v1/users/nobody/password-reset").status == 404)
        }
    }

    /// Administrators manage any book's members (so none is left without a facilitator) but
    /// read or write a book only through a role they give themselves, visible to its members.
    @Test func administratorsManageMembersButReadOnlyThroughARole() async throws {
        try await withLiveServer { live in
            try await live.database.addUser(name: "boss", password: "boss-password", isAdmin: true)
            let boss = try await live.anonymous.login("boss", "boss-password")
            let chapter = try await live.createChapter("text\n")
            #expect(try await boss.call(.GET, live.path).status == 404)
            #expect(try await boss.call(.GET, "\(live.path)/chapters/\(chapter)").status == 404)
            #expect(try await boss.call(.PATCH, live.path, json: ["title": "Mine"]).status == 404)
            #expect((try await boss.call(.GET, "/api/v1/books")["books"] as? [Any])?.isEmpty == true)
            let every = try await boss.call(.GET, "/api/v1/admin/books")["books"] as? [[String: Any]]
            #expect(every?.count == 1 && every?[0]["id"] as? String == live.book && every?[0]["facilitators"] as? [String] == ["fran"])
            #expect(every?[0]["role"] == nil)

            #expect(try await boss.call(.GET, "\(live.path)/members").status == 200)
            #expect(try await boss.call(.PUT, "\(live.path)/members/sam", json: ["role": "facilitator"]).status == 200)
            #expect(try await boss.call(.DELETE, "\(live.path)/members/fran").status == 204)
            #expect(try await boss.call(.DELETE, "\(live.path)/members/sam").status == 409, "the last facilitator stays")
            #expect(try await boss.call(.PUT, "\(live.path)/members/boss", json: ["role": "reader"]).status == 200)
            #expect(try await boss.call(.GET, "\(live.path)/chapters/\(chapter)").status == 200)
            let members = try await live.sam.call(.GET, "\(live.path)/members")["members"] as? [[String: Any]]
            #expect(members?.contains { $0["username"] as? String == "boss" && $0["role"] as? String == "reader" } == true)
        }
    }

    /// A facilitator adds by name only people who share a book with them; any other name,
    /// an account or not, gets the same 404, so the call tells nothing about accounts.
    @Test func addingAMemberDoesNotTellWhichAccountsExist() async throws {
        try await withLiveServer { live in
            let stranger = try await live.fran.call(.PUT, "\(live.path)/members/sam", json: ["role": "author"])
            let nobody = try await live.fran.call(.PUT, "\(live.path)/members/nobody", json: ["role": "author"])
            #expect(stranger.status == 404 && nobody.status == 404)
            #expect((stranger["detail"] as? String)?.replacingOccurrences(of: "sam", with: "X")
                == (nobody["detail"] as? String)?.replacingOccurrences(of: "nobody", with: "X"))
            // sam makes a book and cannot add fran either; once they share one, both can.
            let other = try await live.sam.call(.POST, "/api/v1/books", json: ["title": "Sam's"])["id"] as! String
            #expect(try await live.sam.call(.PUT, "/api/v1/books/\(other)/members/fran", json: ["role": "author"]).status == 404)
            #expect(try await live.ann.call(.PUT, "\(live.path)/members/sam", json: ["role": "author"]).status == 403)
            try await live.database.addUser(name: "boss", password: "boss-password", isAdmin: true)
            let boss = try await live.anonymous.login("boss", "boss-password")
            #expect(try await boss.call(.PUT, "/api/v1/books/\(other)/members/fran", json: ["role": "reader"]).status == 200)
            let added = try await live.fran.call(.PUT, "\(live.path)/members/SAM", json: ["role": "author"])
            #expect(added.status == 200 && added["username"] as? String == "sam", "\(added.text)")
        }
    }

    /// User names are one account whatever their case: sign-in, members, `user add`.
    @Test func userNamesIgnoreCase() async throws {
        try await withLiveServer { live in
            let reply = try await live.anonymous.call(.POST, "/api/v1/login", json: ["username": "ANN", "password": "password-ann"])
            #expect(reply.status == 200 && (reply["user"] as? [String: Any])?["name"] as? String == "ann")
            await #expect(throws: StoreError.self) { try await live.database.addUser(name: "Fran", password: "password-x") }
            #expect(try await live.fran.call(.GET, "\(live.path)/members/ANN")["role"] as? String == "author")
            #expect(try await live.fran.call(.DELETE, "\(live.path)/members/Rea").status == 204)
        }
    }

    /// A password change ends the account's open event streams itself: its own change, an
    /// administrator's reset, `user passwd` (the same store call). The keep-alive is an hour
    /// and no event comes, so nothing else can end the stream: no timing is assumed (the
    /// reader's own deadline fails the test if the stream stays open).
    @Test(arguments: ["own", "reset", "passwd"])
    func passwordChangeEndsOpenEventStreams(_ how: String) async throws {
        try await withLiveServer(keepAlive: .seconds(3600)) { live in
            try await live.database.addUser(name: "boss", password: "boss-password", isAdmin: true)
            let boss = try await live.anonymous.login("boss", "boss-password")
            async let stream = EventStreamReader.read(live.rea, "\(live.path)/events") { _ in false }
            while live.database.changes.waiting(book: live.book) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            switch how {
            case "own":
                let r = try await live.rea.call(.POST, "/api/v1/me/password", json: ["currentPassword": "password-rea", "newPassword": "another-one"])
                #expect(r.status == 200)
            case "reset": #expect(try await boss.call(.POST, "/api/v1/users/rea/password-reset").status == 200)
            default: try await live.database.setPassword(name: "rea", password: "another-one")
            }
            _ = try await stream
        }
    }

    /// A password changed by another process (`booksprint user passwd` beside the server)
    /// revokes the token in the store: the stream ends before it delivers anything more.
    @Test func passwordChangedElsewhereStopsDelivery() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("one\n")
            async let stream = EventStreamReader.read(live.rea, "\(live.path)/events") { _ in false }
            while live.database.changes.waiting(book: live.book) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let elsewhere = try AppDatabase.open(path: live.database.writer.path)
            try await elsewhere.setPassword(name: "rea", password: "another-one")
            // The server's cache of tokens keeps an entry 5 s.
            try await Task.sleep(for: .milliseconds(5200))
            #expect(try await live.ann.call(.POST, "\(live.path)/chapters/\(chapter)/revisions", json: ["base": 1, "text": "two\n"]).status == 201)
            let seen = try await stream
            #expect(!seen.events.contains { $0.type == "chapter.revised" }, "\(seen.events)")
        }
    }

    /// A member of book A asking for book B's things, under A's path with B's ids or under
    /// B's path, gets 404 every time: chapter, revisions, diff, conflict, asset, presence,
    /// events, changes, export, TOC, members; reads and writes. (A's presence naming B's
    /// chapter is 422, word for word as for an id that names nothing: A is there.)
    @Test func anotherBooksThingsAreNotFoundEveryTime() async throws {
        try await withLiveServer { live in
            let chapterA = try await live.createChapter("a\n")
            let other = try await live.sam.call(.POST, "/api/v1/books", json: ["title": "B"])
            let bookB = try #require(other["id"] as? String)
            let b = "/api/v1/books/\(bookB)"
            let chapterB = try #require(try await live.sam.call(.POST, "\(b)/chapters", json: ["title": "B1", "text": "one\n"])["id"] as? String)
            #expect(try await live.sam.call(.POST, "\(b)/chapters/\(chapterB)/revisions", json: ["base": 1, "text": "two\n"]).status == 201)
            let lost = try await live.sam.call(.POST, "\(b)/chapters/\(chapterB)/revisions", json: ["base": 1, "text": "three\n"])
            let conflictB = try #require(lost["conflict"] as? String, "\(lost.text)")
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 24)
            #expect(try await live.sam.call(.PUT, "\(b)/assets/only-b.png", body: png, headers: [("Content-Type", "image/png")]).status == 201)

            let a = live.path
            var requests: [(HTTPMethod, String, Any?)] = []
            for book in [a, b] {
                requests += [
                    (.GET, "\(book)/chapters/\(chapterB)", nil),
                    (.PATCH, "\(book)/chapters/\(chapterB)", ["title": "Taken"]),
                    (.DELETE, "\(book)/chapters/\(chapterB)", nil),
                    (.GET, "\(book)/chapters/\(chapterB)/revisions", nil),
                    (.GET, "\(book)/chapters/\(chapterB)/revisions/1", nil),
                    (.POST, "\(book)/chapters/\(chapterB)/revisions", ["base": 2, "text": "mine\n"]),
                    (.GET, "\(book)/chapters/\(chapterB)/diff?from=1&to=2", nil),
                    (.GET, "\(book)/chapters/\(chapterB)/conflicts/\(conflictB)", nil),
                    (.DELETE, "\(book)/chapters/\(chapterB)/conflicts/\(conflictB)", nil),
                    (.GET, "\(book)/chapters/\(chapterA)/conflicts/\(conflictB)", nil),
                    (.GET, "\(book)/assets/only-b.png", nil),
                    (.DELETE, "\(book)/assets/only-b.png", nil),
                ]
            }
            requests += [
                (.PUT, "\(b)/presence", ["chapter": chapterB]),
                (.GET, b, nil), (.PATCH, b, ["title": "Taken"]), (.GET, "\(b)/toc", nil), (.GET, "\(b)/members", nil),
                (.GET, "\(b)/presence", nil), (.GET, "\(b)/events", nil), (.GET, "\(b)/changes", nil),
                (.GET, "\(b)/export.epub", nil), (.GET, "\(b)/export.html", nil), (.GET, "\(b)/export.zip", nil),
                (.GET, "\(b)/assets", nil), (.POST, "\(b)/chapters", ["title": "In"]), (.POST, "\(b)/preview", ["text": "x"]),
            ]
            // Under A's path, a write A's role does not allow is 403 whatever the id (it tells
            // nothing about B): readers and authors ask with reads only, the facilitator with all.
            for client in [live.ann, live.fran, live.rea] {
                for (method, path, json) in requests where client.token == live.fran.token || method == .GET || path.hasPrefix(b) {
                    let reply = try await client.call(method, path, json: json)
                    #expect(reply.status == 404, "\(method) \(path): \(reply.status) \(reply.text.prefix(120))")
                }
            }
            // Presence in A naming B's chapter: A is there, the body's chapter is not in it.
            let named = try await live.ann.call(.PUT, "\(a)/presence", json: ["chapter": chapterB])
            #expect(named.status == 422, "\(named.text)")
            #expect(named.text == (try await live.ann.call(.PUT, "\(a)/presence", json: ["chapter": "nope"])).text
                .replacingOccurrences(of: "nope", with: chapterB))
            // Nothing of B changed, and A's own chapter is still A's.
            #expect(try await live.sam.call(.GET, "\(b)/chapters/\(chapterB)")["title"] as? String == "B1")
            #expect(try await live.sam.call(.GET, "\(b)/chapters/\(chapterB)/conflicts/\(conflictB)")["state"] as? String == "open")
            #expect(try await live.rea.call(.GET, "\(a)/chapters/\(chapterA)").status == 200)
        }
    }
}
