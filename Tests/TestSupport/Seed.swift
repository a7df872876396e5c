import Foundation
import Testing

/// A small deterministic generator (SplitMix64): the same seed gives the same cases.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The seed of a random test, printed so that any run can be replayed:
/// `BOOKSPRINT_SEED=<n> swift test --filter <test>` makes every random test use `n`.
/// Without it a test uses its `fixed` seed when it has one (a reviewed corpus, such as the
/// git differential cases), else a new seed each run.
public enum TestSeed {
    public static func generator(fixed: UInt64? = nil) -> SeededGenerator {
        SeededGenerator(seed: self.take(fixed: fixed))
    }

    public static func take(fixed: UInt64? = nil) -> UInt64 {
        let given = ProcessInfo.processInfo.environment["BOOKSPRINT_SEED"]
        let replayed = given.flatMap { UInt64($0) }
        if let given, replayed == nil { Issue.record("BOOKSPRINT_SEED=\(given) is not a seed (a decimal UInt64)") }
        let seed = replayed ?? fixed ?? UInt64.random(in: 0 ... UInt64.max)
        let name = Test.current?.name ?? "?"
        print("seed \(seed) for \(name): replay with BOOKSPRINT_SEED=\(seed) swift test --filter \(name)")
        return seed
    }
}
