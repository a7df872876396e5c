#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One replacement that turns part of an old text into a new one: `old[old]` becomes
/// `new[new]` (byte ranges, whole lines).
public struct ChangedRange: Sendable, Equatable {
    public var old: Range<Int>
    public var new: Range<Int>

    public init(old: Range<Int>, new: Range<Int>) {
        self.old = old
        self.new = new
    }
}

/// Where `new` differs from `old`, as byte ranges of whole lines in order, for storing a
/// text as a delta against its predecessor. An edit touches a few lines of a long text, so
/// the common head and tail are first skipped with memcmp (no hashing); only the lines in
/// between go through the line diff, which splits edits at distant places into separate
/// ranges instead of one that spans everything between them.
public func changedRanges(from old: [UInt8], to new: [UInt8]) -> [ChangedRange] {
    old.withUnsafeBufferPointer { old in new.withUnsafeBufferPointer { new in changedRanges(from: old, to: new) } }
}

/// `changedRanges` of bytes in place (a chapter's text, without copying it to an array).
public func changedRanges(from old: UnsafeBufferPointer<UInt8>, to new: UnsafeBufferPointer<UInt8>) -> [ChangedRange] {
    let (head, tail) = commonLineEnds(old, new)
    let oldMiddle = head ..< old.count - tail, newMiddle = head ..< new.count - tail
    if oldMiddle.isEmpty && newMiddle.isEmpty { return [] }
    // Small middles are not worth a diff: one range is as short as the diff's would be.
    if oldMiddle.isEmpty || newMiddle.isEmpty || oldMiddle.count + newMiddle.count < 4096 {
        return [ChangedRange(old: oldMiddle, new: newMiddle)]
    }
    let (files, classCount) = LineClassifier.classify([Array(UnsafeBufferPointer(rebasing: old[oldMiddle])), Array(UnsafeBufferPointer(rebasing: new[newMiddle]))])
    let a = files[0], b = files[1]
    let edits = LineDiffer.editScript(a.ids[...], b.ids[...], algorithm: .myers, scratch: DiffScratch(classCount: Int(classCount)))
    return edits.map { edit in
        ChangedRange(
            old: head + a.starts[edit.start1] ..< head + a.starts[edit.start1 + edit.count1],
            new: head + b.starts[edit.start2] ..< head + b.starts[edit.start2 + edit.count2])
    }
}

/// The byte lengths of the longest common head and tail of `a` and `b` that end (head) or
/// start (tail) at a line boundary and do not overlap in either text.
func commonLineEnds(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> (head: Int, tail: Int) {
    let limit = min(a.count, b.count)
    // Equal prefix, compared a block at a time, then cut back to a line start.
    var head = 0
    while head + 64 <= limit, memcmp(a.baseAddress! + head, b.baseAddress! + head, 64) == 0 { head += 64 }
    while head < limit, a[head] == b[head] { head += 1 }
    while head > 0, a[head - 1] != 0x0A { head -= 1 }
    // Equal suffix within what the head left, then forward to a line start.
    let room = limit - head
    var tail = 0
    while tail + 64 <= room,
        memcmp(a.baseAddress! + a.count - tail - 64, b.baseAddress! + b.count - tail - 64, 64) == 0
    {
        tail += 64
    }
    while tail < room, a[a.count - tail - 1] == b[b.count - tail - 1] { tail += 1 }
    func isLineStart(_ text: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool { offset == 0 || text[offset - 1] == 0x0A }
    while tail > 0, !isLineStart(a, a.count - tail) || !isLineStart(b, b.count - tail) { tail -= 1 }
    return (head, tail)
}
