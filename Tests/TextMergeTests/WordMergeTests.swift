import Testing
@testable import TextMerge

/// `--words`: a conflicting hunk is resolved only when the two sides' word changes are
/// apart; everything else stays a conflict.
@Suite struct WordMergeTests {
    let words = MergeOptions(wordRefinement: true)

    @Test func differentWordsOfOneLineMerge() throws {
        let result = try merge(
            base: "The quick brown fox jumps.\n",
            ours: "The slow brown fox jumps.\n",
            theirs: "The quick brown fox leaps.\n", options: self.words)
        #expect(result.mergedText == "The slow brown fox leaps.\n")
        #expect(result.regions == [.words(lines: ["The slow brown fox leaps."])])
    }

    @Test func editsOfAdjacentLinesMergeWordByWord() throws {
        // Touching line changes conflict for git; their words are apart, so --words merges.
        let result = try merge(
            base: "First line here.\nSecond line here.\n",
            ours: "First line there.\nSecond line here.\n",
            theirs: "First line here.\nSecond row here.\n", options: self.words)
        #expect(result.mergedText == "First line there.\nSecond row here.\n")
    }

    @Test func theSameWordChangedDifferentlyStaysAConflict() throws {
        let result = try merge(
            base: "The quick brown fox.\n", ours: "The slow brown fox.\n", theirs: "The fast brown fox.\n", options: self.words)
        #expect(result.conflictCount == 1)
        #expect(result.conflicts.first?.oursLines == ["The slow brown fox."])
    }

    @Test func touchingWordChangesStayAConflict() throws {
        // "quick" and the blank after it are adjacent tokens: touching edits conflict.
        let result = try merge(
            base: "The quick brown fox.\n", ours: "The slow brown fox.\n", theirs: "The quick  brown fox.\n", options: self.words)
        #expect(result.conflictCount == 1)
    }

    @Test func insertionsAtTheSamePointStayAConflict() throws {
        let result = try merge(
            base: "one two\n", ours: "one big two\n", theirs: "one small two\n", options: self.words)
        #expect(result.conflictCount == 1)
    }

    @Test func wordsNeverFuzzyPatchAMovedSentence() throws {
        // Theirs deleted the sentence ours edited: that is a conflict, not a guess.
        let result = try merge(
            base: "Keep this.\nEdit me please.\n", ours: "Keep this.\nEdit me now please.\n", theirs: "Keep this.\n", options: self.words)
        #expect(result.conflictCount == 1)
    }

    @Test func withoutWordsTheSameCaseConflicts() throws {
        let result = try merge(
            base: "The quick brown fox jumps.\n", ours: "The slow brown fox jumps.\n", theirs: "The quick brown fox leaps.\n")
        #expect(result.conflictCount == 1)
    }

    @Test func tokensKeepMultiByteCharactersWhole() {
        let text = Array("naïve café, ok".utf8)
        let starts = WordMerge.tokenStarts(text)
        let tokens = zip(starts, starts.dropFirst()).map { String(decoding: text[$0 ..< $1], as: UTF8.self) }
        #expect(tokens == ["naïve", " ", "café", ",", " ", "ok"])
    }
}
