import Foundation
import Testing

@testable import MIDI

@Suite struct MIDIWriterTests {
  @Test func format0ValueEncodesToFixture() {
    #expect(MIDIWriter.bytes(Fixtures.format0Value) == Fixtures.format0)
  }

  @Test func pianoFileEncodesToFixture() {
    let note = MIDINote(pitch: 62, velocity: 70, startTick: 0, endTick: 48)
    let file = MIDIWriter.pianoFile(notes: [note], tempo: 90, division: 96, format: 1)
    #expect(MIDIWriter.bytes(file) == Fixtures.pianoFormat1)
  }

  @Test(arguments: [0, 1])
  func pianoFileRoundTripsNotes(format: Int) throws {
    var rng = SplitMix64(seed: 7)
    var notes: [MIDINote] = []
    for _ in 0..<300 {
      let start = Int.random(in: 0..<5000, using: &rng)
      notes.append(
        MIDINote(
          pitch: Int.random(in: 0...127, using: &rng), velocity: Int.random(in: 1...127, using: &rng),
          startTick: start, endTick: start + Int.random(in: 1...400, using: &rng)))
    }
    // Same pitch overlapping itself is ambiguous in MIDI; keep one note per pitch at a time.
    var lastEnd = [Int: Int]()
    notes.sort { ($0.startTick, $0.pitch) < ($1.startTick, $1.pitch) }
    notes = notes.filter { n in
      if let e = lastEnd[n.pitch], e > n.startTick { return false }
      lastEnd[n.pitch] = n.endTick
      return true
    }
    let file = MIDIWriter.pianoFile(notes: notes, tempo: 133, division: 240, format: format)
    let back = try MIDIReader.read(MIDIWriter.bytes(file), name: "rt")
    #expect(back.warnings.isEmpty)
    #expect(back.format == format)
    #expect(back.division == 240)
    #expect(abs(back.tempo - 133) < 0.01)
    let expected = notes.map { n in
      MIDINote(
        pitch: n.pitch, velocity: n.velocity, channel: 0, track: format, startTick: n.startTick,
        endTick: n.endTick)
    }
    #expect(back.notes() == expected)
  }

  @Test(arguments: Fixtures.all.map(\.0))
  func fixturesRoundTripThroughWriter(name: String) throws {
    let bytes = try #require(Fixtures.all.first { $0.0 == name }?.1)
    let file = try MIDIReader.read(bytes, name: name)
    let again = try MIDIReader.read(MIDIWriter.bytes(file), name: name)
    #expect(again == file)
  }

  @Test func everyEventKindRoundTrips() throws {
    let kinds: [MIDIEvent] = [
      .noteOff(channel: 3, note: 1, velocity: 2), .noteOn(channel: 15, note: 127, velocity: 127),
      .polyPressure(channel: 1, note: 2, pressure: 3), .controlChange(channel: 2, controller: 64, value: 127),
      .programChange(channel: 4, program: 5), .channelPressure(channel: 5, pressure: 6),
      .pitchBend(channel: 6, value: 16383), .pitchBend(channel: 6, value: 0), .sysex([1, 2, 0xF7]),
      .sysexEscape([0xF8]), .meta(.sequenceNumber(513)), .meta(.text(type: 5, "lyric")),
      .meta(.trackName("Name")), .meta(.channelPrefix(3)), .meta(.tempo(microsecondsPerQuarter: 0xFF_FFFF)),
      .meta(.smpteOffset([1, 2, 3, 4, 5])),
      .meta(
        .timeSignature(numerator: 6, denominatorPower: 3, clocksPerClick: 36, thirtySecondsPerQuarter: 8)),
      .meta(.keySignature(sharps: 7, minor: false)),
      .meta(.unknown(type: 0x60, data: Array(repeating: 9, count: 200))),
      .meta(.endOfTrack),
    ]
    let events = kinds.enumerated().map { MIDITrackEvent(tick: $0.offset * 1000, $0.element) }
    let file = MIDIFile(format: 0, division: 1000, tracks: [MIDITrack(events: events)])
    let back = try MIDIReader.read(MIDIWriter.bytes(file), name: "kinds")
    #expect(back == file)
  }

  @Test func missingEndOfTrackIsAdded() throws {
    let file = MIDIFile(
      format: 0, division: 96,
      tracks: [MIDITrack(events: [MIDITrackEvent(tick: 5, .programChange(channel: 0, program: 1))])])
    let bytes = MIDIWriter.bytes(file)
    #expect(Array(bytes.suffix(4)) == [0x00, 0xFF, 0x2F, 0x00])
    #expect(try MIDIReader.read(bytes, name: "x").warnings.isEmpty)
  }

  @Test func writesAtomically() throws {
    let dir = "/tmp/midigen-writer-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try MIDIWriter.write(Fixtures.format0Value, to: dir + "/a.mid")
    try MIDIWriter.write(Fixtures.format0Value, to: dir + "/a.mid")  // replaces
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.mid"])
    #expect(try MIDIReader.read(path: dir + "/a.mid") == Fixtures.format0Value)
    #expect(throws: (any Error).self) {
      try MIDIWriter.write(Fixtures.format0Value, to: dir + "/no/such/dir.mid")
    }
  }
}
