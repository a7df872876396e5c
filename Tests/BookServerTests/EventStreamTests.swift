import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// Reads a `text/event-stream` until `stop` says enough, then disconnects.
struct EventStreamReader {
    struct Event: Equatable {
        var id: Int
        var type: String
    }

    var events: [Event] = []
    var comments: [String] = []
    /// The data of `presence` events (which have no id).
    var presence: [String] = []

    static func read(
        _ api: API, _ path: String, lastEventID: Int? = nil, stop: @escaping @Sendable (EventStreamReader) -> Bool
    ) async throws -> EventStreamReader {
        var request = HTTPClientRequest(url: api.base + path)
        request.headers.add(name: "Authorization", value: "Bearer \(api.token!)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: String(lastEventID)) }
        // A deadline for the whole stream, so a broken server cannot hang the suite; generous,
        // because under CI every suite runs at once on two cores (a save took 18 s there once).
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(90))
        #expect(response.status.code == 200)
        #expect(response.headers["Content-Type"].first == "text/event-stream")
        var reader = EventStreamReader()
        var pending = ""
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let end = pending.range(of: "\n\n") {
                let block = pending[..<end.lowerBound]
                pending = String(pending[end.upperBound...])
                var id: Int?
                var type: String?
                var data = ""
                for line in block.split(separator: "\n") {
                    if line.hasPrefix(":") { reader.comments.append(String(line)) }
                    if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                }
                if let id, let type { reader.events.append(Event(id: id, type: type)) }
                if id == nil, type == "presence" { reader.presence.append(data) }
            }
            if stop(reader) { break }
        }
        return reader
    }
}

@Suite struct EventStreamTests {
    /// A follower reads part of the stream, disconnects, misses a burst of saves, and
    /// reconnects with Last-Event-ID: together it saw every seq once, in order.
    @Test func reconnectWithLastEventIDMissesNothing() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("a\n")
            let url = "\(live.path)/chapters/\(chapter)/revisions"
            for i in 2...5 { _ = try await live.ann.call(.POST, url, json: ["base": i - 1, "text": "a\(i)\n"]) }
            let first = try await EventStreamReader.read(live.rea, "\(live.path)/events") { $0.events.count >= 3 }
            let seen = first.events.prefix(3)
            for i in 6...15 { _ = try await live.ann.call(.POST, url, json: ["base": i - 1, "text": "a\(i)\n"]) }
            let last = (try await live.rea.call(.GET, "\(live.path)/changes"))["last"] as! Int
            let second = try await EventStreamReader.read(live.rea, "\(live.path)/events", lastEventID: seen.last!.id) {
                $0.events.last?.id == last
            }
            let all = Array(seen) + second.events
            #expect(all.map(\.id) == Array(1...last))
            let revised = all.filter { $0.type == "chapter.revised" }
            #expect(revised.count == 14)
        }
    }

    /// Presence is news on the stream (without an id) and a list to ask for; who may set it
    /// and where is checked.
    @Test func presenceShowsWhoHasWhichChapterOpen() async throws {
        try await withLiveServer { live in
            let chapter = try await live.createChapter("a\n")
            let presence = "\(live.path)/presence"
            #expect(try await live.rea.call(.GET, presence)["present"] as? [Any] != nil)
            let (opened, signal) = AsyncStream<Void>.makeStream()
            defer { signal.finish() }
            let opener = Task {
                for await _ in opened {
                    let set = try await live.ann.call(.PUT, presence, json: ["chapter": chapter])
                    #expect(set.status == 200)
                    break
                }
            }
            // The first presence event (nobody yet) comes at the start; ann's arrives once she opens it.
            let stream = try await EventStreamReader.read(live.rea, "\(live.path)/events") { reader in
                if reader.presence.count == 1 { signal.yield() }
                return reader.presence.count >= 2
            }
            try await opener.value
            #expect(stream.presence.first == #"{"present":[]}"#)
            #expect(stream.presence.last?.contains(#""user":"ann""#) == true && stream.presence.last?.contains(chapter) == true)
            #expect(stream.events.allSatisfy { $0.type != "presence" })
            let listed = try await live.rea.call(.GET, presence)["present"] as? [[String: Any]]
            #expect(listed?.first?["user"] as? String == "ann" && listed?.first?["chapter"] as? String == chapter)
            // Readers may say where they are; a chapter that is not the book's is 422; strangers see nothing.
            #expect(try await live.rea.call(.PUT, presence, json: ["chapter": NSNull()]).status == 200)
            #expect(try await live.ann.call(.PUT, presence, json: ["chapter": "nope"]).status == 422)
            #expect(try await live.sam.call(.PUT, presence, json: ["chapter": chapter]).status == 404)
            #expect(try await live.sam.call(.GET, presence).status == 404)
        }
    }

    /// An idle stream sends comment lines so proxies keep it open, then delivers the next event.
    @Test func idleStreamSendsKeepAliveCommentsThenLiveEvents() async throws {
        try await withLiveServer(keepAlive: .milliseconds(200)) { live in
            let last = (try await live.rea.call(.GET, "\(live.path)/changes"))["last"] as! Int
            // Saves only after the first keep-alive arrived, so the comment comes before the event
            // however slow the machine is.
            let (keptAlive, signal) = AsyncStream<Void>.makeStream()
            defer { signal.finish() }
            let saver = Task {
                for await _ in keptAlive {
                    _ = try await live.createChapter("later\n")
                    break
                }
            }
            let reader = try await EventStreamReader.read(live.rea, "\(live.path)/events?since=\(last)") {
                if $0.comments.contains(": keep-alive") { signal.yield() }
                return !$0.events.isEmpty
            }
            try await saver.value
            #expect(reader.comments.contains(": keep-alive"))
            #expect(reader.events.first == .init(id: last + 1, type: "chapter.created"))
        }
    }

    @Test func streamOfAnInvisibleBookIsNotFound() async throws {
        try await withLiveServer { live in
            let stranger = try await live.sam.call(.GET, "\(live.path)/events")
            #expect(stranger.status == 404)
            let beyond = try await live.rea.call(.GET, "\(live.path)/events", headers: [("Last-Event-ID", "999")])
            #expect(beyond.status == 410)
        }
    }
}
