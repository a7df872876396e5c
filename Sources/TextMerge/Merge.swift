/// Three-way merge of byte strings with `git merge-file`'s result. Lines are byte strings
/// (never Swift `String` comparison, which folds Unicode-equivalent text), so the output
/// is byte-identical to git's.
public func merge(base: [UInt8], ours: [UInt8], theirs: [UInt8], options: MergeOptions = .init()) throws(MergeError) -> MergeResult {
    for (name, bytes) in [("ours", ours), ("base", base), ("theirs", theirs)] where isBinary(bytes) {
        throw .binary(which: name)
    }
    return MergeResult(engine: MergeEngine(base: base, ours: ours, theirs: theirs, options: options))
}

/// Three-way merge of texts (their UTF-8 bytes); see `merge(base:ours:theirs:options:)`.
public func merge(base: String, ours: String, theirs: String, options: MergeOptions = .init()) throws(MergeError) -> MergeResult {
    try merge(base: Array(base.utf8), ours: Array(ours.utf8), theirs: Array(theirs.utf8), options: options)
}

/// git's test for binary content (buffer_is_binary): a NUL in the first 8,000 bytes.
func isBinary(_ bytes: [UInt8]) -> Bool {
    bytes.prefix(8000).contains(0)
}

/// The diffs of both sides against the base, shared by every style a result is rendered
/// in (each style refines the same eager hunks its own way).
final class MergeEngine: Sendable {
    let base: LineFile
    let ours: LineFile
    let theirs: LineFile
    let oursScript: [Edit]
    let theirsScript: [Edit]
    /// The eager hunks (with those resolved word by word when asked).
    let eager: [MergeHunk]
    /// Texts of hunks resolved word by word (`MergeHunk.Mode.words`).
    let wordTexts: [[UInt8]]
    /// The hunks of the `merge` style (git's zealous-alnum level, or zealous + words).
    let mergeHunks: [MergeHunk]

    init(base: [UInt8], ours: [UInt8], theirs: [UInt8], options: MergeOptions) {
        let (files, classCount) = LineClassifier.classify([base, ours, theirs])
        self.base = files[0]
        self.ours = files[1]
        self.theirs = files[2]
        let algorithm: DiffAlgorithm = options.wordRefinement ? .histogram : options.algorithm
        let scratch = DiffScratch(classCount: Int(classCount))
        self.oursScript = LineDiffer.editScript(self.base.ids[...], self.ours.ids[...], algorithm: algorithm, scratch: scratch)
        self.theirsScript = LineDiffer.editScript(self.base.ids[...], self.theirs.ids[...], algorithm: algorithm, scratch: scratch)
        var eager: [MergeHunk] = []
        if !self.oursScript.isEmpty && !self.theirsScript.isEmpty {
            eager = MergeHunk.eagerHunks(
                ours: self.oursScript, theirs: self.theirsScript,
                oursFile: self.ours, theirsFile: self.theirs, baseCount: self.base.count)
        }
        var wordTexts: [[UInt8]] = []
        if options.wordRefinement {
            let base = self.base, ours = self.ours, theirs = self.theirs
            eager = eager.map { hunk in
                guard hunk.mode == .conflict,
                      let text = WordMerge.resolve(hunk, base: base, ours: ours, theirs: theirs)
                else { return hunk }
                var resolved = hunk
                resolved.mode = .words(wordTexts.count)
                wordTexts.append(text)
                return resolved
            }
        }
        self.eager = eager
        // The merge style narrows the conflicts (zealous) and joins near ones (alnum too,
        // unless with words); word-resolved hunks are not conflicts and stay apart.
        let refined = MergeHunk.refineConflicts(eager, ours: self.ours, theirs: self.theirs, algorithm: algorithm, scratch: scratch)
        let mergeHunks = MergeHunk.joinNearConflicts(refined, ours: self.ours, ifNoAlnum: !options.wordRefinement)
        self.mergeHunks = mergeHunks
        self.wordTexts = wordTexts
    }

    /// The hunks as git merge-file computes them for `style` (diff3 stays eager, zdiff3
    /// trims common ends, merge refines and joins), with word refinement when asked.
    func hunks(for style: MarkerStyle) -> [MergeHunk] {
        switch style {
        case .diff3:
            return self.eager
        case .zdiff3:
            return MergeHunk.trimZealousDiff3(self.eager, ours: self.ours, theirs: self.theirs)
        case .merge:
            return self.mergeHunks
        }
    }

    /// When one side did not change the base, the result is the other side, byte for byte.
    var unchangedSide: LineFile? {
        if self.oursScript.isEmpty { return self.theirs }
        if self.theirsScript.isEmpty { return self.ours }
        return nil
    }

    func render(style: MarkerStyle, ours: String?, base: String?, theirs: String?, markerSize: Int) -> [UInt8] {
        if let side = self.unchangedSide { return side.bytes }
        let renderer = MergeRenderer(
            base: self.base, ours: self.ours, theirs: self.theirs, wordTexts: self.wordTexts,
            style: style, oursLabel: ours, baseLabel: base, theirsLabel: theirs, markerSize: markerSize)
        return renderer.render(self.hunks(for: style))
    }
}
