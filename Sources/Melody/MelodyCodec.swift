import MIDI

/// Turns MIDI files into events/tokens and tokens back into notes, with the original project's
/// representation (music21 note names; chords as normal-order pitch classes).
public enum MelodyCodec {
  /// Merges all non-drum tracks and channels (drums too if `options.drums`) into one time line.
  /// Onsets (ticks / division, in quarters) are rounded to `options.quantize` steps per quarter;
  /// notes with equal rounded onsets form a chord (repeated pitches counted once), a lone note is
  /// a note. Offsets are the delays between rounded onsets (0 for the first event). Durations are
  /// rounded to the grid (at least one step); a chord's duration and velocity are its longest
  /// and loudest note's.
  public static func encode(_ file: MIDIFile, name: String, options: EncodingOptions) -> Song {
    if options.events == .music21 { return Music21Events.encode(file, name: name, options: options) }
    let notes = file.notes(includeDrums: options.drums)
    let q = min(max(1, options.quantize), 1 << 20)
    let div = max(1, file.division)
    // Round half up on the grid, in integers: step = round(tick * q / div); in floating point
    // only if the product would overflow (absurd tick counts or grids).
    @inline(__always) func steps(_ ticks: Int) -> Int {
      let (p, overflow) = ticks.multipliedReportingOverflow(by: 2 * q)
      if !overflow && p <= Int.max - div { return (p + div) / (2 * div) }
      return Int(min((Double(ticks) * Double(q) / Double(div)).rounded(), 9e18))
    }
    // Notes come sorted by start tick, and rounding keeps that order, so equal steps are adjacent.
    var events: [Event] = []
    events.reserveCapacity(notes.count)
    var previousStep = 0
    var i = 0
    var pitches: [Int] = []
    while i < notes.count {
      let step = steps(notes[i].startTick)
      var mask = 0
      var longest = 0
      var loudest = 0
      pitches.removeAll(keepingCapacity: true)
      while i < notes.count && steps(notes[i].startTick) == step {
        let n = notes[i]
        pitches.append(n.pitch)
        mask |= 1 << (n.pitch % 12)
        longest = max(longest, n.durationTicks)
        loudest = max(loudest, n.velocity)
        i += 1
      }
      let token: String
      if pitches.count == 1 || pitches.allSatisfy({ $0 == pitches[0] }) {
        token = PitchNames.name(pitches[0])
      } else if options.chords == .normalOrder {
        token = NormalOrder.tokens[mask]
      } else {
        pitches.sort()
        var distinct: [Int] = []
        for p in pitches where distinct.last != p { distinct.append(p) }
        token = distinct.map(String.init).joined(separator: ".")
      }
      let offset = events.isEmpty ? 0 : Double(step - previousStep) / Double(q)
      let duration = Double(max(1, steps(longest))) / Double(q)
      events.append(Event(token: token, offset: offset, duration: duration, velocity: loudest))
      previousStep = step
    }
    return Song(name: name, events: events, tempo: file.tempo)
  }

  /// The MIDI pitches a token stands for: a note name (`C#4` -> [61]); a chord of pitch classes,
  /// all 0...11, sounding in octave 4 (`0.4.7` -> [60, 64, 67]; a lone class `5` -> [65]); or a
  /// chord of exact pitches when any number exceeds 11 (`48.55.64` -> [48, 55, 64]).
  public static func pitches(of token: String) throws -> [Int] {
    guard let first = token.utf8.first else { throw MelodyError.badToken(token, why: "empty") }
    if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
      var numbers: [Int] = []
      for part in token.split(separator: ".", omittingEmptySubsequences: false) {
        guard let n = Int(part), n >= 0, n <= 127 else {
          throw MelodyError.badToken(token, why: "'\(part)' is not a pitch number 0...127")
        }
        numbers.append(n)
      }
      if numbers.allSatisfy({ $0 < 12 }) { return numbers.map { 60 + $0 } }
      return numbers
    }
    guard let p = PitchNames.parse(token[...]) else {
      throw MelodyError.badToken(token, why: "not a note name like C#4 or a chord like 0.4.7")
    }
    return [p]
  }

  /// Notes for `tokens` played at cumulative `offsets` (quarters since the previous event, as in
  /// `Event.offset`; the first event starts at its own offset, normally 0). Every note lasts
  /// `noteLength` quarters at `velocity`.
  public static func decode(
    tokens: [String], offsets: [Double], noteLength: Double = 0.5, velocity: Int = 90
  ) throws -> [NoteEvent] {
    guard tokens.count == offsets.count else {
      throw MelodyError.lengthMismatch("\(tokens.count) tokens but \(offsets.count) offsets")
    }
    var out: [NoteEvent] = []
    out.reserveCapacity(tokens.count)
    var t = 0.0
    for (token, offset) in zip(tokens, offsets) {
      t += offset
      for p in try pitches(of: token) {
        out.append(NoteEvent(pitch: p, start: t, duration: noteLength, velocity: velocity))
      }
    }
    return out
  }

  /// As the original: one event every `step` quarters (the first at 0).
  public static func decode(
    tokens: [String], step: Double = 0.5, noteLength: Double = 0.5, velocity: Int = 90
  ) throws -> [NoteEvent] {
    let offsets = tokens.indices.map { $0 == 0 ? 0 : step }
    return try decode(tokens: tokens, offsets: offsets, noteLength: noteLength, velocity: velocity)
  }

  /// Notes for a song's events, each with its own duration and velocity (chords: every pitch
  /// gets the event's duration and velocity), starting at the cumulative offsets.
  public static func decode(_ song: Song) throws -> [NoteEvent] {
    var out: [NoteEvent] = []
    out.reserveCapacity(song.events.count)
    var t = 0.0
    for e in song.events {
      t += e.offset
      for p in try pitches(of: e.token) {
        out.append(NoteEvent(pitch: p, start: t, duration: e.duration, velocity: e.velocity))
      }
    }
    return out
  }

  /// The file's notes exactly as written (no quantization, no chord tokens), times in quarters:
  /// what a MIDI file sounds like, for playback or plots.
  public static func notes(of file: MIDIFile, includeDrums: Bool = false) -> [NoteEvent] {
    let div = Double(max(1, file.division))
    return file.notes(includeDrums: includeDrums).map {
      NoteEvent(
        pitch: $0.pitch, start: Double($0.startTick) / div, duration: Double($0.durationTicks) / div,
        velocity: $0.velocity)
    }
  }

  /// music21's default spelling of a MIDI number: 61 -> `C#4`, 63 -> `E-4`, 0 -> `C-1`.
  public static func noteName(_ midi: Int) -> String { PitchNames.name(midi) }

  /// The normal-order token of a set of pitches (`[60, 64, 67]` -> `0.4.7`), as music21's
  /// `chord.Chord(pitches).normalOrder` joined by `.`.
  public static func normalOrderToken(_ pitches: [Int]) -> String {
    var mask = 0
    for p in pitches { mask |= 1 << (((p % 12) + 12) % 12) }
    return NormalOrder.tokens[mask]
  }
}
