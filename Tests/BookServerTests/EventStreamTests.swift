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

    static func read(
        _ api: API, _ path: String, lastEventID: Int? = nil, stop: @escaping @Sendable (EventStreamReader) -> Bool
    ) async throws -> EventStreamReader {
        var request = HTTPClientRequest(url: api.base + path)
        request.headers.add(name: "Authorization", value: "Bearer \(api.token!)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: String(lastEventID)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
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
                for line in block.split(separator: "\n") {
                    if line.hasPrefix(":") { reader.comments.append(String(line)) }
                    if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                }
                if let id, let type { reader.events.append(Event(id: id, type: type)) }
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
