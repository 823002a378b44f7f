import Foundation
import Testing

@testable import Sound

/// Magnitude of the DFT of `x` at frequency `f` (Hz), normalized by length.
func dftMagnitude(_ x: ArraySlice<Float>, frequency f: Double, sampleRate: Int) -> Double {
  var re = 0.0
  var im = 0.0
  let w = 2 * Double.pi * f / Double(sampleRate)
  for (i, s) in x.enumerated() {
    re += Double(s) * cos(w * Double(i))
    im -= Double(s) * sin(w * Double(i))
  }
  return (re * re + im * im).squareRoot() / Double(x.count)
}

@Suite struct SynthTests {
  @Test func lengthIsMelodyPlusRelease() {
    // 4 quarters at 120 bpm = 2 s; the last note ends at 3.5 quarters + 0.5 = 4 quarters.
    let notes = [
      SynthNote(pitch: 60, start: 0, duration: 1), SynthNote(pitch: 64, start: 3.5, duration: 0.5),
    ]
    let samples = Synth.render(notes, tempo: 120, sampleRate: 8000)
    #expect(samples.count == Int(((2.0 + Synth.release) * 8000).rounded(.up)))
    let slow = Synth.render(notes, tempo: 60, sampleRate: 8000)
    #expect(slow.count == Int(((4.0 + Synth.release) * 8000).rounded(.up)))
  }

  @Test func emptyMelodyIsEmpty() {
    #expect(Synth.render([]).isEmpty)
  }

  @Test func a4IsDominantAt440Hz() {
    let rate = 44100
    let samples = Synth.render([SynthNote(pitch: 69, start: 0, duration: 2)], tempo: 120, sampleRate: rate)
    let window = samples[4410..<(4410 + 8820)]  // 0.2 s of the held note
    // Scan 200...1000 Hz in 2 Hz steps; the strongest bin must be 440 Hz.
    var best = (f: 0.0, m: -1.0)
    for f in stride(from: 200.0, through: 1000.0, by: 2.0) {
      let m = dftMagnitude(window, frequency: f, sampleRate: rate)
      if m > best.m { best = (f, m) }
    }
    #expect(best.f == 440)
    // The fundamental dominates the octave partial.
    #expect(
      dftMagnitude(window, frequency: 440, sampleRate: rate) > 2
        * dftMagnitude(window, frequency: 880, sampleRate: rate))
  }

  @Test(arguments: [(60, 261.6256), (81, 880.0), (57, 220.0)])
  func frequencies(pitch: Int, hz: Double) {
    #expect(abs(Synth.frequency(pitch) - hz) < 1e-3)
  }

  @Test func silenceBetweenSeparatedNotes() {
    let rate = 8000
    // Note 1 sounds 0...0.5 s (+0.25 s release); note 2 starts at 1.5 s.
    let notes = [SynthNote(pitch: 60, start: 0, duration: 1), SynthNote(pitch: 67, start: 3, duration: 1)]
    let s = Synth.render(notes, tempo: 120, sampleRate: rate)
    let gap = s[Int(0.76 * Double(rate))..<Int(1.5 * Double(rate))]
    #expect(gap.allSatisfy { $0 == 0 })
    #expect(s[Int(0.1 * Double(rate))..<Int(0.4 * Double(rate))].contains { abs($0) > 0.1 })
    #expect(s[Int(1.6 * Double(rate))..<Int(1.9 * Double(rate))].contains { abs($0) > 0.1 })
  }

  @Test func noClickAtOnsetOrEnd() {
    let s = Synth.render([SynthNote(pitch: 72, start: 0, duration: 1)], sampleRate: 44100)
    #expect(s.first == 0)
    #expect(abs(s.last ?? 1) < 1e-3)
    // The attack ramps: the first millisecond stays well below the peak.
    #expect(s[0..<44].allSatisfy { abs($0) < 0.3 })
  }

  @Test func chordIsPeakNormalizedWithoutClipping() {
    let chord = (0..<10).map { SynthNote(pitch: 48 + 4 * $0, start: 0, duration: 2, velocity: 127) }
    let s = Synth.render(chord, sampleRate: 22050)
    let top = s.map { abs($0) }.max() ?? 0
    #expect(abs(top - Synth.peak) < 1e-6)
    #expect(s.allSatisfy { abs($0) <= 1 })
  }

  @Test func deterministic() {
    let notes = (0..<40).map {
      SynthNote(pitch: 50 + ($0 * 7) % 30, start: Double($0) * 0.25, duration: 0.5, velocity: 60 + $0)
    }
    #expect(Synth.render(notes, sampleRate: 22050) == Synth.render(notes, sampleRate: 22050))
  }

  @Test func oddInputDoesNotCrash() {
    let notes = [
      SynthNote(pitch: -5, start: -1, duration: -2),
      SynthNote(pitch: 200, start: .nan, duration: .infinity),
      SynthNote(pitch: 60, start: 0, duration: 1, velocity: 0),
    ]
    let s = Synth.render(notes, tempo: -3, sampleRate: 8000)
    // Tempo falls back to 120; the latest end is the muted note's (1 quarter = 0.5 s).
    #expect(s.count == Int(((0.5 + Synth.release) * 8000).rounded(.up)))
    #expect(s.allSatisfy { $0.isFinite && abs($0) <= 1 })
  }
}
