import BookModel
import Testing

/// Words as a writer counts them (the definition is on `WordCount`).
@Suite struct WordCountTests {
    @Test func wordsAreRunsOfLettersAndDigits() {
        #expect(WordCount.count(plain: "") == 0)
        #expect(WordCount.count(plain: "One two  three\nfour") == 4)
        #expect(WordCount.count(plain: "In 2026, 15 people wrote 200 pages.") == 7)
        #expect(WordCount.count(plain: "Ünïcode naïve café Straße") == 4)
        // A combining accent stays in its word.
        #expect(WordCount.count(plain: "cafe\u{301} ole\u{301}") == 2)
        #expect(WordCount.count(plain: "... -- !!! ?") == 0)
    }

    @Test func apostrophesAndHyphensInsideAWordKeepItWhole() {
        #expect(WordCount.count(plain: "don't it’s well-known e-mail 3-4") == 5)
        #expect(WordCount.count(plain: "word--word 'quoted' dogs' -dash-") == 5)
        #expect(WordCount.count(plain: "rock 'n' roll") == 3)
    }

    @Test func eachCJKCharacterIsAWord() {
        #expect(WordCount.count(plain: "我们一起写书。") == 6)
        #expect(WordCount.count(plain: "ひらがなカタカナ") == 8)
        #expect(WordCount.count(plain: "Booksprint是工具") == 4)
        #expect(WordCount.count(plain: "한국어 단어") == 2)
    }

    @Test func markdownMarkupIsNotCounted() {
        #expect(WordCount.count(markdown: "# A title\n\nSome *emphasis* and **strong** text.\n") == 7)
        #expect(WordCount.count(markdown: "- one\n- two\n\n1. three\n2. four\n\n> five six\n") == 6)
        #expect(WordCount.count(markdown: "A [link text](https://example.com/a-long-path) here.\n") == 4)
        #expect(WordCount.count(markdown: "![alt text of a picture](../images/figure-one.png)\n") == 0)
        #expect(WordCount.count(markdown: "in**cred**ible `code span` ~~gone~~\n") == 4)
        #expect(WordCount.count(markdown: "| a | b |\n|---|---|\n| c d | e |\n") == 5)
        #expect(WordCount.count(markdown: "<div class=\"note\" id=\"x\">\nraw words\n</div>\n") == 2)
        #expect(WordCount.count(markdown: "```swift\nlet x = 1\n```\n") == 3)
        #expect(WordCount.count(markdown: "one\ntwo  \nthree\n***\n") == 3)
    }
}
