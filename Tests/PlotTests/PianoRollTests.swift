import Testing

@testable import Plot

@Suite struct PianoRollTests {
  @Test func goldenWithChordAndRepeatedNotes() {
    let roll = PianoRoll.make(
      title: "Arpeggio",
      notes: [
        RollNote(pitch: 60, start: 0, duration: 2), RollNote(pitch: 64, start: 0, duration: 2),
        RollNote(pitch: 67, start: 0, duration: 2), RollNote(pitch: 62, start: 2, duration: 1),
        RollNote(pitch: 62, start: 3, duration: 1), RollNote(pitch: 65, start: 4, duration: 0.5),
        RollNote(pitch: 63, start: 4.5, duration: 1.5),
      ])
    let expected = """
      Arpeggio
        G4 │╞═══════        ·
       F#4 │·               ·
        F4 │·               ╞═
        E4 │╞═══════        ·
       E-4 │·               · ╞═════
        D4 │·       ╞═══╞═══·
       C#4 │·               ·
        C4 ┤╞═══════        ·
           └┬───────────────┬───────
            0               4
                    quarters
      """
    #expect(roll.text(width: 40) == expected)
  }

  @Test func longMelodyWrapsAtBarLines() {
    let notes = (0..<40).map { RollNote(pitch: 60 + ($0 % 3) * 2, start: Double($0), duration: 1) }
    let expected = """
      Long
        E4 │· ╞ ·╞  ╞  ╞· ╞ ·╞  ╞  ╞· ╞ ·╞
       E-4 │·   ·   ·   ·   ·   ·   ·   ·
        D4 │·╞  ╞  ╞· ╞ ·╞  ╞  ╞· ╞ ·╞  ╞  ╞
       C#4 │·   ·   ·   ·   ·   ·   ·   ·
        C4 ┤╞  ╞· ╞ ·╞  ╞  ╞· ╞ ·╞  ╞  ╞· ╞
           └┬───┬───┬───┬───┬───┬───┬───┬───
            0   4   8   12  16  20  24  28

        E4 │╞  ╞· ╞
       E-4 │·   ·
        D4 │· ╞ ·╞
       C#4 │·   ·
        C4 ┤·╞  ╞  ╞
           └┬───┬───
            32  36
            quarters
      """
    #expect(PianoRoll.make(title: "Long", notes: notes).text(width: 40) == expected)
  }

  @Test func layoutScales() {
    // Short: 4 cells per quarter on one line.
    #expect(PianoRoll.Layout(quarters: 16, columns: 74).cpq == 4)
    // Too long for 2 cells per quarter: 1 cell per quarter, wrapped at whole bars.
    let wrapped = PianoRoll.Layout(quarters: 200, columns: 74)
    #expect(wrapped.cpq == 1 && wrapped.perSystem == 72 && wrapped.systems == 3)
    // Very long: compressed so it fits on at most 4 lines.
    let long = PianoRoll.Layout(quarters: 5000, columns: 74)
    #expect(long.cpq < 1 && long.systems <= 4)
    // A bar wider than the plot: coarser scale, never a system wider than the columns.
    let narrow = PianoRoll.Layout(quarters: 16, columns: 12)
    #expect(narrow.cpq == 1 && narrow.perSystem == 12 && narrow.systems == 2)
  }

  @Test(arguments: [30, 50, 80])
  func everyNoteVisibleAndFits(width: Int) {
    var notes: [RollNote] = []
    for i in 0..<200 {
      notes.append(RollNote(pitch: 48 + (i * 5) % 25, start: Double(i) * 0.75, duration: 0.75))
    }
    let text = PianoRoll.make(title: "Melody", notes: notes).text(width: width)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { $0.count <= width })
    // Every pitch used has a labelled row that contains at least one onset.
    for p in Set(notes.map(\.pitch)) {
      let label = NoteNames.name(p)
      #expect(
        lines.contains {
          $0.hasPrefix(String(repeating: " ", count: 4 - label.count) + label + " ") && $0.contains("╞")
        })
    }
  }

  @Test func emptyRoll() {
    #expect(PianoRoll.make(title: "M", notes: []).text() == "M\n(no notes)")
  }
}
