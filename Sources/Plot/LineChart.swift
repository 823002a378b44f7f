/// Line charts of series against x (losses against training steps), asciichart-style in text.
///
/// Text layout (`height` plot rows, `width` columns in all):
/// ```
/// Loss                       title
///  loss                      y label
///  3.0 ┤╮                    nice y ticks; the first series is a line (─ ╭ ╮ ╰ ╯ │),
///  2.0 ┤╰──╮  o              later series are markers (o x + *) at their own points
///  1.0 ┤   ╰────────
///      └┬────┬────┬──        nice x ticks
///       0   50  100
///           step             x label
///  ─ train  o valid          legend (when any series has a name)
/// ```
public enum LineChart {
  static let markers: [Character] = ["o", "x", "+", "*", "#", "@"]

  /// A line chart; `series[0]` is drawn as a line, the others as markers (text) or lines (SVG).
  public static func make(title: String, xLabel: String, yLabel: String, series: [Series]) -> Chart {
    Chart(title: title, xLabel: xLabel, yLabel: yLabel, kind: .line(series))
  }

  /// Data bounds over all series, or nil if there are no finite points.
  static func bounds(_ series: [[(x: Double, y: Double)]]) -> (
    xlo: Double, xhi: Double, ylo: Double, yhi: Double
  )? {
    let all = series.flatMap { $0 }
    guard let first = all.first else { return nil }
    var b = (xlo: first.x, xhi: first.x, ylo: first.y, yhi: first.y)
    for p in all {
      b.xlo = min(b.xlo, p.x)
      b.xhi = max(b.xhi, p.x)
      b.ylo = min(b.ylo, p.y)
      b.yhi = max(b.yhi, p.y)
    }
    if b.xhi - b.xlo < 1e-12 {
      b.xlo -= 0.5
      b.xhi += 0.5
    }
    return b
  }

  /// Linear interpolation of sorted points at `x` (nil outside their x range).
  static func interpolate(_ pts: [(x: Double, y: Double)], at x: Double) -> Double? {
    guard let first = pts.first, let last = pts.last, x >= first.x - 1e-9, x <= last.x + 1e-9 else {
      return nil
    }
    var lo = 0
    var hi = pts.count - 1
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if pts[mid].x <= x { lo = mid } else { hi = mid }
    }
    let a = pts[lo]
    let b = pts[hi]
    if b.x - a.x < 1e-12 { return x >= b.x ? b.y : a.y }
    let t = min(max((x - a.x) / (b.x - a.x), 0), 1)
    return a.y + t * (b.y - a.y)
  }

  static func text(_ chart: Chart, _ series: [Series], width: Int, height: Int) -> String {
    let data = series.map { $0.cleaned }
    guard let b = bounds(data) else {
      return chart.title.clipped(to: width) + "\n(no data)"
    }
    let yt = Ticks(min: b.ylo, max: b.yhi, count: max(2, height / 2))
    let labels = yt.values.map(yt.label)
    let labelWidth = max(labels.map(\.count).max() ?? 1, 1) + 1
    let plotW = width - labelWidth - 2
    let header = 1 + (chart.yLabel.isEmpty ? 0 : 1)
    let named = series.contains { !$0.name.isEmpty }
    var canvas = TextCanvas(width: width, height: header + height + 3 + (named ? 1 : 0))
    canvas.put(chart.title.clipped(to: width), row: 0, column: 0)
    if !chart.yLabel.isEmpty { canvas.put(chart.yLabel.clipped(to: width), row: 1, column: 1) }

    let axis = labelWidth + 1  // column of the y axis
    let origin = axis + 1  // first plot column
    func row(_ y: Double) -> Int {  // canvas row of a y value
      let f = ((y - yt.lo) / (yt.hi - yt.lo) * Double(height - 1)).rounded()
      let r = f.isFinite ? Int(min(max(f, -1), Double(height))) : 0
      return header + height - 1 - min(max(r, 0), height - 1)
    }
    for r in 0..<height { canvas[header + r, axis] = "│" }
    for (v, text) in zip(yt.values, labels) {
      canvas.put(text.leftPadded(to: labelWidth), row: row(v), column: 0)
      canvas[row(v), axis] = "┤"
    }

    // Series 0: asciichart line. Column c spans x(c)...x(c+1).
    func x(_ c: Int) -> Double { b.xlo + Double(c) / Double(plotW) * (b.xhi - b.xlo) }
    if let pts = data.first, !pts.isEmpty {
      if pts.count == 1 {
        let c = column(pts[0].x, b, plotW)
        canvas[row(pts[0].y), origin + c] = "─"
      } else {
        for c in 0..<plotW {
          guard let y0 = interpolate(pts, at: x(c)), let y1 = interpolate(pts, at: x(c + 1)) else { continue }
          let r0 = row(y0)
          let r1 = row(y1)
          if r0 == r1 {
            canvas[r0, origin + c] = "─"
          } else {
            canvas[r1, origin + c] = r1 < r0 ? "╭" : "╰"
            canvas[r0, origin + c] = r1 < r0 ? "╯" : "╮"
            for r in (min(r0, r1) + 1)..<max(r0, r1) { canvas[r, origin + c] = "│" }
          }
        }
      }
    }
    // Later series: markers at their points.
    for (i, pts) in data.enumerated().dropFirst() {
      let m = markers[(i - 1) % markers.count]
      if series[i].connected && pts.count > 1 {
        for c in 0..<plotW {
          if let y = interpolate(pts, at: (x(c) + x(c + 1)) / 2) { canvas[row(y), origin + c] = m }
        }
        continue
      }
      for p in pts { canvas[row(p.y), origin + column(p.x, b, plotW)] = m }
    }

    // X axis with nice ticks.
    let axisRow = header + height
    canvas[axisRow, axis] = "└"
    for c in 0..<plotW { canvas[axisRow, origin + c] = "─" }
    let xt = Ticks(min: b.xlo, max: b.xhi, count: max(2, plotW / 12))
    var nextFree = 0
    for v in xt.values where v >= b.xlo - 1e-9 && v <= b.xhi + 1e-9 {
      let c = origin + column(v, b, plotW)
      canvas[axisRow, c] = "┬"
      let text = xt.label(v)
      let start = min(max(c - text.count / 2, nextFree), width - text.count)
      if start >= nextFree && start + text.count <= width {
        canvas.put(text, row: axisRow + 1, column: start)
        nextFree = start + text.count + 1
      }
    }
    if !chart.xLabel.isEmpty {
      canvas.put(chart.xLabel.centered(in: plotW), row: axisRow + 2, column: origin)
    }
    if named {
      var legend = ""
      for (i, s) in series.enumerated() {
        let symbol: Character = i == 0 ? "─" : markers[(i - 1) % markers.count]
        legend += (i == 0 ? "" : "  ") + String(symbol) + " " + s.name
      }
      canvas.put(legend.clipped(to: width - 1), row: axisRow + 3, column: 1)
    }
    return canvas.render()
  }

  /// Plot column (0..<plotW) of an x value.
  static func column(_ x: Double, _ b: (xlo: Double, xhi: Double, ylo: Double, yhi: Double), _ plotW: Int)
    -> Int
  {
    let c = Int(((x - b.xlo) / (b.xhi - b.xlo) * Double(plotW)).rounded(.down))
    return min(max(c, 0), plotW - 1)
  }

  /// At most 4 points per x bucket (the first, lowest, highest and last, in order) when there are more
  /// than 4 × `buckets` points, so a 100 000-step loss curve stays a small SVG with the same envelope.
  /// `pts` must be sorted by x.
  static func decimate(_ pts: [(x: Double, y: Double)], buckets: Int) -> [(x: Double, y: Double)] {
    guard pts.count > 4 * buckets, let first = pts.first, let last = pts.last, last.x > first.x else {
      return pts
    }
    let width = (last.x - first.x) / Double(buckets)
    func bucket(_ k: Int) -> Int { min(Int((pts[k].x - first.x) / width), buckets - 1) }
    var out: [(x: Double, y: Double)] = []
    var i = 0
    while i < pts.count {
      let b = bucket(i)
      var j = i
      var lo = i
      var hi = i
      while j < pts.count && bucket(j) == b {
        if pts[j].y < pts[lo].y { lo = j }
        if pts[j].y > pts[hi].y { hi = j }
        j += 1
      }
      for k in Set([i, lo, hi, j - 1]).sorted() { out.append(pts[k]) }
      i = j
    }
    return out
  }

  static func svg(_ chart: Chart, _ series: [Series], width: Int, height: Int) -> String {
    let data = series.map { $0.cleaned }
    guard let b = bounds(data) else {
      return SVG.text(
        chart.title, x: 10, y: 20, anchor: "start", extra: "font-size=\"16\" font-weight=\"bold\"")
        + SVG.text("(no data)", x: Double(width) / 2, y: Double(height) / 2, anchor: "middle")
    }
    let yt = Ticks(min: b.ylo, max: b.yhi, count: 5)
    let labelW = yt.values.map { SVG.textWidth(yt.label($0)) }.max() ?? 20
    let f = Frame(
      left: labelW + 30, top: 34, right: Double(width) - 20, bottom: Double(height) - 42,
      xlo: b.xlo, xhi: b.xhi, ylo: yt.lo, yhi: yt.hi)
    var out = ""
    for v in yt.values {
      out += SVG.line(f.left, f.y(v), f.right, f.y(v), stroke: "#e5e5e5")
      out += SVG.text(yt.label(v), x: f.left - 6, y: f.y(v) + 4, anchor: "end")
    }
    let xt = Ticks(min: b.xlo, max: b.xhi, count: 6)
    for v in xt.values where v >= b.xlo - 1e-9 && v <= b.xhi + 1e-9 {
      out += SVG.line(f.x(v), f.bottom, f.x(v), f.bottom + 5, stroke: "#333333")
      out += SVG.text(xt.label(v), x: f.x(v), y: f.bottom + 18, anchor: "middle")
    }
    out += f.decorations(title: chart.title, xLabel: chart.xLabel, yLabel: chart.yLabel, height: height)
    for (i, pts) in data.enumerated() {
      let color = SVG.color(i)
      if pts.count > 1 {
        let shown = decimate(pts, buckets: max(Int(f.right - f.left), 1))
        out += SVG.polyline(shown.map { (f.x($0.x), f.y($0.y)) }, stroke: color)
      }
      if pts.count <= 60 {
        for p in pts {
          out += "<circle cx=\"\(SVG.n(f.x(p.x)))\" cy=\"\(SVG.n(f.y(p.y)))\" r=\"2.5\" fill=\"\(color)\"/>\n"
        }
      }
    }
    // Legend, top right.
    var y = f.top + 4
    let legendW = (series.map { SVG.textWidth($0.name) }.max() ?? 0) + 30
    for (i, s) in series.enumerated() where !s.name.isEmpty {
      let x = f.right - legendW
      out += SVG.line(x, y, x + 20, y, stroke: SVG.color(i), width: 2)
      out += SVG.text(s.name, x: x + 26, y: y + 4, anchor: "start")
      y += 16
    }
    return out
  }
}
