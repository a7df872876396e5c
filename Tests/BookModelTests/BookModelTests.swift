import Testing

@Suite struct BookModelTestsPlaceholder {}
