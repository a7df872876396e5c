import Foundation
import Testing
import TestSupport
@testable import TextMerge

/// Our merge against `git merge-file -p` on thousands of generated cases: the same bytes
/// and the same exit status in every style, with and without labels.
@Suite struct DifferentialTests {
    /// Cases where git itself is wrong and we deliberately differ: none so far.
    static let knownGitBugs: Set<String> = []

    static let variants: [GitOracle.Variant] = [
        .init(name: "merge", arguments: []),
        .init(name: "diff3", arguments: ["--diff3"]),
        .init(name: "zdiff3", arguments: ["--zdiff3"]),
        .init(name: "merge -L", arguments: ["-L", "mine", "-L", "older", "-L", "yours"]),
        .init(name: "diff3 -L", arguments: ["--diff3", "-L", "mine", "-L", "older"]),
        .init(name: "zdiff3 -L", arguments: ["--zdiff3", "-L", "mine"]),
    ]

    @Test(.needs(.git)) func generatedCasesMatchGitMergeFile() throws {
        var generator = CaseGenerator(random: TestSeed.generator(fixed: 20_261_122))
        let cases = (0 ..< 2400).map { generator.next($0) } + (0 ..< 12).map { generator.large($0) }
        // Each case runs in the three styles, even cases without labels and odd ones with,
        // which keeps the number of git processes (the test's real cost) near 7,000.
        let plain = Array(Self.variants.prefix(3)), labelled = Array(Self.variants.suffix(3))
        let evens = try GitOracle.outputs(cases.enumerated().filter { $0.offset % 2 == 0 }.map(\.element), variants: plain)
        let odds = try GitOracle.outputs(cases.enumerated().filter { $0.offset % 2 == 1 }.map(\.element), variants: labelled)
        var failures = 0, conflicted = 0, clean = 0
        for (index, merge) in cases.enumerated() where !Self.knownGitBugs.contains(merge.name) {
            let result = try TextMerge.merge(base: merge.base, ours: merge.ours, theirs: merge.theirs)
            let variants = index % 2 == 0 ? plain : labelled
            let gitOutputs = index % 2 == 0 ? evens[index / 2] : odds[index / 2]
            if gitOutputs[0].status == 0 { clean += 1 } else { conflicted += 1 }
            for (v, variant) in variants.enumerated() {
                let labels = Self.labels(variant)
                let style: MarkerStyle = variant.arguments.contains("--diff3") ? .diff3 : variant.arguments.contains("--zdiff3") ? .zdiff3 : .merge
                let bytes = result.render(style: style, ours: labels[0], base: labels[1], theirs: labels[2])
                let status = Int32(min(result.conflictCount(style: style), 127))
                let expected = gitOutputs[v]
                if bytes != expected.bytes || status != expected.status {
                    failures += 1
                    if failures <= 5 {
                        Issue.record("""
                            \(merge.name) [\(variant.name)] differs from git (status \(status) vs \(expected.status))
                            base: \(String(decoding: merge.base, as: UTF8.self).debugDescription)
                            ours: \(String(decoding: merge.ours, as: UTF8.self).debugDescription)
                            theirs: \(String(decoding: merge.theirs, as: UTF8.self).debugDescription)
                            ours-result: \(String(decoding: bytes, as: UTF8.self).debugDescription)
                            git-result:  \(String(decoding: expected.bytes, as: UTF8.self).debugDescription)
                            """)
                    }
                }
            }
        }
        #expect(failures == 0, "\(failures) outputs differ from git merge-file")
        // The generator must exercise both outcomes, or the comparison proves little.
        #expect(conflicted > cases.count / 5 && clean > cases.count / 5, "\(conflicted) conflicted, \(clean) clean")
    }

    /// git's labels: -L values in order, the file names for the rest.
    static func labels(_ variant: GitOracle.Variant) -> [String] {
        var labels: [String] = []
        var iterator = variant.arguments.makeIterator()
        while let argument = iterator.next() {
            if argument == "-L", let label = iterator.next() { labels.append(label) }
        }
        return labels + ["ours", "base", "theirs"].dropFirst(labels.count)
    }
}
