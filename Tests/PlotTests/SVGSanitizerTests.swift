import Foundation
import Testing

@testable import Plot

@Suite struct SVGSanitizerTests {
  static let roll = PianoRoll.make(
    title: "sample <1>", notes: [RollNote(pitch: 60, start: 0, duration: 1), RollNote(pitch: 67, start: 1.5, duration: 2)])
  static let line = LineChart.make(
    title: "Loss & 'more'", xLabel: "step", yLabel: "loss",
    series: [Series(name: "train", values: [3, 2, 1]), Series(name: "valid", values: [3.5, 2.5, 2])])
  static let bars = BarChart.make(title: "tokens", bars: [("C4", 3), ("0.4.7", 1)])

  @Test func midigensOwnChartsAreInlinedUnchanged() throws {
    for chart in [Self.roll, Self.line, Self.bars, Chart.stack([Self.bars, Self.roll], title: "both")] {
      let svg = chart.svg()
      let inline = try #require(SVGSanitizer.inlinable(svg), "\(svg.prefix(300))")
      #expect(inline + "\n" == svg || inline == svg)
    }
    #expect(SVGSanitizer.inlinable("<?xml version=\"1.0\"?>\n" + Self.line.svg()) != nil)
  }

  /// Generated attacks: each dangerous element, attribute or value placed in an otherwise good chart.
  @Test func anythingOutsideTheVocabularyIsRefused() {
    let good = Self.line.svg()
    let insertions = [
      "<script>alert(1)</script>", "<foreignObject><div/></foreignObject>", "<image href=\"x.png\"/>",
      "<use href=\"#a\"/>", "<a href=\"javascript:alert(1)\"><text>x</text></a>", "<style>@import url(x)</style>",
      "<animate attributeName=\"href\" to=\"javascript:alert(1)\"/>", "<set attributeName=\"onload\"/>",
      "<!-- c -->", "<![CDATA[x]]>", "<!ENTITY x \"y\">", "<?php x ?>", "<iframe/>", "<rect onclick=\"x()\"/>",
      "<rect style=\"fill:url(http://x)\"/>", "<rect fill=\"url(#x)\"/>", "<rect fill=\"url(http://x/y)\"/>",
      "<rect x=\"1\" x=\"2\"/>", "<rect fill=\"&#106;avascript\"/>", "<rect fill='a\"b'/>",
      "<text>&unknown;</text>", "<rect xlink:href=\"x\"/>", "<rect transform=\"url(x)\"/>",
      "<g transform=\"translate(1,2) expression(alert(1))\"/>", "<rect/ onload=\"x\">", "text outside",
      "<rect fill=\"#fff\" ONLOAD=\"x\"/>", "<svg/>", "</g>",
    ]
    for ins in insertions {
      let svg = good.replacingOccurrences(of: "</svg>", with: ins + "</svg>")
      #expect(SVGSanitizer.inlinable(svg) == nil, "\(ins)")
    }
    for root in ["<svg onload=\"x\">", "<svg xmlns=\"http://evil\">", "<SVG>", "<html><svg>", "<svg/onload=x>"] {
      #expect(SVGSanitizer.inlinable(root + "</svg>") == nil, "\(root)")
    }
    #expect(SVGSanitizer.inlinable(good + "<script/>") == nil)
    #expect(SVGSanitizer.inlinable("not svg") == nil)
    #expect(SVGSanitizer.inlinable("") == nil)
  }

  @Test func textIsReescapedAndDepthIsBounded() throws {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text x=\"1\">a &lt;b&gt; &#38; &#x41; &quot;</text></svg>"
    #expect(SVGSanitizer.inlinable(svg) == "<svg xmlns=\"http://www.w3.org/2000/svg\"><text x=\"1\">a &lt;b&gt; &amp; A &quot;</text></svg>")
    let deep = "<svg>" + String(repeating: "<g>", count: 100) + String(repeating: "</g>", count: 100) + "</svg>"
    #expect(SVGSanitizer.inlinable(deep) == nil)
    let huge = "<svg>" + String(repeating: "<g>", count: 200_000)
    #expect(SVGSanitizer.inlinable(huge) == nil)
  }
}
