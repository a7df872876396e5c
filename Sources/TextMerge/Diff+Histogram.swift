/// git's histogram diff (xhistogram.c, from JGit): split both sides at the longest common
/// run of the least frequent lines, recurse left, loop right; when every common line is
/// too frequent (more than 64 times), fall back to Myers on that range.
struct Histogram {
    static let maxChainLength = 64

    let a: [Int32]
    let b: [Int32]
    let scratch: DiffScratch

    init(a: [Int32], b: [Int32], scratch: DiffScratch) {
        self.a = a
        self.b = b
        self.scratch = scratch
    }

    /// Lines are 1-based below, as in xhistogram.c.
    func diff(_ marksA: inout ChangeMarks, _ marksB: inout ChangeMarks) {
        self.diff(line1: 1, count1: self.a.count, line2: 1, count2: self.b.count, &marksA, &marksB)
    }

    private struct Region {
        var begin1 = 0, end1 = 0, begin2 = 0, end2 = 0
    }

    private func diff(line1: Int, count1: Int, line2: Int, count2: Int, _ marksA: inout ChangeMarks, _ marksB: inout ChangeMarks) {
        var line1 = line1, count1 = count1, line2 = line2, count2 = count2
        while true {
            if count1 <= 0 && count2 <= 0 { return }
            if count1 == 0 {
                for line in line2 ..< line2 + count2 { marksB[line - 1] = true }
                return
            }
            if count2 == 0 {
                for line in line1 ..< line1 + count1 { marksA[line - 1] = true }
                return
            }
            var lcs = Region()
            let fallBack = self.findLCS(&lcs, line1: line1, count1: count1, line2: line2, count2: count2)
            if fallBack {
                Myers.diff(
                    self.a[(line1 - 1) ..< (line1 - 1 + count1)], self.b[(line2 - 1) ..< (line2 - 1 + count2)],
                    &marksA, &marksB, offsetA: line1 - 1, offsetB: line2 - 1, scratch: self.scratch)
                return
            }
            if lcs.begin1 == 0 && lcs.begin2 == 0 {
                for line in line1 ..< line1 + count1 { marksA[line - 1] = true }
                for line in line2 ..< line2 + count2 { marksB[line - 1] = true }
                return
            }
            self.diff(line1: line1, count1: lcs.begin1 - line1, line2: line2, count2: lcs.begin2 - line2, &marksA, &marksB)
            let end1 = line1 + count1 - 1, end2 = line2 + count2 - 1
            count1 = end1 - lcs.end1
            line1 = lcs.end1 + 1
            count2 = end2 - lcs.end2
            line2 = lcs.end2 + 1
        }
    }

    /// find_lcs: returns true when the range should fall back to Myers.
    private func findLCS(_ lcs: inout Region, line1: Int, count1: Int, line2: Int, count2: Int) -> Bool {
        let end1 = line1 + count1 - 1, end2 = line2 + count2 - 1
        // Records: one per distinct line of the A range; ptr is its first occurrence.
        var recordPtr: [Int] = []
        var recordCount: [Int] = []
        var nextPtr = [Int](repeating: 0, count: count1)
        var lineRecord = [Int32](repeating: 0, count: count1)
        let record = self.scratch
        defer { for line in line1 ... end1 { record.record[Int(self.a[line - 1])] = -1 } }
        var ptr = end1
        while line1 <= ptr {
            let id = Int(self.a[ptr - 1])
            let r = record.record[id]
            if r >= 0 {
                nextPtr[ptr - line1] = recordPtr[Int(r)]
                recordPtr[Int(r)] = ptr
                recordCount[Int(r)] += 1
                lineRecord[ptr - line1] = r
            } else {
                let newRecord = Int32(recordPtr.count)
                recordPtr.append(ptr)
                recordCount.append(1)
                record.record[id] = newRecord
                lineRecord[ptr - line1] = newRecord
            }
            ptr -= 1
        }

        var cnt = Self.maxChainLength + 1
        var hasCommon = false
        var bPtr = line2
        while bPtr <= end2 {
            var bNext = bPtr + 1
            let r = record.record[Int(self.b[bPtr - 1])]
            if r < 0 {
                bPtr = bNext
                continue
            }
            let rec = Int(r)
            if recordCount[rec] > cnt {
                hasCommon = true
                bPtr = bNext
                continue
            }
            hasCommon = true
            var asPtr = recordPtr[rec]
            while true {
                var np = nextPtr[asPtr - line1]
                var bs = bPtr
                var ae = asPtr
                var be = bs
                var rc = recordCount[rec]
                var aStart = asPtr
                while line1 < aStart && line2 < bs && self.a[aStart - 2] == self.b[bs - 2] {
                    aStart -= 1
                    bs -= 1
                    if 1 < rc { rc = min(rc, recordCount[Int(lineRecord[aStart - line1])]) }
                }
                while ae < end1 && be < end2 && self.a[ae] == self.b[be] {
                    ae += 1
                    be += 1
                    if 1 < rc { rc = min(rc, recordCount[Int(lineRecord[ae - line1])]) }
                }
                if bNext <= be { bNext = be + 1 }
                if lcs.end1 - lcs.begin1 < ae - aStart || rc < cnt {
                    lcs = Region(begin1: aStart, end1: ae, begin2: bs, end2: be)
                    cnt = rc
                }
                if np == 0 { break }
                var exhausted = false
                while np <= ae {
                    np = nextPtr[np - line1]
                    if np == 0 {
                        exhausted = true
                        break
                    }
                }
                if exhausted { break }
                asPtr = np
            }
            bPtr = bNext
        }
        return hasCommon && Self.maxChainLength < cnt
    }
}
