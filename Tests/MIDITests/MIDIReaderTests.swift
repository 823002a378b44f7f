import Files
import Foundation
import Testing

@testable import MIDI

@Suite struct MIDIReaderTests {
  @Test func format0FixtureDecodes() throws {
    let f = try MIDIReader.read(Fixtures.format0, name: "f0.mid")
    #expect(f == Fixtures.format0Value)
    #expect(f.warnings.isEmpty)
    #expect(f.tempo == 120)
    #expect(f.lengthInTicks == 480)
  }

  @Test func format1FixtureDecodes() throws {
    let f = try MIDIReader.read(Fixtures.format1, name: "f1.mid")
    #expect(f.warnings == [])
    #expect(f.format == 1 && f.division == 96 && f.tracks.count == 2)
    for (got, want) in zip(f.tracks[1].events, Fixtures.format1Value.tracks[1].events) {
      #expect(got == want)
    }
    #expect(f == Fixtures.format1Value)
    #expect(f.tracks[0].name == "Test")
    #expect(f.tempo == 100)
  }

  @Test func format2TracksAreLaidOneAfterAnother() throws {
    let t: [UInt8] = [0x00, 0x90, 60, 90, 0x60, 0x80, 60, 0] + Fixtures.endOfTrack
    let f = try MIDIReader.read(Fixtures.smf(format: 2, tracks: [t, t]), name: "f2")
    #expect(f.format == 2)
    #expect(f.notes().map(\.startTick) == [0, 96])
  }

  @Test func longerHeaderIsSkipped() throws {
    var bytes = Fixtures.format0
    bytes[7] = 8  // header length 8
    bytes.insert(contentsOf: [0xAA, 0xBB], at: 14)
    let f = try MIDIReader.read(bytes, name: "x")
    #expect(f.tracks == Fixtures.format0Value.tracks)
  }

  @Test func readsFromDisk() throws {
    let path = "/tmp/midigen-midi-test-\(UInt32.random(in: 0...UInt32.max)).mid"
    try AtomicFile.write(Fixtures.format0, to: path)
    defer { _ = unlinkFile(path) }
    #expect(try MIDIReader.read(path: path) == Fixtures.format0Value)
    #expect(throws: MIDIError.self) { try MIDIReader.read(path: path + ".missing") }
  }

  @Test func metaTextKindsAndLatin1() throws {
    // Meta text (01), length 3: "a\u{e9}b" in Latin-1 (not valid UTF-8).
    let body: [UInt8] = [0x00, 0xFF, 0x01, 0x03, 0x61, 0xE9, 0x62] + Fixtures.endOfTrack
    let f = try MIDIReader.read(Fixtures.smf(tracks: [body]), name: "t")
    #expect(f.tracks[0].events[0].kind == .meta(.text(type: 1, "a\u{e9}b")))
  }
}

func unlinkFile(_ p: String) -> Bool { (try? FileManager.default.removeItem(atPath: p)) != nil }
