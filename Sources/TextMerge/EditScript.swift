/// One change of an edit script: `count1` lines of the old file from `start1` became
/// `count2` lines of the new file from `start2` (0-based line indexes).
struct Edit: Sendable, Equatable {
    var start1: Int
    var count1: Int
    var start2: Int
    var count2: Int
}

/// Per-line "changed" flags of one side of a diff, with a `false` sentinel before the
/// first line and after the last (xdiff's `rchg`), so group walks need no bounds checks.
struct ChangeMarks {
    private(set) var flags: [Bool]

    init(lineCount: Int) { self.flags = [Bool](repeating: false, count: lineCount + 2) }

    var lineCount: Int { self.flags.count - 2 }

    subscript(line: Int) -> Bool {
        get { self.flags[line + 1] }
        set { self.flags[line + 1] = newValue }
    }
}

/// Per-class scratch tables shared by the diffs of one merge (occurrence counts for Myers,
/// record indexes for histogram), so that neither needs a dictionary. Every diff leaves
/// them as it found them: zero counts, -1 records.
final class DiffScratch {
    var countA: [Int32]
    var countB: [Int32]
    var record: [Int32]

    init(classCount: Int) {
        self.countA = [Int32](repeating: 0, count: classCount)
        self.countB = [Int32](repeating: 0, count: classCount)
        self.record = [Int32](repeating: -1, count: classCount)
    }
}

enum LineDiffer {
    /// The edit script from `a` to `b` as git computes it: the algorithm's marks, then
    /// xdiff's sliding of ambiguous groups (xdl_change_compact) both ways.
    static func editScript(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>, algorithm: DiffAlgorithm, scratch: DiffScratch) -> [Edit] {
        let a = Array(a), b = Array(b)
        var marksA = ChangeMarks(lineCount: a.count)
        var marksB = ChangeMarks(lineCount: b.count)
        switch algorithm {
        case .myers:
            Myers.diff(a[...], b[...], &marksA, &marksB, offsetA: 0, offsetB: 0, scratch: scratch)
        case .histogram:
            Histogram(a: a, b: b, scratch: scratch).diff(&marksA, &marksB)
        }
        compact(&marksA, other: &marksB, ids: a)
        compact(&marksB, other: &marksA, ids: b)
        return buildScript(marksA, marksB)
    }

    /// xdl_change_compact without the indent heuristic (git merge-file does not use it):
    /// slide each group of changed lines up as far as it goes, then down as far as it
    /// goes, merging groups it bumps into, and finally align it with a group of the other
    /// file when one was passed on the way.
    static func compact(_ marks: inout ChangeMarks, other: inout ChangeMarks, ids: [Int32]) {
        let count = marks.lineCount
        var g = Group(start: 0, end: 0)
        var go = Group(start: 0, end: 0)
        while marks[g.end] { g.end += 1 }
        while other[go.end] { go.end += 1 }

        func slideDown(_ g: inout Group) -> Bool {
            guard g.end < count, ids[g.start] == ids[g.end] else { return false }
            marks[g.start] = false
            g.start += 1
            marks[g.end] = true
            g.end += 1
            while marks[g.end] { g.end += 1 }
            return true
        }
        func slideUp(_ g: inout Group) -> Bool {
            guard g.start > 0, ids[g.start - 1] == ids[g.end - 1] else { return false }
            g.start -= 1
            marks[g.start] = true
            g.end -= 1
            marks[g.end] = false
            while marks[g.start - 1] { g.start -= 1 }
            return true
        }
        func previous(_ go: inout Group) {
            precondition(go.start > 0, "group sync broken")
            go.end = go.start - 1
            go.start = go.end
            while other[go.start - 1] { go.start -= 1 }
        }
        func next(_ go: inout Group, in marks: ChangeMarks) -> Bool {
            if go.end == marks.lineCount { return false }
            go.start = go.end + 1
            go.end = go.start
            while marks[go.end] { go.end += 1 }
            return true
        }

        while true {
            if g.end != g.start {
                var groupSize = 0
                var earliestEnd = 0
                var endMatchingOther = -1
                repeat {
                    groupSize = g.end - g.start
                    endMatchingOther = -1
                    while slideUp(&g) { previous(&go) }
                    earliestEnd = g.end
                    if go.end > go.start { endMatchingOther = g.end }
                    while slideDown(&g) {
                        let moved = next(&go, in: other)
                        precondition(moved, "group sync broken")
                        if go.end > go.start { endMatchingOther = g.end }
                    }
                } while groupSize != g.end - g.start
                if g.end != earliestEnd && endMatchingOther != -1 {
                    while go.end == go.start {
                        let slid = slideUp(&g)
                        precondition(slid, "match disappeared")
                        previous(&go)
                    }
                }
            }
            if !next(&g, in: marks) { break }
            let moved = next(&go, in: other)
            precondition(moved, "group sync broken")
        }
    }

    struct Group {
        var start: Int
        var end: Int
    }

    /// Collects the groups of changed lines into edits, in file order.
    static func buildScript(_ marksA: ChangeMarks, _ marksB: ChangeMarks) -> [Edit] {
        var edits: [Edit] = []
        var i1 = marksA.lineCount, i2 = marksB.lineCount
        while i1 >= 0 || i2 >= 0 {
            if marksA[i1 - 1] || marksB[i2 - 1] {
                let l1 = i1, l2 = i2
                while marksA[i1 - 1] { i1 -= 1 }
                while marksB[i2 - 1] { i2 -= 1 }
                edits.append(Edit(start1: i1, count1: l1 - i1, start2: i2, count2: l2 - i2))
            }
            i1 -= 1
            i2 -= 1
        }
        edits.reverse()
        return edits
    }
}
