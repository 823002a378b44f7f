import Testing
@testable import Melody

@Suite struct MusicStatsTests {
  func piece(_ tokens: [String], step: Double = 0.5) -> MusicStats.Piece {
    MusicStats.Piece(tokens: tokens, offsets: tokens.indices.map { $0 == 0 ? 0 : step })
  }

  @Test func totalVariationDistance() {
    #expect(MusicStats.distance([1, 1], [2, 2]) == 0)
    #expect(MusicStats.distance([1, 0], [0, 5]) == 1)
    #expect(abs(MusicStats.distance([3, 1], [1, 1]) - 0.25) < 1e-12)
    #expect(MusicStats.distance([0, 0], [0, 0]) == 0)
    #expect(MusicStats.distance([0, 0], [1, 0]) == 1)
  }

  @Test func copyAndRepeatRates() {
    let training = [piece(["C4", "D4", "E4", "F4", "G4"])]
    let ref = MusicStats.Reference(training: training, n: 3)
    // n-grams of the sample: C D E (copied), D E E (not), E E G (not): 1/3. Repeats: E E, 1 of 4 pairs.
    let s = MusicStats.measure([piece(["C4", "D4", "E4", "E4", "G4"])], against: ref)
    #expect(abs(s.copyRate - 1.0 / 3) < 1e-12)
    #expect(abs(s.repeatRate - 0.25) < 1e-12)
    #expect(s.events == 5 && s.melodies == 1 && s.n == 3)
    // A training song against itself: everything copied, same histograms.
    let same = MusicStats.measure(training, against: ref)
    #expect(same.copyRate == 1 && same.pitchClassDistance == 0 && same.intervalDistance == 0)
    #expect(same.offsetDistance == 0)
    // Shorter than n: no n-grams, rate 0; unknown tokens never match.
    #expect(MusicStats.measure([piece(["C4", "D4"])], against: ref).copyRate == 0)
    #expect(MusicStats.measure([piece(["X", "Y", "Z"])], against: ref).copyRate == 0)
  }

  @Test func histogramsSeePitchClassesIntervalsAndOffsets() {
    let ref = MusicStats.Reference(training: [piece(["C4", "D4", "C4", "D4"])], n: 2)
    // Transposed by an octave: same pitch classes and intervals, different tokens.
    let octave = MusicStats.measure([piece(["C5", "D5", "C5", "D5"])], against: ref)
    #expect(octave.pitchClassDistance == 0 && octave.intervalDistance == 0 && octave.copyRate == 0)
    // Other pitch classes (F#, G#): disjoint; same whole-tone steps: same intervals.
    let far = MusicStats.measure([piece(["F#4", "G#4", "F#4", "G#4"])], against: ref)
    #expect(far.pitchClassDistance == 1 && far.intervalDistance == 0)
    // Other offsets: disjoint offset histograms. Chords count each pitch; <PAD> adds none.
    let slow = MusicStats.measure([piece(["C4", "D4", "C4", "D4"], step: 1)], against: ref)
    #expect(slow.offsetDistance == 1 && slow.pitchClassDistance == 0)
    let chord = MusicStats.measure([piece(["0.2", "<PAD>", "0.2"])], against: ref)
    #expect(chord.pitchClassDistance == 0)
  }
}
