import Testing

@testable import Melody

@Suite struct VocabularyTests {
  static func song(_ tokens: [String]) -> Song {
    Song(name: "s", events: tokens.map { Event(token: $0, offset: 0.5, duration: 0.5, velocity: 90) })
  }

  @Test func sortedDistinctTokensAfterPad() {
    let v = Vocabulary(songs: [Self.song(["C4", "0.4.7", "B-3", "C4"]), Self.song(["E-4", "11.2"])])
    // Byte order, as Python's sorted(): digits < uppercase letters.
    #expect(v.tokens == ["<PAD>", "0.4.7", "11.2", "B-3", "C4", "E-4"])
    #expect(v.count == 6)
    #expect(v.index(of: "C4") == 4)
    #expect(v[4] == "C4")
    #expect(v.index(of: "D4") == nil)
  }

  @Test func encodeAndDecode() throws {
    let v = Vocabulary(songs: [Self.song(["C4", "D4"])])
    let (ids, skipped) = try v.encode(["D4", "C4", "D4"], skipUnknown: false)
    #expect(ids == [2, 1, 2] && skipped == 0)
    #expect(try v.decode(ids) == ["D4", "C4", "D4"])
    #expect(throws: MelodyError.badID(3, count: 3)) { try v.decode([3]) }
  }

  @Test func unknownTokenIsAnErrorNamingItOrSkippedWithACount() throws {
    let v = Vocabulary(songs: [Self.song(["C4"])])
    #expect(throws: MelodyError.unknownToken("F#9")) { try v.encode(["C4", "F#9"], skipUnknown: false) }
    #expect(MelodyError.unknownToken("F#9").description == "token 'F#9' is not in the vocabulary")
    let (ids, skipped) = try v.encode(["F#9", "C4", "G1"], skipUnknown: true)
    #expect(ids == [1] && skipped == 2)
  }

  @Test func savedTokenListsAreChecked() throws {
    #expect(try Vocabulary(tokens: ["<PAD>", "C4", "0.4"]).index(of: "0.4") == 2)
    #expect(throws: MelodyError.self) { try Vocabulary(tokens: ["C4"]) }
    #expect(throws: MelodyError.self) { try Vocabulary(tokens: []) }
    #expect(throws: MelodyError.badVocabulary("token 'C4' appears twice")) {
      try Vocabulary(tokens: ["<PAD>", "C4", "C4"])
    }
  }
}
