/// Horizontal bar charts (most common tokens, offset histograms).
///
/// Text layout: one row per bar, label right-aligned, bar drawn with `█` and eighth blocks (`▏`…`▉`),
/// value after the bar; a value axis from 0 to the largest value below. Negative values draw no bar.
/// ```
/// Most common tokens
///    C4 │████████████████ 120
///    E4 │████████▌ 64
///       └┬──────────────┬
///        0            120
///              count
/// ```
public enum BarChart {
  static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

  /// A bar chart with one bar per entry, in the given order.
  public static func make(title: String, bars: [(label: String, value: Double)]) -> Chart {
    make(title: title, valueLabel: "", bars: bars)
  }

  /// A bar chart whose value axis is labelled (for example "count").
  public static func make(title: String, valueLabel: String, bars: [(label: String, value: Double)]) -> Chart
  {
    Chart(title: title, xLabel: valueLabel, yLabel: "", kind: .bars(bars))
  }

  /// A histogram of `values` in about `bins` bins of a "nice" width (1, 2 or 5 × 10^k) whose edges are
  /// multiples of that width; labels are the bin ranges ("0-0.5"), each bin holds [lower, upper) except
  /// the last, which also holds its upper edge. Non-finite values are skipped.
  public static func histogram(title: String, values: [Double], bins: Int = 10, valueLabel: String = "count")
    -> Chart
  {
    let v = values.filter(\.isFinite)
    guard let lo = v.min(), let hi = v.max() else {
      return make(title: title, valueLabel: valueLabel, bars: [])
    }
    let t = Ticks(min: lo, max: hi, count: max(bins, 1))
    let n = max(Int(((t.hi - t.lo) / t.step).rounded()), 1)
    var counts = [Double](repeating: 0, count: n)
    for x in v { counts[min(max(Int(((x - t.lo) / t.step + 1e-9).rounded(.down)), 0), n - 1)] += 1 }
    let bars = (0..<n).map { i -> (label: String, value: Double) in
      let a = t.lo + Double(i) * t.step
      return (t.label(a) + "-" + t.label(a + t.step), counts[i])
    }
    return make(title: title, valueLabel: valueLabel, bars: bars)
  }

  /// A bar of `eighthsLong` eighth-cells.
  static func bar(eighthsLong: Int) -> String {
    let full = eighthsLong / 8
    let part = eighthsLong % 8
    return String(repeating: "█", count: full) + (part > 0 ? String(eighths[part - 1]) : "")
  }

  static func text(_ chart: Chart, _ input: [(label: String, value: Double)], width: Int) -> String {
    let bars = input.map { (label: $0.label, value: $0.value.isFinite ? $0.value : 0) }
    if bars.isEmpty { return chart.title.clipped(to: width) + "\n(no data)" }
    let values = bars.map { NumberFormat.short($0.value) }
    let labelWidth = min(max(bars.map(\.label.count).max() ?? 1, 1), 20) + 1
    let valueWidth = values.map(\.count).max() ?? 1
    let axis = labelWidth + 1
    let origin = axis + 1
    let barW = max(width - origin - valueWidth - 1, 1)
    let top = max(bars.map(\.value).max() ?? 0, 0)
    var canvas = TextCanvas(width: width, height: bars.count + 4)
    canvas.put(chart.title.clipped(to: width), row: 0, column: 0)
    for (i, b) in bars.enumerated() {
      canvas.put(b.label.leftPadded(to: labelWidth), row: 1 + i, column: 0)
      canvas[1 + i, axis] = "│"
      let len = top > 0 ? Int((max(b.value, 0) / top * Double(barW * 8)).rounded()) : 0
      let drawn = bar(eighthsLong: len)
      canvas.put(drawn + " " + values[i], row: 1 + i, column: origin)
    }
    let axisRow = bars.count + 1
    canvas[axisRow, axis] = "└"
    for c in 0..<barW { canvas[axisRow, origin + c] = c == 0 || c == barW - 1 ? "┬" : "─" }
    canvas.put("0", row: axisRow + 1, column: origin)
    let topLabel = NumberFormat.short(top)
    canvas.put(topLabel, row: axisRow + 1, column: max(origin + 2, origin + barW - topLabel.count))
    canvas.put(chart.xLabel.centered(in: barW), row: axisRow + 2, column: origin)
    return canvas.render()
  }

  static func svg(_ chart: Chart, _ input: [(label: String, value: Double)], width: Int, height: Int)
    -> String
  {
    let bars = input.map { (label: $0.label, value: $0.value.isFinite ? $0.value : 0) }
    var out = SVG.text(
      chart.title, x: 10, y: 20, anchor: "start", extra: "font-size=\"16\" font-weight=\"bold\"")
    if bars.isEmpty {
      return out + SVG.text("(no data)", x: Double(width) / 2, y: Double(height) / 2, anchor: "middle")
    }
    let top = max(bars.map(\.value).max() ?? 0, 0)
    let valueW = bars.map { SVG.textWidth(NumberFormat.short($0.value)) }.max() ?? 0
    let labelW = min(bars.map { SVG.textWidth($0.label) }.max() ?? 0, 160)
    let f = Frame(
      left: labelW + 16, top: 34, right: Double(width) - valueW - 16, bottom: Double(height) - 42,
      xlo: 0, xhi: top > 0 ? top : 1, ylo: 0, yhi: Double(bars.count))
    let slot = (f.bottom - f.top) / Double(bars.count)
    let size = min(12, max(slot * 0.8, 6))
    for (i, b) in bars.enumerated() {
      let y = f.top + Double(i) * slot
      out += SVG.rect(f.left, y + slot * 0.15, f.x(max(b.value, 0)) - f.left, slot * 0.7, fill: SVG.color(0))
      let cy = y + slot / 2 + size * 0.35
      out += SVG.text(b.label, x: f.left - 6, y: cy, anchor: "end", extra: "font-size=\"\(SVG.n(size))\"")
      out += SVG.text(
        NumberFormat.short(b.value), x: f.x(max(b.value, 0)) + 4, y: cy, anchor: "start",
        extra: "font-size=\"\(SVG.n(size))\"")
    }
    out += SVG.line(f.left, f.bottom, f.right, f.bottom, stroke: "#333333")
    out += SVG.line(f.left, f.top, f.left, f.bottom, stroke: "#333333")
    let xt = Ticks(min: 0, max: f.xhi, count: 5)
    for v in xt.values where v <= f.xhi + 1e-9 {
      out += SVG.line(f.x(v), f.bottom, f.x(v), f.bottom + 5, stroke: "#333333")
      out += SVG.text(xt.label(v), x: f.x(v), y: f.bottom + 18, anchor: "middle")
    }
    if !chart.xLabel.isEmpty {
      out += SVG.text(chart.xLabel, x: (f.left + f.right) / 2, y: Double(height) - 8, anchor: "middle")
    }
    return out
  }
}
