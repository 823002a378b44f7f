import Files
import Foundation

/// Writes Standard MIDI Files.
public enum MIDIWriter {
  /// The bytes of `file`: `MThd` then one `MTrk` per track. Each track's events are written in
  /// order with delta times from their ticks (events must be in non-decreasing tick order; a
  /// tick that goes backwards is written with delta 0). An end-of-track meta is added when a
  /// track does not end with one. No running status is used.
  public static func bytes(_ file: MIDIFile) -> [UInt8] {
    var out: [UInt8] = []
    // MThd, length 6, format, ntrks, division
    out += Array("MThd".utf8)
    appendBE(6, bytes: 4, to: &out)
    appendBE(file.format, bytes: 2, to: &out)
    appendBE(file.tracks.count, bytes: 2, to: &out)
    appendBE(file.division & 0x7FFF, bytes: 2, to: &out)
    for track in file.tracks {
      out += Array("MTrk".utf8)
      let lengthAt = out.count
      appendBE(0, bytes: 4, to: &out)
      var last = 0
      for e in track.events {
        VLQ.append(max(0, e.tick - last), to: &out)
        last = max(last, e.tick)
        out += e.kind.encoded()
      }
      if track.events.last?.kind != .meta(.endOfTrack) {
        out += [0x00, 0xFF, 0x2F, 0x00]
      }
      let length = out.count - lengthAt - 4
      for i in 0..<4 { out[lengthAt + i] = UInt8(length >> (8 * (3 - i)) & 0xFF) }
    }
    return out
  }

  /// A file that plays `notes` on a piano: a tempo, a program change 0 (acoustic grand piano) on
  /// every channel used, then note-on / note-off pairs (note-offs first at equal ticks, so a
  /// repeated pitch is re-struck). Format 0 puts everything in one track; format 1 puts the tempo
  /// in track 0 and the notes in track 1. Note times are in ticks of `division`; pitches and
  /// velocities are clamped to 0...127 (velocity at least 1), channels to 0...15. A tempo that
  /// is not a positive number is taken as 120 bpm.
  public static func pianoFile(
    notes: [MIDINote], tempo: Double, division: Int = 480, format: Int = 1
  ) -> MIDIFile {
    let bpm = tempo.isFinite && tempo > 0 ? tempo : 120
    let us = Int((60_000_000.0 / max(bpm, 4)).rounded())  // at most 15 s per quarter
    let tempoEvent = MIDITrackEvent(
      tick: 0, .meta(.tempo(microsecondsPerQuarter: min(max(us, 1), 0xFF_FFFF))))
    var channels = Set<Int>()
    // (tick, order, event): order 0 = note-off, 1 = note-on, keeps offs before ons at equal ticks.
    var timed: [(Int, Int, Int, MIDITrackEvent)] = []
    for (i, n) in notes.enumerated() {
      let ch = UInt8(min(max(n.channel, 0), 15))
      channels.insert(Int(ch))
      let key = UInt8(min(max(n.pitch, 0), 127))
      let vel = UInt8(min(max(n.velocity, 1), 127))
      let start = max(0, n.startTick)
      let end = max(start, n.endTick)
      timed.append((start, 1, i, MIDITrackEvent(tick: start, .noteOn(channel: ch, note: key, velocity: vel))))
      timed.append((end, 0, i, MIDITrackEvent(tick: end, .noteOff(channel: ch, note: key, velocity: 0))))
    }
    timed.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
    let programs = channels.sorted().map {
      MIDITrackEvent(tick: 0, .programChange(channel: UInt8($0), program: 0))
    }
    let noteEvents = timed.map { $0.3 }
    let end = MIDITrackEvent(tick: noteEvents.last?.tick ?? 0, .meta(.endOfTrack))
    if format == 0 {
      return MIDIFile(
        format: 0, division: division,
        tracks: [MIDITrack(events: [tempoEvent] + programs + noteEvents + [end])])
    }
    let conductor = MIDITrack(events: [tempoEvent, MIDITrackEvent(tick: 0, .meta(.endOfTrack))])
    return MIDIFile(
      format: 1, division: division,
      tracks: [
        conductor,
        MIDITrack(
          events: [MIDITrackEvent(tick: 0, .meta(.trackName("Piano")))] + programs + noteEvents + [end]),
      ])
  }

  /// Writes `file` to `path` atomically (temporary file in the same folder, then rename).
  public static func write(_ file: MIDIFile, to path: String) throws {
    try AtomicFile.write(bytes(file), to: path)
  }

  static func appendBE(_ v: Int, bytes n: Int, to out: inout [UInt8]) {
    for i in (0..<n).reversed() { out.append(UInt8(v >> (8 * i) & 0xFF)) }
  }
}
