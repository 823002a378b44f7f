import Foundation

/// A small additive "piano-like" synthesizer.
///
/// Each note is a sum of `Synth.harmonics` sine partials (partial k at k·f0, amplitude 1/k², each
/// decaying exponentially, higher partials faster), shaped by a short linear attack
/// (`Synth.attack` seconds) and a release (`Synth.release` seconds, a squared fade to exactly 0)
/// that starts when the note ends. Notes are summed (full polyphony) and the mix is peak-normalized
/// to `Synth.peak`, so the output never clips.
///
/// Contract:
/// - the result has `ceil((end + release) * sampleRate)` samples, where `end` is the latest note end
///   in seconds (`(start + duration) * 60 / tempo`); an empty input renders an empty array;
/// - a sample is exactly 0.0 wherever no note sounds (between attack start and release end);
/// - deterministic: the same input gives bit-identical output (no randomness, no threads).
public enum Synth {
  /// Attack time in seconds (linear ramp from 0).
  public static let attack = 0.005
  /// Release time in seconds after a note ends (squared fade to 0).
  public static let release = 0.25
  /// Peak absolute amplitude of the normalized mix.
  public static let peak: Float = 0.89
  /// Number of sine partials per note (partials at or above Nyquist are skipped).
  public static let harmonics = 6

  /// Frequency in Hz of a MIDI key number (equal temperament, A4 = 69 = 440 Hz).
  public static func frequency(_ pitch: Int) -> Double {
    440.0 * pow(2.0, Double(pitch - 69) / 12.0)
  }

  /// Longest audio rendered, in seconds (an hour: about 635 MB of samples at 44.1 kHz while rendering).
  public static let maxDuration = 3600.0
  /// Highest sample rate rendered.
  public static let maxSampleRate = 192_000

  /// Audio that would be longer than `maxDuration` (or at a sample rate out of range).
  public struct TooLong: Error, CustomStringConvertible, Equatable, Sendable {
    /// Length in seconds (may be infinite when the notes' times overflow).
    public var seconds: Double
    public var sampleRate: Int
    public var description: String {
      if sampleRate < 1 || sampleRate > Synth.maxSampleRate {
        return "sample rate \(sampleRate) is outside 1...\(Synth.maxSampleRate)"
      }
      let bytes = seconds * Double(sampleRate) * 6  // float samples while mixing + 16-bit output
      return "the audio would last \(Synth.describe(seconds: seconds))"
        + (bytes.isFinite ? " (\(Synth.describe(bytes: bytes)) to render)" : "")
        + "; at most \(Synth.describe(seconds: Synth.maxDuration)) is rendered"
    }
  }

  /// Seconds of audio `render` makes for `notes` at `tempo` (the last note's end plus the release).
  public static func duration(_ notes: [SynthNote], tempo: Double = 120) -> Double {
    guard !notes.isEmpty else { return 0 }
    let secondsPerQuarter = 60.0 / (tempo > 0 && tempo.isFinite ? tempo : 120)
    var end = 0.0
    for n in notes { end = max(end, noteEnd(n) * secondsPerQuarter) }
    return end + release
  }

  /// Tempi `renderChecked` accepts, in quarters per minute.
  public static let tempi: ClosedRange<Double> = 1...100_000

  /// A tempo outside `tempi` (`render` would fall back to 120).
  public struct BadTempo: Error, CustomStringConvertible, Equatable, Sendable {
    public var tempo: Double
    public var description: String {
      "tempo \(tempo) is outside \(Int(Synth.tempi.lowerBound))...\(Int(Synth.tempi.upperBound)) quarters per minute"
    }
  }

  /// `render`, refusing audio longer than `maxDuration` with its length (rather than cutting it), and
  /// tempi outside `tempi` (`TooLong` or `BadTempo`).
  public static func renderChecked(_ notes: [SynthNote], tempo: Double = 120, sampleRate: Int = 44100) throws
    -> [Float]
  {
    try renderChecked(notes, tempo: tempo, sampleRate: sampleRate, onNote: { _, _ in true }) ?? []
  }

  /// `renderChecked`, calling `onNote(done, total)` before each note; returning false stops it (nil).
  public static func renderChecked(_ notes: [SynthNote], tempo: Double = 120, sampleRate: Int = 44100,
                                   onNote: (Int, Int) -> Bool) throws -> [Float]? {
    guard tempo.isFinite, tempi.contains(tempo) else { throw BadTempo(tempo: tempo) }
    let seconds = duration(notes, tempo: tempo)
    guard seconds <= maxDuration, sampleRate >= 1, sampleRate <= maxSampleRate else {
      throw TooLong(seconds: seconds, sampleRate: sampleRate)
    }
    return render(notes, tempo: tempo, sampleRate: sampleRate, onNote: onNote)
  }

  /// Renders `notes` at `tempo` quarter notes per minute into mono samples in [-peak, peak]. Audio past
  /// `maxDuration` is cut (`renderChecked` refuses it instead), so the samples are always bounded.
  public static func render(_ notes: [SynthNote], tempo: Double = 120, sampleRate: Int = 44100) -> [Float] {
    render(notes, tempo: tempo, sampleRate: sampleRate, onNote: { _, _ in true }) ?? []
  }

  /// `render`, calling `onNote(done, total)` before each note; returning false stops it (nil).
  public static func render(_ notes: [SynthNote], tempo: Double = 120, sampleRate: Int = 44100,
                            onNote: (Int, Int) -> Bool) -> [Float]? {
    guard !notes.isEmpty, sampleRate > 0 else { return [] }
    let secondsPerQuarter = 60.0 / (tempo > 0 && tempo.isFinite ? tempo : 120)
    let rate = Double(min(sampleRate, maxSampleRate))
    let count = Int((min(duration(notes, tempo: tempo), maxDuration) * rate).rounded(.up))
    var mix = [Float](repeating: 0, count: count)
    var voice = [Double]()
    var stopped = false
    mix.withUnsafeMutableBufferPointer { out in
      for (k, n) in notes.enumerated() {
        if !onNote(k, notes.count) {
          stopped = true
          break
        }
        let velocity = Double(min(max(n.velocity, 0), 127)) / 127.0
        if velocity == 0 { continue }
        let onset = max(0, n.start.isFinite ? n.start : 0) * secondsPerQuarter
        let held = max(0, n.duration.isFinite ? n.duration : 0) * secondsPerQuarter
        guard onset * rate < Double(count) else { continue }
        let first = Int((onset * rate).rounded())
        let heldSamples = Int(min((held * rate).rounded(), Double(count)))
        let releaseSamples = Int((release * rate).rounded())
        let length = min(heldSamples + releaseSamples, count - first)
        if length <= 0 { continue }
        renderVoice(
          pitch: min(max(n.pitch, 0), 127), amplitude: velocity, held: heldSamples,
          releaseSamples: releaseSamples, length: length, rate: rate, into: &voice)
        for i in 0..<length { out[first + i] += Float(voice[i]) }
      }
    }
    if stopped { return nil }
    normalize(&mix)
    return mix
  }

  /// "2.5 s", "4 min 10 s", "3.2 hours", "1,234 days".
  static func describe(seconds: Double) -> String {
    if !seconds.isFinite { return "longer than any clock (the notes' times overflow)" }
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    if seconds < 3600 { return String(format: "%.0f min %.0f s", (seconds / 60).rounded(.down),
                                      seconds.truncatingRemainder(dividingBy: 60)) }
    if seconds <= 3600 { return "1 hour" }
    if seconds < 86400 * 2 { return String(format: "%.1f hours", seconds / 3600) }
    if seconds < 86400 * 730 { return String(format: "%.0f days", seconds / 86400) }
    let years = seconds / (86400 * 365.25)
    return String(format: years < 1e9 ? "%.0f years" : "%.2g years", years)
  }

  /// "635 MB", "4.7 PB" (powers of 1000).
  static func describe(bytes: Double) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
    var x = bytes, u = 0
    while x >= 1000 && u < units.count - 1 { x /= 1000; u += 1 }
    let digits = x < 10 && u > 0 ? String(format: "%.1f", x) : x < 1000 ? String(format: "%.0f", x) : String(format: "%.2g", x)
    return digits + " " + units[u]
  }

  /// The end of a note in quarters, after clamping as `render` does.
  static func noteEnd(_ n: SynthNote) -> Double {
    let s = max(0, n.start.isFinite ? n.start : 0)
    let d = max(0, n.duration.isFinite ? n.duration : 0)
    return s + d
  }

  /// Fills `buffer[0..<length]` with one note: partials via the second-order sine recurrence
  /// `s[n+1] = 2cos(w)·s[n] − s[n−1]`, each times its exponential decay, then the attack/release envelope.
  /// All partials advance together in one `SIMD8<Double>` (lanes beyond `harmonics` or at/above Nyquist
  /// have zero gain), so the per-sample work is a few vector operations.
  static func renderVoice(
    pitch: Int, amplitude: Double, held: Int, releaseSamples: Int, length: Int, rate: Double,
    into buffer: inout [Double]
  ) {
    if buffer.count < length { buffer = [Double](repeating: 0, count: length) }
    let f0 = frequency(pitch)
    var c = SIMD8<Double>(repeating: 0)
    var s0 = SIMD8<Double>(repeating: 0)  // s[0] = sin(0)
    var s1 = SIMD8<Double>(repeating: 0)  // s[-1] = sin(-w)
    var gain = SIMD8<Double>(repeating: 0)
    var decay = SIMD8<Double>(repeating: 1)
    for k in 1...min(harmonics, 8) {
      let f = f0 * Double(k)
      if f >= rate / 2 { break }
      let w = 2 * Double.pi * f / rate
      // Higher partials and higher notes die away faster, as on a piano.
      let decayPerSecond = 0.8 + 0.6 * Double(k) + f0 / 600
      c[k - 1] = 2 * cos(w)
      s1[k - 1] = sin(-w)
      gain[k - 1] = amplitude / Double(k * k)
      decay[k - 1] = exp(-decayPerSecond / rate)
    }
    buffer.withUnsafeMutableBufferPointer { b in
      for i in 0..<length {
        b[i] = (gain * s0).sum()
        let s2 = c * s0 - s1
        s1 = s0
        s0 = s2
        gain *= decay
      }
      let attackSamples = max(1, Int((attack * rate).rounded()))
      for i in 0..<min(attackSamples, length) { b[i] *= Double(i) / Double(attackSamples) }
      if releaseSamples > 0 {
        for i in max(held, 0)..<length {
          let r = 1 - Double(i - held) / Double(releaseSamples)
          b[i] *= r * r
        }
      }
    }
  }

  /// Scales `samples` so the largest magnitude is `peak` (all-zero input stays zero).
  static func normalize(_ samples: inout [Float]) {
    var top: Float = 0
    for s in samples { top = max(top, abs(s)) }
    guard top > 0 else { return }
    let scale = peak / top
    for i in samples.indices { samples[i] *= scale }
  }
}
