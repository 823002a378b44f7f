import Testing

@testable import MIDI

/// Truly malformed data: an error naming the file and the byte offset.
@Suite struct MIDIErrorTests {
  func error(_ bytes: [UInt8]) -> MIDIError? {
    do {
      _ = try MIDIReader.read(bytes, name: "bad.mid")
      return nil
    } catch let e as MIDIError {
      return e
    } catch {
      return nil
    }
  }

  @Test func descriptionFormat() {
    let e = MIDIError(file: "song.mid", offset: 418, message: "truncated event")
    #expect(e.description == "song.mid: byte 0x1A2 (418): truncated event")
  }

  @Test func notAMIDIFile() {
    #expect(error(Array("hello world, not midi".utf8))?.offset == 0)
    #expect(error([])?.message == "not a MIDI file: expected 'MThd' at the start")
  }

  @Test func headerTooShort() {
    var b = Fixtures.format0
    b[7] = 4
    #expect(error(b) == MIDIError(file: "bad.mid", offset: 4, message: "header length 4 is less than 6"))
  }

  @Test func truncatedHeader() {
    #expect(error(Array(Fixtures.format0.prefix(12)))?.offset == 0)
  }

  @Test func smpteDivisionIsRejectedClearly() {
    var b = Fixtures.format0
    b[12] = 0xE7  // -25 fps
    b[13] = 40  // 40 ticks per frame
    let e = error(b)
    #expect(e?.offset == 12)
    #expect(e?.message == "SMPTE time division (25 frames/s, 40 ticks/frame) is not supported")
  }

  @Test func unknownFormat() {
    var b = Fixtures.format0
    b[9] = 3
    #expect(error(b)?.message == "unknown format 3 (expected 0, 1 or 2)")
  }

  @Test func truncatedEventInsideAnHonestChunk() {
    // Track claims 7 bytes; the note-off inside is cut after its status byte.
    let body: [UInt8] = [0x00, 0x90, 60, 90, 0x60, 0x80, 60]
    var b = Fixtures.smf(tracks: [body])
    b += [0x4D, 0x54, 0x72, 0x6B, 0, 0, 0, 4] + Fixtures.endOfTrack  // a second, fine track
    let e = error(b)
    #expect(e?.offset == 22 + 4)  // start of the note-off event (its delta time)
    #expect(e?.message.hasPrefix("truncated event") == true)
  }

  @Test func dataByteWithoutRunningStatus() {
    let b = Fixtures.smf(tracks: [[0x00, 0x3C, 0x40] + Fixtures.endOfTrack])
    #expect(
      error(b) == MIDIError(file: "bad.mid", offset: 23, message: "data byte 0x3C with no running status"))
  }

  @Test func statusByteWhereDataByteBelongs() {
    let b = Fixtures.smf(tracks: [[0x00, 0x90, 0x3C, 0x90] + Fixtures.endOfTrack])
    #expect(error(b)?.offset == 25)
  }

  @Test func systemRealTimeStatusInATrack() {
    let b = Fixtures.smf(tracks: [[0x00, 0xF8] + Fixtures.endOfTrack])
    #expect(error(b)?.message == "unexpected status byte 0xF8 in a track")
  }

  @Test func badChunkTypeBeforeAllTracks() {
    var b = Fixtures.smf(tracks: [Fixtures.endOfTrack], declared: 2)
    b += [0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0]
    #expect(error(b)?.offset == 26)
  }

  @Test func metaLengthPastChunkEnd() {
    let b =
      Fixtures.smf(tracks: [[0x00, 0xFF, 0x01, 0x7F, 0x41]]) + Fixtures.chunk("MTrk", Fixtures.endOfTrack)
    #expect(error(b)?.offset == 22)
  }

  @Test func riffWithoutData() {
    let b: [UInt8] = Array("RIFF".utf8) + [4, 0, 0, 0] + Array("RMID".utf8)
    #expect(error(b)?.message == "RIFF RMID file has no 'data' chunk")
  }
}
