import BookModel

extension BookExporter {
    /// What the link rule drops from an export, chapter and line, and what the stylesheet
    /// rule drops from the book's CSS: the problems `booksprint check` adds to the folder's
    /// own checks, found by the same code the exports and the preview run.
    public func linkRuleProblems() -> [BookProblem] {
        let plan = self.plan()
        let links = PageLinks.files(plan, extension: "html", imageFolder: "images/")
        var problems = self.bookStylesheet.problems
        for index in plan.pages.indices {
            guard let chapter = plan.chapter(of: index),
                  let text = try? self.manuscript.source.text(ofChapterAt: chapter.path) else { continue }
            var renderer = ChapterRenderer(plan: plan, page: index, links: links, collecting: false)
            _ = renderer.render(text)
            problems += self.inFileLines(renderer.linkRuleProblems, chapter: chapter, text: text)
        }
        return problems
    }
}
