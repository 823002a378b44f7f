/// One named data series of a line chart.
public struct Series: Sendable {
  public var name: String
  /// Points in any order; they are drawn sorted by `x`. Non-finite points are skipped.
  public var points: [(x: Double, y: Double)]
  /// In text, a later series (drawn with markers) gets one marker per column along the line through its
  /// points instead of one per point: a dotted curve, for dense series overlaid on the first.
  public var connected = false

  public init(name: String, points: [(x: Double, y: Double)], connected: Bool = false) {
    self.name = name
    self.points = points
    self.connected = connected
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
  /// Rows a piano roll shows (nil: its notes' range); `beside` gives rolls a shared one.
  var pitchRange: ClosedRange<Int>? = nil
  /// The time (quarters) a piano roll extends to at least; `beside` gives rolls a shared one.
  var rollEnd: Double? = nil

  enum Kind: Sendable {
    case line([Series])
    case roll([RollNote])
    case bars([(label: String, value: Double)])
    case stack([Chart])
    case row([Chart])
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

  /// Charts drawn side by side, each a `1/n` of the width (for example piano rolls of a temperature
  /// sweep). Piano rolls share one pitch range, so their rows line up. In `text`, parts are separated by
  /// two spaces and drawn one below the other when a part would be narrower than `minimumPartWidth`.
  /// Rolls also share their time span and are drawn on one line of music each (coarser when needed).
  public static func beside(_ charts: [Chart], title: String = "") -> Chart {
    var parts = charts
    let notes = charts.flatMap { chart -> [RollNote] in
      if case .roll(let notes) = chart.kind { return PianoRoll.cleaned(notes) }
      return []
    }
    if let lo = notes.map(\.pitch).min(), let hi = notes.map(\.pitch).max() {
      let end = PianoRoll.span(notes).t1
      for i in parts.indices {
        if case .roll = parts[i].kind {
          parts[i].pitchRange = lo...hi
          parts[i].rollEnd = end
        }
      }
    }
    return Chart(title: title, kind: .row(parts))
  }

  /// Narrowest part of a `beside` chart in text.
  public static let minimumPartWidth = 20

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
    case .row(let charts):
      let head = title.isEmpty ? "" : title.clipped(to: w) + "\n\n"
      let n = max(charts.count, 1)
      let partW = (w - 2 * (n - 1)) / n
      guard partW >= Chart.minimumPartWidth else {
        return head + charts.map { $0.text(width: w, height: h) }.joined(separator: "\n\n")
      }
      let columns = charts.map { $0.partText(width: partW, height: h).split(separator: "\n", omittingEmptySubsequences: false) }
      let rows = columns.map(\.count).max() ?? 0
      var lines: [String] = []
      for r in 0..<rows {
        var line = ""
        for (k, column) in columns.enumerated() {
          let cell = r < column.count ? String(column[r]) : ""
          line += cell + (k == columns.count - 1 ? "" : String(repeating: " ", count: max(0, partW - cell.count) + 2))
        }
        while line.hasSuffix(" ") { line.removeLast() }
        lines.append(line)
      }
      return head + lines.joined(separator: "\n")
    }
  }

  /// A part of a `beside` chart in text: as `text`, without the minimum width (the caller checks it).
  func partText(width: Int, height: Int) -> String {
    switch kind {
    case .roll(let notes): return PianoRoll.text(self, notes, width: width, maxSystems: 1)
    case .line(let series): return LineChart.text(self, series, width: width, height: height)
    case .bars(let bars): return BarChart.text(self, bars, width: width)
    default: return text(width: width, height: height)
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
    if case .row(let charts) = kind {
      return (title.isEmpty ? 0 : 30) + (charts.map { $0.totalHeight(h) }.max() ?? 0)
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
    case .row(let charts):
      var out = ""
      let y = title.isEmpty ? 0 : 30
      if !title.isEmpty {
        out += SVG.text(title, x: 10, y: 20, anchor: "start", extra: "font-size=\"16\" font-weight=\"bold\"")
      }
      let partW = width / max(charts.count, 1)
      for (k, c) in charts.enumerated() {
        out += "<g transform=\"translate(\(k * partW),\(y))\">\n" + c.svgBody(width: partW, height: height) + "</g>\n"
      }
      return out
    }
  }
}
