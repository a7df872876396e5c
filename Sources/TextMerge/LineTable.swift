#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input split into lines: line `i` is `bytes[starts[i] ..< starts[i + 1]]`, its line
/// ending included (the last line may lack one), and `ids[i]` is its class: two lines have
/// the same class exactly when their bytes are equal.
struct LineFile: Sendable {
    var bytes: [UInt8]
    var starts: [Int]
    var ids: [Int32]

    var count: Int { self.ids.count }

    func range(_ line: Int) -> Range<Int> { self.starts[line] ..< self.starts[line + 1] }

    func line(_ line: Int) -> ArraySlice<UInt8> { self.bytes[self.range(line)] }

    /// Whether line `i` ends with "\n".
    func endsWithNewline(_ line: Int) -> Bool {
        let end = self.starts[line + 1]
        return end > self.starts[line] && self.bytes[end - 1] == 0x0A
    }

    /// Line offsets of `bytes`: every line ends after a "\n", and a last line without one
    /// still counts.
    static func lineStarts(of bytes: [UInt8]) -> [Int] {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 2)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            let count = buffer.count
            while offset < count {
                guard let hit = memchr(base + offset, 0x0A, count - offset) else {
                    starts.append(count)
                    break
                }
                offset = UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
                starts.append(offset)
            }
        }
        return starts
    }
}

/// Gives every distinct line one integer class, shared by all the inputs classified
/// together, so that the diffs compare integers. Open addressing on a 64-bit hash of the
/// bytes; equal hashes are confirmed with memcmp.
struct LineClassifier {
    private struct Slot {
        var hash: UInt64 = 0
        var start: UnsafePointer<UInt8>? = nil
        var length: Int = 0
        var id: Int32 = -1
    }

    private(set) var classCount: Int32 = 0

    /// Splits each input into lines and classifies them.
    static func classify(_ inputs: [[UInt8]]) -> (files: [LineFile], classCount: Int32) {
        self.classify(inputs, starts: inputs.map(LineFile.lineStarts(of:)))
    }

    /// Classifies the pieces of each input that its `starts` delimit (lines or tokens).
    static func classify(_ inputs: [[UInt8]], starts: [[Int]]) -> (files: [LineFile], classCount: Int32) {
        let total = starts.reduce(0) { $0 + $1.count }
        var capacity = 16
        while capacity < total * 2 { capacity <<= 1 }
        var slots = [Slot](repeating: Slot(), count: capacity)
        let mask = capacity - 1
        var classCount: Int32 = 0
        var files: [LineFile] = []
        // The slots point into the inputs, so every input stays pinned until all are done.
        func pinned(_ index: Int) {
            guard index < inputs.count else { return }
            inputs[index].withUnsafeBufferPointer { buffer in
                let lineStarts = starts[index]
                let lineCount = lineStarts.count - 1
                var ids = [Int32](repeating: 0, count: lineCount)
                slots.withUnsafeMutableBufferPointer { table in
                    for line in 0 ..< lineCount {
                        let offset = lineStarts[line]
                        let length = lineStarts[line + 1] - offset
                        let pointer = buffer.baseAddress.map { UnsafePointer($0 + offset) }
                        let hash = Self.hash(pointer, length)
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        while true {
                            let entry = table[slot]
                            if entry.id < 0 {
                                table[slot] = Slot(hash: hash, start: pointer, length: length, id: classCount)
                                ids[line] = classCount
                                classCount += 1
                                break
                            }
                            if entry.hash == hash && entry.length == length
                                && (length == 0 || memcmp(entry.start!, pointer!, length) == 0) {
                                ids[line] = entry.id
                                break
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
                files.append(LineFile(bytes: inputs[index], starts: lineStarts, ids: ids))
                pinned(index + 1)
            }
        }
        pinned(0)
        return (files, classCount)
    }

    /// A fast 64-bit hash of a line, eight bytes at a time.
    static func hash(_ pointer: UnsafePointer<UInt8>?, _ length: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(length &+ 1)
        guard let pointer, length > 0 else { return h }
        let raw = UnsafeRawPointer(pointer)
        var offset = 0
        while offset + 8 <= length {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            offset += 8
        }
        if offset < length {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < length {
                tail |= UInt64(raw.load(fromByteOffset: offset, as: UInt8.self)) << shift
                shift += 8
                offset += 1
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 32
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        return h
    }
}
