/// The default stylesheet: readable on a phone and on paper, quiet enough that a book's
/// own CSS (appended after it) can take over.
enum Stylesheet {
    static let book = """
        html { line-height: 1.5; }
        body { margin: 0 auto; padding: 0 1em; font-family: Georgia, "Times New Roman", serif; }
        h1, h2, h3, h4, h5, h6 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.2; page-break-after: avoid; break-after: avoid; }
        h1 { font-size: 1.8em; margin: 1.5em 0 1em; }
        h2 { font-size: 1.4em; margin-top: 1.5em; }
        h3 { font-size: 1.2em; }
        p { margin: 0.6em 0; orphans: 2; widows: 2; }
        img { max-width: 100%; height: auto; }
        figure { margin: 1em 0; }
        blockquote { margin: 1em 0; padding: 0 1em; border-left: 3px solid #ccc; color: #444; }
        [dir="rtl"] blockquote { border-left: none; border-right: 3px solid #ccc; }
        pre { overflow-x: auto; padding: 0.5em; background: #f5f5f5; font-size: 0.85em; white-space: pre-wrap; }
        code { font-family: Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; vertical-align: top; }
        hr { border: none; border-top: 1px solid #bbb; margin: 2em 0; }
        li.task { list-style: none; }
        .missing-image { font-style: italic; color: #555; }
        .footnotes { margin-top: 2em; border-top: 1px solid #bbb; font-size: 0.9em; }
        .footnote-ref { line-height: 0; }
        .part h1 { text-align: center; margin-top: 30%; }
        .cover { text-align: center; }
        .cover img { max-height: 95vh; }
        .colophon { font-size: 0.9em; }
        nav ol { list-style: none; padding-left: 1.2em; }
        nav.page-links { display: flex; justify-content: space-between; gap: 1em; margin: 1em 0; font-family: sans-serif; }
        @media screen { body { max-width: 40em; } }
        @media print {
          section.chapter, section.part { page-break-before: always; break-before: page; }
          nav.page-links { display: none; }
          a { color: inherit; text-decoration: none; }
        }

        """
}
