/// Note names as music21 spells MIDI numbers by default: C, C#, D, E-, E, F, F#, G, G#, A, B-, B,
/// with the octave after the name (60 = `C4`, 0 = `C-1`).
enum PitchNames {
  static let classNames = ["C", "C#", "D", "E-", "E", "F", "F#", "G", "G#", "A", "B-", "B"]

  /// `names[p]` for p in 0...127, built once.
  static let names: [String] = (0...127).map { classNames[$0 % 12] + String($0 / 12 - 1) }

  /// Any MIDI number (values outside 0...127 are spelled the same way; beyond +-1,000,000 they
  /// are clamped there).
  static func name(_ midi: Int) -> String {
    if midi >= 0 && midi < 128 { return names[midi] }
    let midi = min(max(midi, -1_000_000), 1_000_000)
    let pc = ((midi % 12) + 12) % 12
    let octave = (midi - pc) / 12 - 1
    return classNames[pc] + String(octave)
  }

  /// Parses a music21-style name as music21 does: letter A-G (either case), accidentals (`#` sharp,
  /// `-` flat, repeatable), then an octave of one or two digits. A `-` is always a flat, so
  /// `E-1` is E-flat 1 (27), not E in octave -1: music21's own names for MIDI 0...11 (below the
  /// piano's range) do not read back, and neither do ours. Returns nil when the text is not a
  /// pitch or lies outside 0...127.
  static func parse(_ s: Substring) -> Int? {
    let u = Array(s.utf8)
    guard let first = u.first else { return nil }
    let upper = first >= UInt8(ascii: "a") && first <= UInt8(ascii: "g") ? first - 32 : first
    let step: Int
    switch upper {
    case UInt8(ascii: "C"): step = 0
    case UInt8(ascii: "D"): step = 2
    case UInt8(ascii: "E"): step = 4
    case UInt8(ascii: "F"): step = 5
    case UInt8(ascii: "G"): step = 7
    case UInt8(ascii: "A"): step = 9
    case UInt8(ascii: "B"): step = 11
    default: return nil
    }
    var end = u.count
    var octave = 0
    // Octave: the trailing digits.
    var digitsStart = end
    while digitsStart > 1 && u[digitsStart - 1] >= UInt8(ascii: "0")
      && u[digitsStart - 1] <= UInt8(ascii: "9")
    {
      digitsStart -= 1
    }
    guard digitsStart < end, end - digitsStart <= 2 else { return nil }
    for i in digitsStart..<end { octave = octave * 10 + Int(u[i] - UInt8(ascii: "0")) }
    end = digitsStart
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
