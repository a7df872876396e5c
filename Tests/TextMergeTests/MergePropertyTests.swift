import PropertyBased
import Testing
@testable import TextMerge

/// The algebra of a three-way merge, on generated texts.
@Suite struct MergePropertyTests {
    static let vocabulary = ["alpha", "beta", "gamma", "", "- item", "---", "The end.", "alpha", "}"]

    /// Texts of 0 to 12 lines from a small vocabulary (so lines repeat), LF or no final newline.
    static let texts = zip(
        Gen<String?>.element(of: vocabulary).map { $0! }.array(of: 0 ... 12),
        Gen.bool()
    ).map { lines, finalNewline in
        lines.joined(separator: "\n") + (finalNewline && !lines.isEmpty ? "\n" : "")
    }

    @Test func mergingIntoAnUnchangedOursGivesTheirs() async {
        await propertyCheck(input: Self.texts, Self.texts) { base, theirs in
            let result = try merge(base: base, ours: base, theirs: theirs)
            #expect(result.render() == Array(theirs.utf8))
            #expect(result.isClean)
        }
    }

    @Test func anUnchangedTheirsGivesOurs() async {
        await propertyCheck(input: Self.texts, Self.texts) { base, ours in
            let result = try merge(base: base, ours: ours, theirs: base)
            #expect(result.render() == Array(ours.utf8))
            #expect(result.isClean)
        }
    }

    @Test func theSameChangeOnBothSidesMergesToIt() async {
        await propertyCheck(input: Self.texts, Self.texts) { base, changed in
            for options in [MergeOptions(), MergeOptions(algorithm: .histogram), MergeOptions(wordRefinement: true)] {
                let result = try merge(base: base, ours: changed, theirs: changed, options: options)
                #expect(result.mergedText == changed)
            }
        }
    }

    /// Each base line belongs to nobody, ours or theirs; lines owned by different sides are
    /// never adjacent (touching edits conflict by design).
    static let owners = Gen.int(in: 0 ... 2).array(of: 1 ... 16).map { raw in
        var owners = raw
        for i in owners.indices.dropFirst() where owners[i] != 0 && owners[i - 1] != 0 && owners[i] != owners[i - 1] {
            owners[i] = 0
        }
        return owners
    }

    @Test func editsApartFromEachOtherBothSurvive() async {
        await propertyCheck(input: Self.owners, Gen.bool()) { owners, deleteSome in
            let base = owners.indices.map { "base line \($0)\n" }
            func side(_ owner: Int, _ name: String) -> [String] {
                owners.indices.flatMap { i -> [String] in
                    guard owners[i] == owner else { return [base[i]] }
                    return deleteSome && i % 3 == 0 ? [] : ["\(name) line \(i)\n"]
                }
            }
            let ours = side(1, "ours"), theirs = side(2, "theirs")
            let expected = owners.indices.flatMap { i -> [String] in
                guard owners[i] != 0 else { return [base[i]] }
                return deleteSome && i % 3 == 0 ? [] : ["\(owners[i] == 1 ? "ours" : "theirs") line \(i)\n"]
            }
            for algorithm in DiffAlgorithm.allCases {
                let result = try merge(base: base.joined(), ours: ours.joined(), theirs: theirs.joined(), options: MergeOptions(algorithm: algorithm))
                #expect(result.mergedText == expected.joined(), "\(algorithm)")
            }
        }
    }

    static let sentence = Gen<String?>.element(of: ["book", "sprint", "chapter", "writes", "team", "fast", "the", "a"])
        .map { $0! }.array(of: 3 ... 10)

    @Test func wordsNeverResolveTheSameWordChangedTwoWays() async {
        await propertyCheck(input: Self.sentence, Gen.int(in: 0 ... 100), Gen.bool()) { words, pick, editElsewhere in
            let index = pick % words.count
            var ours = words, theirs = words
            ours[index] = "OURS"
            theirs[index] = "THEIRS"
            if editElsewhere && words.count > 4 {
                // A separate, compatible edit does not make the contested word mergeable.
                let other = (index + 3) % words.count
                theirs[other] = "extra"
            }
            let result = try merge(
                base: words.joined(separator: " ") + "\n", ours: ours.joined(separator: " ") + "\n",
                theirs: theirs.joined(separator: " ") + "\n", options: MergeOptions(wordRefinement: true))
            #expect(!result.isClean)
            #expect(result.conflictCount >= 1)
        }
    }
}
