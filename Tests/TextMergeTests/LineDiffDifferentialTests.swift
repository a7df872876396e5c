import Foundation
import Testing
import TestSupport
@testable import TextMerge

/// Our line diffs (Myers and histogram) against `git diff --no-index`: the same hunks.
@Suite struct LineDiffDifferentialTests {
    @Test(.needs(.git)) func generatedDiffsMatchGitDiff() throws {
        var generator = CaseGenerator(random: TestSeed.generator(fixed: 7))
        var pairs: [(old: [UInt8], new: [UInt8])] = []
        while pairs.count < 600 {
            let merge = generator.next(pairs.count)
            // Line endings are not part of DiffHunk.lines, so compare LF files only.
            guard !merge.base.contains(0x0D), !merge.theirs.contains(0x0D), merge.base != merge.theirs else { continue }
            pairs.append((merge.base, merge.theirs))
        }
        // Large, heavily edited pairs: Myers' cost limits, histogram's fallback to Myers
        // where only very frequent (blank) lines are common.
        for index in 0 ..< 6 {
            let large = generator.large(index)
            pairs.append((large.base, large.ours))
        }
        let algorithms: [DiffAlgorithm] = [.myers, .histogram]
        let expected = try GitOracle.diffs(pairs, algorithms: algorithms)
        var failures = 0
        for (index, pair) in pairs.enumerated() {
            for (a, algorithm) in algorithms.enumerated() {
                let ours = unifiedDiff(from: String(decoding: pair.old, as: UTF8.self), to: String(decoding: pair.new, as: UTF8.self), algorithm: algorithm)
                let hunks: String = ours.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).map(String.init).joined(separator: "\n")
                if hunks != expected[index][a] {
                    failures += 1
                    if failures <= 3 {
                        Issue.record("""
                            pair \(index) [\(algorithm)] differs from git diff
                            old: \(String(decoding: pair.old, as: UTF8.self).debugDescription)
                            new: \(String(decoding: pair.new, as: UTF8.self).debugDescription)
                            ours:
                            \(hunks)
                            git:
                            \(expected[index][a])
                            """)
                    }
                }
            }
        }
        #expect(failures == 0)
    }
}
