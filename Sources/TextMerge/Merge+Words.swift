/// Word refinement (`--words`): a conflicting hunk is merged again on word and whitespace
/// tokens, and resolved only when that merge is clean, i.e. the two sides' token changes
/// neither overlap, nor touch, nor insert at the same point (identical changes merge, as
/// they do for lines). Never fuzzy: a token change applies only where its context is the
/// base's.
enum WordMerge {
    /// The merged text of a conflicting eager hunk (whose base range is exact), or nil.
    static func resolve(_ hunk: MergeHunk, base: LineFile, ours: LineFile, theirs: LineFile) -> [UInt8]? {
        let baseBytes = Array(base.bytes[base.starts[hunk.i0] ..< base.starts[hunk.i0 + hunk.chg0]])
        let oursBytes = Array(ours.bytes[ours.starts[hunk.i1] ..< ours.starts[hunk.i1 + hunk.chg1]])
        let theirsBytes = Array(theirs.bytes[theirs.starts[hunk.i2] ..< theirs.starts[hunk.i2 + hunk.chg2]])
        return self.merge(base: baseBytes, ours: oursBytes, theirs: theirsBytes)
    }

    /// The token merge of three texts, or nil when the token changes conflict.
    static func merge(base: [UInt8], ours: [UInt8], theirs: [UInt8]) -> [UInt8]? {
        let inputs = [base, ours, theirs]
        let (files, classCount) = LineClassifier.classify(inputs, starts: inputs.map(self.tokenStarts))
        let baseTokens = files[0], oursTokens = files[1], theirsTokens = files[2]
        let scratch = DiffScratch(classCount: Int(classCount))
        let oursScript = LineDiffer.editScript(baseTokens.ids[...], oursTokens.ids[...], algorithm: .histogram, scratch: scratch)
        let theirsScript = LineDiffer.editScript(baseTokens.ids[...], theirsTokens.ids[...], algorithm: .histogram, scratch: scratch)
        if oursScript.isEmpty { return theirs }
        if theirsScript.isEmpty { return ours }
        let hunks = MergeHunk.eagerHunks(
            ours: oursScript, theirs: theirsScript, oursFile: oursTokens, theirsFile: theirsTokens, baseCount: baseTokens.count)
        if hunks.contains(where: { $0.mode == .conflict }) { return nil }
        let renderer = MergeRenderer(
            base: baseTokens, ours: oursTokens, theirs: theirsTokens, wordTexts: [],
            style: .merge, oursLabel: nil, baseLabel: nil, theirsLabel: nil, markerSize: 7)
        return renderer.render(hunks)
    }

    private enum Kind { case word, space, newline, other }

    private static func kind(_ byte: UInt8) -> Kind {
        switch byte {
        case 0x0A: return .newline
        case 0x20, 0x09, 0x0D, 0x0B, 0x0C: return .space
        case 0x30 ... 0x39, 0x41 ... 0x5A, 0x61 ... 0x7A, 0x5F, 0x80...: return .word
        default: return .other
        }
    }

    /// Token boundaries: runs of word bytes (ASCII letters, digits, "_" and every byte of a
    /// multi-byte UTF-8 character), runs of blanks, and each newline or punctuation byte.
    static func tokenStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        var i = 0
        while i < bytes.count {
            let kind = self.kind(bytes[i])
            i += 1
            if kind == .word || kind == .space {
                while i < bytes.count && self.kind(bytes[i]) == kind { i += 1 }
            }
            starts.append(i)
        }
        return starts
    }
}
