/// One change region of a three-way merge, in xdiff's terms: `ours` lines
/// `[i1, i1 + chg1)` and `theirs` lines `[i2, i2 + chg2)` stand for base lines
/// `[i0, i0 + chg0)`. Lines of `ours` before `i1` not covered by an earlier hunk are
/// unchanged text.
struct MergeHunk: Sendable, Equatable {
    enum Mode: Sendable, Equatable {
        /// Both sides changed the region differently.
        case conflict
        /// Only ours changed it: take ours.
        case ours
        /// Only theirs changed it: take theirs.
        case theirs
        /// Refinement found both sides identical: nothing to write (xdiff's mode 4).
        case identical
        /// Resolved word by word; the text is `MergeEngine.wordTexts[index]`.
        case words(Int)
    }

    var mode: Mode
    var i0: Int, chg0: Int
    var i1: Int, chg1: Int
    var i2: Int, chg2: Int
    /// The base range of the unrefined hunk this one came from (exact, unlike i0/chg0
    /// after refinement, which xdiff leaves stale).
    var parent0: Int, parentChg0: Int
}

extension MergeHunk {
    /// xdl_do_merge's walk of the two edit scripts against the base (the eager level).
    static func eagerHunks(ours: [Edit], theirs: [Edit], oursFile: LineFile, theirsFile: LineFile, baseCount: Int) -> [MergeHunk] {
        var hunks: [MergeHunk] = []
        var x1 = 0, x2 = 0

        func append(_ mode: Mode, _ i0: Int, _ chg0: Int, _ i1: Int, _ chg1: Int, _ i2: Int, _ chg2: Int) {
            if var last = hunks.last, i1 <= last.i1 + last.chg1 || i2 <= last.i2 + last.chg2 {
                if mode != last.mode { last.mode = .conflict }
                last.chg0 = i0 + chg0 - last.i0
                last.chg1 = i1 + chg1 - last.i1
                last.chg2 = i2 + chg2 - last.i2
                last.parentChg0 = last.chg0
                hunks[hunks.count - 1] = last
            } else {
                hunks.append(MergeHunk(mode: mode, i0: i0, chg0: chg0, i1: i1, chg1: chg1, i2: i2, chg2: chg2, parent0: i0, parentChg0: chg0))
            }
        }

        while x1 < ours.count && x2 < theirs.count {
            let e1 = ours[x1], e2 = theirs[x2]
            if e1.start1 + e1.count1 < e2.start1 {
                append(.ours, e1.start1, e1.count1, e1.start2, e1.count2, e2.start2 - e2.start1 + e1.start1, e1.count1)
                x1 += 1
                continue
            }
            if e2.start1 + e2.count1 < e1.start1 {
                append(.theirs, e2.start1, e2.count1, e1.start2 - e1.start1 + e2.start1, e2.count1, e2.start2, e2.count2)
                x2 += 1
                continue
            }
            let identical = e1.start1 == e2.start1 && e1.count1 == e2.count1 && e1.count2 == e2.count2
                && oursFile.ids[e1.start2 ..< e1.start2 + e1.count2].elementsEqual(theirsFile.ids[e2.start2 ..< e2.start2 + e2.count2])
            if !identical {
                let off = e1.start1 - e2.start1
                let ffo = off + e1.count1 - e2.count1
                var i0 = e1.start1, i1 = e1.start2, i2 = e2.start2
                if off > 0 {
                    i0 -= off
                    i1 -= off
                } else {
                    i2 += off
                }
                var chg0 = e1.start1 + e1.count1 - i0
                var chg1 = e1.start2 + e1.count2 - i1
                var chg2 = e2.start2 + e2.count2 - i2
                if ffo < 0 {
                    chg0 -= ffo
                    chg1 -= ffo
                } else {
                    chg2 += ffo
                }
                append(.conflict, i0, chg0, i1, chg1, i2, chg2)
            }
            let end1 = e1.start1 + e1.count1, end2 = e2.start1 + e2.count1
            if end1 >= end2 { x2 += 1 }
            if end2 >= end1 { x1 += 1 }
        }
        while x1 < ours.count {
            let e1 = ours[x1]
            append(.ours, e1.start1, e1.count1, e1.start2, e1.count2, e1.start1 + theirsFile.count - baseCount, e1.count1)
            x1 += 1
        }
        while x2 < theirs.count {
            let e2 = theirs[x2]
            append(.theirs, e2.start1, e2.count1, e2.start1 + oursFile.count - baseCount, e2.count1, e2.start2, e2.count2)
            x2 += 1
        }
        return hunks
    }

    /// xdl_refine_conflicts: diff the two sides of each conflict and keep as conflicts only
    /// the parts that differ; a conflict whose sides are equal becomes `.identical`.
    static func refineConflicts(_ hunks: [MergeHunk], ours: LineFile, theirs: LineFile, algorithm: DiffAlgorithm, scratch: DiffScratch) -> [MergeHunk] {
        var refined: [MergeHunk] = []
        refined.reserveCapacity(hunks.count)
        for hunk in hunks {
            guard hunk.mode == .conflict, hunk.chg1 > 0, hunk.chg2 > 0 else {
                refined.append(hunk)
                continue
            }
            let edits = LineDiffer.editScript(
                ours.ids[hunk.i1 ..< hunk.i1 + hunk.chg1], theirs.ids[hunk.i2 ..< hunk.i2 + hunk.chg2],
                algorithm: algorithm, scratch: scratch)
            if edits.isEmpty {
                var same = hunk
                same.mode = .identical
                refined.append(same)
                continue
            }
            for edit in edits {
                var part = hunk
                part.i1 = hunk.i1 + edit.start1
                part.chg1 = edit.count1
                part.i2 = hunk.i2 + edit.start2
                part.chg2 = edit.count2
                refined.append(part)
            }
        }
        return refined
    }

    /// xdl_simplify_non_conflicts: join two conflicts when at most 3 lines of ours separate
    /// them, or (with `ifNoAlnum`) when none of the separating lines has a letter or digit.
    static func joinNearConflicts(_ hunks: [MergeHunk], ours: LineFile, ifNoAlnum: Bool) -> [MergeHunk] {
        guard var current = hunks.first else { return hunks }
        var joined: [MergeHunk] = []
        joined.reserveCapacity(hunks.count)
        for next in hunks.dropFirst() {
            let begin = current.i1 + current.chg1
            let end = next.i1
            let keepApart = current.mode != .conflict || next.mode != .conflict
                || (end - begin > 3 && (!ifNoAlnum || Self.containsAlnum(ours, from: begin, to: end)))
            if keepApart {
                joined.append(current)
                current = next
            } else {
                current.chg1 = next.i1 + next.chg1 - current.i1
                current.chg2 = next.i2 + next.chg2 - current.i2
                current.parentChg0 = next.parent0 + next.parentChg0 - current.parent0
            }
        }
        joined.append(current)
        return joined
    }

    private static func containsAlnum(_ file: LineFile, from begin: Int, to end: Int) -> Bool {
        guard begin < end else { return false }
        for byte in file.bytes[file.starts[begin] ..< file.starts[end]] {
            // C isalnum in the "C" locale: ASCII letters and digits only.
            if (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) { return true }
        }
        return false
    }

    /// xdl_refine_zdiff3_conflicts: move the lines both sides agree on at the start and the
    /// end of each conflict out of it (the base stays whole).
    static func trimZealousDiff3(_ hunks: [MergeHunk], ours: LineFile, theirs: LineFile) -> [MergeHunk] {
        hunks.map { hunk in
            guard hunk.mode == .conflict else { return hunk }
            var m = hunk
            while m.chg1 > 0 && m.chg2 > 0 && ours.ids[m.i1] == theirs.ids[m.i2] {
                m.chg1 -= 1
                m.chg2 -= 1
                m.i1 += 1
                m.i2 += 1
            }
            while m.chg1 > 0 && m.chg2 > 0 && ours.ids[m.i1 + m.chg1 - 1] == theirs.ids[m.i2 + m.chg2 - 1] {
                m.chg1 -= 1
                m.chg2 -= 1
            }
            return m
        }
    }
}
