import Testing

@Suite struct BookStoreTestsPlaceholder {}
