@testable import BookServer
import Foundation
import NIOHTTP1
import Testing

/// The web app's files and shell: embedded in the binary, with ETags, revalidation and the
/// app's security headers; `BOOKSPRINT_WEB_ROOT`'s folder for development.
@Suite struct WebAppTests {
    static let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// Sources/BookServer/Public, from this file's place in the repository.
    static let publicFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/BookServer/Public")

    static func expectAppHeaders(_ reply: Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.headers["Content-Security-Policy"].first == Self.csp, sourceLocation: sourceLocation)
        #expect(reply.headers["X-Content-Type-Options"].first == "nosniff", sourceLocation: sourceLocation)
        #expect(reply.headers["Referrer-Policy"].first == "no-referrer", sourceLocation: sourceLocation)
        #expect(reply.headers["Cache-Control"].first == "no-cache", sourceLocation: sourceLocation)
    }

    @Test func everyFileOfThePublicFolderIsEmbeddedByteForByte() throws {
        let walker = try #require(FileManager.default.enumerator(at: Self.publicFolder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]))
        var seen = 0
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = String(url.standardizedFileURL.path.dropFirst(Self.publicFolder.standardizedFileURL.path.count + 1))
            let file = try #require(WebFiles.embedded[path], "\(path) is not embedded")
            #expect(Array(file.bytes.readableBytesView) == Array(try Data(contentsOf: url)), "\(path)")
            seen += 1
        }
        #expect(seen >= 2 && WebFiles.embedded.count == seen)
        #expect(WebFiles.embedded["index.html"]?.contentType == "text/html; charset=utf-8")
        #expect(WebFiles.embedded["openapi.yaml"] != nil)
    }

    @Test func noSourceUsesABundle() throws {
        let sources = Self.publicFolder.deletingLastPathComponent().deletingLastPathComponent()
        let walker = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let url as URL in walker where url.pathExtension == "swift" {
            #expect(!(try String(contentsOf: url, encoding: .utf8)).contains("Bundle" + ".module"), "\(url.path)")
        }
    }

    @Test func mediaTypesFollowTheExtension() {
        #expect(WebFiles.mediaType(of: "app/main.js") == "text/javascript; charset=utf-8")
        #expect(WebFiles.mediaType(of: "app/style.css") == "text/css; charset=utf-8")
        #expect(WebFiles.mediaType(of: "app/icon.svg") == "image/svg+xml")
        #expect(WebFiles.mediaType(of: "index.html") == "text/html; charset=utf-8")
        #expect(WebFiles.mediaType(of: "app/a.png") == "image/png")
        #expect(WebFiles.mediaType(of: "app/font.woff2") == "font/woff2")
        #expect(WebFiles.mediaType(of: "app/x.unknown") == "application/octet-stream")
    }

    @Test func appFilesHaveTypesETagsAndRevalidate() async throws {
        let (path, file) = try #require(WebFiles.embedded.first { $0.key.hasPrefix("app/") && $0.key.hasSuffix(".js") })
        try await withLiveServer { live in
            let got = try await live.anonymous.call(.GET, "/\(path)")
            #expect(got.status == 200 && Array(got.body) == Array(file.bytes.readableBytesView))
            #expect(got.headers["Content-Type"].first == "text/javascript; charset=utf-8")
            let eTag = try #require(got.headers["ETag"].first)
            #expect(eTag.hasPrefix("\"") && eTag.count > 20)
            Self.expectAppHeaders(got)
            let again = try await live.anonymous.call(.GET, "/\(path)", headers: [("If-None-Match", eTag)])
            #expect(again.status == 304 && again.body.isEmpty && again.headers["ETag"].first == eTag)
            Self.expectAppHeaders(again)
            let stale = try await live.anonymous.call(.GET, "/\(path)", headers: [("If-None-Match", "\"other\"")])
            #expect(stale.status == 200)
            let head = try await live.anonymous.call(.HEAD, "/\(path)")
            #expect(head.status == 200 && head.body.isEmpty && head.headers["ETag"].first == eTag)
            #expect(head.headers["Content-Length"].first == String(file.bytes.readableBytes))
            Self.expectAppHeaders(head)
        }
    }

    @Test func appRoutesServeTheShellAndOtherPathsAPlain404() async throws {
        let shell = try #require(WebFiles.versionedShell)
        try await withLiveServer { live in
            for path in ["/", "/signin", "/books", "/books/b1", "/books/b1/chapters/c2", "/books/b1/chapters/c2/history"] {
                let got = try await live.anonymous.call(.GET, path)
                #expect(got.status == 200 && Array(got.body) == Array(shell.bytes.readableBytesView), "\(path)")
                #expect(got.headers["Content-Type"].first == "text/html; charset=utf-8", "\(path)")
                #expect(got.headers["ETag"].first == shell.eTag)
                Self.expectAppHeaders(got)
                let head = try await live.anonymous.call(.HEAD, path)
                #expect(head.status == 200 && head.body.isEmpty, "\(path)")
            }
            for path in ["/app/missing.js", "/app/", "/app/%2e%2e/index.html", "/app/../openapi.yaml", "/nothing", "/index.html", "/signin/x"] {
                let got = try await live.anonymous.call(.GET, path)
                #expect(got.status == 404, "\(path)")
                #expect(got.headers["Content-Type"].first?.hasPrefix("text/plain") == true, "\(path)")
            }
            let api = try await live.anonymous.call(.GET, "/api/v1/nothing-here")
            #expect(api.status == 404 && api.headers["Content-Type"].first == "application/problem+json")
        }
    }

    /// The shell loads the app from `/app/v/VERSION/`, kept for good; an old version's
    /// address still answers, but is revalidated.
    @Test func theShellLoadsTheAppFromAVersionedAddressKeptForGood() async throws {
        let shell = String(decoding: try #require(WebFiles.versionedShell).bytes.readableBytesView, as: UTF8.self)
        let version = WebFiles.version
        #expect(version.count == 16)
        #expect(shell.contains("src=\"/app/v/\(version)/main.js\""))
        #expect(shell.contains("href=\"/app/v/\(version)/style.css\""))
        #expect(!shell.contains("\"/app/main.js\""))
        let main = try #require(WebFiles.embedded["app/main.js"])
        try await withLiveServer { live in
            let kept = try await live.anonymous.call(.GET, "/app/v/\(version)/main.js")
            #expect(kept.status == 200 && Array(kept.body) == Array(main.bytes.readableBytesView))
            #expect(kept.headers["Cache-Control"].first == "public, max-age=31536000, immutable")
            #expect(kept.headers["Content-Security-Policy"].first == Self.csp)
            let old = try await live.anonymous.call(.GET, "/app/v/0123456789abcdef/main.js")
            #expect(old.status == 200 && old.headers["Cache-Control"].first == "no-cache")
            #expect(try await live.anonymous.call(.GET, "/app/v/\(version)/../index.html").status == 404)
            #expect(try await live.anonymous.call(.GET, "/app/v/\(version)/missing.js").status == 404)
        }
    }

    /// `BOOKSPRINT_WEB_ROOT`'s folder is read on every request: an edit shows at once.
    @Test func aWebRootFolderIsReadOnEveryRequest() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-webroot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("app"), withIntermediateDirectories: true)
        try Data("<!doctype html><title>dev</title>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("export const a = 1;\n".utf8).write(to: root.appendingPathComponent("app/new.js"))
        try Data("secret".utf8).write(to: root.appendingPathComponent("app/.hidden"))
        defer { try? FileManager.default.removeItem(at: root) }
        try await withLiveServer(webRoot: root) { live in
            let shell = try await live.anonymous.call(.GET, "/books/x")
            #expect(shell.text == "<!doctype html><title>dev</title>")
            let first = try await live.anonymous.call(.GET, "/app/new.js")
            #expect(first.status == 200 && first.text == "export const a = 1;\n")
            Self.expectAppHeaders(first)
            try Data("export const a = 2;\n".utf8).write(to: root.appendingPathComponent("app/new.js"))
            let second = try await live.anonymous.call(.GET, "/app/new.js", headers: [("If-None-Match", first.headers["ETag"].first ?? "")])
            #expect(second.status == 200 && second.text == "export const a = 2;\n")
            #expect(second.headers["ETag"].first != first.headers["ETag"].first)
            #expect(try await live.anonymous.call(.GET, "/app/.hidden").status == 404)
            #expect(try await live.anonymous.call(.GET, "/app/%2E%2E/index.html").status == 404)
        }
    }

    /// A copy of the command in a folder of its own, started elsewhere, serves the app and
    /// the OpenAPI document (no bundle beside it), and says where the app is, with the port
    /// that `--port 0` picked.
    @Test func aMovedBinaryServesTheAppAndPrintsItsAddress() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("booksprint-moved-\(UUID().uuidString)")
        let data = folder.appendingPathComponent("run").appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let moved = folder.appendingPathComponent("bin/booksprint")
        try FileManager.default.createDirectory(at: moved.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try ServerProcess.builtBinary(), to: moved)
        let server = try ServerProcess(data: data, port: 0, binary: moved)
        defer { server.kill(SIGTERM) }
        let printed = try server.printed(until: "booksprint: the web app is at http://127.0.0.1:")
        #expect(printed.contains("one-time password "))
        let line = try #require(printed.split(separator: "\n").first { $0.hasPrefix("booksprint: the web app is at ") })
        let port = try #require(Int(line.dropFirst("booksprint: the web app is at http://127.0.0.1:".count).dropLast()))
        #expect(port > 0 && line.hasSuffix("/"))
        let api = API(base: "http://127.0.0.1:\(port)")
        let shell = try await api.call(.GET, "/")
        let index = try #require(WebFiles.versionedShell)
        #expect(shell.status == 200 && Array(shell.body) == Array(index.bytes.readableBytesView))
        Self.expectAppHeaders(shell)
        let doc = try await api.call(.GET, "/api/v1/openapi.yaml")
        #expect(doc.status == 200 && doc.text.hasPrefix("openapi: 3.1.0"))
    }
}

@Suite struct SessionTests {
    @Test func meSaysWhoTheTokenBelongsTo() async throws {
        try await withLiveServer { live in
            let me = try await live.ann.call(.GET, "/api/v1/me")
            #expect(me.status == 200)
            let user = try #require(me["user"] as? [String: Any])
            #expect(user["name"] as? String == "ann" && user["isAdmin"] as? Bool == false && user["id"] is Int)
            #expect(try await live.anonymous.call(.GET, "/api/v1/me").status == 401)
        }
    }

    @Test func logoutRevokesTheCallingTokenAtOnce() async throws {
        try await withLiveServer { live in
            // A second session of ann's, which logging out the first must not end.
            let other = try await live.anonymous.login("ann", "password-ann")
            #expect(try await live.ann.call(.GET, "/api/v1/me").status == 200)  // now in the token cache
            let out = try await live.ann.call(.POST, "/api/v1/logout")
            #expect(out.status == 204 && out.body.isEmpty)
            let after = try await live.ann.call(.GET, "/api/v1/me")
            #expect(after.status == 401 && after.headers["Content-Type"].first == "application/problem+json")
            #expect(try await live.ann.call(.GET, live.path).status == 401)
            #expect(try await live.ann.call(.POST, "/api/v1/logout").status == 401)
            #expect(try await other.call(.GET, "/api/v1/me").status == 200)
            #expect(try await live.anonymous.call(.POST, "/api/v1/logout").status == 401)
        }
    }
}

/// `GET /books/{book}`'s word counts and open conflicts, and its ETag following them.
@Suite struct BookViewCountsTests {
    @Test func bookViewHasWordsAndOpenConflicts() async throws {
        try await withLiveServer { live in
            let one = try await live.createChapter("One two three.\n\nFour *five*.\n", title: "One")
            let two = try await live.createChapter("日本語\n", title: "Two")
            let view = try await live.rea.call(.GET, live.path)
            let chapters = try #require(view["chapters"] as? [String: [String: Any]])
            #expect(chapters[one]?["words"] as? Int == 5 && chapters[two]?["words"] as? Int == 3)
            #expect(chapters[one]?["conflicts"] as? Int == 0)
            #expect(view["words"] as? Int == 8)
            let eTag = try #require(view.headers["ETag"].first)

            let url = "\(live.path)/chapters/\(one)/revisions"
            #expect(try await live.ann.call(.POST, url, json: ["base": 1, "text": "One two three.\n\nFour *six* and more.\n"]).status == 201)
            let conflict = try await live.fran.call(.POST, url, json: ["base": 1, "text": "One two three.\n\nFour *seven*.\n"])
            #expect(conflict.status == 409)
            let after = try await live.rea.call(.GET, live.path, headers: [("If-None-Match", eTag)])
            #expect(after.status == 200 && after["words"] as? Int == 10)
            let changed = try #require(after["chapters"] as? [String: [String: Any]])
            #expect(changed[one]?["words"] as? Int == 7 && changed[one]?["conflicts"] as? Int == 1)

            // Dismissing takes no seq, yet the view (and its ETag) changes.
            let withConflict = try #require(after.headers["ETag"].first)
            let id = try #require(conflict["conflict"] as? String)
            #expect(try await live.ann.call(.DELETE, "\(live.path)/chapters/\(one)/conflicts/\(id)").status == 200)
            let dismissed = try await live.rea.call(.GET, live.path, headers: [("If-None-Match", withConflict)])
            #expect(dismissed.status == 200)
            #expect((dismissed["chapters"] as? [String: [String: Any]])?[one]?["conflicts"] as? Int == 0)
        }
    }
}

/// `POST /books/{book}/preview` and the headers of assets.
@Suite struct PreviewEndpointTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 24)

    @Test func previewRendersWithLinesLinksAndAssets() async throws {
        try await withLiveServer { live in
            let other = try await live.createChapter("## Place\n", title: "Other")
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/fig.png", body: Self.png, headers: [("Content-Type", "image/png")]).status == 201)
            let text = "Intro with [a link](other.md#place).\n\n![Figure](images/fig.png)\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n"
            let reply = try await live.rea.call(.POST, "\(live.path)/preview", json: ["text": text])
            #expect(reply.status == 200 && reply.headers["Content-Type"].first == "application/json")
            let html = try #require(reply["html"] as? String)
            #expect(html.contains("<p data-line=\"1-1\">Intro with <a href=\"/books/\(live.book)/chapters/\(other)#place\">a link</a>.</p>"))
            #expect(html.contains("<img src=\"/api/v1/books/\(live.book)/assets/fig.png\" data-asset=\"fig.png\" alt=\"Figure\"/>"))
            #expect(!html.contains("script") && !html.contains("javascript"))
            let problems = try #require(reply["problems"] as? [[String: Any]])
            #expect(problems.contains { $0["line"] as? Int == 5 && $0["severity"] as? String == "warning" && ($0["message"] as? String)?.contains("<script>") == true })
            #expect(problems.contains { $0["line"] as? Int == 7 && ($0["message"] as? String)?.contains("javascript") == true })

            #expect(try await live.sam.call(.POST, "\(live.path)/preview", json: ["text": "x"]).status == 404)
            #expect(try await live.anonymous.call(.POST, "\(live.path)/preview", json: ["text": "x"]).status == 401)
            let missing = try await live.rea.call(.POST, "\(live.path)/preview", json: ["txt": "x"])
            #expect(missing.status == 400 && missing.headers["Content-Type"].first == "application/problem+json")
        }
    }

    @Test func assetsCannotRunScript() async throws {
        try await withLiveServer { live in
            let svg = Array("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>".utf8)
            #expect(try await live.ann.call(.PUT, "\(live.path)/assets/x.svg", body: svg, headers: [("Content-Type", "image/svg+xml")]).status == 201)
            let got = try await live.rea.call(.GET, "\(live.path)/assets/x.svg")
            #expect(got.status == 200 && got.headers["Content-Type"].first == "image/svg+xml")
            #expect(got.headers["X-Content-Type-Options"].first == "nosniff")
            #expect(got.headers["Content-Security-Policy"].first == "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        }
    }
}
