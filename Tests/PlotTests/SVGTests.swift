import Foundation
import Testing

@testable import Plot

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses XML and counts elements by name; `error` is set when the document is not well-formed.
final class ElementCounter: NSObject, XMLParserDelegate {
  var counts: [String: Int] = [:]
  /// All character data, concatenated (the parser may split one text node at entities).
  var text = ""
  var error: Error?

  static func parse(_ xml: String) -> ElementCounter {
    let counter = ElementCounter()
    let parser = XMLParser(data: Data(xml.utf8))
    parser.delegate = counter
    if !parser.parse() { counter.error = parser.parserError ?? CocoaError(.coderReadCorrupt) }
    return counter
  }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    counts[name, default: 0] += 1
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

@Suite struct SVGTests {
  static let charts: [(String, Chart)] = [
    (
      "line",
      LineChart.make(
        title: "Loss <train & valid>", xLabel: "step", yLabel: "loss",
        series: [
          Series(name: "train", points: (0..<300).map { (Double($0), 3 / Double($0 + 1)) }),
          Series(name: "valid \"held out\"", points: [(100, 0.5), (200, 0.3)]),
        ])
    ),
    (
      "roll",
      PianoRoll.make(
        title: "Melody",
        notes: (0..<64).map {
          RollNote(pitch: 55 + ($0 * 5) % 24, start: Double($0) * 0.5, duration: 0.5)
        })
    ),
    (
      "bars",
      BarChart.make(title: "Tokens", valueLabel: "count", bars: [("C4", 5), ("C4.E4.G4", 2), ("<rest>", 1)])
    ),
    (
      "stack",
      Chart.stack(
        [
          BarChart.make(title: "A", bars: [("x", 1)]), BarChart.histogram(title: "B", values: [0, 0.5, 1]),
        ], title: "Dataset")
    ),
    ("empty", LineChart.make(title: "Nothing", xLabel: "", yLabel: "", series: [])),
    ("emptyRoll", PianoRoll.make(title: "No notes", notes: [])),
  ]

  @Test(arguments: charts.map(\.0))
  func wellFormed(name: String) throws {
    let chart = try #require(Self.charts.first { $0.0 == name }?.1)
    let svg = chart.svg()
    let parsed = ElementCounter.parse(svg)
    #expect(parsed.error == nil, "\(name): \(String(describing: parsed.error))")
    #expect(parsed.counts["svg"] == 1)
    #expect((parsed.counts["text"] ?? 0) >= 1)
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height="))
  }

  @Test func titleIsEscapedAndLegendPresent() {
    let parsed = ElementCounter.parse(Self.charts[0].1.svg())
    #expect(parsed.text.contains("Loss <train & valid>"))
    #expect(parsed.text.contains("valid \"held out\""))
    #expect(parsed.counts["polyline"] == 2)
  }

  @Test func pianoRollHasOneRectPerNote() {
    let notes = [
      RollNote(pitch: 60, start: 0, duration: 1), RollNote(pitch: 64, start: 0, duration: 1),
      RollNote(pitch: 67, start: 1, duration: 2),
    ]
    let parsed = ElementCounter.parse(PianoRoll.make(title: "C", notes: notes).svg())
    #expect(parsed.error == nil)
    // Background + shaded black-key rows (C#4, E-4, F#4 in 59...68) + one per note.
    #expect(parsed.counts["rect"] == 1 + 4 + 3)
    #expect(parsed.text.contains("C4") && parsed.text.contains("G4"))
  }

  @Test func stackHeightIsPerPart() {
    let stack = Chart.stack([
      BarChart.make(title: "A", bars: [("x", 1)]), BarChart.make(title: "B", bars: [("y", 1)]),
    ])
    #expect(stack.svg(width: 400, height: 200).contains("height=\"400\""))
  }

  @Test func deterministic() {
    for (_, chart) in Self.charts { #expect(chart.svg() == chart.svg()) }
  }
}
