import Testing

@testable import Plot

@Suite struct ChartTests {
  /// Every kind of chart, including empty ones, at several widths: no trailing newline, no trailing
  /// spaces, no line wider than asked.
  @Test(arguments: [30, 80, 100])
  func textContract(width: Int) {
    for (name, chart) in SVGTests.charts {
      let text = chart.text(width: width)
      #expect(!text.hasSuffix("\n"), "\(name)")
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        #expect(!line.hasSuffix(" ") && line.count <= width, "\(name): '\(line)'")
      }
    }
  }

  @Test func widthAndHeightAreClamped() {
    let chart = LineChart.make(
      title: "t", xLabel: "", yLabel: "", series: [Series(name: "", values: [1, 2])])
    #expect(chart.text(width: 5, height: 1) == chart.text(width: 30, height: 3))
    #expect(chart.svg(width: 10, height: 10) == chart.svg(width: 200, height: 120))
  }
}
