import Files
import Foundation
import MIDI
import Testing

@testable import Melody

@Suite struct DatasetTests {
  /// A temporary folder with two good files (one in a sub-folder), one broken `.mid`, one file with
  /// no notes, and a text file that is not picked up.
  static func makeFolder() throws -> String {
    let dir = NSTemporaryDirectory() + "midigen-dataset-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
    let a = [
      NoteEvent(pitch: 60, start: 0, duration: 1, velocity: 80),
      NoteEvent(pitch: 64, start: 1, duration: 1, velocity: 80),
    ]
    let b = [
      NoteEvent(pitch: 60, start: 0, duration: 1, velocity: 80),
      NoteEvent(pitch: 67, start: 0, duration: 1, velocity: 80),
      NoteEvent(pitch: 62, start: 0.5, duration: 1, velocity: 80),
    ]
    try MelodyIO.writeMIDI(a, tempo: 100, to: dir + "/a.mid")
    try MelodyIO.writeMIDI(b, tempo: 100, to: dir + "/sub/b.MIDI")
    try AtomicFile.write(Array("MThd".utf8) + [0, 0, 0, 6, 0, 1], to: dir + "/broken.mid")
    try MelodyIO.writeMIDI([], tempo: 100, to: dir + "/empty.mid")
    try AtomicFile.write("not midi", to: dir + "/notes.txt")
    return dir
  }

  @Test func loadsAFolderSkippingBadFiles() throws {
    let dir = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let d = try Dataset.load(dir, options: EncodingOptions())
    #expect(d.songs.map(\.name) == ["a", "b"])
    #expect(d.songs[0].tokens == ["C4", "E4"])
    #expect(d.songs[1].tokens == ["7.0", "D4"])
    #expect(d.songs[1].offsets == [0, 0.5])
    #expect(d.failures.map { ($0.file as NSString).lastPathComponent } == ["broken.mid", "empty.mid"])
    #expect(d.failures[0].reason.hasPrefix("byte 0x"))
    #expect(d.failures[1].reason == "no notes")
    #expect(d.vocab.tokens == ["<PAD>", "7.0", "C4", "D4", "E4"])
    #expect(
      d.summary == "\(dir): 4 files, 2 skipped, 4 events, vocabulary 5 tokens (chords normal, quantize 12)")
  }

  @Test func loadsOneFileAGlobAndALimit() throws {
    let dir = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(try Dataset.load(dir + "/a.mid", options: EncodingOptions()).songs.count == 1)
    let g = try Dataset.load(dir + "/*.mid", options: EncodingOptions())
    #expect(g.songs.map(\.name) == ["a"] && g.failures.count == 2)
    // A glob takes MIDI files only, and expands the directories it matches.
    let all = try Dataset.files(matching: dir + "/*")
    #expect(all.map { ($0 as NSString).lastPathComponent } == ["a.mid", "broken.mid", "empty.mid", "b.MIDI"])
    #expect(try Dataset.files(matching: dir + "/notes.txt") == [dir + "/notes.txt"])
    #expect(try Dataset.load(dir, options: EncodingOptions(), limit: 1).songs.map(\.name) == ["a"])
    #expect(throws: MelodyError.self) { try Dataset.load(dir + "/nothing-*.mid", options: EncodingOptions()) }
    #expect(throws: MelodyError.self) { try Dataset.load(dir + "/missing", options: EncodingOptions()) }
    #expect(throws: MelodyError.self) { try Dataset.load(dir, options: EncodingOptions(quantize: 0)) }
  }

  @Test func parallelLoadIsDeterministic() throws {
    let dir = NSTemporaryDirectory() + "midigen-many-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for i in 0..<40 {
      var notes: [NoteEvent] = []
      for j in 0..<20 {
        let pitch: Int = 40 + (i * 7 + j * 5) % 40
        notes.append(NoteEvent(pitch: pitch, start: Double(j) / 2, duration: 0.5, velocity: 64))
      }
      try MelodyIO.writeMIDI(notes, tempo: 120, to: dir + String(format: "/%03d.mid", i))
    }
    let a = try Dataset.load(dir, options: EncodingOptions())
    let b = try Dataset.load(dir, options: EncodingOptions(), threads: 1)
    let c = try Dataset.load(dir, options: EncodingOptions(), threads: 3)
    #expect(a.songs.count == 40)
    #expect(a.songs == b.songs && a.songs == c.songs)
    #expect(a.songs.map(\.name) == (0..<40).map { String(format: "%03d", $0) })
  }

  @Test func exportsJSONLines() throws {
    let dir = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let d = try Dataset.load(dir, options: EncodingOptions())
    let path = dir + "/out.jsonl"
    try d.writeJSONL(to: path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      text == """
        {"name":"a","tokens":["C4","E4"],"offsets":[0,1]}
        {"name":"b","tokens":["7.0","D4"],"offsets":[0,0.5]}

        """)
    for line in text.split(separator: "\n") {
      let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(obj?["name"] is String)
    }
    #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir)).contains { $0.contains(".tmp") })
  }

  @Test func jsonQuoting() {
    #expect(JSONText.quote("a\"b\\c\n\u{1}é") == "\"a\\\"b\\\\c\\n\\u0001é\"")
    #expect(JSONText.number(0.25) == "0.25")
    #expect(JSONText.number(3) == "3")
    #expect(JSONText.number(.nan) == "null")
  }
}
