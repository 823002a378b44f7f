import Testing
@testable import Notebook

@Suite struct NotebookSmokeTests {
  @Test func moduleLinks() { #expect(Bool(true)) }
}
