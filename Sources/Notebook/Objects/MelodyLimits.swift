import Foundation

/// Bounds on the numbers of a melody read from a file (`open("x.json")`, a session's melody): times and
/// durations are finite, non-negative and at most `maxQuarters`, tempi in `tempi`, velocities and
/// pitches MIDI's 0...127. Whatever passes can be plotted, saved as MIDI and rendered (or refused with
/// its length) without a trap or an unbounded allocation. Errors name the file and the element.
enum MelodyLimits {
  /// Latest offset, duration or note start, in quarters (a MIDI file's longest gaps fit; audio is
  /// further limited to an hour by `Synth`, MIDI output to 500,000 quarters by `MelodyIO`).
  static let maxQuarters = 1e12
  /// Tempi accepted, in quarters per minute (MIDI's slowest is about 3.6).
  static let tempi: ClosedRange<Double> = 1...100_000

  static func check(_ s: MelodyObject.Stored, file: String) throws {
    func fail(_ m: String) -> Error { NotebookError.io("'\(file)': \(m)") }
    func quarters(_ x: Double, _ what: String) throws {
      guard x.isFinite, x >= 0, x <= maxQuarters else {
        throw fail("\(what) is \(x); expected a number of quarters in 0...\(Int(maxQuarters))")
      }
    }
    guard s.tempo.isFinite, tempi.contains(s.tempo) else {
      throw fail("tempo is \(s.tempo); expected \(Int(tempi.lowerBound))...\(Int(tempi.upperBound)) quarters per minute")
    }
    for (i, x) in s.offsets.enumerated() { try quarters(x, "offset \(i)") }
    for (i, x) in s.durations.enumerated() { try quarters(x, "duration \(i)") }
    if let bad = s.velocities.firstIndex(where: { !(0...127).contains($0) }) {
      throw fail("velocity \(bad) is \(s.velocities[bad]); expected 0...127")
    }
    let total = s.offsets.reduce(0, +)
    guard total <= maxQuarters else {
      throw fail("the offsets add up to \(total) quarters; at most \(Int(maxQuarters)) are allowed")
    }
    for (i, n) in (s.notes ?? []).enumerated() {
      guard n.count == 4 else { throw fail("note \(i) has \(n.count) numbers; expected [pitch, start, duration, velocity]") }
      guard n[0].isFinite, n[0].rounded() == n[0], (0...127).contains(n[0]) else {
        throw fail("note \(i): pitch \(n[0]) is not a MIDI key 0...127")
      }
      try quarters(n[1], "note \(i)'s start")
      try quarters(n[2], "note \(i)'s duration")
      guard n[3].isFinite, n[3].rounded() == n[3], (0...127).contains(n[3]) else {
        throw fail("note \(i): velocity \(n[3]) is not 0...127")
      }
    }
  }
}
