import Foundation
import Testing

@testable import Plot

@Suite struct LineChartTests {
  static let loss = LineChart.make(
    title: "Loss", xLabel: "step", yLabel: "loss",
    series: [
      Series(name: "train", points: [(0, 3.0), (10, 2.2), (20, 1.6), (30, 1.3), (40, 1.2), (50, 1.1)]),
      Series(name: "valid", points: [(25, 1.8), (50, 1.5)]),
    ])

  @Test func golden() {
    let expected = """
      Loss
       loss
       3 ┤─╮
         │ ╰───╮
       2 ┤     ╰───╮
         │         ╰────╮   o
         │              ╰─────────────╮      o
       1 ┤                            ╰───────
         └┬─────────────┬─────────────┬───────
          0            20            40
                          step
       ─ train  o valid
      """
    #expect(Self.loss.text(width: 40, height: 6) == expected)
  }

  @Test(arguments: [30, 40, 80, 120])
  func fitsWidth(width: Int) {
    var points: [(x: Double, y: Double)] = []
    for i in 0..<500 { points.append((Double(i), 5 / Double(i + 1) + 0.001 * Double(i % 7))) }
    let chart = LineChart.make(
      title: "A long title that goes on and on and on and on and on and on past 80", xLabel: "step",
      yLabel: "loss", series: [Series(name: "train", points: points)])
    let lines = chart.text(width: width, height: 15).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { $0.count <= width })
    #expect(lines.count == 1 + 1 + 15 + 3 + 1)  // title, y label, rows, axis, ticks, x label, legend
  }

  @Test func unsortedPointsAreSorted() {
    let sorted = LineChart.make(
      title: "t", xLabel: "", yLabel: "", series: [Series(name: "", values: [1, 3, 2])])
    let shuffled = LineChart.make(
      title: "t", xLabel: "", yLabel: "",
      series: [Series(name: "", points: [(2, 2), (0, 1), (1, 3)])])
    #expect(sorted.text(width: 40, height: 5) == shuffled.text(width: 40, height: 5))
  }

  @Test func emptyAndDegenerateSeries() {
    let empty = LineChart.make(title: "Loss", xLabel: "", yLabel: "", series: [])
    #expect(empty.text() == "Loss\n(no data)")
    let nan = LineChart.make(
      title: "Loss", xLabel: "", yLabel: "", series: [Series(name: "a", values: [.nan])])
    #expect(nan.text() == "Loss\n(no data)")
    let single = LineChart.make(title: "One", xLabel: "", yLabel: "", series: [Series(name: "", values: [2])])
    #expect(single.text(width: 40, height: 5).contains("─"))
  }

  @Test func interpolation() {
    let pts: [(x: Double, y: Double)] = [(0, 0), (10, 5), (20, 5)]
    #expect(LineChart.interpolate(pts, at: 5) == 2.5)
    #expect(LineChart.interpolate(pts, at: 15) == 5)
    #expect(LineChart.interpolate(pts, at: 21) == nil)
  }
}

@Suite struct LineChartDecimationTests {
  @Test func keepsEnvelopeAndBoundsSize() {
    var pts: [(x: Double, y: Double)] = []
    for i in 0..<100_000 {
      let spike: Double = i == 54_321 ? 5 : 0
      pts.append((x: Double(i), y: sin(Double(i) / 500) + spike))
    }
    let d = LineChart.decimate(pts, buckets: 600)
    #expect(d.count <= 4 * 600)
    #expect(d.first?.x == 0 && d.last?.x == 99_999)
    #expect(d.contains { $0.x == 54_321 && $0.y > 4 })  // the spike survives
    #expect(zip(d, d.dropFirst()).allSatisfy { $0.x < $1.x })
    // Small inputs are untouched.
    #expect(LineChart.decimate(Array(pts.prefix(100)), buckets: 600).count == 100)
  }
}
