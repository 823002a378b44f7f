import Foundation
import Testing

@testable import Plot

@Suite struct HTMLPageTests {
  static let chart = LineChart.make(
    title: "Loss", xLabel: "step", yLabel: "loss",
    series: [Series(name: "train", values: [3, 2, 1.5])])
  static let wav: [UInt8] = Array("RIFF....WAVEfmt ".utf8) + [0, 1, 2, 255]
  static let melody = PlayerMelody(
    name: "sample", tempo: 120,
    notes: [.init(pitch: 60, start: 0, duration: 0.5, velocity: 90), .init(pitch: 64, start: 0.5, duration: 1.25, velocity: 80)])

  static let page = HTMLPage(
    title: "Demo <notebook>",
    cells: [
      .markdown("# Demo\nSome *text*."),
      .code(
        title: "train", source: "m = train(d, steps: 5)\nif a < b && c {}", outputs: [.text("loss 2.0 <ok>")],
        failed: false),
      .code(
        title: nil, source: "save(plot(m), \"loss.svg\")\nplot(m)",
        outputs: [
          .text("saved: loss.svg"),
          .svg(name: "loss.svg", document: "<?xml version=\"1.0\"?>\n" + chart.svg()),
          .chart(svg: chart.svg()),
        ], failed: false),
      .code(
        title: "listen", source: "save(x, \"a.wav\")\nx",
        outputs: [
          .text("saved: a.wav"), .audio(name: "a.wav", wav: wav),
          .missing(name: "b.wav", reason: "no such file"),
          .text("melody sample: 2 events"), .melody(melody),
        ], failed: false),
      .code(title: nil, source: "boom()", outputs: [.text("1:1: error: unknown name 'boom'")], failed: true),
      .code(title: "edited", source: "x = 2", outputs: [.text("1")], failed: false, stale: true),
    ])

  func occurrences(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

  @Test func containsEveryCellChartAndPlayer() throws {
    let html = Self.page.render()
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    #expect(html.hasSuffix("</html>\n"))
    #expect(html.contains(HTMLPage.generatorMarker))
    #expect(occurrences("<section class=\"cell", in: html) == 6)
    for i in 1...6 { #expect(html.contains("id=\"cell-\(i)\"")) }
    #expect(html.contains("<h1 id=\"demo\">Demo <a class=\"anchor\" href=\"#demo\""))
    #expect(html.contains("<div class=\"label\">[1] train</div>"))
    #expect(html.contains("<div class=\"label\">[2]</div>"))
    #expect(
      html.contains("<div class=\"label\">[5] edited (output from an earlier version of this code)</div>"))
    #expect(html.contains("if a &lt; b &amp;&amp; c {}"))
    #expect(html.contains("<pre class=\"output\">loss 2.0 &lt;ok&gt;</pre>"))
    #expect(html.contains("<title>Demo &lt;notebook&gt;</title>"))
    // Both charts are inlined (midigen's vocabulary) without the XML declaration.
    #expect(occurrences("<svg xmlns=", in: html) == 2)
    #expect(!html.contains("<?xml"))
    // One embedded WAV whose data URL decodes to the bytes.
    #expect(occurrences("<audio controls", in: html) == 2)
    let prefix = "src=\"data:audio/wav;base64,"
    let start = try #require(html.range(of: prefix))
    let end = try #require(html[start.upperBound...].firstIndex(of: "\""))
    #expect(Data(base64Encoded: String(html[start.upperBound..<end])) == Data(Self.wav))
    #expect(html.contains("<p class=\"missing\">b.wav: no such file</p>"))
    #expect(html.contains("<section class=\"cell code failed\" id=\"cell-5\">"))
    // The melody player: its notes, the synthesizer table, the one script, allowed by its hash.
    #expect(html.contains("<figure class=\"player\" data-tempo=\"120.0\" data-notes=\"60,0.0,0.5,90 64,0.5,1.25,80\">"))
    #expect(html.contains("<div id=\"midigen-synth\" hidden data-table=\"60:"))
    #expect(occurrences("<script>", in: html) == 1)
    #expect(html.contains("script-src " + SHA256.cspSource(MelodyPlayer.script) + ";"))
    #expect(html.contains("style-src " + SHA256.cspSource(HTMLPage.style) + ";"))
    #expect(html.contains("<style>" + HTMLPage.style + "</style>"))
    // Self-contained: nothing loads from elsewhere.
    #expect(!html.contains("src=\"http") && !html.contains("url(") && !html.contains("<link"))
  }

  @Test func pageWithoutMelodiesHasNoScript() {
    let html = HTMLPage(title: "t", cells: [.markdown("x"), .code(title: nil, source: "1", outputs: [.text("1")], failed: false)])
      .render()
    #expect(!html.contains("<script"))
    #expect(html.contains("script-src 'none'"))
    #expect(html.contains("default-src 'none'"))
  }

  @Test func foreignSVGIsShownAsImage() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect/></svg>"
    for output in [HTMLPage.Output.svg(name: "x.svg", document: svg), .chart(svg: svg)] {
      let html = HTMLPage.render(output)
      #expect(!html.contains("onload"))
      #expect(!html.contains("<svg"))
      #expect(html.contains("src=\"data:image/svg+xml;base64,\(Data(svg.utf8).base64EncodedString())\""))
    }
  }

  @Test func noticeIsShownOnce() {
    let html = HTMLPage(title: "t", cells: [], notice: "charts <as> text").render()
    #expect(occurrences("class=\"notice\"", in: html) == 1)
    #expect(html.contains("charts &lt;as&gt; text"))
  }

  @Test func tableOfContentsPastThreeHeadings() {
    let three = HTMLPage(title: "t", cells: [.markdown("# A\n## B\n## C")]).render()
    #expect(!three.contains("<nav class=\"toc\""))
    let page = HTMLPage(
      title: "t",
      cells: [.markdown("# Title\nintro\n## One\ntext"), .code(title: nil, source: "1", outputs: [], failed: false),
              .markdown("### Deeper *x*\n## Two\n#### Four")])
    let html = page.render()
    #expect(occurrences("<nav class=\"toc\"", in: html) == 1)
    // After the title and its introduction, before the second heading.
    let nav = html.range(of: "<nav")!.lowerBound
    #expect(html.range(of: "<p>intro</p>")!.lowerBound < nav && nav < html.range(of: "<h2 id=\"one\"")!.lowerBound)
    #expect(html.contains("<li><a href=\"#title\">Title</a>\n<ul>\n<li><a href=\"#one\">One</a>\n<ul>\n<li><a href=\"#deeper-x\">Deeper x</a></li>\n</ul></li>\n<li><a href=\"#two\">Two</a></li>\n</ul></li>\n</ul>"))
    #expect(!html.contains("href=\"#four\"></a>") && !html.contains(">Four</a>"))
  }

  @Test func headingIDsAreUniqueAndAvoidThePagesOwn() {
    let html = HTMLPage(title: "t", cells: [.markdown("# Cell 1\n# Cell 1\n# Contents\n# x")]).render()
    #expect(html.contains("<h1 id=\"cell-1-2\">"))
    #expect(html.contains("<h1 id=\"cell-1-3\">"))
    #expect(html.contains("<h1 id=\"contents-2\">"))
  }

  @Test func testProbeIsAllowedByThePolicy() {
    let html = HTMLPage.injectingTestProbe("probe()", into: Self.page.render())
    #expect(html.contains("<script>probe()</script>\n" + HTMLPage.generatorMarker))
    #expect(html.contains("script-src " + SHA256.cspSource("probe()") + " " + SHA256.cspSource(MelodyPlayer.script)))
    let plain = HTMLPage.injectingTestProbe("probe()", into: HTMLPage(title: "t", cells: []).render())
    #expect(plain.contains("script-src " + SHA256.cspSource("probe()") + ";"))
  }

  @Test func deterministic() {
    #expect(Self.page.render() == Self.page.render())
  }

  @Test func sha256KnownAnswers() {
    func hex(_ s: String) -> String { SHA256.digest(Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
    #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      hex(String(repeating: "a", count: 1000))
        == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    #expect(SHA256.base64(Array("ab".utf8)) == "YWI=" && SHA256.base64(Array("abc".utf8)) == "YWJj")
  }
}

@Suite struct HTMLPageOutputSplitTests {
  @Test func splitsAtSavedMediaLines() {
    let text = "loss 2.0\nsaved: out/loss.svg\nsaved: m.mid\nsaved: a.WAV\ndone"
    var asked: [String] = []
    let outputs = HTMLPage.outputs(fromText: text) { path, ext in
      asked.append(path + "|" + ext)
      return [ext == "svg" ? .svg(name: path, document: "<svg/>") : .audio(name: path, wav: [1])]
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
    #expect(HTMLPage.outputs(fromText: "a\nb") { _, _ in [.text("never")] } == [.text("a\nb")])
    #expect(HTMLPage.outputs(fromText: "") { _, _ in [.text("never")] } == [])
    #expect(
      HTMLPage.outputs(fromText: "saved: x.svg") { p, _ in [.missing(name: p, reason: "r")] }
        == [.text("saved: x.svg"), .missing(name: "x.svg", reason: "r")])
  }
}
