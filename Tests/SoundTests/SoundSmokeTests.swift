import Testing
@testable import Sound

@Suite struct SoundSmokeTests {
  @Test func moduleLinks() { #expect(Bool(true)) }
}
