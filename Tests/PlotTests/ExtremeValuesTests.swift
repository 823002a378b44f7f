import Foundation
import Testing

@testable import Plot

/// Charts survive any finite values: losses of ±1e308, steps up to Int.max, piano rolls of 1e15 quarters
/// or notes ±1e300 apart, in text and SVG, with output of bounded size. The magnitudes are generated
/// (every power of ten up to 1e308, both signs, mixed), not picked.
@Suite struct ExtremeValuesTests {
  static let magnitudes: [Double] = (0...308).map { pow(10, Double($0)) } + [.greatestFiniteMagnitude, 9.2e18]

  static func bounded(_ c: Chart) -> Bool {
    let t = c.text(width: 80, height: 15), s = c.svg()
    return t.count < 20_000 && s.count < 200_000 && !t.isEmpty && !s.contains("nan") && !s.contains("inf")
  }

  @Test func lineChartsOfExtremeFiniteValues() {
    var rng = SystemRandomNumberGenerator()
    for (k, m) in Self.magnitudes.enumerated() {
      let ys: [Double] = [m, -m, m / 3, 0, -m, m]
      let xs: [Double] = [0, 1, Double(Int.max), Double(Int.max) / 2, -m, m].shuffled(using: &rng)
      let train = Series(name: "train", points: zip(xs, ys).map { ($0, $1) })
      let valid = Series(name: "valid", points: [(Double(Int.max), m), (-Double(Int.max), -m), (.nan, 1), (2, .infinity)])
      let c = LineChart.make(title: "loss \(k)", xLabel: "step", yLabel: "loss", series: [train, valid])
      #expect(Self.bounded(c), "magnitude \(m)")
    }
    let edge = LineChart.make(title: "edge", xLabel: "step", yLabel: "", series: [
      Series(name: "", points: [(0, 1e308), (Double(Int.max), -1e308)]),
    ])
    #expect(Self.bounded(edge))
  }

  @Test func pianoRollsOfAnyLength() {
    for m in Self.magnitudes {
      let notes = [
        RollNote(pitch: 60, start: 0, duration: 1), RollNote(pitch: 64, start: m, duration: 1),
        RollNote(pitch: 67, start: -m, duration: m), RollNote(pitch: 200, start: m / 2, duration: .greatestFiniteMagnitude),
        RollNote(pitch: -5, start: .nan, duration: 1), RollNote(pitch: 62, start: 1, duration: .infinity),
      ]
      let c = PianoRoll.make(title: "roll", notes: notes)
      #expect(Self.bounded(c), "magnitude \(m)")
    }
    // 1e15 quarters (5.8 TB of cells once): a few systems of at most the width.
    let long = PianoRoll.make(title: "long", notes: [RollNote(pitch: 60, start: 0, duration: 1),
                                                    RollNote(pitch: 62, start: 1e15, duration: 1)])
    let text = long.text(width: 80)
    #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 } && text.count < 5000)
  }
}
