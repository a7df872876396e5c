import Testing

@Suite struct booksprintTestsPlaceholder {}
