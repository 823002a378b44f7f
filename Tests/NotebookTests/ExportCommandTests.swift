import Foundation
import Testing

@testable import Notebook

/// `midigen export` as a user (or an attacker) calls it: where the page may be written, which files it
/// may embed, and that attack strings come out inert in the HTML.
@Suite struct ExportCommandTests {
  static func tempDir(_ tag: String) throws -> String {
    let dir = NSTemporaryDirectory() + "midigen-export-\(tag)-\(getpid())"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  func midigen(_ args: [String], in dir: String) throws -> (status: Int32, stderr: String) {
    try ExportBrowserTests.midigen(args, cwd: dir)
  }

  static let notebook = "# A notebook\n\n%% code\n1 + 1\n\n%% output 00000000\n2\n"

  @Test func refusesToOverwriteTheNotebookOrForeignFiles() throws {
    let dir = try Self.tempDir("dest")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.notebook.write(toFile: dir + "/nb.mgnb", atomically: true, encoding: .utf8)
    try Self.notebook.write(toFile: dir + "/index.html", atomically: true, encoding: .utf8)
    try "my own page".write(toFile: dir + "/mine.html", atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.html", withDestinationPath: "nb.mgnb")
    for args in [
      ["export", "nb.mgnb", "--html", "nb.mgnb"], ["export", "index.html"], ["export", "nb.mgnb", "--html", "mine.html"],
      ["export", "nb.mgnb", "--html", "link.html"], ["export", "nb.mgnb", "--html", "nb.txt"],
      ["export", "index.html", "--html", "./index.html"],
    ] {
      let r = try midigen(args, in: dir)
      #expect(r.status == 2, "\(args): \(r.stderr)")
      #expect(r.stderr.contains("refusing"), "\(args): \(r.stderr)")
    }
    #expect(try String(contentsOfFile: dir + "/nb.mgnb", encoding: .utf8) == Self.notebook)
    #expect(try String(contentsOfFile: dir + "/index.html", encoding: .utf8) == Self.notebook)
    #expect(try String(contentsOfFile: dir + "/mine.html", encoding: .utf8) == "my own page")
    // A page midigen wrote may be replaced.
    #expect(try midigen(["export", "nb.mgnb", "--html", "page.html"], in: dir).status == 0)
    #expect(try midigen(["export", "nb.mgnb", "--html", "page.html"], in: dir).status == 0)
    #expect(try midigen(["export", "nb.mgnb"], in: dir).status == 0)
    #expect(FileManager.default.fileExists(atPath: dir + "/nb.html"))
  }

  @Test func hostileNotebookComesOutInert() throws {
    let dir = try Self.tempDir("hostile")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try HostileNotebook.write(in: dir)
    let r = try midigen(["export", "nb/hostile.mgnb", "--html", "page.html"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let html = try String(contentsOfFile: dir + "/page.html", encoding: .utf8)
    // Nothing outside the notebook's folder is embedded: not the secret, not its base64.
    let secret64 = Data(HostileNotebook.secret.utf8).base64EncodedString()
    #expect(!html.contains(HostileNotebook.secret) && !html.contains(String(secret64.prefix(24))))
    let png64 = Data(HostileNotebook.png).base64EncodedString()
    #expect(html.components(separatedBy: png64).count - 1 == 1, "only ok.png is embedded")
    #expect(html.contains("outside the notebook&#39;s folder"))
    // No script, no event handler, no frame, no style or link but the page's own.
    #expect(!html.contains("<script"))
    #expect(html.range(of: #"<[a-zA-Z][^>]*\son[a-z]+\s*="#, options: .regularExpression) == nil)
    for tag in ["<iframe", "<object", "<link", "<body onload", "<math", "<image"] { #expect(!html.contains(tag), "\(tag)") }
    #expect(html.components(separatedBy: "<style>").count == 2)
    #expect(!html.contains("@import url(http") || html.contains("&lt;style&gt;@import"))
    // Every href is http(s), mailto, a fragment or relative; no decoded dangerous scheme anywhere.
    var rest = Substring(html)
    var hrefs = 0
    while let r = rest.range(of: "href=\"") {
      let end = rest[r.upperBound...].firstIndex(of: "\"") ?? rest.endIndex
      let url = rest[r.upperBound..<end].lowercased()
      hrefs += 1
      let scheme = url.prefix { $0 != ":" && $0 != "/" && $0 != "?" && $0 != "#" }
      #expect(!url.contains(":") || ["http", "https", "mailto"].contains(String(scheme)), "href \(url)")
      rest = rest[end...]
    }
    #expect(hrefs > 0)
    // The foreign SVG and the crafted chart are images, never inline.
    #expect(!html.contains("<svg"))
    #expect(html.components(separatedBy: "data:image/svg+xml;base64,").count - 1 == 3)
    #expect(html.contains("<title>Hostile &lt;b&gt;notebook&lt;/b&gt;</title>"))
  }

  @Test func allowOutsideEmbedsOutsideFiles() throws {
    let dir = try Self.tempDir("outside")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/nb", withIntermediateDirectories: true)
    let wav: [UInt8] = Array("RIFF".utf8) + [36, 0, 0, 0] + Array("WAVEfmt ".utf8) + [UInt8](repeating: 0, count: 28)
    try Data(wav).write(to: URL(fileURLWithPath: dir + "/a.wav"))
    try "# x\n\n%% code\n1\n\n%% output 00000000\nsaved: ../a.wav\n".write(
      toFile: dir + "/nb/x.mgnb", atomically: true, encoding: .utf8)
    #expect(try midigen(["export", "nb/x.mgnb", "--html", "p.html"], in: dir).status == 0)
    var html = try String(contentsOfFile: dir + "/p.html", encoding: .utf8)
    #expect(!html.contains("data:audio/wav") && html.contains("--allow-outside"))
    #expect(try midigen(["export", "nb/x.mgnb", "--html", "p.html", "--allow-outside"], in: dir).status == 0)
    html = try String(contentsOfFile: dir + "/p.html", encoding: .utf8)
    #expect(html.contains("data:audio/wav;base64," + Data(wav).base64EncodedString()))
  }

  /// A run then an export, as a user publishes: displayed charts become SVG in place of their text,
  /// displayed melodies keep their text and get a player, saved files inside the folder are embedded.
  @Test func runThenExportShowsChartsAndPlayers() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    try FileManager.default.copyItem(atPath: TestSupport.goldenFolder + "/workflow.mgnb", toPath: dir + "/workflow.mgnb")
    #expect(try midigen(["run", "workflow.mgnb"], in: dir).status == 0)
    let r = try midigen(["export", "workflow.mgnb"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stderr.contains("warning"), "\(r.stderr)")
    let html = try String(contentsOfFile: dir + "/workflow.html", encoding: .utf8)
    func count(_ s: String) -> Int { html.components(separatedBy: s).count - 1 }
    #expect(count("<svg xmlns=") == 2)  // the data cell's piano roll, the saved loss chart
    #expect(count("<figure class=\"player\"") == 3)  // first, greedy, drop(continued, 6)
    #expect(count("data:audio/wav;base64,") == 1)  // out/greedy.wav (its melody was shown in another cell)
    #expect(!html.contains("class=\"notice\""))
    #expect(html.contains("<pre class=\"output\">melody "))
    #expect(!html.contains("┤"), "a chart's text drawing is replaced by its SVG")
  }

  @Test func oldRunFallsBackToTextAndSaysSoOnce() throws {
    let dir = try Self.tempDir("old")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let text = "# x\n\n%% code\nplot(m)\n\n%% output 00000000\nloss\n 20 ┤\n\n%% code\nm\n\n%% output 00000000\nmelody\n"
    try text.write(toFile: dir + "/x.mgnb", atomically: true, encoding: .utf8)
    let r = try midigen(["export", "x.mgnb"], in: dir)
    #expect(r.status == 0)
    #expect(r.stderr.components(separatedBy: "no page data").count - 1 == 1, "\(r.stderr)")
    let html = try String(contentsOfFile: dir + "/x.html", encoding: .utf8)
    #expect(html.components(separatedBy: "class=\"notice\"").count - 1 == 1)
    #expect(html.contains("<pre class=\"output\">loss\n 20 ┤</pre>"))
  }
}
