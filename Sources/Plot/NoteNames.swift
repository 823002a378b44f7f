/// Note names for MIDI key numbers, spelled as music21 spells them by default.
///
/// Sharps for C#, F#, G#; flats (written `-`) for E- and B-; octave numbers as in scientific pitch
/// notation (MIDI 60 = C4, so MIDI 0 = C-1). Examples: 60 → "C4", 61 → "C#4", 63 → "E-4", 70 → "B-4".
public enum NoteNames {
  static let pitchClasses = ["C", "C#", "D", "E-", "E", "F", "F#", "G", "G#", "A", "B-", "B"]

  /// Name of `midi` (any integer; octaves below -1 continue downwards).
  public static func name(_ midi: Int) -> String {
    let pc = ((midi % 12) + 12) % 12
    let octave = (midi - pc) / 12 - 1
    return pitchClasses[pc] + String(octave)
  }

  /// True for the black keys (C#, E-, F#, G#, B-).
  public static func isBlackKey(_ midi: Int) -> Bool {
    [1, 3, 6, 8, 10].contains(((midi % 12) + 12) % 12)
  }
}
