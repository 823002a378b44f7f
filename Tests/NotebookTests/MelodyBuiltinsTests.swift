import Foundation
import Melody
import Testing
@testable import Notebook

/// `transpose`, `a + b` on melodies, `take`/`drop` clamping.
@Suite struct MelodyBuiltinsTests {
  static func melody(_ tokens: [String], offsets: [Double]? = nil) throws -> Value {
    let offs = offsets ?? tokens.indices.map { $0 == 0 ? 0 : 0.5 }
    return .object(try MelodyObject(name: "m", tokens: tokens, offsets: offs))
  }

  static func interpreter(_ vars: [String: Value]) -> Interpreter {
    let i = TestSupport.interpreter()
    for (k, v) in vars { i.session.variables[k] = v }
    return i
  }

  @Test(arguments: [
    ("C4", 1, "C#4"), ("C#4", 2, "E-4"), ("B3", 1, "C4"), ("E-4", -3, "C4"), ("A4", 12, "A5"),
    ("0.4.7", 2, "2.6.9"), ("0.4.7", 1, "1.5.8"), ("11.2.4.5", 2, "1.4.6.7"), ("5", 7, "0"),
    ("0.3.6.9", 1, "1.4.7.10"), ("4.8.0", 1, "1.5.9"), ("48.52.55", -12, "36.40.43"), ("<PAD>", 5, "<PAD>"),
  ])
  func tokens(token: String, by: Int, expected: String) throws {
    #expect(try MelodyObject.transpose(token: token, by: by) == expected)
  }

  /// Every pitch-class chord the codec can spell, moved by every interval: the result is what the
  /// codec would spell for the moved pitches (normal order), and moving back returns the original.
  @Test func chordsStayInNormalOrder() throws {
    for mask in 1..<4096 {
      let classes = (0..<12).filter { mask >> $0 & 1 == 1 }
      let token = MelodyCodec.normalOrderToken(classes)
      for k in [-7, -1, 1, 5, 11] {
        let moved = try MelodyObject.transpose(token: token, by: k)
        #expect(moved == MelodyCodec.normalOrderToken(classes.map { $0 + 60 + k }))
        #expect(try MelodyObject.transpose(token: moved, by: -k) == token)
      }
    }
  }

  @Test func transposeAMelody() throws {
    let i = Self.interpreter(["m": try Self.melody(["C4", "0.4.7", "B-4", "<PAD>"])])
    #expect(TestSupport.run(i, "transpose(m, 3).tokens") == "[\"E-4\", \"3.7.10\", \"C#5\", \"<PAD>\"]")
    #expect(TestSupport.run(i, "transpose(m, -12).pitches") == "[48, 60, 64, 67, 58]")
    #expect(TestSupport.run(i, "transpose(transpose(m, 5), -5).tokens") == TestSupport.run(i, "m.tokens"))
  }

  @Test(arguments: [
    ("transpose(m, 100)", "1:14", "transpose() by 100: event 0 (C4): C4 would be pitch 160, outside 0...127"),
    ("transpose(m, 200)", "1:14", "semitones must be between -127 and 127, got 200"),
    ("transpose(m, 0.5)", "1:14", "semitones must be an integer, got 0.5"),
    ("transpose(3, 1)", "1:11", "transpose() expects a melody as argument 1, got an integer"),
    ("transpose(m)", "1:1", "transpose() needs a number of semitones as argument 2"),
    ("take(m, -1)", "1:9", "take() needs a number of events >= 0, got -1"),
    ("m + 1", "1:3", "cannot apply '+' to a melody and an integer"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) throws {
    let i = Self.interpreter(["m": try Self.melody(["C4", "D4"])])
    let r = i.run(source)
    #expect(r.error?.range.start.description == at, "\(r.error?.message ?? "no error")")
    #expect(r.error?.message.contains(message) == true, "\(r.error?.message ?? "no error")")
  }

  @Test func takeAndDropClamp() throws {
    let i = Self.interpreter(["m": try Self.melody(["C4", "D4", "E4"])])
    #expect(TestSupport.run(i, "take(m, 1000).tokens") == "[\"C4\", \"D4\", \"E4\"]")
    #expect(TestSupport.run(i, "drop(m, 1000).count") == "0")
    #expect(TestSupport.run(i, "take(m, 0).count") == "0")
    #expect(TestSupport.run(i, "drop(m, 1).offsets") == "[0.0, 0.5]")
  }

  @Test func joinContinuesTheOffsets() throws {
    // a: C4 at 0, D4 at 1 (lasting 0.5) -> ends at 1.5; b starts there.
    let a = try Self.melody(["C4", "D4"], offsets: [0, 1])
    let b = try Self.melody(["E4", "F4"], offsets: [0, 0.25])
    let i = Self.interpreter(["a": a, "b": b])
    #expect(TestSupport.run(i, "(a + b).tokens") == "[\"C4\", \"D4\", \"E4\", \"F4\"]")
    #expect(TestSupport.run(i, "(a + b).offsets") == "[0.0, 1.0, 0.5, 0.25]")
    #expect(TestSupport.run(i, "(a + b).quarters") == "2.25")
    #expect(TestSupport.run(i, "(a + b).name") == "\"m + m\"")
    // Joining is associative in its events and notes.
    _ = i.run("x = (a + b) + a\ny = a + (b + a)")
    guard case .object(let x as MelodyObject)? = i.session.variables["x"],
          case .object(let y as MelodyObject)? = i.session.variables["y"]
    else { Issue.record("not melodies"); return }
    #expect(x.offsets == y.offsets && x.tokens == y.tokens && x.notes == y.notes)
    // The notes are what decoding the joined events gives.
    #expect(x.notes == (try MelodyObject(name: "x", events: x.events, tempo: 120)).notes)
    // An empty side leaves the other as it is.
    #expect(TestSupport.run(i, "(take(a, 0) + b).offsets") == "[0.0, 0.25]")
    #expect(TestSupport.run(i, "(a + take(b, 0)).offsets") == "[0.0, 1.0]")
  }

  /// A melody with its own notes (as from a MIDI file) keeps them when joined and transposed.
  @Test func ownNotesFollow() throws {
    let events = [Event(token: "C4", offset: 0, duration: 2, velocity: 80)]
    let own = MelodyObject(name: "midi", events: events, tempo: 90,
                           notes: [NoteEvent(pitch: 60, start: 0, duration: 2, velocity: 80),
                                   NoteEvent(pitch: 48, start: 0.5, duration: 1, velocity: 70)])
    let j = own.joined(with: own)
    #expect(j.ownNotes && j.notes.map(\.pitch) == [60, 48, 60, 48] && j.notes.map(\.start) == [0, 0.5, 2, 2.5])
    #expect(j.offsets == [0, 2])
    let t = try own.transposed(by: -2)
    #expect(t.notes.map(\.pitch) == [58, 46] && t.tokens == ["B-3"])
    #expect(throws: (any Error).self) { try own.transposed(by: -50) }
  }
}
