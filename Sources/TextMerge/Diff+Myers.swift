/// git's xdiff Myers diff: trim the common ends, set aside lines that cannot match
/// (xdl_cleanup_records), then divide and conquer on the middle snake with xdiff's cost
/// limits, so that the edit scripts (and hence merges) are git's, not merely minimal.
enum Myers {
    static let maxEqualLimit = 1024
    static let simscanWindow = 100
    static let keepDiscardRun = 4
    static let maxCostMin = 256
    static let heuristicMinCost = 256
    static let snakeCount = 20
    static let heuristicFactor = 4

    /// Integer square root approximation of xdiff (xdl_bogosqrt).
    static func bogosqrt(_ n: Int) -> Int {
        var i = 1, n = n
        while n > 0 {
            i <<= 1
            n >>= 2
        }
        return i
    }

    /// Marks the changed lines of `a` and `b` in `marksA`/`marksB`, line `i` of `a` at
    /// `offsetA + i` (the histogram diff falls back to this on a sub-range).
    static func diff(
        _ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>,
        _ marksA: inout ChangeMarks, _ marksB: inout ChangeMarks,
        offsetA: Int, offsetB: Int, scratch: DiffScratch
    ) {
        let a = Array(a), b = Array(b)
        let n1 = a.count, n2 = b.count

        // Trim the common prefix and suffix.
        let limit = min(n1, n2)
        var dstart = 0
        while dstart < limit && a[dstart] == b[dstart] { dstart += 1 }
        var tail = 0
        while tail < limit - dstart && a[n1 - 1 - tail] == b[n2 - 1 - tail] { tail += 1 }
        let dend1 = n1 - tail - 1, dend2 = n2 - tail - 1

        // Occurrences of each class in the other file.
        for id in a { scratch.countA[Int(id)] &+= 1 }
        for id in b { scratch.countB[Int(id)] &+= 1 }
        defer {
            for id in a { scratch.countA[Int(id)] = 0 }
            for id in b { scratch.countB[Int(id)] = 0 }
        }

        let kept1 = self.keptLines(a, from: dstart, through: dend1, otherCounts: scratch.countB) { marksA[offsetA + $0] = true }
        let kept2 = self.keptLines(b, from: dstart, through: dend2, otherCounts: scratch.countA) { marksB[offsetB + $0] = true }

        var ids1 = [Int32](), ids2 = [Int32]()
        ids1.reserveCapacity(kept1.count)
        ids2.reserveCapacity(kept2.count)
        for i in kept1 { ids1.append(a[i]) }
        for i in kept2 { ids2.append(b[i]) }

        let nreff1 = ids1.count, nreff2 = ids2.count
        let ndiags = nreff1 + nreff2 + 3
        let kvd = UnsafeMutablePointer<Int>.allocate(capacity: 2 * ndiags + 2)
        defer { kvd.deallocate() }
        var search = Search(
            ids1: ids1, ids2: ids2,
            kvdf: kvd + (nreff2 + 1), kvdb: kvd + ndiags + (nreff2 + 1),
            maxCost: max(bogosqrt(ndiags), maxCostMin))
        search.compare(off1: 0, lim1: nreff1, off2: 0, lim2: nreff2, needMinimal: false)
        for i in 0 ..< nreff1 where search.changed1[i] { marksA[offsetA + kept1[i]] = true }
        for i in 0 ..< nreff2 where search.changed2[i] { marksB[offsetB + kept2[i]] = true }
    }

    /// xdl_cleanup_records for one side: lines without a match in the other file are
    /// changed outright; lines with very many matches are dropped when they sit in a run
    /// of such lines. Returns the indexes of the lines the search works on.
    private static func keptLines(
        _ ids: [Int32], from start: Int, through end: Int, otherCounts: [Int32], markChanged: (Int) -> Void
    ) -> [Int] {
        guard start <= end else { return [] }
        let limit = min(bogosqrt(ids.count), maxEqualLimit)
        var discard = [UInt8](repeating: 0, count: ids.count + 1)
        for i in start ... end {
            let matches = Int(otherCounts[Int(ids[i])])
            discard[i] = matches == 0 ? 0 : matches >= limit ? 2 : 1
        }
        var kept: [Int] = []
        kept.reserveCapacity(end - start + 1)
        for i in start ... end {
            if discard[i] == 1 || (discard[i] == 2 && !self.isDiscardable(discard, i, start, end)) {
                kept.append(i)
            } else {
                markChanged(i)
            }
        }
        return kept
    }

    /// xdl_clean_mmatch: a line with many matches is discarded only inside a run where
    /// unmatched lines are common enough.
    private static func isDiscardable(_ dis: [UInt8], _ i: Int, _ s: Int, _ e: Int) -> Bool {
        var s = s, e = e
        if i - s > simscanWindow { s = i - simscanWindow }
        if e - i > simscanWindow { e = i + simscanWindow }
        var r = 1, rdis0 = 0, rpdis0 = 1
        while i - r >= s {
            if dis[i - r] == 0 { rdis0 += 1 } else if dis[i - r] == 2 { rpdis0 += 1 } else { break }
            r += 1
        }
        if rdis0 == 0 { return false }
        r = 1
        var rdis1 = 0, rpdis1 = 1
        while i + r <= e {
            if dis[i + r] == 0 { rdis1 += 1 } else if dis[i + r] == 2 { rpdis1 += 1 } else { break }
            r += 1
        }
        if rdis1 == 0 { return false }
        rdis1 += rdis0
        rpdis1 += rpdis0
        return rpdis1 * keepDiscardRun < rpdis1 + rdis1
    }

    /// The divide-and-conquer search (xdl_recs_cmp and xdl_split) on the kept lines.
    struct Search {
        let ids1: [Int32]
        let ids2: [Int32]
        let kvdf: UnsafeMutablePointer<Int>
        let kvdb: UnsafeMutablePointer<Int>
        let maxCost: Int
        var changed1: [Bool]
        var changed2: [Bool]

        init(ids1: [Int32], ids2: [Int32], kvdf: UnsafeMutablePointer<Int>, kvdb: UnsafeMutablePointer<Int>, maxCost: Int) {
            self.ids1 = ids1
            self.ids2 = ids2
            self.kvdf = kvdf
            self.kvdb = kvdb
            self.maxCost = maxCost
            self.changed1 = [Bool](repeating: false, count: ids1.count)
            self.changed2 = [Bool](repeating: false, count: ids2.count)
        }

        mutating func compare(off1: Int, lim1: Int, off2: Int, lim2: Int, needMinimal: Bool) {
            var off1 = off1, lim1 = lim1, off2 = off2, lim2 = lim2
            while off1 < lim1 && off2 < lim2 && self.ids1[off1] == self.ids2[off2] {
                off1 += 1
                off2 += 1
            }
            while off1 < lim1 && off2 < lim2 && self.ids1[lim1 - 1] == self.ids2[lim2 - 1] {
                lim1 -= 1
                lim2 -= 1
            }
            if off1 == lim1 {
                for i in off2 ..< lim2 { self.changed2[i] = true }
            } else if off2 == lim2 {
                for i in off1 ..< lim1 { self.changed1[i] = true }
            } else {
                let split = self.split(off1: off1, lim1: lim1, off2: off2, lim2: lim2, needMinimal: needMinimal)
                self.compare(off1: off1, lim1: split.i1, off2: off2, lim2: split.i2, needMinimal: split.minLow)
                self.compare(off1: split.i1, lim1: lim1, off2: split.i2, lim2: lim2, needMinimal: split.minHigh)
            }
        }

        struct Split {
            var i1 = 0, i2 = 0
            var minLow = false, minHigh = false
        }

        func split(off1: Int, lim1: Int, off2: Int, lim2: Int, needMinimal: Bool) -> Split {
            let kvdf = self.kvdf, kvdb = self.kvdb
            let dmin = off1 - lim2, dmax = lim1 - off2
            let fmid = off1 - off2, bmid = lim1 - lim2
            let odd = (fmid - bmid) & 1 != 0
            var fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid
            var spl = Split()
            kvdf[fmid] = off1
            kvdb[bmid] = lim1
            var ec = 1
            while true {
                var gotSnake = false
                if fmin > dmin {
                    fmin -= 1
                    kvdf[fmin - 1] = -1
                } else {
                    fmin += 1
                }
                if fmax < dmax {
                    fmax += 1
                    kvdf[fmax + 1] = -1
                } else {
                    fmax -= 1
                }
                var d = fmax
                while d >= fmin {
                    var i1 = kvdf[d - 1] >= kvdf[d + 1] ? kvdf[d - 1] + 1 : kvdf[d + 1]
                    let prev1 = i1
                    var i2 = i1 - d
                    while i1 < lim1 && i2 < lim2 && self.ids1[i1] == self.ids2[i2] {
                        i1 += 1
                        i2 += 1
                    }
                    if i1 - prev1 > snakeCount { gotSnake = true }
                    kvdf[d] = i1
                    if odd && bmin <= d && d <= bmax && kvdb[d] <= i1 {
                        return Split(i1: i1, i2: i2, minLow: true, minHigh: true)
                    }
                    d -= 2
                }

                if bmin > dmin {
                    bmin -= 1
                    kvdb[bmin - 1] = Int.max
                } else {
                    bmin += 1
                }
                if bmax < dmax {
                    bmax += 1
                    kvdb[bmax + 1] = Int.max
                } else {
                    bmax -= 1
                }
                d = bmax
                while d >= bmin {
                    var i1 = kvdb[d - 1] < kvdb[d + 1] ? kvdb[d - 1] : kvdb[d + 1] - 1
                    let prev1 = i1
                    var i2 = i1 - d
                    while i1 > off1 && i2 > off2 && self.ids1[i1 - 1] == self.ids2[i2 - 1] {
                        i1 -= 1
                        i2 -= 1
                    }
                    if prev1 - i1 > snakeCount { gotSnake = true }
                    kvdb[d] = i1
                    if !odd && fmin <= d && d <= fmax && i1 <= kvdf[d] {
                        return Split(i1: i1, i2: i2, minLow: true, minHigh: true)
                    }
                    d -= 2
                }

                if needMinimal {
                    ec += 1
                    continue
                }

                if gotSnake && ec > heuristicMinCost {
                    var best = 0
                    d = fmax
                    while d >= fmin {
                        let dd = d > fmid ? d - fmid : fmid - d
                        let i1 = kvdf[d]
                        let i2 = i1 - d
                        let v = (i1 - off1) + (i2 - off2) - dd
                        if v > heuristicFactor * ec && v > best
                            && off1 + snakeCount <= i1 && i1 < lim1
                            && off2 + snakeCount <= i2 && i2 < lim2 {
                            var k = 1
                            while self.ids1[i1 - k] == self.ids2[i2 - k] {
                                if k == snakeCount {
                                    best = v
                                    spl.i1 = i1
                                    spl.i2 = i2
                                    break
                                }
                                k += 1
                            }
                        }
                        d -= 2
                    }
                    if best > 0 {
                        spl.minLow = true
                        spl.minHigh = false
                        return spl
                    }

                    best = 0
                    d = bmax
                    while d >= bmin {
                        let dd = d > bmid ? d - bmid : bmid - d
                        let i1 = kvdb[d]
                        let i2 = i1 - d
                        let v = (lim1 - i1) + (lim2 - i2) - dd
                        if v > heuristicFactor * ec && v > best
                            && off1 < i1 && i1 <= lim1 - snakeCount
                            && off2 < i2 && i2 <= lim2 - snakeCount {
                            var k = 0
                            while self.ids1[i1 + k] == self.ids2[i2 + k] {
                                if k == snakeCount - 1 {
                                    best = v
                                    spl.i1 = i1
                                    spl.i2 = i2
                                    break
                                }
                                k += 1
                            }
                        }
                        d -= 2
                    }
                    if best > 0 {
                        spl.minLow = false
                        spl.minHigh = true
                        return spl
                    }
                }

                if ec >= self.maxCost {
                    var fbest = -1, fbest1 = -1
                    d = fmax
                    while d >= fmin {
                        var i1 = min(kvdf[d], lim1)
                        var i2 = i1 - d
                        if lim2 < i2 {
                            i1 = lim2 + d
                            i2 = lim2
                        }
                        if fbest < i1 + i2 {
                            fbest = i1 + i2
                            fbest1 = i1
                        }
                        d -= 2
                    }
                    var bbest = Int.max, bbest1 = Int.max
                    d = bmax
                    while d >= bmin {
                        var i1 = max(off1, kvdb[d])
                        var i2 = i1 - d
                        if i2 < off2 {
                            i1 = off2 + d
                            i2 = off2
                        }
                        if i1 + i2 < bbest {
                            bbest = i1 + i2
                            bbest1 = i1
                        }
                        d -= 2
                    }
                    if (lim1 + lim2) - bbest < fbest - (off1 + off2) {
                        return Split(i1: fbest1, i2: fbest - fbest1, minLow: true, minHigh: false)
                    } else {
                        return Split(i1: bbest1, i2: bbest - bbest1, minLow: false, minHigh: true)
                    }
                }
                ec += 1
            }
        }
    }
}
