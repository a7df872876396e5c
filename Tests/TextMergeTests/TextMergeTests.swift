import Testing

@Suite struct TextMergeTestsPlaceholder {}
