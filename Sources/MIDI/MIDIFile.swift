/// A Standard MIDI File in memory: the header fields, the tracks with their events, and the
/// recoverable quirks met while reading it.
public struct MIDIFile: Sendable, Equatable {
  /// 0 (one track), 1 (simultaneous tracks) or 2 (independent sequences).
  public var format: Int
  /// Ticks per quarter note (SMPTE divisions are rejected by the reader).
  public var division: Int
  public var tracks: [MIDITrack]
  /// Quirks tolerated while reading (empty for files built in memory).
  public var warnings: [MIDIWarning]

  public init(format: Int = 1, division: Int = 480, tracks: [MIDITrack] = [], warnings: [MIDIWarning] = []) {
    self.format = format
    self.division = division
    self.tracks = tracks
    self.warnings = warnings
  }

  /// Microseconds per quarter of the first tempo event in any track (500,000 = 120 bpm if none).
  public var microsecondsPerQuarter: Int {
    var best: (tick: Int, value: Int)? = nil
    for track in tracks {
      for e in track.events {
        if case .meta(.tempo(let us)) = e.kind {
          if best == nil || e.tick < best!.tick { best = (e.tick, us) }
          break
        }
      }
    }
    return best?.value ?? 500_000
  }

  /// Beats per minute of the first tempo event (120 if none).
  public var tempo: Double { 60_000_000.0 / Double(max(1, microsecondsPerQuarter)) }

  /// The last event tick over all tracks (for format 2, the sum of the track lengths).
  public var lengthInTicks: Int {
    if format == 2 { return tracks.reduce(0) { $0 + $1.endTick } }
    return tracks.reduce(0) { max($0, $1.endTick) }
  }

  /// Number of note-on events with velocity > 0 over all tracks and channels.
  public var noteOnCount: Int {
    var n = 0
    for t in tracks {
      for e in t.events { if case .noteOn(_, _, let v) = e.kind, v > 0 { n += 1 } }
    }
    return n
  }
}

/// One `MTrk` chunk: events with absolute tick times, in file order (non-decreasing ticks).
public struct MIDITrack: Sendable, Equatable {
  public var events: [MIDITrackEvent]

  public init(events: [MIDITrackEvent] = []) { self.events = events }

  /// The tick of the last event (0 for an empty track).
  public var endTick: Int { events.last?.tick ?? 0 }

  /// The text of the first track-name meta event, if any.
  public var name: String? {
    for e in events { if case .meta(.trackName(let s)) = e.kind { return s } }
    return nil
  }
}

/// An event at an absolute time in ticks since the start of its track.
public struct MIDITrackEvent: Sendable, Equatable {
  public var tick: Int
  public var kind: MIDIEvent

  public init(tick: Int, _ kind: MIDIEvent) {
    self.tick = tick
    self.kind = kind
  }
}
