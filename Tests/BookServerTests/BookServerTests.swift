import Testing

@Suite struct BookServerTestsPlaceholder {}
