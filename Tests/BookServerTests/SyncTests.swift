import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite struct SyncTests {
    /// 8 writers x 25 saves over HTTP, each owning one line and adopting only its own
    /// answers (so most saves come from stale bases).
    @Test func concurrentWritersLoseNothingOverHTTP() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter(numberedLines(20).joined())
            let writers = [live.ann, live.fran]
            let merged = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        var base = 1
                        var lines = numberedLines(20)
                        var merges = 0
                        for round in 0..<25 {
                            lines[2 * writer] = "writer \(writer) round \(round)\n"
                            let reply = try await writers[writer % 2].call(
                                .POST, "\(live.path)/chapters/\(chapter)/revisions", json: ["base": base, "text": lines.joined()])
                            #expect(reply.status == 201, "\(reply.text)")
                            guard reply.status == 201 else { continue }
                            base = reply["revision"] as! Int
                            lines = splitLines(reply["text"] as! String)
                            if reply["merged"] as! Bool { merges += 1 }
                        }
                        return merges
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(merged > 0)
            let head = try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)")
            #expect(head["revision"] as? Int == 201)
            let text = head["text"] as? String ?? ""
            for writer in 0..<8 { #expect(text.contains("writer \(writer) round 24\n")) }

            var revisions: [Int] = []
            var before: Int? = nil
            repeat {
                let page = try await live.rea.call(
                    .GET, "\(live.path)/chapters/\(chapter)/revisions?limit=70" + (before.map { "&before=\($0)" } ?? ""))
                revisions += (page["revisions"] as! [[String: Any]]).map { $0["revision"] as! Int }
                before = page["next"] as? Int
            } while before != nil
            #expect(revisions == Array((1...201).reversed()))

            let feed = try await live.rea.call(.GET, "\(live.path)/changes?since=0&limit=1000")
            let changes = feed["changes"] as! [[String: Any]]
            #expect(changes.map { $0["seq"] as! Int } == Array(1...changes.count))
            let revised = changes.filter { $0["type"] as? String == "chapter.revised" }.map { $0["revision"] as! Int }
            #expect(revised == Array(2...201))
        }
    }

    @Test func sameLineFromSameBaseGivesOneSaveAndOneStoredConflict() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter(numberedLines(5).joined())
            let url = "\(live.path)/chapters/\(chapter)/revisions"
            async let a = live.ann.call(.POST, url, json: ["base": 1, "text": "line 1\nANN\nline 3\nline 4\nline 5\n"])
            async let b = live.fran.call(.POST, url, json: ["base": 1, "text": "line 1\nFRAN\nline 3\nline 4\nline 5\n"])
            let replies = try await [a, b]
            #expect(replies.map(\.status).sorted() == [201, 409])
            let loser = replies.first { $0.status == 409 }!
            let winner = replies.first { $0.status == 201 }!
            #expect(loser.headers["Content-Type"].first == "application/problem+json")
            let loserText = (winner["text"] as! String).contains("ANN") ? "FRAN" : "ANN"
            #expect(loser["head"] as? Int == 2 && loser["base"] as? Int == 1)
            let hunks = loser["hunks"] as! [[String: Any]]
            #expect(hunks.count == 1 && (hunks[0]["theirsLines"] as! [String]).first == loserText)
            #expect((loser["textWithMarkers"] as! String).contains("=======\n\(loserText)\n>>>>>>> yours"))

            let conflictID = loser["conflict"] as! String
            let stored = try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)/conflicts/\(conflictID)")
            #expect((stored["text"] as? String)?.contains(loserText) == true && stored["state"] as? String == "open")
            #expect((try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)"))["conflicts"] as? [String] == [conflictID])

            let loserClient = loserText == "ANN" ? live.ann : live.fran
            let resolved = try await loserClient.call(
                .POST, url, json: ["base": 2, "text": "line 1\nANN and FRAN\nline 3\nline 4\nline 5\n", "resolves": [conflictID]])
            #expect(resolved.status == 201 && resolved["revision"] as? Int == 3)
            let closed = try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)/conflicts/\(conflictID)")
            #expect(closed["state"] as? String == "resolved")
            #expect((try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)"))["conflicts"] as? [String] == [])
        }
    }

    @Test func saveAnswersFollowTheProtocol() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("a\nb\nc\n")
            let url = "\(live.path)/chapters/\(chapter)/revisions"
            #expect(try await live.ann.call(.POST, url, json: ["base": 1, "text": "a\nb\nc\n"]).status == 200)
            #expect(try await live.ann.call(.POST, url, json: ["text": "x\n"]).status == 428)
            #expect(try await live.ann.call(.POST, url, json: ["base": 5, "text": "x\n"]).status == 422)
            #expect(try await live.ann.call(.POST, "\(live.path)/chapters/nope/revisions", json: ["base": 1, "text": "x\n"]).status == 404)
            let markdown = try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)", headers: [("Accept", "text/markdown")])
            #expect(markdown.text == "a\nb\nc\n" && markdown.headers["ETag"].first == "\"r1\"")
            _ = try await live.ann.call(.POST, url, json: ["base": 1, "text": "a\nB\nc\n"])
            let diff = try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)/diff?from=1&to=2")
            let hunks = diff["hunks"] as! [[String: Any]]
            #expect(hunks.first?["lines"] as? [String] == [" a", "-b", "+B", " c"])
            let rev = try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)/revisions/1", headers: [("Accept", "text/markdown")])
            #expect(rev.text == "a\nb\nc\n" && rev.headers["Cache-Control"].first?.contains("immutable") == true)
        }
    }

    @Test func rolesDecideWhoSeesAndWhoWrites() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("a\n")
            let url = "\(live.path)/chapters/\(chapter)/revisions"
            let reader = try await live.rea.call(.POST, url, json: ["base": 1, "text": "b\n"])
            #expect(reader.status == 403 && reader.headers["Content-Type"].first == "application/problem+json")
            #expect(try await live.sam.call(.GET, live.path).status == 404)
            #expect(try await live.sam.call(.POST, url, json: ["base": 1, "text": "b\n"]).status == 404)
            #expect(try await live.anonymous.call(.GET, live.path).status == 401)
            #expect(try await API(base: live.anonymous.base, token: "forged").call(.GET, live.path).status == 401)
            #expect(try await live.ann.call(.POST, "\(live.path)/toc/ops", json: ["baseVersion": 1, "ops": [["op": "addPart", "title": "P"]]]).status == 403)
            #expect(try await live.ann.call(.GET, "\(live.path)/members").status == 403)
            let books = try await live.sam.call(.GET, "/api/v1/books")
            #expect((books["books"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func idempotencyKeyReplaysTheFirstAnswer() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("a\n")
            let url = "\(live.path)/chapters/\(chapter)/revisions"
            let first = try await live.ann.call(.POST, url, json: ["base": 1, "text": "b\n"], headers: [("Idempotency-Key", "save-1")])
            let again = try await live.ann.call(.POST, url, json: ["base": 1, "text": "b\n"], headers: [("Idempotency-Key", "save-1")])
            #expect(first.status == 201, "\(first.text)")
            #expect(again.status == 201 && first.body == again.body, "\(again.text)")
            #expect((try await live.rea.call(.GET, "\(live.path)/chapters/\(chapter)"))["revision"] as? Int == 2)
            let other = try await live.ann.call(.POST, url, json: ["base": 1, "text": "c\n"], headers: [("Idempotency-Key", "save-1")])
            #expect(other.status == 422)
            let long = String(repeating: "k", count: 256)
            #expect(try await live.ann.call(.POST, url, json: ["base": 2, "text": "c\n"], headers: [("Idempotency-Key", long)]).status == 400)
        }
    }

    @Test func badInputGetsAProblemThatSaysWhatIsWrong() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("a\n")
            let url = "\(live.path)/chapters/\(chapter)/revisions"
            let json = [("Content-Type", "application/json")]
            let cases: [([UInt8], Int, String)] = [
                (Array("{\"base\": 1, ".utf8), 400, "not valid JSON"),
                ([0x7B, 0x22, 0xFF, 0x22, 0x7D], 400, "UTF-8"),
                (Array("{\"base\": \"one\", \"text\": \"x\"}".utf8), 400, "base"),
                (Array("{\"base\": 1}".utf8), 400, "text is required"),
                (Array("{\"base\": 1, \"text\": \"\(String(repeating: "x", count: 2 << 20))\"}".utf8), 413, "larger"),
            ]
            for (body, status, words) in cases {
                let reply = try await live.ann.call(.POST, url, body: body, headers: json)
                #expect(reply.status == status, "\(reply.text.prefix(200))")
                #expect(reply.headers["Content-Type"].first == "application/problem+json")
                #expect((reply["detail"] as? String)?.contains(words) == true, "\(reply.text.prefix(200))")
            }
            let unknownOp = try await live.fran.call(.POST, "\(live.path)/toc/ops", json: ["baseVersion": 1, "ops": [["op": "explode"]]])
            #expect(unknownOp.status == 400)
            let badRole = try await live.fran.call(.PUT, "\(live.path)/members/sam", json: ["role": "emperor"])
            #expect(badRole.status == 400)
            #expect(try await live.ann.call(.GET, "/api/v1/nothing-here").status == 404)
        }
    }

    @Test func assetsAreCheckedByNameAndBytes() async throws {
        try await withLiveServer(maxAssetSize: 1000) { live in
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 24)
            let put = try await live.ann.call(.PUT, "\(live.path)/assets/cover.png", body: png, headers: [("Content-Type", "image/png")])
            #expect(put.status == 201, "\(put.text)")
            let got = try await live.rea.call(.GET, "\(live.path)/assets/cover.png")
            #expect(got.status == 200 && Array(got.body) == png && got.headers["Content-Type"].first == "image/png")
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/fake.png", body: Array("GIF89a....".utf8), headers: [("Content-Type", "image/png")]).status == 422)
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/bad%20name.png", body: png, headers: [("Content-Type", "image/png")]).status == 422)
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/..", body: png, headers: [("Content-Type", "image/png")]).status != 201)
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/x.txt", body: png, headers: [("Content-Type", "text/plain")]).status == 415)
            // A Content-Type with nothing before its parameters once trapped the server.
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/x.png", body: png, headers: [("Content-Type", ";")]).status == 415)
            // SVG is a document whose root element is `svg`, case and all (ImageFormat).
            let shouting = try await live.ann.call(.PUT, "\(live.path)/assets/s.svg", body: Array("<SVG/>".utf8), headers: [("Content-Type", "image/svg+xml")])
            #expect(shouting.status == 422 && shouting.text.contains("the body is not a image/svg+xml file"))
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/big.png", body: png + Array(repeating: 0, count: 2000), headers: [("Content-Type", "image/png")]).status == 413)
            let svg = Array("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8)
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/d.svg", body: svg, headers: [("Content-Type", "image/svg+xml")]).status == 201)
            let list = try await live.rea.call(.GET, "\(live.path)/assets")
            #expect((list["assets"] as? [[String: Any]])?.map { $0["name"] as! String } == ["cover.png", "d.svg"])
            #expect(try await live.rea.call(.DELETE, "\(live.path)/assets/d.svg").status == 403)
            #expect(try await live.ann.call(.DELETE, "\(live.path)/assets/d.svg").status == 204)
        }
    }

    @Test func bookETagAnswers304UntilSomethingChanges() async throws {
        try await withLiveServer { live in
            let first = try await live.rea.call(.GET, live.path)
            let eTag = try #require(first.headers["ETag"].first)
            #expect(try await live.rea.call(.GET, live.path, headers: [("If-None-Match", eTag)]).status == 304)
            _ = try await live.createChapter("new\n")
            let after = try await live.rea.call(.GET, live.path, headers: [("If-None-Match", eTag)])
            #expect(after.status == 200 && (after["chapters"] as? [String: Any])?.count == 1)
            #expect((after["toc"] as? [String: Any])?["version"] as? Int == 2)
        }
    }

    @Test func longPollAnswersWhenTheNextChangeCommits() async throws {
        try await withLiveServer { live in
            let last = (try await live.rea.call(.GET, "\(live.path)/changes"))["last"] as! Int
            async let waiting = live.rea.call(.GET, "\(live.path)/changes?since=\(last)&wait=60")
            // Commits only once the long-poll is parked, so it is the commit that answers it.
            let parkedBy = ContinuousClock.now + .seconds(10)
            while live.database.changes.waiting(book: live.book) == 0 {
                try #require(ContinuousClock.now < parkedBy, "the long-poll never waited")
                try await Task.sleep(for: .milliseconds(10))
            }
            let start = ContinuousClock.now
            _ = try await live.createChapter("x\n")
            let page = try await waiting
            // Woken by the commit, not by the 60 s timeout (which would also list the change);
            // the margin is wide because CI runs every suite at once on two cores.
            #expect(ContinuousClock.now - start < .seconds(45))
            #expect((page["changes"] as? [[String: Any]])?.first?["type"] as? String == "chapter.created")
            let gone = try await live.rea.call(.GET, "\(live.path)/changes?since=\(last + 100)")
            #expect(gone.status == 410 && gone["reset"] as? Bool == true)
        }
    }
}
