/// One named data series of a line chart.
public struct Series: Sendable {
  public var name: String
  /// Points in any order; they are drawn sorted by `x`. Non-finite points are skipped.
  public var points: [(x: Double, y: Double)]

  public init(name: String, points: [(x: Double, y: Double)]) {
    self.name = name
    self.points = points
  }

  /// A series whose x values are 0, 1, 2, ...
  public init(name: String, values: [Double]) {
    self.init(name: name, points: values.enumerated().map { (Double($0.offset), $0.element) })
  }

  /// The finite points sorted by x (stable for equal x), clamped to ±1e300 so spans stay finite.
  var cleaned: [(x: Double, y: Double)] {
    points.enumerated()
      .filter { $0.element.x.isFinite && $0.element.y.isFinite }
      .sorted { ($0.element.x, $0.offset) < ($1.element.x, $1.offset) }
      .map { (x: min(max($0.element.x, -1e300), 1e300), y: min(max($0.element.y, -1e300), 1e300)) }
  }
}

/// A note of a piano roll, in quarter notes.
public struct RollNote: Sendable, Equatable {
  public var pitch: Int
  public var start: Double
  public var duration: Double

  public init(pitch: Int, start: Double, duration: Double) {
    self.pitch = pitch
    self.start = start
    self.duration = duration
  }
}

/// A chart: a pure value that renders to text (for terminals, 80 columns by default) or SVG.
///
/// Make one with `LineChart.make`, `PianoRoll.make`, `BarChart.make` / `BarChart.histogram`, or combine
/// several with `Chart.stack`. Rendering is deterministic and locale-independent; text output has no
/// trailing spaces and no trailing newline.
public struct Chart: Sendable {
  public var title: String
  public var xLabel: String
  public var yLabel: String
  var kind: Kind

  enum Kind: Sendable {
    case line([Series])
    case roll([RollNote])
    case bars([(label: String, value: Double)])
    case stack([Chart])
  }

  init(title: String, xLabel: String = "", yLabel: String = "", kind: Kind) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.kind = kind
  }

  /// Charts drawn one below the other (for example the token bars and offset histogram of a dataset).
  /// `text` separates them with a blank line; in `text` and `svg`, width and height apply to each part.
  public static func stack(_ charts: [Chart], title: String = "") -> Chart {
    Chart(title: title, kind: .stack(charts))
  }

  /// The chart as lines of text at most `width` columns wide (minimum 30).
  ///
  /// `height` is the number of plot rows of a line chart; a piano roll uses one row per semitone
  /// and a bar chart one row per bar, so they ignore it.
  public func text(width: Int = 80, height: Int = 15) -> String {
    let w = max(width, 30)
    let h = max(height, 3)
    switch kind {
    case .line(let series): return LineChart.text(self, series, width: w, height: h)
    case .roll(let notes): return PianoRoll.text(self, notes, width: w)
    case .bars(let bars): return BarChart.text(self, bars, width: w)
    case .stack(let charts):
      let parts = charts.map { $0.text(width: w, height: h) }
      let head = title.isEmpty ? "" : title.clipped(to: w) + "\n\n"
      return head + parts.joined(separator: "\n\n")
    }
  }

  /// The chart as a standalone SVG document (`width` × `height` pixels; a stack is `height` per part).
  public func svg(width: Int = 720, height: Int = 360) -> String {
    let w = max(width, 200)
    let h = max(height, 120)
    let total = totalHeight(h)
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(total)\""
    out += " viewBox=\"0 0 \(w) \(total)\" font-family=\"sans-serif\" font-size=\"12\">\n"
    out += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(total)\" fill=\"#ffffff\"/>\n"
    out += svgBody(width: w, height: h)
    out += "</svg>\n"
    return out
  }

  func totalHeight(_ h: Int) -> Int {
    if case .stack(let charts) = kind {
      return (title.isEmpty ? 0 : 30) + charts.reduce(0) { $0 + $1.totalHeight(h) }
    }
    return h
  }

  /// SVG elements of the chart drawn in a `width` × `height` box at the origin.
  func svgBody(width: Int, height: Int) -> String {
    switch kind {
    case .line(let series): return LineChart.svg(self, series, width: width, height: height)
    case .roll(let notes): return PianoRoll.svg(self, notes, width: width, height: height)
    case .bars(let bars): return BarChart.svg(self, bars, width: width, height: height)
    case .stack(let charts):
      var out = ""
      var y = 0
      if !title.isEmpty {
        out += SVG.text(title, x: 10, y: 20, anchor: "start", extra: "font-size=\"16\" font-weight=\"bold\"")
        y = 30
      }
      for c in charts {
        out += "<g transform=\"translate(0,\(y))\">\n" + c.svgBody(width: width, height: height) + "</g>\n"
        y += c.totalHeight(height)
      }
      return out
    }
  }
}
