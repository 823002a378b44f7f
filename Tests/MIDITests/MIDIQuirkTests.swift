import Testing

@testable import MIDI

/// What real files do, and how the reader copes.
@Suite struct MIDIQuirkTests {
  let noteC: [UInt8] = [0x00, 0x90, 60, 90, 0x60, 0x80, 60, 0]  // C4 for a quarter (division 96)

  @Test func noteOnVelocityZeroEndsANote() throws {
    let body: [UInt8] = [0x00, 0x90, 60, 90, 0x60, 0x90, 60, 0] + Fixtures.endOfTrack
    let notes = try MIDIReader.read(Fixtures.smf(tracks: [body]), name: "q").notes()
    #expect(notes == [MIDINote(pitch: 60, velocity: 90, startTick: 0, endTick: 96)])
  }

  @Test func overlappingNotesOfOnePitchEndOldestFirst() throws {
    // on@0, on@48, off@96, off@144: two notes 0-96 and 48-144.
    let body: [UInt8] =
      [0x00, 0x90, 60, 90, 0x30, 0x90, 60, 80, 0x30, 0x80, 60, 0, 0x30, 0x80, 60, 0] + Fixtures.endOfTrack
    let x = try MIDIReader.read(Fixtures.smf(tracks: [body]), name: "q").extractNotes()
    #expect(x.notes.map { [$0.startTick, $0.endTick, $0.velocity] } == [[0, 96, 90], [48, 144, 80]])
    #expect(x.unterminated == 0)
  }

  @Test func oneKeyOnTwoChannelsMakesTwoNotes() throws {
    // ch 0 on@0, ch 1 on@0, ch 0 off@48, ch 1 off@96 (same key 60).
    let body: [UInt8] =
      [0x00, 0x90, 60, 90, 0x00, 0x91, 60, 70, 0x30, 0x80, 60, 0, 0x30, 0x81, 60, 0] + Fixtures.endOfTrack
    let notes = try MIDIReader.read(Fixtures.smf(tracks: [body]), name: "q").notes()
    #expect(notes.map { [$0.channel, $0.startTick, $0.endTick] } == [[0, 0, 48], [1, 0, 96]])
  }

  @Test func notesNeverSwitchedOffEndAtTrackEnd() throws {
    let body: [UInt8] = [0x00, 0x90, 60, 90, 0x00, 0x90, 64, 90, 0x83, 0x00, 0xFF, 0x2F, 0x00]  // EOT at 384
    let x = try MIDIReader.read(Fixtures.smf(tracks: [body]), name: "q").extractNotes()
    #expect(x.notes.map(\.endTick) == [384, 384])
    #expect(x.unterminated == 2)
  }

  @Test func strayNoteOffIsCountedAndIgnored() throws {
    let body: [UInt8] = [0x00, 0x80, 61, 0] + noteC + Fixtures.endOfTrack
    let x = try MIDIReader.read(Fixtures.smf(tracks: [body]), name: "q").extractNotes()
    #expect(x.notes.count == 1 && x.strayNoteOffs == 1)
  }

  @Test func drumsAreLeftOutUnlessAsked() throws {
    let f = try MIDIReader.read(Fixtures.format1, name: "f1")
    #expect(f.notes().map(\.pitch) == [60, 64])
    #expect(f.notes(includeDrums: true).map(\.pitch) == [60, 64, 36])
    #expect(f.noteOnCount == 3)
  }

  @Test func unknownChunkIsSkippedByLength() throws {
    var bytes = Fixtures.smf(tracks: [noteC + Fixtures.endOfTrack])
    bytes.insert(contentsOf: Fixtures.chunk("XFIH", [1, 2, 3, 0xFF, 0x90]), at: 14)
    let f = try MIDIReader.read(bytes, name: "q")
    #expect(f.warnings.map(\.kind) == [.unknownChunk])
    #expect(f.warnings[0].offset == 14)
    #expect(f.notes().count == 1)
  }

  @Test func riffRMIDWrapperIsUnwrapped() throws {
    let smf = Fixtures.format0
    var riff: [UInt8] = Array("RIFF".utf8)
    let inner = 4 + 8 + smf.count
    riff += [UInt8(inner & 0xFF), UInt8(inner >> 8 & 0xFF), 0, 0]  // little-endian size
    riff += Array("RMID".utf8) + Array("data".utf8)
    riff += [UInt8(smf.count & 0xFF), UInt8(smf.count >> 8 & 0xFF), 0, 0] + smf
    let f = try MIDIReader.read(riff, name: "r.rmi")
    #expect(f.tracks == Fixtures.format0Value.tracks)
    #expect(f.warnings.map(\.kind) == [.riffWrapper])
    // Errors inside the wrapped file carry offsets from the start of the RIFF file.
    var bad = riff
    bad[20 + 22 + 1] = 0xF4  // status byte of the first event of the track -> invalid
    #expect(throws: MIDIError(file: "r.rmi", offset: 43, message: "unexpected status byte 0xF4 in a track")) {
      try MIDIReader.read(bad, name: "r.rmi")
    }
  }

  @Test func macBinaryHeaderBeforeMThdIsSkipped() throws {
    let bytes = [UInt8](repeating: 0, count: 128) + Fixtures.format0
    let f = try MIDIReader.read(bytes, name: "q")
    #expect(f.tracks == Fixtures.format0Value.tracks)
    #expect(
      f.warnings == [MIDIWarning(kind: .leadingData, offset: 0, message: "skipped 128 bytes before 'MThd'")])
    // Too far in: not a MIDI file.
    #expect(throws: MIDIError.self) {
      try MIDIReader.read([UInt8](repeating: 0, count: 2000) + Fixtures.format0, name: "q")
    }
  }

  @Test func missingEndOfTrackIsAWarning() throws {
    let f = try MIDIReader.read(Fixtures.smf(tracks: [noteC]), name: "q")
    #expect(f.warnings.map(\.kind) == [.missingEndOfTrack])
    #expect(f.notes().count == 1)
  }

  @Test func lastChunkOverrunningTheFileIsReadAsFarAsItGoes() throws {
    var bytes = Fixtures.smf(tracks: [noteC + noteC.map { $0 } + Fixtures.endOfTrack])
    bytes[21] = 0xFF  // claim 255 bytes
    bytes.removeLast(6)  // and cut inside the second note-off / end of track
    let f = try MIDIReader.read(bytes, name: "q")
    #expect(f.warnings.map(\.kind) == [.chunkOverrunsFile])
    let x = f.extractNotes()
    #expect(x.notes.count == 2)
    #expect(x.unterminated == 1)
  }

  @Test func junkAfterTheLastChunkIsIgnored() throws {
    let bytes = Fixtures.format0 + [0x00, 0x00, 0x01, 0x0D, 0x0A]
    let f = try MIDIReader.read(bytes, name: "q")
    #expect(f.tracks == Fixtures.format0Value.tracks)
    #expect(f.warnings.map(\.kind) == [.trailingData])
    #expect(f.warnings[0].offset == Fixtures.format0.count)
  }

  @Test func asciiTextAfterTheLastChunkIsIgnored() throws {
    let bytes = Fixtures.format0 + Array("Copyright 1999 Nobody\n".utf8)
    let f = try MIDIReader.read(bytes, name: "q")
    #expect(f.tracks == Fixtures.format0Value.tracks)
    #expect(f.warnings.map(\.kind) == [.trailingData])
  }

  @Test func eventsAfterEndOfTrackAreIgnored() throws {
    let f = try MIDIReader.read(Fixtures.smf(tracks: [Fixtures.endOfTrack + noteC]), name: "q")
    #expect(f.warnings.map(\.kind) == [.eventsAfterEndOfTrack])
    #expect(f.notes().isEmpty)
  }

  @Test func trackCountMismatchIsAWarning() throws {
    let f = try MIDIReader.read(Fixtures.smf(tracks: [noteC + Fixtures.endOfTrack], declared: 3), name: "q")
    #expect(f.warnings.map(\.kind) == [.trackCountMismatch])
  }

  @Test func runningStatusAfterMetaIsToleratedWithAWarning() throws {
    let body: [UInt8] = [0x00, 0x90, 60, 90, 0x00, 0xFF, 0x01, 0x01, 0x41, 0x60, 60, 0] + Fixtures.endOfTrack
    let f = try MIDIReader.read(Fixtures.smf(tracks: [body]), name: "q")
    #expect(f.warnings.map(\.kind) == [.runningStatusAfterMetaOrSysex])
    #expect(f.notes() == [MIDINote(pitch: 60, velocity: 90, startTick: 0, endTick: 96)])
  }

  @Test func badKnownMetaLengthIsKeptAsUnknown() throws {
    let body: [UInt8] = [0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1] + Fixtures.endOfTrack  // tempo with 2 bytes
    let f = try MIDIReader.read(Fixtures.smf(tracks: [body]), name: "q")
    #expect(f.tracks[0].events[0].kind == .meta(.unknown(type: 0x51, data: [0x07, 0xA1])))
    #expect(f.tempo == 120)
  }
}
