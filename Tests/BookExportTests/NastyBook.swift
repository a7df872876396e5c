import BookModel
import Foundation

/// A book folder with every case that breaks naive exporters: raw HTML good and broken,
/// image-only headings, non-ASCII and spaced file names, a right-to-left language, parts
/// nested three deep, a chapter with no text, links between chapters, images in subfolders
/// (with lying extensions), remote and missing images, footnotes and tables.
enum NastyBook {
    static let files: [String: Data] = [
        "book.yaml": Data(text: """
            title: "ספר בדיקה: Nasty & <Odd> Book"
            subtitle: Everything that goes wrong in a sprint
            language: he
            authors: [Ada Example, "Grace O'Example"]
            license: CC BY-SA 4.0
            identifier: urn:uuid:6f1c9d3e-2b7a-4c1e-9a55-0d2f6e8b7c41
            description: A test book.
            cover: images/cover.png
            toc:
              - chapter: chapters/intro.md
              - part: Part One & More
                children:
                  - chapter: chapters/Über uns.md
                  - part: Deeper
                    children:
                      - part: Deepest
                        children:
                          - chapter: chapters/sub dir/deep chapter.md
              - chapter: chapters/empty.md
                title: Empty chapter
              - part: חלק שני
                children:
                  - chapter: chapters/raw.md
                  - chapter: chapters/links.md

            """),
        "chapters/intro.md": Data(text: """
            # Introduction

            Welcome to *the* **book**[^note]. It has ~~mistakes~~ and www.example.com autolinks.

            ## ![Logo](../images/logo.png)

            | Left | Centre | Right |
            |:-----|:------:|------:|
            | a    | b      | c     |

            - [x] done
            - [ ] not yet

            ```swift
            let x = 1 < 2 && true
            ```

            A figure in a subfolder: ![A diagram](../images/figures/diagram%20one.svg)

            A JPEG named .png: ![Photo](../images/photo.png) and a GIF: ![Dot](../images/dot.gif)
            and WebP: ![Tiny](<../images/tiny pic.webp>).

            No alt text: ![](../images/logo.png). Remote: ![Remote](https://example.com/x.png).
            Missing: ![Gone](../images/gone.png). Text file: ![Fake](../images/fake.png).

            See [the target](links.md#target-section), [about us](Über%20uns.md),
            [raw](../chapters/raw.md), [the anchor](raw.md#anchor1), [deep](sub%20dir/deep%20chapter.md#deep-heading),
            [here](#introduction-again), [missing chapter](nope.md) and [missing anchor](links.md#nope).

            ## Introduction again

            Some text.

            [^note]: A footnote with a [link](links.md).

            """),
        "chapters/Über uns.md": Data(text: """
            # Über uns

            שלום עולם. This chapter's file name has a space and an umlaut.

            ## Same

            ## Same

            Back to the [introduction](intro.md).

            """),
        "chapters/sub dir/deep chapter.md": Data(text: """
            # Deep chapter

            ### Deep heading

            ![Logo again](../../images/logo.png) and [up](../intro.md#introduction-again).

            """),
        "chapters/empty.md": Data(),
        "chapters/raw.md": Data(text: """
            # Raw HTML

            <div class="note">

            **Bold** inside a div.

            </div>

            Inline <span class="x" onclick="evil()">span</span>, <kbd>Ctrl</kbd>, a break<br>here,
            entities&nbsp;&copy;&#169;&#x263A; and &bogus; and a <a name="anchor1"></a>named anchor.

            <table><tr><td>cell</td><td align="right">right</td></tr></table>

            <img src="../images/logo.png" alt="Logo" width="50" height="50%">

            <table><tr><th scope="sideways" colspan="0">h</th><td rowspan="2" lang="not a tag">x</td></tr></table>

            <blockquote cite="http://example.com/a b"><p lang="en-GB">Quoted</p></blockquote> <time datetime="soon">soon</time>

            <p>para <div>inner div</div> end</p>

            <div><p>unclosed paragraph in an unclosed div

            Text with a stray </span> close tag.

            <script>alert("x")</script>

            <font color="red">old font</font> and <center>centred</center>

            <b><i>overlap</b></i>

            <ul><p>bad child</p><li>good item</li></ul>

            <iframe src="https://example.com"></iframe>

            <a href="links.md#target-section">a raw link</a> and <a href="nowhere.md">a dead one</a>.

            <img src="gone.png">

            <!-- a comment -->

            <section id="dup"><h2 id="dup">Duplicate ids</h2></section>

            """),
        "chapters/links.md": Data(text: """
            # Links

            ## Target Section

            Back to [the start](intro.md) or [raw](raw.md#dup).

            """),
        "images/cover.png": SampleImages.png,
        "images/logo.png": SampleImages.png,
        "images/figures/diagram one.svg": SampleImages.svg,
        "images/photo.png": SampleImages.jpeg,
        "images/dot.gif": SampleImages.gif,
        "images/tiny pic.webp": SampleImages.webp,
        "images/fake.png": Data(text: "not an image"),
    ]

    /// Writes the book into `folder` and reads it with the book folder reader.
    static func load(into folder: TemporaryFolder) throws -> LoadedBook {
        try folder.write(self.files)
        return try loadBook(at: folder.url)
    }
}
