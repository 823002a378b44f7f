/// A note to play: MIDI pitch, start and duration in quarter notes, velocity 1...127.
public struct NoteEvent: Sendable, Equatable, Codable {
  public var pitch: Int
  /// Start in quarter notes from the beginning.
  public var start: Double
  /// Length in quarter notes.
  public var duration: Double
  public var velocity: Int

  public init(pitch: Int, start: Double, duration: Double, velocity: Int) {
    self.pitch = pitch
    self.start = start
    self.duration = duration
    self.velocity = velocity
  }
}

/// One step of a melody: a note or chord token, its delay after the previous event, its length and
/// loudness.
public struct Event: Sendable, Equatable, Codable {
  /// `C#4` for a note, `0.4.7` (normal order) or `48.55.64` (exact pitches) for a chord.
  public var token: String
  /// Quarter notes since the previous event's onset (0 for the first event).
  public var offset: Double
  /// Quarter notes (the longest note of a chord).
  public var duration: Double
  /// 1...127 (the loudest note of a chord).
  public var velocity: Int

  public init(token: String, offset: Double, duration: Double, velocity: Int) {
    self.token = token
    self.offset = offset
    self.duration = duration
    self.velocity = velocity
  }
}

/// A piece as a sequence of events.
public struct Song: Sendable, Equatable, Codable {
  /// Usually the file name without its extension.
  public var name: String
  public var events: [Event]
  /// Beats per minute of the first tempo of the source (120 if none).
  public var tempo: Double

  public init(name: String, events: [Event], tempo: Double = 120) {
    self.name = name
    self.events = events
    self.tempo = tempo
  }

  public var tokens: [String] { events.map(\.token) }
  public var offsets: [Double] { events.map(\.offset) }
  /// Sum of the offsets plus the last event's duration, in quarters.
  public var lengthInQuarters: Double {
    guard let last = events.last else { return 0 }
    return events.reduce(0) { $0 + $1.offset } + last.duration
  }
}

/// How a MIDI file becomes events.
public enum ChordMode: String, Sendable, Codable {
  /// Pitch classes in music21's normal order: `0.4.7`.
  case normalOrder = "normal"
  /// Exact MIDI pitches, ascending: `48.55.64`.
  case pitches = "pitches"
}

public struct EncodingOptions: Sendable, Codable, Equatable {
  public var chords: ChordMode
  /// Grid steps per quarter note onsets are rounded to (12: 16ths and triplets). The encoder uses
  /// it clamped to 1...1,048,576; `Dataset.load` rejects values below 1.
  public var quantize: Int
  /// Keep channel 10 (index 9) drums.
  public var drums: Bool
  /// How notes become events: midigen's own segmentation or music21 5.7.1's (`Music21Events`).
  public var events: EventSegmentation = .midigen

  public init(chords: ChordMode = .normalOrder, quantize: Int = 12, drums: Bool = false,
              events: EventSegmentation = .midigen) {
    self.chords = chords
    self.quantize = quantize
    self.drums = drums
    self.events = events
  }

  enum CodingKeys: String, CodingKey { case chords, quantize, drums, events }

  /// `events` is written only when it is not the default, so older files and outputs read and stay the same.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    chords = try c.decode(ChordMode.self, forKey: .chords)
    quantize = try c.decode(Int.self, forKey: .quantize)
    drums = try c.decode(Bool.self, forKey: .drums)
    events = try c.decodeIfPresent(EventSegmentation.self, forKey: .events) ?? .midigen
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(chords, forKey: .chords)
    try c.encode(quantize, forKey: .quantize)
    try c.encode(drums, forKey: .drums)
    if events != .midigen { try c.encode(events, forKey: .events) }
  }
}

/// Event segmentation of MIDI files.
public enum EventSegmentation: String, Sendable, Codable {
  /// All tracks merged, onsets on a grid of `quantize` steps per quarter, equal onsets one chord.
  case midigen
  /// The original's: music21 5.7.1's first-instrument part, its chords, grid and offsets.
  case music21
}
