import Foundation
import MIDI
import Testing

@testable import Melody

/// The shipped training set (`data/bach`) parses completely and cleanly.
@Suite struct ShippedDataTests {
  static let bach = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../data/bach").standardized.path

  @Test func everyChoraleLoads() throws {
    let d = try Dataset.load(Self.bach, options: EncodingOptions())
    #expect(d.failures.isEmpty, "\(d.failures.prefix(3))")
    #expect(d.songs.count == 410)
    #expect(d.songs.allSatisfy { $0.events.count >= 20 })
    #expect(d.vocab.count > 100)
    // Every token the encoder produced decodes back to pitches.
    for t in d.vocab.tokens.dropFirst() { #expect(throws: Never.self) { try MelodyCodec.pitches(of: t) } }
  }

  @Test func firstChoraleAsMusic21SeesIt() throws {
    // Tokens of bwv1.6 as music21 10.5.1 groups the same file (stripTies, onsets on a 1/12 grid).
    let s = try MelodyIO.readSong(path: Self.bach + "/bwv1.6.mid", options: EncodingOptions())
    #expect(
      Array(s.tokens.prefix(12)) == [
        "5.9.0", "0.4.7", "C4", "5.9.0", "F3", "2.5.9", "F3", "5.9.0", "C4", "10.2.5", "B-4", "9.0",
      ])
    #expect(s.events.count == 161)
    let f = try MIDIReader.read(path: Self.bach + "/bwv1.6.mid")
    #expect(f.warnings.isEmpty && f.format == 1 && f.tracks.count == 6)
  }
}
