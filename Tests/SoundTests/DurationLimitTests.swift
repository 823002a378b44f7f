import Foundation
import Testing

@testable import Sound

/// Audio longer than an hour is refused with its length before anything is allocated, whatever the
/// times and tempi (generated over every order of magnitude, both signs, non-finite), and what is
/// rendered is never longer than the limit.
@Suite struct DurationLimitTests {
  @Test func longAudioIsRefusedWithItsLength() {
    for k in stride(from: 4, through: 308, by: 8) {
      let far = pow(10, Double(k))
      for tempo: Double in [1, 120, 100_000] where far * 60 / tempo > Synth.maxDuration {
        let notes = [SynthNote(pitch: 60, start: 0, duration: 1), SynthNote(pitch: 62, start: far, duration: 1)]
        do {
          _ = try Synth.renderChecked(notes, tempo: tempo)
          Issue.record("a note at \(far) quarters, tempo \(tempo), rendered")
        } catch {
          #expect("\(error)".contains("at most 1 hour"), "\(error)")
          #expect("\(error)".count < 200, "\(error)")
        }
      }
    }
    // Tempi out of range are refused by name, whatever the notes.
    for tempo in [1e-300, 0, -5, .nan, .infinity, 1e300, 0.5, 100_001] {
      #expect(throws: Synth.BadTempo.self) { _ = try Synth.renderChecked([SynthNote(pitch: 60, start: 0, duration: 1)], tempo: tempo) }
    }
    // The issue's example: a 54-billion-quarter gap (4.7 PB of samples).
    let gap = [SynthNote(pitch: 60, start: 54e9, duration: 1)]
    do { _ = try Synth.renderChecked(gap); Issue.record("rendered") } catch {
      #expect("\(error)".contains("years") && "\(error)".contains("PB"), "\(error)")
    }
    // Slow tempi make short melodies long.
    #expect(throws: Synth.TooLong.self) { _ = try Synth.renderChecked([SynthNote(pitch: 60, start: 0, duration: 8000)], tempo: 1) }
    // Sample rates out of range.
    #expect(throws: Synth.TooLong.self) { _ = try Synth.renderChecked([SynthNote(pitch: 60, start: 0, duration: 1)], sampleRate: 1 << 40) }
  }

  @Test func shortAudioRendersAndLongNotesAreCut() throws {
    let ok = try Synth.renderChecked([SynthNote(pitch: 60, start: 0, duration: 2)], tempo: 120)
    #expect(ok.count == Int(((1 + Synth.release) * 44100).rounded(.up)))
    // render() (no check) never exceeds the limit: a second at 8 kHz after a note that starts past it.
    let cut = Synth.render([SynthNote(pitch: 60, start: 0, duration: 1), SynthNote(pitch: 60, start: 1e300, duration: 1)],
                           tempo: 120, sampleRate: 10)
    #expect(cut.count == Int(Synth.maxDuration * 10))
    #expect(Synth.duration([SynthNote(pitch: 60, start: .nan, duration: .infinity)]) == Synth.release)
  }
}
