import MIDI

/// The original's event segmentation, as music21 5.7.1 (the version its requirements pin) computes it
/// for `instrument.partitionByInstrument(converter.parse(path)).parts[0].recurse()`, keeping notes and
/// chords: tokens `str(note.pitch)` / `'.'.join(normalOrder)`, offsets the deltas between element
/// offsets (the first event's offset is its own, not 0).
///
/// Reproduced, per track (`midi.translate.midiTrackToStream`):
/// - a note-on (velocity > 0) ends at the next NOTE_ON or NOTE_OFF event of the same pitch and channel
///   not yet used (music21's `matchedNoteOff` tests the bound method `isNoteOff`, always true, so a
///   re-struck note ends the held one and is itself consumed); a note never switched off is dropped;
/// - notes whose starts lie within division/16 ticks of the group's first note and whose ends lie within
///   the same tolerance of its end form a chord at the first note's time; other notes starting together
///   stay separate events (music21 puts them in voices); a note lasts its ticks, a chord from its last
///   note's start to its first note's end, and zero ticks count as one quarter;
/// - offsets and durations snapped to the nearer of the 1/4 and 1/3 grids (`quarterLengthDivisors`
///   (4, 3); on equal error the smaller value), as `Stream.quantize`;
/// - channel 10 is not special: drums are pitched notes.
/// Then `partitionByInstrument`: tracks with notes in order; each PROGRAM_CHANGE is an instrument
/// (named by music21's program table; programs without a name share the unnamed part) lasting until the
/// track's next one (the last until the track's end); the first part holds, from every track, the
/// elements starting within the spans of the first instrument's name, ordered by offset then by
/// insertion. A file without program changes gives all tracks' notes.
public enum Music21Events {
  /// music21 5.7.1's `instrumentFromMidiProgram(p).instrumentName` (nil: no name).
  static let programNames: [String?] = [
    "Piano", nil, nil, nil, nil, nil, "Harpsichord", "Clavichord", "Celesta", "Glockenspiel", nil, "Vibraphone",
    "Marimba", "Xylophone", "Church Bells", "Dulcimer", "Electric Organ", nil, nil, "Organ", "Reed Organ",
    "Accordion", "Harmonica", nil, "Guitar", nil, "Electric Guitar", nil, nil, nil, nil, nil, "Acoustic Bass",
    "Electric Bass", nil, "Fretless Bass", nil, nil, nil, nil, "Violin", "Viola", "Violoncello", "Contrabass", nil,
    nil, "Harp", "Timpani", "StringInstrument", nil, nil, nil, "Voice", nil, nil, nil, "Trumpet", "Trombone",
    "Tuba", nil, "Horn", "Brass", nil, nil, "Soprano Saxophone", "Saxophone", "Tenor Saxophone",
    "Baritone Saxophone", "Oboe", "English Horn", "Bassoon", "Clarinet", "Piccolo", "Flute", "Recorder",
    "Pan Flute", nil, "Shakuhachi", "Whistle", "Ocarina", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
    nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, "Sitar", "Banjo", "Shamisen", "Koto",
    "Kalimba", "Bagpipes", nil, "Shehnai", nil, "Agogo", "Steel Drum", "Woodblock", "Taiko", nil, nil, nil, nil,
    nil, nil, nil, nil, nil, nil, nil,
  ]

  /// Notes compared with one note when grouping chords (see `part`).
  static let maxWindow = 1024

  /// A note or chord of one track: quantized offset and duration in twelfths of a quarter.
  struct Element {
    var offset: Int
    var duration: Int
    var pitches: [Int]
    var isChord: Bool
    var velocity: Int
  }

  struct Instrument {
    var offset: Int
    var name: String?
  }

  public static func encode(_ file: MIDIFile, name: String, options: EncodingOptions = EncodingOptions()) -> Song {
    let tpq = Double(max(1, file.division))
    var parts: [(elements: [Element], instruments: [Instrument])] = []
    for track in file.tracks {
      let hasNotes = track.events.contains { if case .noteOn(_, _, let v) = $0.kind { return v > 0 }; return false }
      guard hasNotes else { continue }
      parts.append(part(track, tpq: tpq))
    }
    let chosen: [Element]
    if parts.allSatisfy({ $0.instruments.isEmpty }) {
      chosen = stableSorted(parts.flatMap(\.elements))
    } else {
      chosen = firstInstrumentPart(parts)
    }
    var events: [Event] = []
    events.reserveCapacity(chosen.count)
    var previous = 0
    for e in chosen {
      let token: String
      if e.isChord {
        var mask = 0
        for p in e.pitches { mask |= 1 << (p % 12) }
        token = NormalOrder.tokens[mask]
      } else {
        token = PitchNames.name(e.pitches[0])
      }
      events.append(Event(token: token, offset: Double(e.offset - previous) / 12,
                          duration: Double(e.duration) / 12, velocity: e.velocity))
      previous = e.offset
    }
    return Song(name: name, events: events, tempo: file.tempo)
  }

  /// Elements sorted by offset, ties in their present order.
  static func stableSorted(_ a: [Element]) -> [Element] {
    a.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)
  }

  /// The first instrument's part of `partitionByInstrument`.
  static func firstInstrumentPart(_ parts: [(elements: [Element], instruments: [Instrument])]) -> [Element] {
    guard let first = parts.first(where: { !$0.instruments.isEmpty })?.instruments.first else { return [] }
    var collected: [Element] = []
    var taken = Set<Int>()  // music21 refuses to insert an element twice into the part
    for (pi, p) in parts.enumerated() {
      let sortedElements = stableSorted(p.elements)
      let end = max(p.elements.map { $0.offset + $0.duration }.max() ?? 0, p.instruments.map(\.offset).max() ?? 0)
      for (k, inst) in p.instruments.enumerated() where inst.name == first.name {
        let spanEnd = k + 1 < p.instruments.count ? p.instruments[k + 1].offset : end
        // Spans come in offset order: binary-search the first element at or after the span's start.
        var lo = 0, hi = sortedElements.count
        while lo < hi {
          let mid = (lo + hi) / 2
          if sortedElements[mid].offset < inst.offset { lo = mid + 1 } else { hi = mid }
        }
        var ei = lo
        while ei < sortedElements.count {
          let e = sortedElements[ei]
          if inst.offset == spanEnd ? e.offset != inst.offset : e.offset >= spanEnd { break }
          let inSpan = inst.offset == spanEnd ? e.duration == 0 : true
          if inSpan && taken.insert(pi << 32 | ei).inserted { collected.append(e) }
          ei += 1
        }
      }
    }
    return stableSorted(collected)
  }

  /// One track as music21 reads it: notes paired, chords grouped, offsets quantized; its instruments.
  static func part(_ track: MIDITrack, tpq: Double) -> (elements: [Element], instruments: [Instrument]) {
    // Pair note-ons with the next unused NOTE_ON/NOTE_OFF of the same pitch and channel.
    struct Note { var on: Int; var off: Int; var pitch: Int; var velocity: Int }
    var notes: [Note] = []
    var instruments: [Instrument] = []
    let ev = track.events
    var used = [Bool](repeating: false, count: ev.count)
    // Pending starts per (channel, pitch), in order; a later NOTE_ON/OFF ends the earliest unmatched
    // one, which is what music21's forward search from each note-on amounts to.
    var open: [Int: [Int]] = [:]  // key -> indices into `notes` awaiting an end
    var pendingNotes: [Note?] = []
    for (i, e) in ev.enumerated() {
      switch e.kind {
      case .noteOn(let c, let k, let v), .noteOff(let c, let k, let v):
        let key = Int(c) << 8 | Int(k)
        let isOn: Bool
        if case .noteOn = e.kind { isOn = v > 0 } else { isOn = false }
        // This event ends the earliest open note of its key (if any)...
        if var q = open[key], !q.isEmpty {
          let n = q.removeFirst()
          open[key] = q
          pendingNotes[n]?.off = e.tick
          used[i] = true
        }
        // ...and, if it was not consumed as an end, a note-on starts a note.
        if isOn && !used[i] {
          pendingNotes.append(Note(on: e.tick, off: -1, pitch: Int(k), velocity: Int(v)))
          open[key, default: []].append(pendingNotes.count - 1)
        }
      case .programChange(_, let p):
        instruments.append(Instrument(offset: quantize(Double(e.tick) / tpq), name: programNames[Int(p & 0x7F)]))
      default:
        break
      }
    }
    for n in pendingNotes { if let n, n.off >= 0 { notes.append(n) } }
    // Chords: music21's scan over the notes in start order.
    var elements: [Element] = []
    let tolerance = tpq / 16
    var gathered = Set<Int>()
    // Durations as `midiEventsToNote`/`midiEventsToChord`: a chord lasts from its last note's start to its
    // first note's end; zero ticks become one quarter.
    func element(_ group: [Note], chord: Bool) -> Element {
      let f = group[0]
      let ticks = f.off - (group.last?.on ?? f.on)
      return Element(offset: quantize(Double(f.on) / tpq), duration: ticks == 0 ? 12 : quantize(Double(ticks) / tpq),
                     pitches: group.map(\.pitch), isChord: chord, velocity: group.map(\.velocity).max() ?? 0)
    }
    if notes.count == 1 {
      elements.append(element(notes, chord: false))
    } else {
      var i = 0
      while i < notes.count {
        if gathered.contains(i) { i += 1; continue }
        let t = Double(notes[i].on), tOff = Double(notes[i].off)
        var group: [Note]? = nil
        var j = i + 1
        // music21 scans every later note starting within the tolerance; a window of more than
        // `maxWindow` notes (only in pathological files) is cut there, so the work stays linear.
        while j < notes.count && j - i <= Self.maxWindow {
          if abs(Double(notes[j].on) - t) <= tolerance {
            if abs(Double(notes[j].off) - tOff) > tolerance { j += 1; continue }
            if group == nil { group = [notes[i]]; gathered.insert(i) }
            group!.append(notes[j])
            gathered.insert(j)
            j += 1
          } else {
            break
          }
        }
        if let group { elements.append(element(group, chord: true)) } else { elements.append(element([notes[i]], chord: false)) }
        i += 1
      }
    }
    return (elements, instruments)
  }

  /// `Stream.quantize` with divisors (4, 3): the nearer multiple of 1/4 or 1/3 (errors rounded to 7
  /// decimals; on a tie the smaller value), in twelfths of a quarter. Negative values become 0.
  static func quantize(_ x: Double) -> Int {
    let n = max(0, x)
    guard n.isFinite, n < 1e12 else { return 0 }
    var best: (error: Double, twelfths: Int)? = nil
    for div in [4, 3] {
      let unit = 1.0 / Double(div)
      let mult = (n / unit).rounded(.down)
      let low = unit * mult
      let half = unit / 2.0
      let match: Double, error: Double, k: Int
      if n >= low && n <= low + half {
        match = low; error = round7(n - low); k = Int(mult)
      } else {
        match = unit * (mult + 1); error = round7(match - n); k = Int(mult) + 1
      }
      _ = match
      let twelfths = k * (12 / div)
      if let b = best, (b.error, b.twelfths) <= (error, twelfths) { continue }
      best = (error, twelfths)
    }
    return best?.twelfths ?? 0
  }

  static func round7(_ x: Double) -> Double { (x * 1e7).rounded(.toNearestOrEven) / 1e7 }
}
