import Testing

@testable import Melody

@Suite struct NormalOrderTests {
  @Test func matchesMusic21OnEveryPitchClassSet() {
    let expected = NormalOrderFixture.music21.split(separator: "\n").map(String.init)
    #expect(expected.count == 4095)
    var mismatches: [String] = []
    for mask in 1...4095 where NormalOrder.tokens[mask] != expected[mask - 1] {
      mismatches.append("mask \(mask): \(NormalOrder.tokens[mask]) vs music21 \(expected[mask - 1])")
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  /// Examples from music21's `normalOrder` documentation.
  @Test func documentedExamples() {
    #expect(MelodyCodec.normalOrderToken([60, 63, 67]) == "0.3.7")
    #expect(MelodyCodec.normalOrderToken([62, 66, 69]) == "2.6.9")
    #expect(MelodyCodec.normalOrderToken([70, 74, 77]) == "10.2.5")
    #expect(MelodyCodec.normalOrderToken([44, 45, 50, 55]) == "7.8.9.2")  // G#2 A2 D3 G3
    #expect(MelodyCodec.normalOrderToken([55, 62, 68, 69, 72, 76]) == "7.8.9.0.2.4")
    #expect(MelodyCodec.normalOrderToken([53, 57, 61]) == "1.5.9")  // E#3 A3 C#4
    #expect(MelodyCodec.normalOrderToken([83, 67, 74, 75, 86]) == "11.2.3.7")
  }

  @Test func octavesAndDuplicatesDoNotMatter() {
    #expect(MelodyCodec.normalOrderToken([48, 52, 55, 60, 64]) == "0.4.7")
    #expect(MelodyCodec.normalOrderToken([60, 72]) == "0")
  }
}
