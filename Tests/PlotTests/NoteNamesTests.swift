import Testing

@testable import Plot

@Suite struct NoteNamesTests {
  @Test(arguments: [
    (60, "C4"), (61, "C#4"), (62, "D4"), (63, "E-4"), (64, "E4"), (65, "F4"), (66, "F#4"), (67, "G4"),
    (68, "G#4"), (69, "A4"), (70, "B-4"), (71, "B4"), (72, "C5"), (21, "A0"), (0, "C-1"), (127, "G9"),
    (-1, "B-2"),
  ])
  func music21Spelling(midi: Int, name: String) {
    #expect(NoteNames.name(midi) == name)
  }

  @Test func blackKeys() {
    #expect((60...71).filter(NoteNames.isBlackKey) == [61, 63, 66, 68, 70])
  }
}
