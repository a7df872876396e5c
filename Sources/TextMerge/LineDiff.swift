/// One hunk of a unified line diff, numbered as git prints its header: a start is 1-based,
/// except that an empty side gives the line after which the change goes.
public struct DiffHunk: Sendable, Equatable, Codable {
    public var oldStart: Int
    public var oldCount: Int
    public var newStart: Int
    public var newCount: Int
    /// Unified-diff lines without line endings: " ctx", "-old", "+new".
    public var lines: [String]

    public init(oldStart: Int, oldCount: Int, newStart: Int, newCount: Int, lines: [String]) {
        self.oldStart = oldStart
        self.oldCount = oldCount
        self.newStart = newStart
        self.newCount = newCount
        self.lines = lines
    }

    /// The "@@ -a,b +c,d @@" line (a count of 1 is left out, as git and diff do).
    public var header: String {
        func range(_ start: Int, _ count: Int) -> String { count == 1 ? "\(start)" : "\(start),\(count)" }
        return "@@ -\(range(self.oldStart, self.oldCount)) +\(range(self.newStart, self.newCount)) @@"
    }
}

/// Line diff for the server's `GET .../diff?from=N&to=M`, in hunks with `context` lines of
/// context (3, git's default), hunks closer than twice the context joined.
public func lineDiff(from old: String, to new: String, algorithm: DiffAlgorithm = .myers, context: Int = 3) -> [DiffHunk] {
    UnifiedDiff(old: Array(old.utf8), new: Array(new.utf8), algorithm: algorithm, context: context).hunks
}

/// The unified diff text of `old` to `new` (empty when they are equal), as
/// `git diff --no-index --no-indent-heuristic` prints its hunks.
public func unifiedDiff(from old: String, to new: String, oldLabel: String = "a", newLabel: String = "b",
                        algorithm: DiffAlgorithm = .myers, context: Int = 3) -> String {
    let diff = UnifiedDiff(old: Array(old.utf8), new: Array(new.utf8), algorithm: algorithm, context: context)
    let hunks = diff.hunks
    guard !hunks.isEmpty else { return "" }
    var text = "--- \(oldLabel)\n+++ \(newLabel)\n"
    for (hunk, noNewline) in zip(hunks, diff.missingNewlineMarks) {
        text += hunk.header + "\n"
        for (index, line) in hunk.lines.enumerated() {
            text += line + "\n"
            if noNewline.contains(index) { text += "\\ No newline at end of file\n" }
        }
    }
    return text
}

/// Computes the hunks and where "\ No newline at end of file" goes.
struct UnifiedDiff {
    var hunks: [DiffHunk] = []
    /// Per hunk, the indexes of lines that end their file without a newline.
    var missingNewlineMarks: [Set<Int>] = []

    init(old: [UInt8], new: [UInt8], algorithm: DiffAlgorithm, context: Int) {
        let (files, classCount) = LineClassifier.classify([old, new])
        let a = files[0], b = files[1]
        let scratch = DiffScratch(classCount: Int(classCount))
        let edits = LineDiffer.editScript(a.ids[...], b.ids[...], algorithm: algorithm, scratch: scratch)
        var first = 0
        while first < edits.count {
            var last = first
            while last + 1 < edits.count && edits[last + 1].start1 - (edits[last].start1 + edits[last].count1) <= 2 * context {
                last += 1
            }
            self.appendHunk(edits[first ... last], a, b, context)
            first = last + 1
        }
    }

    private mutating func appendHunk(_ edits: ArraySlice<Edit>, _ a: LineFile, _ b: LineFile, _ context: Int) {
        let head = edits.first!, tail = edits.last!
        let s1 = max(head.start1 - context, 0), s2 = max(head.start2 - context, 0)
        let e1 = min(tail.start1 + tail.count1 + context, a.count), e2 = min(tail.start2 + tail.count2 + context, b.count)
        var lines: [String] = []
        var marks = Set<Int>()
        func add(_ prefix: String, _ file: LineFile, _ line: Int) {
            if line == file.count - 1 && !file.endsWithNewline(line) { marks.insert(lines.count) }
            lines.append(prefix + file.texts(line, 1)[0])
        }
        var i1 = s1
        for edit in edits {
            while i1 < edit.start1 {
                add(" ", a, i1)
                i1 += 1
            }
            for line in edit.start1 ..< edit.start1 + edit.count1 { add("-", a, line) }
            for line in edit.start2 ..< edit.start2 + edit.count2 { add("+", b, line) }
            i1 = edit.start1 + edit.count1
        }
        while i1 < e1 {
            add(" ", a, i1)
            i1 += 1
        }
        let count1 = e1 - s1, count2 = e2 - s2
        self.hunks.append(DiffHunk(
            oldStart: count1 > 0 ? s1 + 1 : s1, oldCount: count1,
            newStart: count2 > 0 ? s2 + 1 : s2, newCount: count2, lines: lines))
        self.missingNewlineMarks.append(marks)
    }
}
