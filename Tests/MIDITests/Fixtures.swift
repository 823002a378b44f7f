@testable import MIDI

/// Byte fixtures, commented field by field, and their decoded values.
enum Fixtures {
  /// Format 0, one track: tempo, piano program, one C4 quarter note.
  static let format0: [UInt8] = [
    0x4D, 0x54, 0x68, 0x64,  // "MThd"
    0x00, 0x00, 0x00, 0x06,  // header length 6
    0x00, 0x00,  // format 0
    0x00, 0x01,  // 1 track
    0x01, 0xE0,  // division: 480 ticks per quarter
    0x4D, 0x54, 0x72, 0x6B,  // "MTrk"
    0x00, 0x00, 0x00, 0x17,  // track length 23
    0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,  // delta 0, meta tempo (51), len 3, 500000 us/quarter
    0x00, 0xC0, 0x00,  // delta 0, program change ch 0, program 0 (acoustic grand piano)
    0x00, 0x90, 0x3C, 0x64,  // delta 0, note-on ch 0, key 60 (C4), velocity 100
    0x83, 0x60, 0x80, 0x3C, 0x00,  // delta 480 (VLQ 83 60), note-off ch 0, key 60, velocity 0
    0x00, 0xFF, 0x2F, 0x00,  // delta 0, meta end of track
  ]

  static let format0Value = MIDIFile(
    format: 0, division: 480,
    tracks: [
      MIDITrack(events: [
        MIDITrackEvent(tick: 0, .meta(.tempo(microsecondsPerQuarter: 500_000))),
        MIDITrackEvent(tick: 0, .programChange(channel: 0, program: 0)),
        MIDITrackEvent(tick: 0, .noteOn(channel: 0, note: 60, velocity: 100)),
        MIDITrackEvent(tick: 480, .noteOff(channel: 0, note: 60, velocity: 0)),
        MIDITrackEvent(tick: 480, .meta(.endOfTrack)),
      ])
    ])

  /// Format 1, two tracks: every meta kind we decode, an unknown meta, sysex, every channel
  /// message kind, running status, note-on velocity 0 as note-off, and drums on channel 10.
  static let format1: [UInt8] = [
    0x4D, 0x54, 0x68, 0x64,  // "MThd"
    0x00, 0x00, 0x00, 0x06,  // header length 6
    0x00, 0x01,  // format 1
    0x00, 0x02,  // 2 tracks
    0x00, 0x60,  // division: 96 ticks per quarter
    // Track 0 (conductor)
    0x4D, 0x54, 0x72, 0x6B,  // "MTrk"
    0x00, 0x00, 0x00, 0x28,  // track length 40
    0x00, 0xFF, 0x03, 0x04, 0x54, 0x65, 0x73, 0x74,  // delta 0, meta track name, len 4, "Test"
    0x00, 0xFF, 0x58, 0x04, 0x04, 0x02, 0x18, 0x08,  // time signature 4/4 (2^2), 24 clocks, 8 32nds
    0x00, 0xFF, 0x59, 0x02, 0xFE, 0x01,  // key signature: 2 flats (-2), minor
    0x00, 0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0,  // tempo 600000 us/quarter (100 bpm)
    0x00, 0xFF, 0x7F, 0x03, 0x01, 0x02, 0x03,  // sequencer-specific (7F), len 3: kept as unknown
    0x00, 0xFF, 0x2F, 0x00,  // end of track
    // Track 1
    0x4D, 0x54, 0x72, 0x6B,  // "MTrk"
    0x00, 0x00, 0x00, 0x35,  // track length 53
    0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7,  // delta 0, sysex len 5: GM system on
    0x00, 0xB0, 0x07, 0x64,  // control change ch 0, controller 7 (volume), 100
    0x00, 0xE0, 0x00, 0x40,  // pitch bend ch 0, lsb 0, msb 0x40: 8192 (centre)
    0x00, 0x90, 0x3C, 0x50,  // note-on ch 0, C4, velocity 80
    0x00, 0x40, 0x50,  // running status (note-on ch 0): E4, velocity 80
    0x60, 0x3C, 0x00,  // delta 96, running status: C4 velocity 0 (= note-off)
    0x00, 0x40, 0x00,  // running status: E4 velocity 0
    0x00, 0xA0, 0x43, 0x20,  // poly pressure ch 0, G4, 32
    0x00, 0xD0, 0x10,  // channel pressure ch 0, 16
    0x00, 0x99, 0x24, 0x7F,  // note-on ch 9 (drums), key 36 (kick), 127
    0x30, 0x89, 0x24, 0x00,  // delta 48, note-off ch 9, key 36
    0x00, 0xF7, 0x02, 0xF3, 0x01,  // sysex escape, len 2: F3 01
    0x00, 0xFF, 0x2F, 0x00,  // end of track
  ]

  static let format1Value = MIDIFile(
    format: 1, division: 96,
    tracks: [
      MIDITrack(events: [
        MIDITrackEvent(tick: 0, .meta(.trackName("Test"))),
        MIDITrackEvent(
          tick: 0,
          .meta(
            .timeSignature(numerator: 4, denominatorPower: 2, clocksPerClick: 24, thirtySecondsPerQuarter: 8))
        ),
        MIDITrackEvent(tick: 0, .meta(.keySignature(sharps: -2, minor: true))),
        MIDITrackEvent(tick: 0, .meta(.tempo(microsecondsPerQuarter: 600_000))),
        MIDITrackEvent(tick: 0, .meta(.unknown(type: 0x7F, data: [1, 2, 3]))),
        MIDITrackEvent(tick: 0, .meta(.endOfTrack)),
      ]),
      MIDITrack(events: [
        MIDITrackEvent(tick: 0, .sysex([0x7E, 0x7F, 0x09, 0x01, 0xF7])),
        MIDITrackEvent(tick: 0, .controlChange(channel: 0, controller: 7, value: 100)),
        MIDITrackEvent(tick: 0, .pitchBend(channel: 0, value: 8192)),
        MIDITrackEvent(tick: 0, .noteOn(channel: 0, note: 60, velocity: 80)),
        MIDITrackEvent(tick: 0, .noteOn(channel: 0, note: 64, velocity: 80)),
        MIDITrackEvent(tick: 96, .noteOn(channel: 0, note: 60, velocity: 0)),
        MIDITrackEvent(tick: 96, .noteOn(channel: 0, note: 64, velocity: 0)),
        MIDITrackEvent(tick: 96, .polyPressure(channel: 0, note: 67, pressure: 32)),
        MIDITrackEvent(tick: 96, .channelPressure(channel: 0, pressure: 16)),
        MIDITrackEvent(tick: 96, .noteOn(channel: 9, note: 36, velocity: 127)),
        MIDITrackEvent(tick: 144, .noteOff(channel: 9, note: 36, velocity: 0)),
        MIDITrackEvent(tick: 144, .sysexEscape([0xF3, 0x01])),
        MIDITrackEvent(tick: 144, .meta(.endOfTrack)),
      ]),
    ])

  /// What `MIDIWriter.pianoFile` writes for one D4 eighth note at 90 bpm, format 1, division 96.
  static let pianoFormat1: [UInt8] = [
    0x4D, 0x54, 0x68, 0x64,  // "MThd"
    0x00, 0x00, 0x00, 0x06,  // header length 6
    0x00, 0x01,  // format 1
    0x00, 0x02,  // 2 tracks
    0x00, 0x60,  // division 96
    // Track 0: tempo only
    0x4D, 0x54, 0x72, 0x6B,  // "MTrk"
    0x00, 0x00, 0x00, 0x0B,  // track length 11
    0x00, 0xFF, 0x51, 0x03, 0x0A, 0x2C, 0x2B,  // tempo 666667 us/quarter (90 bpm, rounded)
    0x00, 0xFF, 0x2F, 0x00,  // end of track
    // Track 1: name, program, note
    0x4D, 0x54, 0x72, 0x6B,  // "MTrk"
    0x00, 0x00, 0x00, 0x18,  // track length 24
    0x00, 0xFF, 0x03, 0x05, 0x50, 0x69, 0x61, 0x6E, 0x6F,  // track name "Piano"
    0x00, 0xC0, 0x00,  // program change ch 0, program 0
    0x00, 0x90, 0x3E, 0x46,  // note-on ch 0, D4 (62), velocity 70
    0x30, 0x80, 0x3E, 0x00,  // delta 48 (an eighth), note-off ch 0, D4
    0x00, 0xFF, 0x2F, 0x00,  // end of track
  ]

  static let all: [(String, [UInt8])] = [("format0", format0), ("format1", format1), ("piano", pianoFormat1)]

  /// Builds a file from a header and raw track bodies (chunk headers and lengths added).
  static func smf(format: Int = 1, division: Int = 96, tracks: [[UInt8]], declared: Int? = nil) -> [UInt8] {
    var out: [UInt8] = Array("MThd".utf8) + [0, 0, 0, 6, 0, UInt8(format)]
    let n = declared ?? tracks.count
    out += [UInt8(n >> 8), UInt8(n & 0xFF), UInt8(division >> 8), UInt8(division & 0xFF)]
    for t in tracks { out += chunk("MTrk", t) }
    return out
  }

  static func chunk(_ tag: String, _ body: [UInt8]) -> [UInt8] {
    let n = body.count
    return Array(tag.utf8) + [
      UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF),
    ] + body
  }

  static let endOfTrack: [UInt8] = [0x00, 0xFF, 0x2F, 0x00]
}

/// Deterministic pseudo-random numbers for fuzzing (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
