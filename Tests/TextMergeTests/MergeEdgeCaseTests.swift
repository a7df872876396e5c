import Testing
@testable import TextMerge

/// The edges of git merge-file's behaviour, each written from what git 2.39 prints.
@Suite struct MergeEdgeCaseTests {
    func merged(_ base: String, _ ours: String, _ theirs: String, style: MarkerStyle = .merge, markerSize: Int = 7) throws -> (String, Int) {
        let result = try merge(base: base, ours: ours, theirs: theirs)
        let text = String(decoding: result.render(style: style, ours: "o", base: "b", theirs: "t", markerSize: markerSize), as: UTF8.self)
        return (text, result.conflictCount(style: style))
    }

    @Test func touchingChangesConflict() throws {
        let (text, count) = try merged("a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nC\nd\n")
        #expect(text == "a\n<<<<<<< o\nB\nc\n=======\nb\nC\n>>>>>>> t\nd\n")
        #expect(count == 1)
    }

    @Test func changesSeparatedByOneLineMergeCleanly() throws {
        let result = try merge(base: "a\nb\nc\nd\n", ours: "A\nb\nc\nd\n", theirs: "a\nb\nC\nd\n")
        #expect(result.mergedText == "A\nb\nC\nd\n")
        #expect(result.isClean)
    }

    @Test func identicalChangesMergeCleanly() throws {
        let result = try merge(base: "a\nb\nc\n", ours: "a\nX\nc\n", theirs: "a\nX\nc\n")
        #expect(result.mergedText == "a\nX\nc\n")
    }

    @Test func zealousRefinementKeepsOnlyTheDifferingLines() throws {
        let (text, count) = try merged(
            "h\n1\n2\n3\n4\n5\n6\nt\n",
            "h\nA\nsame one\nsame two\nsame three\nsame four\nB\nt\n",
            "h\nC\nsame one\nsame two\nsame three\nsame four\nD\nt\n")
        #expect(text == "h\n<<<<<<< o\nA\n=======\nC\n>>>>>>> t\nsame one\nsame two\nsame three\nsame four\n<<<<<<< o\nB\n=======\nD\n>>>>>>> t\nt\n")
        #expect(count == 2)
    }

    @Test func conflictsSeparatedByLinesWithoutLettersAreJoined() throws {
        let (text, count) = try merged(
            "h\n1\n2\n3\n4\n5\n6\nt\n", "h\nA\n---\n\n}\n***\nB\nt\n", "h\nC\n---\n\n}\n***\nD\nt\n")
        #expect(text == "h\n<<<<<<< o\nA\n---\n\n}\n***\nB\n=======\nC\n---\n\n}\n***\nD\n>>>>>>> t\nt\n")
        #expect(count == 1)
    }

    @Test func diff3ShowsTheBaseAndDoesNotRefine() throws {
        let (text, _) = try merged("h\n1\n2\nt\n", "h\nA\nsame\nt\n", "h\nC\nsame\nt\n", style: .diff3)
        #expect(text == "h\n<<<<<<< o\nA\nsame\n||||||| b\n1\n2\n=======\nC\nsame\n>>>>>>> t\nt\n")
    }

    @Test func zdiff3MovesSharedLinesOutOfTheConflict() throws {
        let (text, _) = try merged("h\n1\n2\nt\n", "h\nA\nsame\nt\n", "h\nC\nsame\nt\n", style: .zdiff3)
        #expect(text == "h\n<<<<<<< o\nA\n||||||| b\n1\n2\n=======\nC\n>>>>>>> t\nsame\nt\n")
    }

    @Test func markersStartTheirOwnLineAfterAMissingFinalNewline() throws {
        let (text, _) = try merged("a\nb", "a\nB", "a\nC", markerSize: 4)
        #expect(text == "a\n<<<< o\nB\n====\nC\n>>>> t\n")
    }

    @Test func markersUseCRLFWhenTheSurroundingLinesDo() throws {
        let (text, _) = try merged("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n", "a\r\nC\r\nc\r\n")
        #expect(text == "a\r\n<<<<<<< o\r\nB\r\n=======\r\nC\r\n>>>>>>> t\r\nc\r\n")
    }

    @Test func markersUseLFWhenOneSideUsesLF() throws {
        let (text, _) = try merged("a\r\nb\nc\r\n", "a\r\nB\nc\r\n", "a\nC\nc\r\n")
        #expect(text == "<<<<<<< o\na\r\nB\n=======\na\nC\n>>>>>>> t\nc\r\n")
    }

    @Test func noLabelsMeansBareMarkers() throws {
        let result = try merge(base: "a\n", ours: "b\n", theirs: "c\n")
        #expect(String(decoding: result.render(), as: UTF8.self) == "<<<<<<<\nb\n=======\nc\n>>>>>>>\n")
    }

    @Test func aNulByteInTheFirst8000BytesIsBinary() {
        #expect(throws: MergeError.binary(which: "theirs")) {
            try merge(base: [0x61], ours: [0x61], theirs: [0x61, 0x00])
        }
        let late = [UInt8](repeating: 0x61, count: 8000) + [0x00]
        #expect(throws: Never.self) { try merge(base: late, ours: late, theirs: late) }
    }

    @Test func anUnchangedSideGivesTheOtherSideByteForByte() throws {
        let result = try merge(base: "a\nb\n", ours: "a\nb\n", theirs: "a\nb")
        #expect(result.render() == Array("a\nb".utf8))
        #expect(result.regions == [.unchanged(lines: ["a"]), .theirs(lines: ["b"])])
    }

    @Test func unicodeEquivalentLinesAreDifferentBytes() throws {
        // "é" precomposed and decomposed compare equal as Swift Strings, but git sees two lines.
        let result = try merge(base: "caf\u{E9}\n", ours: "cafe\u{301}\n", theirs: "caf\u{E9}\n")
        #expect(result.render() == Array("cafe\u{301}\n".utf8))
        let conflict = try merge(base: "x\n", ours: "caf\u{E9}\n", theirs: "cafe\u{301}\n")
        #expect(conflict.conflictCount == 1)
    }

    @Test func conflictsReportOneBasedRangesOfEachInput() throws {
        let result = try merge(base: "a\nb\nc\nd\n", ours: "a\nb\nX\nd\n", theirs: "a\nb\nY\nY2\nd\n")
        #expect(result.conflicts == [MergeConflict(
            baseLines: ["c"], oursLines: ["X"], theirsLines: ["Y", "Y2"], baseStart: 3, oursStart: 3, theirsStart: 3)])
        #expect(result.regions == [
            .unchanged(lines: ["a", "b"]),
            .conflict(result.conflicts[0]),
            .unchanged(lines: ["d"]),
        ])
        #expect(result.mergedText == nil)
    }

    @Test func regionsTellWhichSideEachChangeCameFrom() throws {
        let result = try merge(base: "a\nb\nc\nd\ne\n", ours: "A\nb\nc\nd\ne\n", theirs: "a\nb\nc\nd\nE\n")
        #expect(result.regions == [
            .ours(lines: ["A"]), .unchanged(lines: ["b", "c", "d"]), .theirs(lines: ["E"]),
        ])
    }

    @Test func histogramMergesLikeMyersOnSimpleEdits() throws {
        let options = MergeOptions(algorithm: .histogram)
        let result = try merge(base: "a\nb\nc\nd\n", ours: "A\nb\nc\nd\n", theirs: "a\nb\nc\nD\n", options: options)
        #expect(result.mergedText == "A\nb\nc\nD\n")
    }
}
