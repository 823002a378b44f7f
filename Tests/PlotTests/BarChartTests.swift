import Testing

@testable import Plot

@Suite struct BarChartTests {
  @Test func golden() {
    let chart = BarChart.make(
      title: "Tokens", valueLabel: "count",
      bars: [("C4", 12), ("E-4", 7.5), ("C4.E4.G4", 3), ("rest", 0)])
    let expected = """
      Tokens
             C4 │█████████████████████████ 12
            E-4 │███████████████▋ 7.5
       C4.E4.G4 │██████▎ 3
           rest │ 0
                └┬───────────────────────┬
                 0                      12
                           count
      """
    #expect(chart.text(width: 40) == expected)
  }

  @Test func histogramGolden() {
    let chart = BarChart.histogram(
      title: "Offsets", values: [0, 0.5, 0.5, 1, 1, 1, 1.5, 2, 2.25, .nan], bins: 4)
    let expected = """
      Offsets
       0-1 │████████████████████████ 3
       1-2 │████████████████████████████████ 4
       2-3 │████████████████ 2
           └┬──────────────────────────────┬
            0                              4
                         count
      """
    #expect(chart.text(width: 40) == expected)
  }

  @Test func histogramCountsEveryValueOnce() {
    let values = (0..<1000).map { Double(($0 * 37) % 101) / 10 }
    guard case .bars(let bars) = BarChart.histogram(title: "h", values: values, bins: 10).kind else {
      Issue.record("not a bar chart")
      return
    }
    #expect(bars.reduce(0) { $0 + $1.value } == 1000)
  }

  @Test func controlCharactersInLabelsDoNotBreakRows() {
    let chart = BarChart.make(title: "two\nlines", bars: [("a\tb", 1), ("c\r\nd", 2)])
    let text = chart.text(width: 40)
    #expect(!text.hasSuffix("\n"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 1 + 2 + 2)  // title, bars, axis, tick labels (no value label)
    #expect(lines[0] == "two lines")
    #expect(lines[1].hasPrefix(" a b │"))
  }

  @Test func eighthBlocks() {
    #expect(BarChart.bar(eighthsLong: 0) == "")
    #expect(BarChart.bar(eighthsLong: 3) == "▍")
    #expect(BarChart.bar(eighthsLong: 17) == "██▏")
  }

  @Test func stackJoinsParts() {
    let a = BarChart.make(title: "A", bars: [("x", 1)])
    let b = BarChart.make(title: "B", bars: [("y", 2)])
    let text = Chart.stack([a, b], title: "Dataset").text(width: 40)
    #expect(text == "Dataset\n\n" + a.text(width: 40) + "\n\n" + b.text(width: 40))
  }
}
