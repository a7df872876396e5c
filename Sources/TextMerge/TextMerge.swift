// TextMerge: line diff (git's Myers and histogram) and three-way merge with the output of
// `git merge-file`. Lines are byte strings; each line is hashed once and compared as an
// integer class id from then on.

/// The line diff algorithm: `myers` is git's default (xdiff's, with its heuristics),
/// `histogram` is git's `--histogram`.
public enum DiffAlgorithm: String, Sendable, CaseIterable {
    case myers, histogram
}

/// How a conflict is written: git's `merge` (ours/theirs), `diff3` (with the base) and
/// `zdiff3` (diff3 with the lines both sides agree on moved out of the conflict).
public enum MarkerStyle: String, Sendable, CaseIterable {
    case merge, diff3, zdiff3
}

/// Options of a three-way merge.
public struct MergeOptions: Sendable {
    /// The line diff used against the base (`.myers` by default, git merge-file's default).
    public var algorithm: DiffAlgorithm
    /// Retry each conflicting hunk word by word (`--words`, the server's merge).
    public var wordRefinement: Bool

    public init(algorithm: DiffAlgorithm = .myers, wordRefinement: Bool = false) {
        self.algorithm = algorithm
        self.wordRefinement = wordRefinement
    }
}

/// Why a merge was refused.
public enum MergeError: Error, Sendable, Equatable {
    /// The input named `which` ("base", "ours" or "theirs") has a NUL byte in its first
    /// 8,000 bytes, git's test for binary content.
    case binary(which: String)
}
