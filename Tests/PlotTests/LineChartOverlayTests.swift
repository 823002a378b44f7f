import Foundation
import Testing

@testable import Plot

/// Dense series overlaid on the first: `Series.connected` draws one marker per column.
@Suite struct LineChartOverlayTests {
  static func curve(_ name: String, _ scale: Double, connected: Bool) -> Series {
    Series(name: name, points: (1...200).map { (x: Double($0), y: scale / Double($0).squareRoot()) },
           connected: connected)
  }

  @Test func connectedSeriesIsADottedCurve() {
    let chart = LineChart.make(
      title: "overlay", xLabel: "step", yLabel: "loss",
      series: [Self.curve("a", 4, connected: true), Self.curve("b", 6, connected: true)])
    let expected = """
      overlay
       loss
       6 ┤
         │
       4 ┤╮
         │o
         ││o
       2 ┤╰─ooo
         │  ╰──oooooooooooooooooooooooooooooooooooooooo
       0 ┤                   ╰─────────────────────────o
         └──────────────────────┬──────────────────────┬
                               100                   200
                               step
       ─ a  o b
      """
    #expect(chart.text(width: 50, height: 8) == expected)
  }

  @Test func connectedSeriesHasOneMarkerPerColumn() {
    let dots = LineChart.make(title: "t", xLabel: "", yLabel: "",
                              series: [Self.curve("a", 4, connected: false), Self.curve("b", 6, connected: true)])
    let text = dots.text(width: 60, height: 10)
    let rows = text.split(separator: "\n").dropLast().map(Array.init)  // without the legend
    let markedColumns = (0..<60).map { c in rows.filter { c < $0.count && $0[c] == "o" }.count }
    #expect(markedColumns.allSatisfy { $0 <= 1 })
    #expect(markedColumns.reduce(0, +) > 40)
    // Without `connected`, the same series marks each of its 200 points (many share cells).
    let marks = LineChart.make(title: "t", xLabel: "", yLabel: "",
                               series: [Self.curve("a", 4, connected: false), Self.curve("b", 6, connected: false)])
    #expect(marks.text(width: 60, height: 10) != text)
    // The first series is a line either way.
    #expect(text.contains("╰"))
  }
}
