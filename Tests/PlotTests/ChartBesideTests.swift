import Foundation
import Testing

@testable import Plot

/// `Chart.beside`: piano rolls in a row on one pitch range and time span.
@Suite struct ChartBesideTests {
  static let low = PianoRoll.make(title: "low", notes: [
    RollNote(pitch: 60, start: 0, duration: 1), RollNote(pitch: 62, start: 1, duration: 1),
  ])
  static let high = PianoRoll.make(title: "high", notes: [
    RollNote(pitch: 64, start: 0, duration: 2), RollNote(pitch: 65, start: 4, duration: 2),
  ])

  @Test func golden() {
    let expected = """
      two

      low                       high
        F4 │·       ·             F4 │·       ╞═══
        E4 │·       ·             E4 │╞═══    ·
       E-4 │·       ·            E-4 │·       ·
        D4 │· ╞═    ·             D4 │·       ·
       C#4 │·       ·            C#4 │·       ·
        C4 ┤╞═      ·             C4 ┤·       ·
           └┬───────┬───             └┬───────┬───
            0       4                 0       4
              quarters                  quarters
      """
    #expect(Chart.beside([Self.low, Self.high], title: "two").text(width: 50) == expected)
  }

  @Test func rowsLineUpAndFitTheWidth() {
    let text = Chart.beside([Self.low, Self.high, Self.low]).text(width: 80)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { $0.count <= 80 && !$0.hasSuffix(" ") })
    // Every part labels the same pitches on the same rows: E4 (64) appears three times on one line.
    #expect(lines.contains { $0.components(separatedBy: "E4 ").count == 4 })
  }

  @Test func tooNarrowFallsBackToAStack() {
    let parts = Array(repeating: Self.low, count: 5)
    let text = Chart.beside(parts).text(width: 60)
    #expect(text == parts.map { $0.text(width: 60) }.joined(separator: "\n\n"))
  }

  @Test func svgPlacesPartsInARow() {
    let svg = Chart.beside([Self.low, Self.high]).svg(width: 600, height: 200)
    #expect(svg.contains("<g transform=\"translate(0,0)\">"))
    #expect(svg.contains("<g transform=\"translate(300,0)\">"))
    #expect(svg.contains("height=\"200\""))
  }
}
