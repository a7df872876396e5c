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
/// together, so that the diffs compare integers. Open addressing with 8-byte slots (a hash
/// tag and the class) to stay in cache; equal tags are confirmed with memcmp against the
/// class's first line.
struct LineClassifier {
    /// Splits each input into lines and classifies them.
    static func classify(_ inputs: [[UInt8]]) -> (files: [LineFile], classCount: Int32) {
        self.classify(inputs, starts: inputs.map(LineFile.lineStarts(of:)))
    }

    /// Classifies the pieces of each input that its `starts` delimit (lines or tokens).
    static func classify(_ inputs: [[UInt8]], starts: [[Int]]) -> (files: [LineFile], classCount: Int32) {
        // Most lines of a merge's inputs repeat the base's: size for the largest input.
        let largest = starts.map { $0.count }.max() ?? 1
        var table = ClassTable(capacity: largest * 2)
        var files: [LineFile] = []
        // The table points into the inputs, so every input stays pinned until all are done.
        func pinned(_ index: Int) {
            guard index < inputs.count else { return }
            inputs[index].withUnsafeBufferPointer { buffer in
                let lineStarts = starts[index]
                let lineCount = lineStarts.count - 1
                var ids = [Int32](repeating: 0, count: lineCount)
                ids.withUnsafeMutableBufferPointer { ids in
                    for line in 0 ..< lineCount {
                        let offset = lineStarts[line]
                        let pointer = buffer.baseAddress.map { UnsafePointer($0 + offset) }
                        ids[line] = table.classOf(pointer, lineStarts[line + 1] - offset)
                    }
                }
                files.append(LineFile(bytes: inputs[index], starts: lineStarts, ids: ids))
                pinned(index + 1)
            }
        }
        pinned(0)
        return (files, table.count)
    }

    private struct ClassTable {
        /// Each slot: the hash's high 32 bits, then the class + 1 (0 = empty).
        var slots: [UInt64]
        var mask: Int
        var hashes: [UInt64] = []
        var firsts: [UnsafePointer<UInt8>?] = []
        var lengths: [Int] = []

        init(capacity: Int) {
            var size = 64
            while size < capacity { size <<= 1 }
            self.slots = [UInt64](repeating: 0, count: size)
            self.mask = size - 1
        }

        var count: Int32 { Int32(self.hashes.count) }

        mutating func classOf(_ pointer: UnsafePointer<UInt8>?, _ length: Int) -> Int32 {
            let hash = LineClassifier.hash(pointer, length)
            let tag = hash >> 32
            var slot = Int(truncatingIfNeeded: hash) & self.mask
            while true {
                let entry = self.slots[slot]
                if entry == 0 { break }
                if entry >> 32 == tag {
                    let id = Int(entry & 0xFFFF_FFFF) - 1
                    if self.lengths[id] == length && (length == 0 || memcmp(self.firsts[id]!, pointer!, length) == 0) {
                        return Int32(id)
                    }
                }
                slot = (slot + 1) & self.mask
            }
            let id = self.hashes.count
            self.hashes.append(hash)
            self.firsts.append(pointer)
            self.lengths.append(length)
            self.slots[slot] = tag << 32 | UInt64(id + 1)
            if self.hashes.count * 2 > self.slots.count { self.grow() }
            return Int32(id)
        }

        private mutating func grow() {
            let size = self.slots.count * 2
            self.slots = [UInt64](repeating: 0, count: size)
            self.mask = size - 1
            for (id, hash) in self.hashes.enumerated() {
                var slot = Int(truncatingIfNeeded: hash) & self.mask
                while self.slots[slot] != 0 { slot = (slot + 1) & self.mask }
                self.slots[slot] = (hash >> 32) << 32 | UInt64(id + 1)
            }
        }
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
