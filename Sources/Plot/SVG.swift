/// Small helpers for writing SVG elements as text (escaped, fixed-precision coordinates).
enum SVG {
  /// Series colors (colorblind-friendly Tableau-like palette), cycled.
  static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]

  static func color(_ i: Int) -> String { palette[i % palette.count] }

  /// Escapes text for XML content and attribute values (`&`, `<`, `>`, `"`, `'`; ASCII controls other
  /// than tab, newline and carriage return, which XML 1.0 forbids, become spaces). One pass over UTF-8.
  static func escape(_ s: String) -> String {
    var needs = false
    for b in s.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b < 0x20 {
      if b >= 0x20 || (b != 0x09 && b != 0x0A && b != 0x0D) {
        needs = true
        break
      }
    }
    guard needs else { return s }
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count + 16)
    escape(s.utf8, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the escaped bytes of `bytes` to `out`.
  static func escape<C: Collection>(_ bytes: C, into out: inout [UInt8]) where C.Element == UInt8 {
    for b in bytes {
      switch b {
      case 0x26: out += [0x26, 0x61, 0x6D, 0x70, 0x3B]  // &amp;
      case 0x3C: out += [0x26, 0x6C, 0x74, 0x3B]  // &lt;
      case 0x3E: out += [0x26, 0x67, 0x74, 0x3B]  // &gt;
      case 0x22: out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]  // &quot;
      case 0x27: out += [0x26, 0x23, 0x33, 0x39, 0x3B]  // &#39;
      case 0x09, 0x0A, 0x0D: out.append(b)
      case 0..<0x20: out.append(0x20)
      default: out.append(b)
      }
    }
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
