/// Small helpers for writing SVG elements as text (escaped, fixed-precision coordinates).
enum SVG {
  /// Series colors (colorblind-friendly Tableau-like palette), cycled.
  static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]

  static func color(_ i: Int) -> String { palette[i % palette.count] }

  /// Escapes text for XML content and attribute values.
  static func escape(_ s: String) -> String {
    var out = ""
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default:
        // Control characters are not allowed in XML 1.0.
        if let a = ch.asciiValue, a < 0x20, a != 0x09, a != 0x0A, a != 0x0D {
          out += " "
        } else {
          out.append(ch)
        }
      }
    }
    return out
  }

  /// A coordinate with one decimal.
  static func n(_ v: Double) -> String { NumberFormat.fixed(v, 1) }

  static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1)
    -> String
  {
    "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"/>\n"
  }

  static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, extra: String = "")
    -> String
  {
    "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(w, 0)))\" height=\"\(n(max(h, 0)))\" fill=\"\(fill)\""
      + (extra.isEmpty ? "" : " " + extra) + "/>\n"
  }

  static func text(_ s: String, x: Double, y: Double, anchor: String, extra: String = "") -> String {
    "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"" + (extra.isEmpty ? "" : " " + extra) + ">"
      + escape(s) + "</text>\n"
  }

  static func polyline(_ points: [(Double, Double)], stroke: String) -> String {
    let p = points.map { n($0.0) + "," + n($0.1) }.joined(separator: " ")
    return
      "<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"1.5\" stroke-linejoin=\"round\"/>\n"
  }

  /// Approximate width in pixels of `s` at font size 12 (for margins).
  static func textWidth(_ s: String, size: Double = 12) -> Double { Double(s.count) * size * 0.6 }
}

/// The plot rectangle inside a chart's box and the linear maps from data to pixels.
struct Frame {
  var left: Double, top: Double, right: Double, bottom: Double
  var xlo: Double, xhi: Double, ylo: Double, yhi: Double

  func x(_ v: Double) -> Double { left + (v - xlo) / (xhi - xlo) * (right - left) }
  func y(_ v: Double) -> Double { bottom - (v - ylo) / (yhi - ylo) * (bottom - top) }

  /// Title, axis lines, axis labels (shared by line charts and piano rolls).
  func decorations(title: String, xLabel: String, yLabel: String, height: Int) -> String {
    var out = SVG.text(title, x: left, y: 20, anchor: "start", extra: "font-size=\"16\" font-weight=\"bold\"")
    out += SVG.line(left, bottom, right, bottom, stroke: "#333333")
    out += SVG.line(left, top, left, bottom, stroke: "#333333")
    if !xLabel.isEmpty {
      out += SVG.text(xLabel, x: (left + right) / 2, y: Double(height) - 8, anchor: "middle")
    }
    if !yLabel.isEmpty {
      let cy = (top + bottom) / 2
      out += SVG.text(
        yLabel, x: 14, y: cy, anchor: "middle", extra: "transform=\"rotate(-90 14 \(SVG.n(cy)))\"")
    }
    return out
  }
}
