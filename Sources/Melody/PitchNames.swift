/// Note names as music21 spells MIDI numbers by default: C, C#, D, E-, E, F, F#, G, G#, A, B-, B,
/// with the octave after the name (60 = `C4`, 0 = `C-1`).
enum PitchNames {
  static let classNames = ["C", "C#", "D", "E-", "E", "F", "F#", "G", "G#", "A", "B-", "B"]

  /// `names[p]` for p in 0...127, built once.
  static let names: [String] = (0...127).map { classNames[$0 % 12] + String($0 / 12 - 1) }

  /// Any MIDI number (values outside 0...127 are spelled the same way).
  static func name(_ midi: Int) -> String {
    if midi >= 0 && midi < 128 { return names[midi] }
    let pc = ((midi % 12) + 12) % 12
    let octave = (midi - pc) / 12 - 1
    return classNames[pc] + String(octave)
  }

  /// Parses a music21-style name: letter A-G (either case), accidentals (`#` sharp, `-` flat,
  /// repeatable), then an octave of one or two digits. A trailing `-1`
  /// is octave -1, as music21 writes MIDI 0...11 (`C-1` is 0, `E--1` is 3); otherwise `-` is a
  /// flat. Returns nil when the text is not a pitch or lies outside 0...127.
  static func parse(_ s: Substring) -> Int? {
    let u = Array(s.utf8)
    guard let first = u.first else { return nil }
    let steps: [UInt8: Int] = [
      UInt8(ascii: "C"): 0, UInt8(ascii: "D"): 2, UInt8(ascii: "E"): 4, UInt8(ascii: "F"): 5,
      UInt8(ascii: "G"): 7, UInt8(ascii: "A"): 9, UInt8(ascii: "B"): 11,
    ]
    let upper = first >= UInt8(ascii: "a") && first <= UInt8(ascii: "g") ? first - 32 : first
    guard let step = steps[upper] else { return nil }
    var end = u.count
    var octave: Int
    // Octave: trailing digits, or the special trailing "-1".
    var digitsStart = end
    while digitsStart > 1 && u[digitsStart - 1] >= UInt8(ascii: "0") && u[digitsStart - 1] <= UInt8(ascii: "9") {
      digitsStart -= 1
    }
    guard digitsStart < end, end - digitsStart <= 2 else { return nil }
    octave = 0
    for i in digitsStart..<end { octave = octave * 10 + Int(u[i] - UInt8(ascii: "0")) }
    end = digitsStart
    if octave == 1 && end >= 2 && u[end - 1] == UInt8(ascii: "-") {
      octave = -1
      end -= 1
    }
    var alter = 0
    for i in 1..<end {
      switch u[i] {
      case UInt8(ascii: "#"): alter += 1
      case UInt8(ascii: "-"): alter -= 1
      default: return nil
      }
    }
    let midi = (octave + 1) * 12 + step + alter
    return (0...127).contains(midi) ? midi : nil
  }
}
