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
    notes.reserveCapacity(noteOnCount)
    var unterminated = 0
    var stray = 0
    var trackOffset = 0
    // Sounding notes per key (channel << 7 | pitch) as FIFO linked lists of indices into `notes`:
    // head/tail per key, `next` per note (-1 = none). Flat arrays of trivial values: no per-key
    // allocation.
    var head = [Int32](repeating: -1, count: 16 * 128)
    var tail = [Int32](repeating: -1, count: 16 * 128)
    var next: [Int32] = []
    next.reserveCapacity(notes.capacity)
    for (ti, track) in tracks.enumerated() {
      var openKeys: [Int] = []
      for e in track.events {
        switch e.kind {
        case .noteOn(let ch, let key, let vel) where vel > 0:
          if ch == 9 && !includeDrums { continue }
          let k = Int(ch) << 7 | Int(key & 0x7F)
          let i = Int32(notes.count)
          if head[k] < 0 {
            head[k] = i
            openKeys.append(k)
          } else {
            next[Int(tail[k])] = i
          }
          tail[k] = i
          next.append(-1)
          let tick = e.tick + trackOffset
          notes.append(
            MIDINote(
              pitch: Int(key), velocity: Int(vel), channel: Int(ch), track: ti, startTick: tick, endTick: -1))
        case .noteOn(let ch, let key, _), .noteOff(let ch, let key, _):
          if ch == 9 && !includeDrums { continue }
          let k = Int(ch) << 7 | Int(key & 0x7F)
          let i = Int(head[k])
          if i < 0 {
            stray += 1
          } else {
            notes[i].endTick = e.tick + trackOffset
            head[k] = next[i]
          }
        default:
          continue
        }
      }
      let trackEnd = track.endTick + trackOffset
      for k in openKeys {
        var i = Int(head[k])
        while i >= 0 {
          notes[i].endTick = trackEnd
          unterminated += 1
          i = Int(next[i])
        }
        head[k] = -1
      }
      if format == 2 { trackOffset = trackEnd }
    }
    // Sort by (start, pitch, track, channel); the last three packed in one integer.
    @inline(__always) func minor(_ n: MIDINote) -> Int { n.pitch << 24 | n.track << 4 | n.channel }
    notes.sort { ($0.startTick, minor($0)) < ($1.startTick, minor($1)) }
    return NoteExtraction(notes: notes, unterminated: unterminated, strayNoteOffs: stray)
  }

  /// `extractNotes(includeDrums:).notes`.
  public func notes(includeDrums: Bool = false) -> [MIDINote] {
    extractNotes(includeDrums: includeDrums).notes
  }
}
