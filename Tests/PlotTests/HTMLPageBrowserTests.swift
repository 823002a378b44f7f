import Foundation
import Testing

@testable import Plot

/// Opens an exported page in headless Chromium and checks that every chart is in the DOM and every audio
/// player decodes its embedded WAV with the right duration. Opt-in (it needs Debian's `chromium` and takes
/// a few seconds): `MIDIGEN_BROWSER_TEST=1 swift test --filter HTMLPageBrowserTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MIDIGEN_BROWSER_TEST"] != nil))
struct HTMLPageBrowserTests {
  /// A 16-bit mono PCM WAV of `seconds` of a 440 Hz sine at 8 kHz, written by hand (Plot has no Sound).
  static func wav(seconds: Double) -> [UInt8] {
    let rate = 8000
    let n = Int(seconds * Double(rate))
    var b = [UInt8]()
    func u32(_ v: Int) { for i in 0..<4 { b.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    func u16(_ v: Int) { for i in 0..<2 { b.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    b += Array("RIFF".utf8)
    u32(36 + 2 * n)
    b += Array("WAVEfmt ".utf8)
    u32(16)
    u16(1)
    u16(1)
    u32(rate)
    u32(2 * rate)
    u16(2)
    u16(16)
    b += Array("data".utf8)
    u32(2 * n)
    for i in 0..<n { u16(Int(Int16(sin(2 * Double.pi * 440 * Double(i) / Double(rate)) * 8000))) }
    return b
  }

  @Test func chromiumRendersChartsAndDecodesAudio() throws {
    let chart = LineChart.make(
      title: "Loss", xLabel: "step", yLabel: "loss", series: [Series(name: "t", values: [3, 2, 1])])
    let page = HTMLPage(
      title: "Browser check",
      cells: [
        .markdown("# Browser check"),
        .code(
          title: "c", source: "x",
          outputs: [
            .text("saved: a.svg"), .svg(name: "a.svg", document: chart.svg()),
            .text("saved: a.wav"), .audio(name: "a.wav", wav: Self.wav(seconds: 1.5)),
            .text("saved: b.wav"), .audio(name: "b.wav", wav: Self.wav(seconds: 0.25)),
          ], failed: false),
      ])
    // The probe script is added for the test only; exported pages carry no scripts.
    let probe = """
      <script>
      window.addEventListener('load', () => {
        const audios = [...document.querySelectorAll('audio')];
        let pending = audios.length;
        const report = () => {
          const p = document.createElement('div'); p.id = 'probe';
          p.textContent = 'svg=' + document.querySelectorAll('figure svg').length + ' audio=' +
            audios.map(a => a.error ? 'error' : a.duration.toFixed(2)).join(',');
          document.body.appendChild(p);
        };
        for (const a of audios) {
          if (a.readyState >= 1) { pending--; continue; }
          a.addEventListener('loadedmetadata', () => { if (--pending == 0) report(); });
          a.addEventListener('error', () => { if (--pending == 0) report(); });
        }
        if (pending == 0) report();
      });
      </script>
      """
    let html = page.render().replacingOccurrences(of: "</body>", with: probe + "</body>")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "midigen-browser-\(getpid()).html")
    try html.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
      "--dump-dom", file.absoluteString,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let dom = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(dom.contains("<div id=\"probe\">svg=1 audio=1.50,0.25</div>"), "\(dom.suffix(300))")
  }
}
