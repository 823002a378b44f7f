import Testing
@testable import Melody

@Suite struct MelodySmokeTests {
  @Test func moduleLinks() { #expect(Bool(true)) }
}
