/// A sounding note: note-on paired with its note-off, times in ticks on the file's time line.
public struct MIDINote: Sendable, Equatable {
  /// MIDI note number 0...127 (60 = middle C).
  public var pitch: Int
  public var velocity: Int
  /// 0-based channel (9 = General MIDI drums).
  public var channel: Int
  /// Index of the track the note came from.
  public var track: Int
  public var startTick: Int
  public var endTick: Int

  public init(pitch: Int, velocity: Int, channel: Int = 0, track: Int = 0, startTick: Int, endTick: Int) {
    self.pitch = pitch
    self.velocity = velocity
    self.channel = channel
    self.track = track
    self.startTick = startTick
    self.endTick = endTick
  }

  public var durationTicks: Int { endTick - startTick }
}

/// The notes of a file plus counts of the pairing quirks met.
public struct NoteExtraction: Sendable {
  /// Sorted by start tick, then pitch, then track, then channel.
  public var notes: [MIDINote]
  /// Notes never switched off, ended at their track's last tick.
  public var unterminated: Int
  /// Note-offs with no sounding note to end (ignored).
  public var strayNoteOffs: Int
}

extension MIDIFile {
  /// The notes of all tracks and channels on one time line.
  ///
  /// Pairing rules: a note-on with velocity 0 is a note-off; a note-off ends the *oldest* sounding
  /// note of the same channel and pitch (so overlapping notes of one pitch each get an end); a note
  /// never switched off ends at its track's last event. Channel 9 (drums) is left out unless
  /// `includeDrums`. In format 2 the tracks are independent sequences and are laid one after another.
  public func extractNotes(includeDrums: Bool = false) -> NoteExtraction {
    var notes: [MIDINote] = []
    var unterminated = 0
    var stray = 0
    var trackOffset = 0
    // Open notes per (channel, pitch): indices into `notes`, oldest first.
    var open = [[Int]](repeating: [], count: 16 * 128)
    for (ti, track) in tracks.enumerated() {
      var openKeys: [Int] = []
      for e in track.events {
        let tick = e.tick + trackOffset
        switch e.kind {
        case .noteOn(let ch, let key, let vel) where vel > 0:
          if ch == 9 && !includeDrums { continue }
          let k = Int(ch) << 7 | Int(key & 0x7F)
          if open[k].isEmpty { openKeys.append(k) }
          open[k].append(notes.count)
          notes.append(
            MIDINote(pitch: Int(key), velocity: Int(vel), channel: Int(ch), track: ti, startTick: tick, endTick: -1))
        case .noteOn(let ch, let key, _), .noteOff(let ch, let key, _):
          if ch == 9 && !includeDrums { continue }
          let k = Int(ch) << 7 | Int(key & 0x7F)
          if open[k].isEmpty {
            stray += 1
          } else {
            notes[open[k].removeFirst()].endTick = tick
          }
        default:
          continue
        }
      }
      let trackEnd = track.endTick + trackOffset
      for k in openKeys {
        for i in open[k] {
          notes[i].endTick = trackEnd
          unterminated += 1
        }
        open[k].removeAll(keepingCapacity: true)
      }
      if format == 2 { trackOffset = trackEnd }
    }
    notes.sort {
      ($0.startTick, $0.pitch, $0.track, $0.channel) < ($1.startTick, $1.pitch, $1.track, $1.channel)
    }
    return NoteExtraction(notes: notes, unterminated: unterminated, strayNoteOffs: stray)
  }

  /// `extractNotes(includeDrums:).notes`.
  public func notes(includeDrums: Bool = false) -> [MIDINote] {
    extractNotes(includeDrums: includeDrums).notes
  }
}
