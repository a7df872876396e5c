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

/// Gives every distinct line one integer class, shared by all the files it has seen, so
/// that the diffs compare integers. Open addressing on a 64-bit hash of the bytes; equal
/// hashes are confirmed with memcmp.
struct LineClassifier {
    private struct Slot {
        var hash: UInt64 = 0
        var id: Int32 = -1
        var file: Int32 = 0
        var line: Int32 = 0
    }

    private var slots: [Slot]
    private var mask: Int
    private var files: [LineFile] = []
    private(set) var classCount: Int32 = 0

    init(expectedLines: Int) {
        var capacity = 16
        while capacity < expectedLines * 2 { capacity <<= 1 }
        self.slots = Array(repeating: Slot(), count: capacity)
        self.mask = capacity - 1
    }

    /// Splits `bytes` into lines and classifies each of them.
    mutating func add(_ bytes: [UInt8]) -> LineFile {
        self.add(bytes, starts: LineFile.lineStarts(of: bytes))
    }

    /// Classifies the pieces of `bytes` that `starts` delimits (lines, or word tokens).
    mutating func add(_ bytes: [UInt8], starts: [Int]) -> LineFile {
        let lineCount = starts.count - 1
        let needed = Int(self.classCount) + lineCount
        if needed * 2 > self.slots.count { self.grow(atLeast: needed) }
        let fileIndex = self.files.count
        // Stored first so that a line can be compared with an earlier line of its own file.
        self.files.append(LineFile(bytes: bytes, starts: starts, ids: []))
        var ids = [Int32](repeating: 0, count: lineCount)
        for line in 0 ..< lineCount {
            let start = starts[line]
            let length = starts[line + 1] - start
            let hash = bytes.withUnsafeBufferPointer { Self.hash($0.baseAddress.map { $0 + start }, length) }
            ids[line] = self.lookup(hash: hash, file: fileIndex, line: line)
        }
        self.files[fileIndex].ids = ids
        return self.files[fileIndex]
    }

    private mutating func lookup(hash: UInt64, file: Int, line: Int) -> Int32 {
        var index = Int(truncatingIfNeeded: hash) & self.mask
        while true {
            let slot = self.slots[index]
            if slot.id < 0 {
                let id = self.classCount
                self.classCount += 1
                self.slots[index] = Slot(hash: hash, id: id, file: Int32(file), line: Int32(line))
                return id
            }
            if slot.hash == hash && self.sameBytes(Int(slot.file), Int(slot.line), file, line) {
                return slot.id
            }
            index = (index + 1) & self.mask
        }
    }

    private func sameBytes(_ fileA: Int, _ lineA: Int, _ fileB: Int, _ lineB: Int) -> Bool {
        let a = self.files[fileA], b = self.files[fileB]
        let rangeA = a.range(lineA), rangeB = b.range(lineB)
        guard rangeA.count == rangeB.count else { return false }
        if rangeA.isEmpty { return true }
        return a.bytes.withUnsafeBufferPointer { pa in
            b.bytes.withUnsafeBufferPointer { pb in
                memcmp(pa.baseAddress! + rangeA.lowerBound, pb.baseAddress! + rangeB.lowerBound, rangeA.count) == 0
            }
        }
    }

    private mutating func grow(atLeast count: Int) {
        var capacity = self.slots.count
        while capacity < count * 2 { capacity <<= 1 }
        var slots = Array(repeating: Slot(), count: capacity)
        let mask = capacity - 1
        for slot in self.slots where slot.id >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].id >= 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
        self.slots = slots
        self.mask = mask
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
