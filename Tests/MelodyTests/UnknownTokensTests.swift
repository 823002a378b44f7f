import Testing
@testable import Melody

@Suite struct UnknownTokensTests {
  let vocab = Vocabulary(songs: [Song(name: "a", events: ["C4", "E4", "G5", "0.4.7", "2.5.9", "4.7.11"].map {
    Event(token: $0, offset: 0.5, duration: 0.5, velocity: 90)
  })])

  @Test func errorNamesTheToken() {
    #expect(throws: MelodyError.unknownToken("4.7")) {
      try vocab.encode(["C4", "4.7"], offsets: [0, 1], unknown: .error)
    }
  }

  @Test func skipKeepsTheTiming() throws {
    let e = try vocab.encode(["C4", "4.7", "D9", "E4"], offsets: [0, 1, 0.5, 0.25], unknown: .skip)
    #expect(e.ids == [vocab.index(of: "C4")!, vocab.index(of: "E4")!])
    #expect(e.offsets == [0, 1.75])
    #expect(e.skipped == 2 && e.mapped == 0 && e.unknown == ["4.7", "D9"])
  }

  @Test(arguments: [
    ("4.7", "0.4.7"),  // 0.4.7 and 4.7.11 both share two classes and add one: the first in vocabulary order
    ("4.7.11.2", "4.7.11"), ("5.9", "2.5.9"), ("D4", "C4"), ("F4", "E4"), ("C#4", "C4"), ("B6", "G5"),
    ("<PAD>", "C4"),
  ])
  func nearestStandsIn(_ token: String, _ want: String) throws {
    if token == "<PAD>" {
      // <PAD> is not a note or chord: no stand-in.
      #expect(throws: MelodyError.self) { try vocab.encode([token], offsets: [0], unknown: .nearest) }
      return
    }
    let e = try vocab.encode([token], offsets: [0], unknown: .nearest)
    #expect(e.ids == [vocab.index(of: want)!])
    #expect(e.mapped == 1)
  }
}
