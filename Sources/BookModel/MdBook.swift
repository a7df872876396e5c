import Foundation

/// Readers for other people's layouts (mdBook/GitBook SUMMARY.md trees).
public enum MdBook {
    public static func load(from folder: URL) throws -> LoadedBook {
        throw BookLoadError(BookProblem(.error, file: "SUMMARY.md", "not yet"))
    }

    static func summaryFolder(in folder: URL) -> String? {
        nil
    }
}
