import BookModel
import Foundation

/// An mdBook tree as people really write them: `src/SUMMARY.md` with nested lists and a
/// part heading, `book.toml`, `README.md` chapters, spaces and `%20` in paths, root-relative
/// image paths, image-only headings, raw HTML tables, links to folders, a missing file.
enum MdBookTree {
    static let files: [String: Data] = [
        "book.toml": Data(text: """
            [book]
            title = "The mdBook Sample"
            authors = ["Sam Writer"]
            language = "en"

            """),
        "src/SUMMARY.md": Data(text: """
            # Summary

            [Introduction](README.md)

            # User guide

            - [Getting started](guide/getting%20started.md)
              - [Nested page](guide/nested.md)
            - [Reference](reference/README.md)
              - [Images](reference/images.md)
            - [Missing](missing.md)

            ---

            [Appendix](appendix.md)

            """),
        "src/README.md": Data(text: "# Introduction\n\nStart with the [guide](guide/getting%20started.md) or the [reference](reference/).\n"),
        "src/guide/getting started.md": Data(text: """
            # Getting started

            ![Diagram of the flow](/Images/diagram.png)

            Go on to [the nested page](nested.md#details).

            """),
        "src/guide/nested.md": Data(text: """
            # Nested page

            ## Details

            <table>
              <thead><tr><th>Key</th><th>Value</th></tr></thead>
              <tbody><tr><td>a</td><td>1</td></tr></tbody>
            </table>

            Back to the [introduction](../README.md).

            """),
        "src/reference/README.md": Data(text: "# Reference\n\nSee [images](images.md).\n"),
        "src/reference/images.md": Data(text: "# ![Logo](../Images/logo.png)\n\nThe logo again: ![Logo](../Images/logo.png)\n"),
        "src/appendix.md": Data(text: "# Appendix\n\nThe end.\n"),
        "src/Images/diagram.png": SampleImages.png,
        "src/Images/logo.png": SampleImages.png,
    ]

    static func load(into folder: TemporaryFolder) throws -> LoadedBook {
        try folder.write(self.files)
        return try loadBook(at: folder.url)
    }
}
