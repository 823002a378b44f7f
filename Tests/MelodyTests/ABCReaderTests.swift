import Foundation
import Testing
@testable import Melody
@testable import MIDI

@Suite struct ABCReaderTests {
  /// (pitch, start, end) in quarters of the only tune of `text`.
  func notes(_ text: String) throws -> [(Int, Double, Double)] {
    let tunes = ABCReader.parse(Array(text.utf8))
    #expect(tunes.count == 1)
    let tune = try tunes[0].get()
    let d = Double(ABCTune.division)
    return tune.notes.map { ($0.pitch, Double($0.startTick) / d, Double($0.endTick) / d) }
  }

  func error(_ text: String) -> ABCError? {
    let tunes = ABCReader.parse(Array(text.utf8))
    guard tunes.count == 1, case .failure(let e) = tunes[0] else { return nil }
    return e
  }

  func pitches(_ body: String, key: String = "C", unit: String = "1/4") throws -> [Int] {
    try notes("X:1\nL:\(unit)\nK:\(key)\n\(body)\n").map(\.0)
  }

  @Test func octavesAndLetters() throws {
    #expect(try pitches("C D E F G A B c d e f g a b c' C, C,,") ==
      [60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77, 79, 81, 83, 84, 48, 36])
  }

  @Test(arguments: [
    ("G", "F", 66), ("D", "C", 61), ("F", "B", 70), ("Bb", "E", 63), ("Am", "F", 65), ("Em", "F", 66),
    ("Dmix", "C", 60), ("Dmix", "F", 66), ("Ador", "F", 66), ("Edor", "C", 61), ("Gm", "E", 63),
    ("Bphr", "C", 60), ("Glyd", "C", 61), ("F#m", "G", 68), ("none", "F", 65), ("D ^g", "G", 68),
    ("HP", "F", 65), ("Hp", "F", 66), ("D clef=treble", "C", 61), ("A mix", "G", 67), ("", "F", 65),
  ])
  func keySignatures(key: String, note: String, expected: Int) throws {
    #expect(try pitches(note, key: key) == [expected], "K:\(key) \(note)")
  }

  @Test func accidentalsLastUntilTheBar() throws {
    #expect(try pitches("^F F f | F =F F | _B B ^^C __D", key: "C") == [66, 66, 77, 65, 65, 65, 70, 70, 62, 60])
    #expect(try pitches("F =F F | F", key: "G") == [66, 65, 65, 66])
  }

  @Test func lengthsBrokenRhythmTupletsTies() throws {
    let n = try notes("X:1\nL:1/8\nM:4/4\nK:C\nA2 B/ c// d3/2 e>f g<a (3abc d-d e2-|e\n")
    let expected: [(Int, Double, Double)] = [
      (69, 0, 1), (71, 1, 1.25), (72, 1.25, 1.375), (74, 1.375, 2.125),
      (76, 2.125, 2.875), (77, 2.875, 3.125), (79, 3.125, 3.375), (81, 3.375, 4.125),
      (81, 4.125, 4.125 + 1.0 / 3), (83, 4.125 + 1.0 / 3, 4.125 + 2.0 / 3), (72, 4.125 + 2.0 / 3, 5.125),
      (74, 5.125, 6.125), (76, 6.125, 7.625),
    ]
    #expect(n.count == expected.count)
    for (a, b) in zip(n, expected) {
      #expect(a.0 == b.0 && abs(a.1 - b.1) < 1e-3 && abs(a.2 - b.2) < 1e-3, "\(a) vs \(b)")
    }
  }

  @Test func chordsRestsAndDefaultUnit() throws {
    // M:2/4 makes the default unit a sixteenth; M:6/8 an eighth.
    let a = try notes("X:1\nM:2/4\nK:C\n[CEG]4 z2 C2\n")
    #expect(a.map(\.0) == [60, 64, 67, 60])
    #expect(a[3].1 == 1.5 && a[0].2 == 1)
    let b = try notes("X:1\nM:6/8\nK:C\nC z C | Z2 | C\n")
    #expect(b.map(\.1) == [0, 1, 7.5])  // Z2: two bars of 6/8 = 6 quarters
  }

  @Test func skipsDecorationsGraceNotesAnnotationsAndRepeats() throws {
    let text = "X:1\nT:A tune\nL:1/4\nK:G\n|:\"G\"!trill!~G {ag}.A (Bc)|1 d:|2 e|] [1 f [|g||\n"
    #expect(try notes(text).map(\.0) == [67, 69, 71, 72, 74, 76, 78, 79])
  }

  @Test func voicesHaveTheirOwnTimeLine() throws {
    let n = try notes("X:1\nL:1/4\nK:C\nV:1\nC D\nV:2\nE F\nV:1\nG\n")
    #expect(n.map { "\($0.0)@\($0.1)" } == ["60@0.0", "64@0.0", "62@1.0", "65@1.0", "67@2.0"])
  }

  @Test func inlineFieldsChangeKeyAndUnit() throws {
    #expect(try pitches("F [K:G] F [L:1/8] F", key: "C") == [65, 66, 66])
    let n = try notes("X:1\nL:1/4\nK:C\nC [L:1/8] C C\n")
    #expect(n.map(\.1) == [0, 1, 1.5])
  }

  @Test func tempoAndTitle() throws {
    let t = try ABCReader.parse(Array("X:7\nT:First\nT:Second\nQ:3/8=40\nK:C\nC\n".utf8))[0].get()
    #expect(t.number == 7 && t.title == "First" && t.tempo == 60 && t.line == 1)
    let u = try ABCReader.parse(Array("X:1\nQ:\"Allegro\" 1/4=132\nK:C\nC\n".utf8))[0].get()
    #expect(u.tempo == 132)
    // A tempo that is only text keeps the tempo the tune had (120 by default).
    let v = try ABCReader.parse(Array("X:1\nQ:\"Slowly and Smoothly\"\nK:C\nC\n".utf8))[0].get()
    #expect(v.tempo == 120)
    let w = try ABCReader.parse(Array("X:1\nQ:1/4=90\nK:C\nC [Q:\"Andante\"] D\n".utf8))[0].get()
    #expect(w.tempo == 90)
    // No text and no number is still an error.
    #expect(error("X:1\nQ:fast\nK:C\nC\n")?.message.contains("expected a tempo") == true)
  }

  @Test func directiveEndingInBackslashGoesOnOverTheNextLine() throws {
    // Aird's Airs: an abcm2ps `%%Bfly` directive continued onto a line of numbers.
    let text = "X:1\nL:1/4\n%%Bfly 0 300 6 3 \\\n 0 0 3 2 1 4\nK:C\nC D\n% a comment \\\nE F G\n"
    #expect(try notes(text).map(\.0) == [60, 62])
    // Without the backslash the next line is a line like any other.
    #expect(error("X:1\n%%Bfly 0 300\n 0 0 3 2\nK:C\nC\n")?.line == 3)
  }

  @Test func decorationsAndSlursInsideChords() throws {
    #expect(try pitches("[HC2HA2] [E(e]c) [.C~E!p!G]") == [60, 69, 64, 76, 72, 60, 64, 67])
  }

  @Test func severalTunesAndBlankLines() throws {
    let text = "Some file header\n\nX:1\nK:C\nC\n\nX:2\nK:C\nD E\nX:3\nK:Q\nC\n"
    let tunes = ABCReader.parse(Array(text.utf8))
    #expect(tunes.count == 3)
    #expect(try tunes[0].get().notes.count == 1 && tunes[0].get().line == 3)
    #expect(try tunes[1].get().notes.count == 2)
    guard case .failure(let e) = tunes[2] else {
      Issue.record("K:Q must fail")
      return
    }
    #expect(e.line == 11 && e.column == 3 && e.message.contains("unknown key"))
  }

  @Test(arguments: [
    ("X:1\nK:C\nC D & E\n", 3, 5, "voice overlay"),
    ("X:1\nK:C\nC \"G D\n", 3, 3, "not closed"),
    ("X:1\nK:C\nC [CE D\n", 3, 3, "chord not closed"),
    ("X:1\nK:C\nC {ag D\n", 3, 3, "grace notes not closed"),
    ("X:1\nK:C\nC ^ D\n", 3, 3, "note letter"),
    ("X:1\nK:C\nC0\n", 3, 2, "note length 0"),
    ("X:1\nK:C\nC99999999\n", 3, 2, "too large"),
    ("X:1\nK:C\nc''''''''''\n", 3, 1, "octave"),
    ("X:1\nK:C\nC * D\n", 3, 3, "unexpected '*'"),
    ("X:1\nK:C\nC \u{e9}\n", 3, 3, "not ASCII"),
    ("X:1\nL:1/0\nK:C\nC\n", 2, 3, "fraction"),
    ("X:1\nM:7\nK:C\nC\n", 2, 3, "meter"),
    ("X:1\nT:x\nCDE\n", 3, 1, "header field"),
    ("X:1\nT:x\n", 1, 1, "no K:"),
    ("X:1\nK:C\n[]\n", 3, 1, "empty chord"),
    ("X:1\nK:C\nC>>>>D\n", 3, 2, "broken rhythm"),
    ("X:1\nK:C\n[K:G C\n", 3, 1, "inline field"),
  ])
  func errorsAreLocated(text: String, line: Int, column: Int, message: String) {
    guard let e = error(text) else {
      Issue.record("no error for \(text.debugDescription)")
      return
    }
    #expect(e.line == line && e.column == column && e.message.contains(message), "\(e)")
  }

  @Test func loadGivesOneSongPerTuneAndLocatedFailures() throws {
    let dir = NSTemporaryDirectory() + "abc-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "X:1\nK:G\nGAB\n\nX:2\nK:C\nC & D\n\nX:3\nK:D\nd2 [df]\n".write(
      toFile: dir + "/book.abc", atomically: true, encoding: .utf8)
    try "X:1\nK:C\nCEG\n".write(toFile: dir + "/one.abc", atomically: true, encoding: .utf8)
    let ds = try Dataset.load(dir, options: EncodingOptions())
    #expect(ds.songs.map(\.name) == ["book#1", "book#3", "one"])
    #expect(ds.songs[0].tokens == ["G4", "A4", "B4"])
    #expect(ds.songs[1].tokens == ["D5", "2.6"])
    #expect(ds.songs[1].offsets == [0, 1])
    #expect(ds.failures.count == 1)
    #expect(ds.failures[0].file == dir + "/book.abc:7:3" && ds.failures[0].reason.contains("overlay"))
  }

  /// Generated hostile inputs: random bytes from the ABC alphabet, mutations and truncations of a
  /// real tune. Nothing may trap, every result is a tune or a located error, and notes stay in range.
  @Test func fuzzedInputNeverTraps() {
    var rng = SplitMix(seed: 16)
    let alphabet = Array("X:KLMQTV1234567890/ABCDEFGabcdefgzZx^_=,'|:[]()<>-{}\"!.~ \n#&%*\\+$".utf8)
    let tune = Array("""
      X:1
      T:Test
      M:6/8
      L:1/8
      Q:3/8=120
      K:Dmix
      |:"D"d2A (3FGA d>e|[df]2 {g}f ^g=g_a|1 z3 C,2-C:|2 B'/c'// [K:G] [L:1/16] c4|]
      V:2
      (5abcde ~f!trill!g

      """.utf8)
    for round in 0..<3000 {
      var input: [UInt8]
      switch round % 3 {
      case 0:
        input = (0..<rng.below(200)).map { _ in alphabet[rng.below(alphabet.count)] }
        input = Array("X:1\nK:C\n".utf8) + input
      case 1:
        input = tune
        for _ in 0..<(1 + rng.below(8)) {
          let k = rng.below(input.count)
          switch rng.below(3) {
          case 0: input[k] = alphabet[rng.below(alphabet.count)]
          case 1: input.remove(at: k)
          default: input.insert(UInt8(truncatingIfNeeded: rng.below(256)), at: k)
          }
        }
      default:
        input = Array(tune.prefix(rng.below(tune.count + 1)))
      }
      let lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
      for r in ABCReader.parse(input) {
        switch r {
        case .success(let t):
          #expect(t.notes.allSatisfy { $0.pitch >= 0 && $0.pitch <= 127 && $0.endTick >= $0.startTick })
        case .failure(let e):
          #expect(e.line >= 1 && e.line <= lines && e.column >= 1, "\(e)")
        }
      }
    }
  }

  @Test func hugeLengthsAreBounded() {
    // 1000 bar rests of 10,000 bars each: past maxQuarters, an error rather than a huge time line.
    let text = "X:1\nK:C\n" + String(repeating: "Z9999 ", count: 100) + "\n"
    let r = ABCReader.parse(Array(text.utf8))
    guard case .failure(let e) = r[0] else {
      Issue.record("expected an error")
      return
    }
    #expect(e.message.contains("longer than"))
  }

  @Test func shippedFolkCorpusReads() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let ds = try Dataset.load(root + "/data/folk", options: EncodingOptions())
    #expect(ds.songs.count == 4222)
    #expect(ds.failures.count == 40)
    #expect(ds.failures.allSatisfy { $0.file.split(separator: ":").count == 3 })
  }
}

/// SplitMix64, for generated test inputs.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

extension ABCReaderTests {
  @Test func aFileHoldsAtMostMaxFileNotes() {
    // 11 tunes of 199,999 notes: the 11th starts past the file's 2,000,000 notes and fails.
    let tune = "X:1\nK:C\n" + String(repeating: "C", count: 199_999) + "\n\n"
    let r = ABCReader.parse(Array(String(repeating: tune, count: 12).utf8))
    #expect(r.count == 12)
    #expect(r.prefix(11).allSatisfy { (try? $0.get()) != nil })
    guard case .failure(let e) = r[11] else {
      Issue.record("the 12th tune must fail")
      return
    }
    #expect(e.message.contains("more than 2000000 notes") && e.line == 11 * 4 + 1)
  }
}
