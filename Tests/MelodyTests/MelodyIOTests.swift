import Files
import Foundation
import MIDI
import Testing

@testable import Melody

@Suite struct MelodyIOTests {
  @Test func writtenNotesReadBack() throws {
    let path = NSTemporaryDirectory() + "midigen-io-\(UInt32.random(in: 0...UInt32.max)).mid"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let notes = try MelodyCodec.decode(
      tokens: ["C4", "0.4.7", "B-3", "E-5"], offsets: [0, 0.5, 1.25, 1.0 / 3])
    try MelodyIO.writeMIDI(notes, tempo: 96, to: path)
    let file = try MIDIReader.read(path: path)
    #expect(file.format == 1 && file.division == 480)
    #expect(abs(file.tempo - 96) < 0.01)
    #expect(file.warnings.isEmpty)
    let back = file.notes().map {
      NoteEvent(
        pitch: $0.pitch, start: Double($0.startTick) / 480, duration: Double($0.durationTicks) / 480,
        velocity: $0.velocity)
    }
    let expected = notes.sorted { ($0.start, $0.pitch) < ($1.start, $1.pitch) }
    #expect(back.count == expected.count)
    for (b, e) in zip(back, expected) {
      #expect(b.pitch == e.pitch && b.velocity == e.velocity)
      #expect(abs(b.start - e.start) <= 0.5 / 480 && abs(b.duration - e.duration) <= 1.0 / 480)
    }
    let song = try MelodyIO.readSong(path: path, options: EncodingOptions())
    #expect(song.tokens == ["C4", "0.4.7", "B-3", "E-5"])
    #expect(song.name == (path as NSString).lastPathComponent.replacingOccurrences(of: ".mid", with: ""))
  }

  @Test func readSongNamesTheFileInErrors() throws {
    let path = NSTemporaryDirectory() + "midigen-bad-\(UInt32.random(in: 0...UInt32.max)).mid"
    try AtomicFile.write("garbage!", to: path)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(
      throws: MIDIError(file: path, offset: 0, message: "not a MIDI file: expected 'MThd' at the start")
    ) {
      try MelodyIO.readSong(path: path, options: EncodingOptions())
    }
  }

  @Test func nonFiniteValuesDoNotTrap() throws {
    let notes = [
      NoteEvent(pitch: 60, start: .nan, duration: .infinity, velocity: 300),
      NoteEvent(pitch: 200, start: -5, duration: -1, velocity: -3),
      NoteEvent(pitch: 61, start: 1e300, duration: 1, velocity: 64),
    ]
    let file = MelodyIO.midiFile(notes, tempo: .nan)
    let back = try MIDIReader.read(MIDIWriter.bytes(file), name: "x")
    #expect(back.tempo == 120)
    #expect(back.notes().map(\.pitch) == [60, 127, 61])
    #expect(back.notes().map(\.velocity) == [127, 1, 64])
    #expect(back.notes().last?.startTick == 500_000 * 480)
  }

  @Test func songNames() {
    #expect(MelodyIO.songName("data/bach/bwv1.6.mid") == "bwv1.6")
    #expect(MelodyIO.songName("x") == "x")
    #expect(MelodyIO.songName(".hidden") == ".hidden")
  }
}
