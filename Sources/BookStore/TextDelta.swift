import TextMerge

/// A revision's text stored as the changes from the revision before it, so that a save of
/// a long chapter writes the lines it changed, not the whole chapter again.
///
/// Layout: a version byte (1), then per changed range, in order: the number of bytes kept
/// since the previous range, the number of old bytes replaced, the number of new bytes (all
/// LEB128), and the new bytes. Bytes after the last range are kept.
enum TextDelta {
    struct Corrupt: Error {}

    static func encode(from old: String, to new: String) -> [UInt8] {
        var old = old, new = new
        return old.withUTF8 { old in new.withUTF8 { new in self.encode(from: old, to: new) } }
    }

    static func encode(from old: UnsafeBufferPointer<UInt8>, to new: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var delta: [UInt8] = [1]
        var kept = 0
        for range in changedRanges(from: old, to: new) {
            self.append(range.old.lowerBound - kept, to: &delta)
            self.append(range.old.count, to: &delta)
            self.append(range.new.count, to: &delta)
            delta += UnsafeBufferPointer(rebasing: new[range.new])
            kept = range.old.upperBound
        }
        return delta
    }

    /// `old` with the delta's changes; throws `Corrupt` when the delta does not fit `old`.
    static func apply(_ delta: [UInt8], to old: [UInt8]) throws -> [UInt8] {
        guard delta.first == 1 else { throw Corrupt() }
        var new: [UInt8] = []
        new.reserveCapacity(old.count + delta.count)
        var at = 1, kept = 0
        while at < delta.count {
            let skip = try self.read(delta, &at), replaced = try self.read(delta, &at), inserted = try self.read(delta, &at)
            guard skip <= old.count - kept, replaced <= old.count - kept - skip, inserted <= delta.count - at else { throw Corrupt() }
            new += old[kept ..< kept + skip]
            new += delta[at ..< at + inserted]
            at += inserted
            kept += skip + replaced
        }
        new += old[kept...]
        return new
    }

    private static func append(_ value: Int, to bytes: inout [UInt8]) {
        var value = UInt(value)
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func read(_ bytes: [UInt8], _ at: inout Int) throws -> Int {
        var value = 0, shift = 0
        while at < bytes.count, shift < 63 {
            let byte = bytes[at]
            at += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw Corrupt()
    }
}
