import Foundation
import Melody

/// A melody value: events (token, offset in quarters since the previous event, duration, velocity), the
/// notes they play, and a tempo. A melody opened from a MIDI file plays that file's own notes, so
/// `save(open("x.mid"), "x.wav")` renders any MIDI file.
public final class MelodyObject: IndexableObject, PersistableObject {
  public let name: String
  public let events: [Event]
  public let tempo: Double
  /// The notes played (start and duration in quarters).
  public let notes: [NoteEvent]
  /// Whether `notes` are the melody's own (from a MIDI file) rather than derived from the events.
  public let ownNotes: Bool

  /// Note length of events that have no duration of their own (sampled and random melodies), as the
  /// original's `note_length`.
  public static let defaultNoteLength = 0.5

  /// A melody whose notes are decoded from the events (`<PAD>` plays nothing). Throws for a token that
  /// names no pitches.
  public init(name: String, events: [Event], tempo: Double) throws {
    self.name = name
    self.events = events
    self.tempo = tempo
    self.notes = try MelodyObject.decode(events)
    self.ownNotes = false
  }

  /// A melody with its own notes (from a MIDI file), or with `own: false` notes known to be the events'.
  public init(name: String, events: [Event], tempo: Double, notes: [NoteEvent], own: Bool = true) {
    self.name = name
    self.events = events
    self.tempo = tempo
    self.notes = notes
    self.ownNotes = own
  }

  /// A melody from tokens and offsets, each event lasting `noteLength`.
  public convenience init(name: String, tokens: [String], offsets: [Double], tempo: Double = 120,
                          noteLength: Double = MelodyObject.defaultNoteLength) throws {
    let events = zip(tokens, offsets).map { Event(token: $0, offset: $1, duration: noteLength, velocity: 90) }
    try self.init(name: name, events: events, tempo: tempo)
  }

  static func decode(_ events: [Event]) throws -> [NoteEvent] {
    var notes: [NoteEvent] = []
    var t = 0.0
    for e in events {
      t += e.offset
      if e.token == Vocabulary.pad { continue }
      for p in try MelodyCodec.pitches(of: e.token) {
        notes.append(NoteEvent(pitch: p, start: t, duration: e.duration, velocity: e.velocity))
      }
    }
    return notes
  }

  public var tokens: [String] { events.map(\.token) }
  public var offsets: [Double] { events.map(\.offset) }
  /// Length in quarters: the end of the last note.
  public var quarters: Double { notes.map { $0.start + $0.duration }.max() ?? 0 }
  public var seconds: Double { quarters * 60 / tempo }

  public var typeName: String { "melody" }

  public var display: String {
    var s = "melody \(name): \(events.count) events, \(Format.fixed(quarters, 2)) quarters"
      + " (\(Format.fixed(seconds, 1)) s at \(Format.tempo(tempo)) bpm)"
    if !events.isEmpty {
      let shown = events.prefix(12).map(\.token).joined(separator: " ")
      s += "\n  " + shown + (events.count > 12 ? " …" : "")
    }
    return s
  }

  public var memberNames: [String] {
    ["name", "count", "tokens", "offsets", "durations", "quarters", "seconds", "tempo", "pitches"]
  }

  public func member(_ name: String) -> Value? {
    switch name {
    case "name": return .string(self.name)
    case "count": return .int(events.count)
    case "tokens": return .list(tokens.map { .string($0) })
    case "offsets": return .list(offsets.map { .float($0) })
    case "durations": return .list(events.map { .float($0.duration) })
    case "quarters": return .float(quarters)
    case "seconds": return .float(seconds)
    case "tempo": return .float(tempo)
    case "pitches": return .list(notes.map { .int($0.pitch) })
    default: return nil
    }
  }

  public var count: Int { events.count }

  public func element(at i: Int) -> Value {
    let e = events[i]
    return .object(Record("event", [("token", .string(e.token)), ("offset", .float(e.offset)),
                                    ("duration", .float(e.duration)), ("velocity", .int(e.velocity))]))
  }

  public func slice(_ lower: Int, _ upper: Int) throws -> Value {
    .object(try sliced(lower, upper))
  }

  /// Events `lower..<upper`, the first starting at time 0. Notes are re-derived from the events.
  public func sliced(_ lower: Int, _ upper: Int) throws -> MelodyObject {
    var part = Array(events[lower..<upper])
    if !part.isEmpty { part[0].offset = 0 }
    return try MelodyObject(name: name, events: part, tempo: tempo)
  }

  /// The events followed by `other`'s, offsets continuing: `other` starts when this melody's last note
  /// ends (plus its own first offset), so `a + b` plays a, then b. Notes of both are kept (`other`'s moved
  /// by that start), so melodies from MIDI files join with their own notes. The tempo is this melody's.
  public func joined(with other: MelodyObject) -> MelodyObject {
    let lastOnset = offsets.reduce(0, +)
    let origin = Swift.max(quarters, lastOnset)
    var tail = other.events
    if !tail.isEmpty && !events.isEmpty { tail[0].offset += origin - lastOnset }
    let moved = other.notes.map {
      NoteEvent(pitch: $0.pitch, start: $0.start + (events.isEmpty ? 0 : origin), duration: $0.duration,
                velocity: $0.velocity)
    }
    let name = events.isEmpty ? other.name : (other.events.isEmpty ? self.name : self.name + " + " + other.name)
    return MelodyObject(name: name, events: events + tail, tempo: tempo, notes: notes + moved,
                        own: ownNotes || other.ownNotes)
  }

  /// Every event and note moved by `semitones`, tokens spelled as the codec spells them (note names
  /// `C#4`, `E-4`; chords of pitch classes in normal order, so `0.4.7` up 2 is `2.6.9`). Throws a
  /// message naming the first event or note that would leave the MIDI range 0...127.
  public func transposed(by semitones: Int) throws -> MelodyObject {
    guard (-127...127).contains(semitones) else {
      throw NotebookError.io("semitones must be between -127 and 127, got \(semitones)")
    }
    var moved = events
    for i in moved.indices {
      do {
        moved[i].token = try MelodyObject.transpose(token: moved[i].token, by: semitones)
      } catch {
        throw NotebookError.io("event \(i) (\(events[i].token)): \(error)")
      }
    }
    guard ownNotes else { return try MelodyObject(name: name, events: moved, tempo: tempo) }
    var shifted: [NoteEvent] = []
    shifted.reserveCapacity(notes.count)
    for (i, n) in notes.enumerated() {
      let p = n.pitch + semitones
      guard (0...127).contains(p) else {
        throw NotebookError.io("note \(i) (\(MelodyCodec.noteName(n.pitch))) would be pitch \(p), outside 0...127")
      }
      shifted.append(NoteEvent(pitch: p, start: n.start, duration: n.duration, velocity: n.velocity))
    }
    return MelodyObject(name: name, events: moved, tempo: tempo, notes: shifted, own: true)
  }

  /// One token moved by `k` semitones (`<PAD>` stays). Note names move and are re-spelled; a chord of
  /// pitch classes (all 0...11) moves its classes mod 12 and is re-spelled in normal order; a chord of
  /// exact pitches moves each pitch.
  public static func transpose(token: String, by k: Int) throws -> String {
    if token == Vocabulary.pad || k == 0 { return token }
    let pitches = try MelodyCodec.pitches(of: token)
    guard let first = token.utf8.first, first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") else {
      let p = pitches[0] + k
      guard (0...127).contains(p) else { throw NotebookError.io("\(token) would be pitch \(p), outside 0...127") }
      return MelodyCodec.noteName(p)
    }
    let numbers = token.split(separator: ".").compactMap { Int($0) }
    if numbers.allSatisfy({ $0 < 12 }) {
      let classes = numbers.map { (($0 + k) % 12 + 12) % 12 }
      return MelodyCodec.normalOrderToken(classes)
    }
    var out: [Int] = []
    for p in numbers.map({ $0 + k }).sorted() where out.last != p {
      guard (0...127).contains(p) else { throw NotebookError.io("\(token) would have pitch \(p), outside 0...127") }
      out.append(p)
    }
    guard out.contains(where: { $0 >= 12 }) else {
      throw NotebookError.io("\(token) would be all below pitch 12 (read back as pitch classes)")
    }
    return out.map(String.init).joined(separator: ".")
  }

  // MARK: - Files

  struct Stored: Codable {
    var name: String
    var tempo: Double
    var tokens: [String]
    var offsets: [Double]
    var durations: [Double]
    var velocities: [Int]
    var notes: [[Double]]?  // [pitch, start, duration, velocity] when not derived from the events

    /// Only `tokens` and `offsets` are required: `name` defaults to "" (the caller names it after the file),
    /// `tempo` to 120, missing `durations`/`velocities` to the defaults.
    init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
      tempo = try c.decodeIfPresent(Double.self, forKey: .tempo) ?? 120
      tokens = try c.decode([String].self, forKey: .tokens)
      offsets = try c.decode([Double].self, forKey: .offsets)
      durations = try c.decodeIfPresent([Double].self, forKey: .durations) ?? []
      velocities = try c.decodeIfPresent([Int].self, forKey: .velocities) ?? []
      notes = try c.decodeIfPresent([[Double]].self, forKey: .notes)
    }

    init(name: String, tempo: Double, tokens: [String], offsets: [Double], durations: [Double],
         velocities: [Int], notes: [[Double]]?) {
      self.name = name; self.tempo = tempo; self.tokens = tokens; self.offsets = offsets
      self.durations = durations; self.velocities = velocities; self.notes = notes
    }
  }

  /// JSON: `{"name", "tempo", "tokens", "offsets", "durations", "velocities"}` (+ `notes` for melodies
  /// read from MIDI files).
  public func json(includeNotes: Bool) throws -> [UInt8] {
    let stored = Stored(
      name: name, tempo: tempo, tokens: tokens, offsets: offsets, durations: events.map(\.duration),
      velocities: events.map(\.velocity),
      notes: includeNotes ? notes.map { [Double($0.pitch), $0.start, $0.duration, Double($0.velocity)] } : nil)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array(try encoder.encode(stored))
  }

  /// Reads the JSON `json(includeNotes:)` writes; `file` names it in errors.
  public static func fromJSON(_ data: Data, file: String) throws -> MelodyObject {
    var s: Stored
    do { s = try JSONDecoder().decode(Stored.self, from: data) } catch {
      throw NotebookError.io("'\(file)' is not a melody JSON file ({\"tokens\": [...], \"offsets\": [...]}): \(error)")
    }
    if s.name.isEmpty { s.name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension }
    guard s.tempo.isFinite && s.tempo > 0 else { throw NotebookError.io("'\(file)': tempo must be a positive number") }
    try MelodyLimits.check(s, file: file)
    let n = s.tokens.count
    guard s.offsets.count == n else {
      throw NotebookError.io("'\(file)': \(n) tokens but \(s.offsets.count) offsets")
    }
    let durations = s.durations.count == n ? s.durations : [Double](repeating: defaultNoteLength, count: n)
    let velocities = s.velocities.count == n ? s.velocities : [Int](repeating: 90, count: n)
    let events = (0..<n).map { Event(token: s.tokens[$0], offset: s.offsets[$0], duration: durations[$0],
                                     velocity: velocities[$0]) }
    if let raw = s.notes {
      do { _ = try decode(events) } catch { throw NotebookError.io("'\(file)': \(error)") }
      let notes = raw.filter { $0.count == 4 }.map {
        NoteEvent(pitch: Int($0[0]), start: $0[1], duration: $0[2], velocity: Int($0[3]))
      }
      return MelodyObject(name: s.name, events: events, tempo: s.tempo, notes: notes)
    }
    do {
      return try MelodyObject(name: s.name, events: events, tempo: s.tempo)
    } catch {
      throw NotebookError.io("'\(file)': \(error)")
    }
  }

  public func persist(into dir: String, stem: String) throws -> [String: String] {
    let file = stem + ".melody.json"
    try NotebookFile.write(try json(includeNotes: ownNotes), to: dir + "/" + file)
    return ["file": file]
  }

  static func restore(_ fields: [String: String], _ dir: String) throws -> any NotebookObject {
    guard let file = fields["file"] else { throw NotebookError.session("melody without a file") }
    let path = dir + "/" + file
    guard let data = FileManager.default.contents(atPath: path) else {
      throw NotebookError.session("missing '\(path)'")
    }
    return try fromJSON(data, file: path)
  }
}
