import Testing
@testable import MIDI

@Suite struct MIDISmokeTests {
  @Test func moduleLinks() { #expect(Bool(true)) }
}
