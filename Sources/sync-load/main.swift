// The load generator of Scripts/bench-sync: writers that save a chapter over and over, each
// on a thread of its own with one keep-alive HTTP/1.1 connection and blocking sockets.
// Written for a small cost per save, so that on a machine shared with the server the
// figure measures the server: the chapter is kept as its JSON literal (the bench's lines
// need no escape but "\n"), an edit overwrites one line in place with bytes of the same
// length, and an answer is read for `revision`, `merged` and, when merged, the text's
// literal, which becomes the next save's text as it is.
//
//   sync-load PORT TOKEN SECONDS LINES WRITERS-PER-CHAPTER BOOK/CHAPTER...
// prints one line: created merged noop conflicts errors seconds p50_ms p99_ms
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct Failure: Error, CustomStringConvertible {
    var description: String
}

/// One blocking HTTP/1.1 connection to 127.0.0.1.
final class Connection {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 256 << 10)

    init(port: UInt16) throws {
        self.fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(self.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to port \(port)") }
        var one: Int32 = 1
        setsockopt(self.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(self.fd) }

    /// Sends `request` and returns the answer's status and body.
    func exchange(_ request: [UInt8]) throws -> (status: Int, body: ArraySlice<UInt8>) {
        var sent = 0
        try request.withUnsafeBytes { bytes in
            while sent < bytes.count {
                let n = write(self.fd, bytes.baseAddress! + sent, bytes.count - sent)
                guard n > 0 else { throw Failure(description: "write failed") }
                sent += n
            }
        }
        let headEnd = try self.fill { buffer in self.find(Array("\r\n\r\n".utf8), in: buffer).map { $0 + 4 } }
        let head = String(decoding: self.buffer[..<headEnd], as: UTF8.self)
        guard let status = Int(head.split(separator: " ").dropFirst().first ?? "") else { throw Failure(description: "bad answer") }
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        _ = try self.fill { buffer in buffer.count >= headEnd + length ? headEnd + length : nil }
        let body = self.buffer[headEnd ..< headEnd + length]
        self.buffer.removeFirst(headEnd + length)
        return (status, body)
    }

    /// Reads until `done` finds what it needs in the buffer.
    private func fill(_ done: ([UInt8]) -> Int?) throws -> Int {
        while true {
            if let found = done(self.buffer) { return found }
            let n = self.chunk.withUnsafeMutableBytes { read(self.fd, $0.baseAddress!, $0.count) }
            guard n > 0 else { throw Failure(description: "connection closed") }
            self.buffer += self.chunk[..<n]
        }
    }

    func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] && haystack[i ..< i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// A JSON number or boolean field of an answer, by its key: a key in quotes cannot occur
/// inside a JSON string, where quotes are escaped.
func field(_ key: String, in body: ArraySlice<UInt8>) -> Substring? {
    let needle = Array("\"\(key)\":".utf8)
    guard let at = body.indices.first(where: { body[$0] == needle[0] && body[$0...].starts(with: needle) }) else { return nil }
    let start = at + needle.count
    let end = body[start...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") } ?? body.endIndex
    return Substring(String(decoding: body[start ..< end], as: UTF8.self))
}

/// Offsets of the "\n" escapes in a text's JSON literal: line i ends at ends[i].
func lineEnds(_ literal: [UInt8]) -> [Int] {
    var ends: [Int] = []
    var i = 0
    while i + 1 < literal.count {
        if literal[i] == UInt8(ascii: "\\") {
            if literal[i + 1] == UInt8(ascii: "n") { ends.append(i) }
            i += 2
        } else {
            i += 1
        }
    }
    return ends
}

struct Tally {
    var created = 0, merged = 0, noop = 0, conflicts = 0, errors = 0
    var latencies: [Double] = []

    mutating func add(_ other: Tally) {
        self.created += other.created
        self.merged += other.merged
        self.noop += other.noop
        self.conflicts += other.conflicts
        self.errors += other.errors
        self.latencies += other.latencies
    }
}

/// What the writers' threads add their tallies to.
final class Totals: @unchecked Sendable {
    private let lock = NSLock()
    private var tally = Tally()

    func add(_ tally: Tally) {
        self.lock.withLock { self.tally.add(tally) }
    }

    var value: Tally { self.lock.withLock { self.tally } }
}

/// One writer: saves its chapter until `deadline`, editing its own lines.
func write(writer n: Int, chapter: [String], slot: Int, port: UInt16, token: String, text: String, lineCount: Int, until deadline: Date) -> Tally {
    var tally = Tally()
    do {
        let connection = try Connection(port: port)
        let head = "POST /api/v1/books/\(chapter[0])/chapters/\(chapter[1])/revisions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
        var literal = Array(text.utf8)
        var ends = lineEnds(literal)
        var base = 1
        var round = 0
        while Date() < deadline {
            round += 1
            let line = (slot * 97 + round * 13) % (lineCount / 5) * 5 + slot % 5
            let from = line == 0 ? 0 : ends[line - 1] + 2, to = ends[line]
            let edit = Array("writer \(n) round \(round)".utf8) + [UInt8](repeating: UInt8(ascii: "."), count: max(0, to - from))
            literal.replaceSubrange(from ..< to, with: edit[..<(to - from)])
            let body = Array("{\"base\":\(base),\"text\":\"".utf8) + literal + Array("\"}".utf8)
            let request = Array((head + "Content-Length: \(body.count)\r\n\r\n").utf8) + body
            let began = DispatchTime.now()
            let (status, answer) = try connection.exchange(request)
            tally.latencies.append(Double(DispatchTime.now().uptimeNanoseconds - began.uptimeNanoseconds) / 1e6)
            switch status {
            case 201:
                base = Int(field("revision", in: answer) ?? "") ?? base
                if field("merged", in: answer) == "true" {
                    tally.merged += 1
                    let marker = Array("\"text\":\"".utf8)
                    if let at = connection.find(marker, in: Array(answer)) {
                        literal = Array(answer.dropFirst(at + marker.count).dropLast(2))
                        ends = lineEnds(literal)
                    }
                } else {
                    tally.created += 1
                }
            case 200:
                tally.noop += 1
                base = Int(field("revision", in: answer) ?? "") ?? base
            case 409:
                tally.conflicts += 1
                base = Int(field("head", in: answer) ?? "") ?? base
            default:
                tally.errors += 1
            }
        }
    } catch {
        tally.errors += 1
        FileHandle.standardError.write(Data("sync-load: writer \(n): \(error)\n".utf8))
    }
    return tally
}

func main() {
    let arguments = CommandLine.arguments
    guard arguments.count >= 7, let port = UInt16(arguments[1]), let seconds = Double(arguments[3]), let lineCount = Int(arguments[4]),
        let perChapter = Int(arguments[5])
    else {
        FileHandle.standardError.write(Data("usage: sync-load PORT TOKEN SECONDS LINES WRITERS-PER-CHAPTER BOOK/CHAPTER...\n".utf8))
        exit(64)
    }
    let token = arguments[2]
    let chapters = arguments[6...].map { $0.split(separator: "/").map(String.init) }
    let text = (0..<lineCount).map { "line \($0) of a chapter long enough to look like prose, more or less\\n" }.joined()
    let totals = Totals()
    let group = DispatchGroup()
    let start = Date()
    let deadline = start.addingTimeInterval(seconds)
    for n in 0..<chapters.count * perChapter {
        group.enter()
        let thread = Thread {
            totals.add(write(
                writer: n, chapter: chapters[n % chapters.count], slot: n / chapters.count, port: port, token: token, text: text,
                lineCount: lineCount, until: deadline))
            group.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    group.wait()
    let elapsed = Date().timeIntervalSince(start)
    let total = totals.value
    let sorted = total.latencies.sorted()
    func percentile(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] }
    print(total.created, total.merged, total.noop, total.conflicts, total.errors, String(format: "%.3f %.2f %.2f", elapsed, percentile(0.5), percentile(0.99)))
}

main()
