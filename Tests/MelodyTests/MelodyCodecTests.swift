import MIDI
import Testing

@testable import Melody

@Suite struct MelodyCodecTests {
  /// Builds a format 1 file, division 96, one track per list of (pitch, start, end, channel).
  static func file(_ tracks: [[(Int, Int, Int, Int)]], division: Int = 96, tempo: Int = 500_000) -> MIDIFile {
    var out = [MIDITrack(events: [MIDITrackEvent(tick: 0, .meta(.tempo(microsecondsPerQuarter: tempo)))])]
    for t in tracks {
      var ev: [MIDITrackEvent] = []
      for (p, s, e, ch) in t {
        ev.append(
          MIDITrackEvent(tick: s, .noteOn(channel: UInt8(ch), note: UInt8(p), velocity: UInt8(40 + p % 50))))
        ev.append(MIDITrackEvent(tick: e, .noteOff(channel: UInt8(ch), note: UInt8(p), velocity: 0)))
      }
      ev.sort { $0.tick < $1.tick }
      out.append(MIDITrack(events: ev))
    }
    return MIDIFile(format: 1, division: division, tracks: out)
  }

  @Test func notesAndChordsAcrossTracks() {
    // Track 1: C4 at 0 (quarter), D4 at 96, E4 at 240 (a dotted quarter later).
    // Track 2: E4 and G4 at 0 -> chord with C4; F#3 at 240 -> chord 4.6? (E4 + F#3) -> normal order.
    let f = Self.file([
      [(60, 0, 96, 0), (62, 96, 192, 0), (64, 240, 288, 0)],
      [(64, 0, 192, 1), (67, 0, 96, 1), (54, 240, 480, 1)],
    ])
    let s = MelodyCodec.encode(f, name: "t", options: EncodingOptions())
    #expect(s.tokens == ["0.4.7", "D4", "4.6"])
    #expect(s.offsets == [0, 1, 1.5])
    #expect(s.events.map(\.duration) == [2, 1, 2.5])
    #expect(
      s.events.map(\.velocity) == [max(40 + 60 % 50, 40 + 64 % 50, 40 + 67 % 50), 40 + 62 % 50, 40 + 64 % 50])
    #expect(s.tempo == 120)
    #expect(s.lengthInQuarters == 5)
  }

  @Test func pitchesMode() {
    let f = Self.file([[(48, 0, 96, 0), (55, 0, 96, 0), (64, 0, 96, 0), (60, 96, 192, 0)]])
    let s = MelodyCodec.encode(f, name: "t", options: EncodingOptions(chords: .pitches))
    #expect(s.tokens == ["48.55.64", "C4"])
  }

  @Test func quantizationMergesNearOnsets() {
    // Division 480, grid 40 ticks: onsets 0 and 10 round to step 0; 30 (0.75 step) rounds to 1.
    let f = Self.file(
      [[(60, 0, 480, 0), (64, 10, 480, 0), (67, 30, 480, 0), (72, 160, 200, 0)]], division: 480)
    let s = MelodyCodec.encode(f, name: "q", options: EncodingOptions())
    #expect(s.tokens == ["0.4", "G4", "C5"])
    #expect(s.offsets == [0, 1.0 / 12, 3.0 / 12])
    let coarse = MelodyCodec.encode(f, name: "q", options: EncodingOptions(quantize: 4))
    #expect(coarse.tokens == ["0.4.7", "C5"])  // 30 ticks rounds to step 0 of a 120-tick grid
    #expect(coarse.offsets == [0, 0.25])
  }

  @Test func samePitchTwiceAtOneOnsetIsOneNote() {
    let f = Self.file([[(60, 0, 96, 0)], [(60, 0, 192, 1)]])
    let s = MelodyCodec.encode(f, name: "d", options: EncodingOptions())
    #expect(s.tokens == ["C4"])
    #expect(s.events[0].duration == 2)
  }

  @Test func octaveDoublingIsAOneClassChord() {
    let f = Self.file([[(48, 0, 96, 0), (60, 0, 96, 0)]])
    #expect(MelodyCodec.encode(f, name: "o", options: EncodingOptions()).tokens == ["0"])
  }

  @Test func drumsAreLeftOutByDefault() {
    let f = Self.file([[(60, 0, 96, 0), (36, 96, 192, 9)]])
    #expect(MelodyCodec.encode(f, name: "d", options: EncodingOptions()).tokens == ["C4"])
    #expect(MelodyCodec.encode(f, name: "d", options: EncodingOptions(drums: true)).tokens == ["C4", "C2"])
  }

  @Test func hugeTicksAndGridsDoNotTrap() {
    let f = Self.file([[(60, 0, 96, 0), (62, 1 << 50, (1 << 50) + 96, 0)]])
    let s = MelodyCodec.encode(f, name: "h", options: EncodingOptions(quantize: Int.max))
    #expect(s.tokens == ["C4", "D4"])
    #expect(MelodyCodec.noteName(Int.min) == MelodyCodec.noteName(-1_000_000))
    #expect(MelodyCodec.noteName(128) == "G#9")
  }

  @Test func emptyFileHasNoEvents() {
    #expect(MelodyCodec.encode(MIDIFile(), name: "e", options: EncodingOptions()).events.isEmpty)
  }

  @Test func decodeWithOffsets() throws {
    let notes = try MelodyCodec.decode(
      tokens: ["C4", "0.4.7", "48.55"], offsets: [0, 1, 0.5], noteLength: 0.25, velocity: 70)
    #expect(
      notes == [
        NoteEvent(pitch: 60, start: 0, duration: 0.25, velocity: 70),
        NoteEvent(pitch: 60, start: 1, duration: 0.25, velocity: 70),
        NoteEvent(pitch: 64, start: 1, duration: 0.25, velocity: 70),
        NoteEvent(pitch: 67, start: 1, duration: 0.25, velocity: 70),
        NoteEvent(pitch: 48, start: 1.5, duration: 0.25, velocity: 70),
        NoteEvent(pitch: 55, start: 1.5, duration: 0.25, velocity: 70),
      ])
  }

  @Test func decodeWithConstantStepAsTheOriginal() throws {
    let notes = try MelodyCodec.decode(tokens: ["C4", "D4", "E-4"])
    #expect(notes.map(\.start) == [0, 0.5, 1.0])
    #expect(notes.map(\.pitch) == [60, 62, 63])
    #expect(notes.allSatisfy { $0.duration == 0.5 && $0.velocity == 90 })
  }

  @Test func decodeErrors() {
    #expect(throws: MelodyError.lengthMismatch("2 tokens but 1 offsets")) {
      try MelodyCodec.decode(tokens: ["C4", "D4"], offsets: [0])
    }
    #expect(throws: MelodyError.self) { try MelodyCodec.decode(tokens: ["C4", "X9"], offsets: [0, 1]) }
  }

  @Test func encodeDecodeRoundTripOfPitches() throws {
    let f = Self.file([[(60, 0, 96, 0), (64, 96, 192, 0), (67, 96, 192, 0), (72, 288, 384, 0)]])
    let s = MelodyCodec.encode(f, name: "r", options: EncodingOptions(chords: .pitches))
    let notes = try MelodyCodec.decode(tokens: s.tokens, offsets: s.offsets)
    #expect(notes.map(\.pitch) == [60, 64, 67, 72])
    #expect(notes.map(\.start) == [0, 1, 1, 3])
  }

  @Test func decodeASongKeepsDurationsAndVelocities() throws {
    let song = Song(
      name: "s",
      events: [
        Event(token: "C4", offset: 0, duration: 2, velocity: 50),
        Event(token: "0.4", offset: 1.5, duration: 0.25, velocity: 99),
      ])
    #expect(
      try MelodyCodec.decode(song) == [
        NoteEvent(pitch: 60, start: 0, duration: 2, velocity: 50),
        NoteEvent(pitch: 60, start: 1.5, duration: 0.25, velocity: 99),
        NoteEvent(pitch: 64, start: 1.5, duration: 0.25, velocity: 99),
      ])
  }

  @Test func exactNotesOfAFile() {
    let f = Self.file([[(60, 0, 48, 0), (36, 48, 96, 9)], [(62, 10, 200, 0)]], division: 96)
    #expect(
      MelodyCodec.notes(of: f) == [
        NoteEvent(pitch: 60, start: 0, duration: 0.5, velocity: 40 + 60 % 50),
        NoteEvent(pitch: 62, start: 10.0 / 96, duration: 190.0 / 96, velocity: 40 + 62 % 50),
      ])
    #expect(MelodyCodec.notes(of: f, includeDrums: true).count == 3)
  }
}
