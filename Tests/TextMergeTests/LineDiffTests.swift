import Testing
@testable import TextMerge

/// The line diff behind the server's `GET .../diff`.
@Suite struct LineDiffTests {
    @Test func hunksCarryThreeLinesOfContextAndGitNumbers() {
        let old = (1 ... 10).map { "line \($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        let hunks = lineDiff(from: old, to: new)
        #expect(hunks == [DiffHunk(
            oldStart: 2, oldCount: 7, newStart: 2, newCount: 7,
            lines: [" line 2", " line 3", " line 4", "-line 5", "+line five", " line 6", " line 7", " line 8"])])
    }

    @Test func equalTextsHaveNoHunks() {
        #expect(lineDiff(from: "a\nb\n", to: "a\nb\n").isEmpty)
        #expect(unifiedDiff(from: "a\n", to: "a\n") == "")
    }

    @Test func unifiedDiffMarksAMissingFinalNewline() {
        #expect(unifiedDiff(from: "a\nb\n", to: "a\nb") == "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n")
    }

    @Test func insertionIntoAnEmptyFileStartsAtZero() {
        let hunks = lineDiff(from: "", to: "x\n")
        #expect(hunks.first?.header == "@@ -0,0 +1 @@")
    }

    @Test func slidesAnAmbiguousInsertionLikeGit() {
        // Inserting a repeated line: git reports it as the last copy.
        let hunks = lineDiff(from: "a\nb\n\nc\n", to: "a\nb\n\nb\n\nc\n")
        #expect(hunks.first?.lines == [" a", " b", " ", "+b", "+", " c"])
    }
}
