import Foundation
import Testing

@testable import Plot

@Suite struct HTMLPageTests {
  static let chart = LineChart.make(
    title: "Loss", xLabel: "step", yLabel: "loss",
    series: [Series(name: "train", values: [3, 2, 1.5])])
  static let wav: [UInt8] = Array("RIFF....WAVEfmt ".utf8) + [0, 1, 2, 255]

  static let page = HTMLPage(
    title: "Demo <notebook>",
    cells: [
      .markdown("# Demo\nSome *text*."),
      .code(
        title: "train", source: "m = train(d, steps: 5)\nif a < b && c {}", outputs: [.text("loss 2.0 <ok>")],
        failed: false),
      .code(
        title: nil, source: "save(plot(m), \"loss.svg\")",
        outputs: [
          .text("saved: loss.svg"),
          .svg(name: "loss.svg", document: "<?xml version=\"1.0\"?>\n" + chart.svg()),
        ], failed: false),
      .code(
        title: "listen", source: "save(x, \"a.wav\")",
        outputs: [
          .text("saved: a.wav"), .audio(name: "a.wav", wav: wav),
          .missing(name: "b.wav", reason: "no such file"),
        ], failed: false),
      .code(title: nil, source: "boom()", outputs: [.text("1:1: error: unknown name 'boom'")], failed: true),
      .code(title: "edited", source: "x = 2", outputs: [.text("1")], failed: false, stale: true),
    ])

  func occurrences(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

  @Test func containsEveryCellAndPlayer() throws {
    let html = Self.page.render()
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    #expect(html.hasSuffix("</html>\n"))
    #expect(occurrences("<section class=\"cell", in: html) == 6)
    for i in 1...6 { #expect(html.contains("id=\"cell-\(i)\"")) }
    #expect(html.contains("<h1>Demo</h1>"))
    #expect(html.contains("<div class=\"label\">[1] train</div>"))
    #expect(html.contains("<div class=\"label\">[2]</div>"))
    #expect(
      html.contains("<div class=\"label\">[5] edited (output from an earlier version of this code)</div>"))
    #expect(html.contains("if a &lt; b &amp;&amp; c {}"))
    #expect(html.contains("<pre class=\"output\">loss 2.0 &lt;ok&gt;</pre>"))
    #expect(html.contains("<title>Demo &lt;notebook&gt;</title>"))
    // The chart is inlined without its XML declaration.
    #expect(occurrences("<svg xmlns=", in: html) == 1)
    #expect(!html.contains("<?xml"))
    // One player whose data URL decodes to the WAV bytes.
    #expect(occurrences("<audio controls", in: html) == 1)
    let prefix = "src=\"data:audio/wav;base64,"
    let start = try #require(html.range(of: prefix))
    let end = try #require(html[start.upperBound...].firstIndex(of: "\""))
    #expect(Data(base64Encoded: String(html[start.upperBound..<end])) == Data(Self.wav))
    #expect(html.contains("<p class=\"missing\">b.wav: no such file</p>"))
    #expect(html.contains("<section class=\"cell code failed\" id=\"cell-5\">"))
    // Self-contained: no scripts and no network resources.
    #expect(!html.contains("<script"))
    #expect(!html.contains("src=\"http") && !html.contains("url(") && !html.contains("<link"))
  }

  @Test func riskySVGIsShownAsImage() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect/></svg>"
    let html = HTMLPage.render(.svg(name: "x.svg", document: svg))
    #expect(!html.contains("onload"))
    #expect(html.contains("<img alt=\"x.svg\" src=\"data:image/svg+xml;base64,"))
    #expect(HTMLPage.inlineSVG("<svg><script>x</script></svg>") == nil)
    #expect(HTMLPage.inlineSVG("not svg") == nil)
    #expect(HTMLPage.inlineSVG("<!-- c --><svg a=\"1\"><g/></svg>\n") == "<svg a=\"1\"><g/></svg>")
  }

  @Test func deterministic() {
    #expect(Self.page.render() == Self.page.render())
  }
}

@Suite struct HTMLPageOutputSplitTests {
  @Test func splitsAtSavedMediaLines() {
    let text = "loss 2.0\nsaved: out/loss.svg\nsaved: m.mid\nsaved: a.WAV\ndone"
    var asked: [String] = []
    let outputs = HTMLPage.outputs(fromText: text) { path, ext in
      asked.append(path + "|" + ext)
      return ext == "svg" ? .svg(name: path, document: "<svg/>") : .audio(name: path, wav: [1])
    }
    #expect(asked == ["out/loss.svg|svg", "a.WAV|wav"])
    #expect(
      outputs == [
        .text("loss 2.0\nsaved: out/loss.svg"), .svg(name: "out/loss.svg", document: "<svg/>"),
        .text("saved: m.mid\nsaved: a.WAV"), .audio(name: "a.WAV", wav: [1]),
        .text("done"),
      ])
  }

  @Test func plainTextAndEmpty() {
    #expect(HTMLPage.outputs(fromText: "a\nb") { _, _ in .text("never") } == [.text("a\nb")])
    #expect(HTMLPage.outputs(fromText: "") { _, _ in .text("never") } == [])
    // A media line at the end leaves no empty trailing text.
    #expect(
      HTMLPage.outputs(fromText: "saved: x.svg") { p, _ in .missing(name: p, reason: "r") }
        == [.text("saved: x.svg"), .missing(name: "x.svg", reason: "r")])
  }
}
