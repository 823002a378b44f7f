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
  /// atomically. Times are rounded to the nearest tick and clamped to 0...500,000 quarters (NaN: 0);
  /// a tempo that is not a positive number is taken as 120 bpm.
  public static func writeMIDI(_ notes: [NoteEvent], tempo: Double, to path: String) throws {
    try MIDIWriter.write(midiFile(notes, tempo: tempo), to: path)
  }

  /// The MIDI file `writeMIDI` writes.
  public static func midiFile(_ notes: [NoteEvent], tempo: Double, division: Int = 480) -> MIDIFile {
    let d = Double(division)
    // Ticks from quarters; NaN becomes 0 and times are kept within 0...500,000 quarters (so VLQ
    // deltas stay in range): no conversion can trap, whatever a model produced.
    func ticks(_ q: Double) -> Int { q.isFinite ? Int((min(max(q, 0), 500_000) * d).rounded()) : 0 }
    let midiNotes = notes.map { n -> MIDINote in
      let start = ticks(n.start)
      let end = max(start, ticks(n.start + (n.duration.isFinite ? max(0, n.duration) : 0)))
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
