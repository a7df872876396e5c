/// The outcome of a three-way merge: the regions in order, the conflicts, and git's
/// marker output in any style.
public struct MergeResult: Sendable {
    let engine: MergeEngine

    init(engine: MergeEngine) { self.engine = engine }

    /// The regions in order (the `merge` style's hunks).
    public var regions: [MergeRegion] { MergeRegion.regions(of: self.engine) }

    /// How many conflicts the `merge` style has (git merge-file's exit status, uncapped).
    public var conflictCount: Int { self.conflictCount(style: .merge) }

    /// How many conflicts `style` writes: diff3 does not refine conflicts, so its count
    /// can differ from the merge style's.
    public func conflictCount(style: MarkerStyle) -> Int {
        if self.engine.unchangedSide != nil { return 0 }
        return self.engine.hunks(for: style).reduce(0) { $0 + ($1.mode == .conflict ? 1 : 0) }
    }

    public var isClean: Bool { self.conflictCount == 0 }

    /// The merged text when clean (nil when there are conflicts).
    public var mergedText: String? {
        guard self.isClean else { return nil }
        return String(decoding: self.render(), as: UTF8.self)
    }

    /// The merged bytes when clean (nil when there are conflicts).
    public var mergedBytes: [UInt8]? {
        guard self.isClean else { return nil }
        return self.render()
    }

    /// git's exact marker output; labels default to nil (no label after the markers).
    public func render(style: MarkerStyle = .merge, ours: String? = nil, base: String? = nil,
                       theirs: String? = nil, markerSize: Int = 7) -> [UInt8] {
        self.engine.render(style: style, ours: ours, base: base, theirs: theirs, markerSize: markerSize)
    }

    /// The conflicting hunks, in order (what `regions` lists as conflicts, without turning
    /// every other line into text on the way).
    public var conflicts: [MergeConflict] {
        if self.engine.unchangedSide != nil { return [] }
        return self.engine.mergeHunks.filter { $0.mode == .conflict }.map(self.engine.conflict(of:))
    }
}

/// One region of a merge result, in order. Lines are given without their line ending
/// ("\n" or "\r\n").
public enum MergeRegion: Sendable, Equatable {
    /// Lines neither side changed.
    case unchanged(lines: [String])
    /// Lines only ours changed, as ours has them.
    case ours(lines: [String])
    /// Lines only theirs changed, as theirs has them.
    case theirs(lines: [String])
    /// Lines both sides changed the same way.
    case both(lines: [String])
    /// Lines both sides changed differently, combined word by word (`--words` only).
    case words(lines: [String])
    /// Lines both sides changed differently.
    case conflict(MergeConflict)
}

/// One conflicting hunk, with 1-based line ranges into each input (what the server's 409
/// reports). For an empty side, its start is the line before which the text would go.
public struct MergeConflict: Sendable, Equatable, Codable {
    public var baseLines: [String]
    public var oursLines: [String]
    public var theirsLines: [String]
    public var baseStart: Int
    public var oursStart: Int
    public var theirsStart: Int

    public init(baseLines: [String], oursLines: [String], theirsLines: [String], baseStart: Int, oursStart: Int, theirsStart: Int) {
        self.baseLines = baseLines
        self.oursLines = oursLines
        self.theirsLines = theirsLines
        self.baseStart = baseStart
        self.oursStart = oursStart
        self.theirsStart = theirsStart
    }
}

extension LineFile {
    /// Lines `[start, start + count)` as text without their line endings.
    func texts(_ start: Int, _ count: Int) -> [String] {
        (start ..< start + count).map { line in
            var range = self.range(line)
            if range.count > 0 && self.bytes[range.upperBound - 1] == 0x0A {
                range = range.lowerBound ..< range.upperBound - 1
                if range.count > 0 && self.bytes[range.upperBound - 1] == 0x0D { range = range.lowerBound ..< range.upperBound - 1 }
            }
            return String(decoding: self.bytes[range], as: UTF8.self)
        }
    }

    /// Splits text (of word-merged lines) into lines without endings.
    static func texts(of bytes: [UInt8]) -> [String] {
        let file = LineClassifier.classify([bytes]).files[0]
        return file.texts(0, file.count)
    }
}

extension MergeRegion {
    static func regions(of engine: MergeEngine) -> [MergeRegion] {
        let ours = engine.ours
        if let side = engine.unchangedSide {
            // One side kept the base: the result is the other side, edit by edit.
            let oursChanged = engine.theirsScript.isEmpty
            var regions: [MergeRegion] = []
            var j = 0
            for edit in oursChanged ? engine.oursScript : engine.theirsScript {
                if edit.start2 > j { regions.append(.unchanged(lines: side.texts(j, edit.start2 - j))) }
                if edit.count2 > 0 {
                    let lines = side.texts(edit.start2, edit.count2)
                    regions.append(oursChanged ? .ours(lines: lines) : .theirs(lines: lines))
                }
                j = edit.start2 + edit.count2
            }
            if side.count > j { regions.append(.unchanged(lines: side.texts(j, side.count - j))) }
            return regions
        }
        var regions: [MergeRegion] = []
        var i = 0
        var nextEdit = 0
        // Lines of ours between hunks: unchanged, except where ours made a change that
        // theirs made too (git writes identical changes as plain text; we name them).
        func unchanged(upTo end: Int) {
            var line = i
            while line < end {
                while nextEdit < engine.oursScript.count
                    && engine.oursScript[nextEdit].start2 + engine.oursScript[nextEdit].count2 <= line { nextEdit += 1 }
                let edit = nextEdit < engine.oursScript.count ? engine.oursScript[nextEdit] : nil
                if let edit, edit.start2 <= line {
                    let stop = min(end, edit.start2 + edit.count2)
                    regions.append(.both(lines: ours.texts(line, stop - line)))
                    line = stop
                } else {
                    let stop = min(end, edit?.start2 ?? end)
                    regions.append(.unchanged(lines: ours.texts(line, stop - line)))
                    line = stop
                }
            }
        }
        for hunk in engine.mergeHunks {
            switch hunk.mode {
            case .identical:
                continue
            case .ours:
                unchanged(upTo: hunk.i1)
                if hunk.chg1 > 0 { regions.append(.ours(lines: ours.texts(hunk.i1, hunk.chg1))) }
            case .theirs:
                unchanged(upTo: hunk.i1)
                if hunk.chg2 > 0 { regions.append(.theirs(lines: engine.theirs.texts(hunk.i2, hunk.chg2))) }
            case .words(let index):
                unchanged(upTo: hunk.i1)
                regions.append(.words(lines: LineFile.texts(of: engine.wordTexts[index])))
            case .conflict:
                unchanged(upTo: hunk.i1)
                regions.append(.conflict(engine.conflict(of: hunk)))
            }
            i = hunk.i1 + hunk.chg1
        }
        unchanged(upTo: ours.count)
        return regions
    }
}

extension MergeEngine {
    /// The conflict's data; its base range is the part of its hunk's base that the two
    /// sides' conflicting lines replace (mapped through each side's edit script).
    func conflict(of hunk: MergeHunk) -> MergeConflict {
        let low = max(hunk.parent0, min(Self.basePosition(of: hunk.i1, in: self.oursScript, end: false),
                                         Self.basePosition(of: hunk.i2, in: self.theirsScript, end: false)))
        let high = min(hunk.parent0 + hunk.parentChg0,
                       max(Self.basePosition(of: hunk.i1 + hunk.chg1, in: self.oursScript, end: true),
                           Self.basePosition(of: hunk.i2 + hunk.chg2, in: self.theirsScript, end: true)))
        let baseStart = min(low, high), baseCount = max(0, high - low)
        return MergeConflict(
            baseLines: self.base.texts(baseStart, baseCount),
            oursLines: self.ours.texts(hunk.i1, hunk.chg1),
            theirsLines: self.theirs.texts(hunk.i2, hunk.chg2),
            baseStart: baseStart + 1, oursStart: hunk.i1 + 1, theirsStart: hunk.i2 + 1)
    }

    /// Maps a line boundary of a side to the base: boundaries inside a change snap to the
    /// start (or, for an end, the end) of the change's base range.
    static func basePosition(of position: Int, in script: [Edit], end: Bool) -> Int {
        var delta = 0
        for edit in script {
            if edit.start2 + edit.count2 <= position && !(edit.count2 == 0 && edit.start2 == position && !end) {
                delta = edit.start1 + edit.count1 - (edit.start2 + edit.count2)
                continue
            }
            if edit.start2 < position { return end ? edit.start1 + edit.count1 : edit.start1 }
            break
        }
        return position + delta
    }
}
