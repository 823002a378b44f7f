import MIDI

/// Files in and out for melodies.
public enum MelodyIO {
  /// Reads and encodes one MIDI file; the song is named after the file without its extension.
  /// Errors are `MIDIError`s naming `path` and the byte offset.
  public static func readSong(path: String, options: EncodingOptions) throws -> Song {
    let file = try MIDIReader.read(path: path)
    return MelodyCodec.encode(file, name: songName(path), options: options)
  }

  /// Writes `notes` as a format 1 piano MIDI file (480 ticks per quarter) at `tempo` bpm,
  /// atomically. Times are rounded to the nearest tick; negative starts are clamped to 0.
  public static func writeMIDI(_ notes: [NoteEvent], tempo: Double, to path: String) throws {
    try MIDIWriter.write(midiFile(notes, tempo: tempo), to: path)
  }

  /// The MIDI file `writeMIDI` writes.
  public static func midiFile(_ notes: [NoteEvent], tempo: Double, division: Int = 480) -> MIDIFile {
    let d = Double(division)
    let midiNotes = notes.map { n -> MIDINote in
      let start = max(0, Int((n.start * d).rounded()))
      let end = max(start, Int(((n.start + max(0, n.duration)) * d).rounded()))
      return MIDINote(pitch: n.pitch, velocity: n.velocity, startTick: start, endTick: end)
    }
    return MIDIWriter.pianoFile(notes: midiNotes, tempo: tempo, division: division, format: 1)
  }

  /// `dir/bwv1.6.mid` -> `bwv1.6`.
  static func songName(_ path: String) -> String {
    let base = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
    return String(base[..<dot])
  }
}
