import Foundation

@testable import Notebook

/// A notebook folder made by a hostile hand, for the export tests: markdown and outputs full of attack
/// strings (generated: every dangerous scheme in every encoding browsers decode), a foreign SVG that
/// tries to run script and fetch, crafted page data, and `saved:` lines and images naming files outside
/// the folder directly, by `..` and through symbolic links. Every attack sets `window.__pwned` or
/// requests `http://127.0.0.1:9/…`, so a browser shows whether any of it ran.
enum HostileNotebook {
  static let title = "Hostile <b>notebook</b>"
  static let secret = "PRIVATE KEY 0123456789abcdef"

  static let payload = "window.__pwned=1"

  /// Scheme spellings that a browser (or a careless filter) reads as `javascript:` and friends.
  static var schemeVariants: [String] {
    var result: [String] = []
    for scheme in ["javascript", "JaVaScRiPt", "vbscript", "data", "file"] {
      for colon in [":", "&#58;", "&#x3A;", "&#x3a", "&colon;", "&#0000058;", "&#58"] {
        result.append(scheme + colon)
      }
    }
    result += [
      " javascript:", "java\tscript:", "java&#9;script:", "&#106;avascript:", "&#x6A;avascript:", "javascript&#x3A",
      "\u{1}javascript:", "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+",
    ]
    return result
  }

  /// Raw HTML that must show as text.
  static let htmlAttacks = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "<svg/onload=window.__pwned=1>",
    "<svg><image href=x onerror=window.__pwned=1 /></svg>",
    "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
    "<style>@import url(http://127.0.0.1:9/s.css);</style>",
    "<link rel=stylesheet href=http://127.0.0.1:9/l.css>",
    "<a href=\"javascript:window.__pwned=1\">x</a>",
    "<object data=\"javascript:window.__pwned=1\"></object>",
    "<math><mi xlink:href=\"javascript:window.__pwned=1\">x</mi></math>",
    "<body onload=window.__pwned=1>",
    "<img src=http://127.0.0.1:9/i.png>",
    "</code></pre><script>window.__pwned=1</script>",
    "\"><script>window.__pwned=1</script>",
  ]

  static var markdown: String {
    var md = "# \(title)\n\nLinks:\n\n"
    for s in schemeVariants { md += "- [click](\(s)\(payload)) and <\(s)\(payload)>\n" }
    md += "\nRaw HTML:\n\n"
    for a in htmlAttacks { md += a + "\n\n" }
    md += "| a | <script>window.__pwned=1</script> |\n|---|---|\n| <img src=x onerror=window.__pwned=1> | `<b>` |\n\n"
    md += "```\n</code></pre><script>window.__pwned=1</script>\n```\n\n"
    md += "Images: ![net](http://127.0.0.1:9/i.png) ![abs](/etc/passwd) ![up](../secret.png) "
    md += "![link](link.png) ![js](javascript:window.__pwned=1) ![svg](evil.svg) ![ok](ok.png)\n"
    md += "[emphasis *inside* link](https://example.com/\"onmouseover=\"window.__pwned=1)\n"
    return md
  }

  /// A foreign SVG that would run script and fetch if it were inlined.
  static let evilSVG = """
    <svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" onload="window.__pwned=1">
    <script>window.__pwned=1</script><image href="http://127.0.0.1:9/svg.png" width="10" height="10"/>
    <foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:parent.__pwned=1"></iframe></foreignObject>
    <rect width="100" height="50" fill="red"/></svg>
    """

  static let png: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
    0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF,
    0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
  ]

  /// The output of the crafted code cell (its page data names a chart with an event handler).
  static let chartOutput = "chart text"

  /// Writes `dir/nb/hostile.mgnb` and its files, `dir/secret.txt` and `dir/secret.png` outside.
  static func write(in dir: String) throws {
    let fm = FileManager.default
    let nb = dir + "/nb"
    try fm.createDirectory(atPath: nb, withIntermediateDirectories: true)
    try secret.write(toFile: dir + "/secret.txt", atomically: true, encoding: .utf8)
    try Data(png).write(to: URL(fileURLWithPath: dir + "/secret.png"))
    try Data(png).write(to: URL(fileURLWithPath: nb + "/ok.png"))
    try evilSVG.write(toFile: nb + "/evil.svg", atomically: true, encoding: .utf8)
    try fm.createSymbolicLink(atPath: nb + "/link.wav", withDestinationPath: dir + "/secret.txt")
    try fm.createSymbolicLink(atPath: nb + "/link.png", withDestinationPath: "../secret.png")
    try fm.createSymbolicLink(atPath: nb + "/inner", withDestinationPath: dir)
    var text = markdown + "\n%% code: <script>window.__pwned=1</script>\nx = 1\n\n"
    text += "%% output 00000000\n<script>window.__pwned=1</script>\nsaved: evil.svg\nsaved: link.wav\n"
    text += "saved: ../secret.txt.wav\nsaved: \(dir)/secret.txt.svg\nsaved: inner/secret.txt.wav\n\n"
    text += "%% code\nplot(x)\n\n%% output 00000000\n\(chartOutput)\n"
    try text.write(toFile: nb + "/hostile.mgnb", atomically: true, encoding: .utf8)
    // The secret under names the saved lines use.
    try fm.copyItem(atPath: dir + "/secret.txt", toPath: dir + "/secret.txt.wav")
    try fm.copyItem(atPath: dir + "/secret.txt", toPath: dir + "/secret.txt.svg")
    // Page data whose chart carries an event handler and a script.
    let folder = OutputArtifacts.folder(forNotebook: nb + "/hostile.mgnb")
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let chart = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"window.__pwned=1\"><script>window.__pwned=1</script></svg>"
    let json = """
      {"format":"midigen-page-outputs","version":1,"items":[{"display":"chart text","chart":\
      \(String(decoding: try JSONEncoder().encode(chart), as: UTF8.self))}]}
      """
    try json.write(toFile: folder + "/" + OutputArtifacts.key(chartOutput) + ".json", atomically: true, encoding: .utf8)
  }
}
