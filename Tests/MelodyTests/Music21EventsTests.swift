import Foundation
import MIDI
import Testing
@testable import Melody

/// `events: "music21"` against music21 5.7.1's own output (Tests/Fixtures/music21/expected.json, written by
/// scripts/torch/compare_music21.py for its edge-case MIDIs and chorales of data/bach).
@Suite struct Music21EventsTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  struct Expected: Decodable { var tokens: [String]; var offsets: [Double] }

  static func fixture() throws -> [String: Expected] {
    let url = root.appendingPathComponent("Tests/Fixtures/music21/expected.json")
    return try JSONDecoder().decode([String: Expected].self, from: try Data(contentsOf: url))
  }

  @Test func matchesMusic21OnEveryFixtureFile() throws {
    let files = try Self.fixture()
    #expect(files.count >= 30)
    #expect(files.keys.contains { $0.contains("music21_edge/") })
    for (path, want) in files.sorted(by: { $0.key < $1.key }) {
      let song = try MelodyIO.readSong(path: Self.root.appendingPathComponent(path).path,
                                        options: EncodingOptions(events: .music21))
      #expect(song.tokens == want.tokens, "\(path)")
      #expect(song.offsets.count == want.offsets.count, "\(path)")
      let worst = zip(song.offsets, want.offsets).map { abs($0 - $1) }.max() ?? 0
      #expect(worst < 1e-9, "\(path): offsets differ by \(worst)")
    }
  }

  @Test(arguments: [
    (0.0, 0), (0.25, 3), (0.29, 3), (7.0 / 24, 3), (0.3, 4), (0.33, 4), (0.625, 8), (0.875, 9), (1.1, 12),
    (1.2, 15), (2.5, 30), (-1.0, 0),
  ])
  func quantizesToTheNearerOfTheQuarterAndTripletGrids(_ x: Double, _ twelfths: Int) {
    #expect(Music21Events.quantize(x) == twelfths)
  }

  static func file(_ events: [(Int, MIDIEvent)], division: Int = 480) -> MIDIFile {
    MIDIFile(format: 1, division: division,
             tracks: [MIDITrack(events: events.map { MIDITrackEvent(tick: $0.0, $0.1) })])
  }

  @Test func restruckNoteEndsTheHeldOneAndIsConsumed() {
    let f = Self.file([
      (0, .programChange(channel: 0, program: 0)),
      (0, .noteOn(channel: 0, note: 60, velocity: 90)), (480, .noteOn(channel: 0, note: 60, velocity: 90)),
      (960, .noteOff(channel: 0, note: 60, velocity: 0)), (960, .noteOn(channel: 0, note: 62, velocity: 90)),
      (1440, .noteOff(channel: 0, note: 62, velocity: 0)), (1440, .noteOn(channel: 0, note: 64, velocity: 90)),
    ])
    let s = Music21Events.encode(f, name: "x")
    #expect(s.tokens == ["C4", "D4"])  // the re-strike is gone; E4 is never switched off: dropped
    #expect(s.offsets == [0, 2])
    #expect(s.events[0].duration == 1)
  }

  @Test func notesStartingTogetherWithDifferentEndsStaySeparate() {
    let f = Self.file([
      (0, .noteOn(channel: 0, note: 60, velocity: 90)), (0, .noteOn(channel: 0, note: 64, velocity: 90)),
      (0, .noteOn(channel: 0, note: 67, velocity: 90)),
      (480, .noteOff(channel: 0, note: 60, velocity: 0)), (480, .noteOff(channel: 0, note: 67, velocity: 0)),
      (960, .noteOff(channel: 0, note: 64, velocity: 0)),
    ])
    let s = Music21Events.encode(f, name: "x")
    // C4+G4 end together: a chord; E4 stays a note at the same offset (after it: music21's insertion order).
    #expect(s.tokens == ["7.0", "E4"])  // normal order: 7 then 0 (a fourth)
    #expect(s.offsets == [0, 0])
  }

  /// 20,000 notes at one tick and 5,000 program changes: bounded work, no hang.
  @Test func pathologicalFilesStayFast() {
    var events: [(Int, MIDIEvent)] = []
    for k in 0..<20_000 { events.append((0, .noteOn(channel: 0, note: UInt8(k % 128), velocity: 90))) }
    for k in 0..<20_000 { events.append((10 + k % 7, .noteOff(channel: 0, note: UInt8(k % 128), velocity: 0))) }
    for k in 0..<5_000 { events.append((20 + k, .programChange(channel: 0, program: UInt8(k % 2)))) }
    for k in 0..<5_000 {
      events.append((20 + k, .noteOn(channel: 1, note: 60, velocity: 90)))
      events.append((21 + k, .noteOff(channel: 1, note: 60, velocity: 0)))
    }
    events.sort { $0.0 < $1.0 }
    let start = Date()
    let s = Music21Events.encode(Self.file(events), name: "x")
    #expect(!s.events.isEmpty)
    #expect(Date().timeIntervalSince(start) < 2)
  }

  @Test func defaultEncodingIsUnchanged() throws {
    let data = try JSONEncoder().encode(EncodingOptions())
    #expect(!String(decoding: data, as: UTF8.self).contains("events"))
    let old = Data(#"{"chords":"normal","quantize":12,"drums":false}"#.utf8)
    #expect(try JSONDecoder().decode(EncodingOptions.self, from: old) == EncodingOptions())
    let m = try JSONDecoder().decode(EncodingOptions.self, from: try JSONEncoder().encode(EncodingOptions(events: .music21)))
    #expect(m.events == .music21)
  }
}
