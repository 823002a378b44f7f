import Foundation

/// A self-contained HTML page for a notebook: rendered markdown, code, text outputs, charts as SVG and a
/// player for every melody. Nothing is loaded from elsewhere (styles inline, images and audio as `data:`
/// or `blob:` URLs), so the page works offline and can be mailed as one file.
///
/// Scripts: the page's only script is midigen's melody player (`MelodyPlayer.script`), present only when
/// the page has melodies. A Content-Security-Policy in the page allows exactly that script and style (by
/// SHA-256) and `data:`/`blob:` media, so even content that slipped through escaping could neither run
/// nor fetch anything.
///
/// This type knows nothing about the notebook format: the caller (the `export` command) turns notebook
/// cells into `Cell`s, reads the files the cells saved and the charts and melodies they displayed.
public struct HTMLPage: Sendable {
  /// What a code cell printed, in order.
  public enum Output: Sendable, Equatable {
    case text(String)
    /// A chart midigen drew (an SVG document); inlined when `SVGSanitizer` accepts it, else an `<img>`.
    case chart(svg: String)
    /// A saved SVG file: inlined only in midigen's own vocabulary (`SVGSanitizer`), else an `<img>`.
    case svg(name: String, document: String)
    /// A melody the cell displayed: a player that renders its notes in the page.
    case melody(PlayerMelody)
    /// WAV file bytes, shown as an audio player.
    case audio(name: String, wav: [UInt8])
    /// A remark about the line above (for example why a saved file is not embedded).
    case note(String)
    /// A saved file that could not be embedded (missing, unreadable); shown as a warning.
    case missing(name: String, reason: String)
  }

  public enum Cell: Sendable, Equatable {
    case markdown(String)
    /// A code cell; `failed` marks an output that ended in an error, `stale` an output recorded for an
    /// earlier version of the source (both are shown).
    case code(title: String?, source: String, outputs: [Output], failed: Bool, stale: Bool = false)
  }

  /// The marker a page midigen wrote carries in its head (export overwrites only such pages).
  public static let generatorMarker = "<meta name=\"generator\" content=\"midigen export\">"

  public var title: String
  public var cells: [Cell]
  /// A remark shown once at the top (for example: charts shown as text because the run is old).
  public var notice: String?

  public init(title: String, cells: [Cell], notice: String? = nil) {
    self.title = title
    self.cells = cells
    self.notice = notice
  }

  /// Every melody of the page, in order.
  public var melodies: [PlayerMelody] {
    var result: [PlayerMelody] = []
    for case .code(_, _, let outputs, _, _) in cells {
      for case .melody(let m) in outputs { result.append(m) }
    }
    return result
  }

  /// The whole page as HTML5 text. `resolveImage` embeds markdown images (`![alt](src)`).
  public func render(
    resolveImage: @escaping (String) -> MarkdownRenderer.Image = { _ in
      .refused(reason: "images are not embedded here")
    }
  ) -> String {
    let melodies = self.melodies
    var reserved: Set<String> = ["contents", "midigen-synth"]
    for i in cells.indices { reserved.insert("cell-\(i + 1)") }
    var markdown = MarkdownRenderer(reservedIDs: reserved, resolveImage: resolveImage)
    var parts: [String] = []
    var codeNumber = 0
    var melodyNumber = 0
    for (i, cell) in cells.enumerated() {
      switch cell {
      case .markdown(let text):
        parts.append("<section class=\"cell markdown\" id=\"cell-\(i + 1)\">\n" + markdown.html(text) + "\n</section>\n")
      case .code(let title, let source, let outputs, let failed, let stale):
        codeNumber += 1
        var body = "<section class=\"cell code\(failed ? " failed" : "")\" id=\"cell-\(i + 1)\">\n"
        var label = "[\(codeNumber)]" + (title.map { " " + $0 } ?? "")
        if stale { label += " (output from an earlier version of this code)" }
        body += "<div class=\"label\">" + Markdown.escape(label) + "</div>\n"
        body += "<pre class=\"source\"><code>" + Markdown.escape(source) + "</code></pre>\n"
        for o in outputs {
          if case .melody = o { melodyNumber += 1 }
          body += HTMLPage.render(o, melodyNumber: melodyNumber)
        }
        body += "</section>\n"
        parts.append(body)
      }
    }
    if markdown.headings.count > 3 {
      let toc = HTMLPage.tableOfContents(markdown.headings)
      // After the first cell's title and introduction (before its second heading), else at the top.
      if case .markdown = cells.first, let at = HTMLPage.secondHeading(parts[0]) {
        parts[0].insert(contentsOf: toc, at: at)
      } else if case .markdown = cells.first {
        parts.insert(toc, at: 1)
      } else {
        parts.insert(toc, at: 0)
      }
    }
    let script = melodies.isEmpty ? nil : MelodyPlayer.script
    var csp = "default-src 'none'; img-src data:; media-src data: blob:; style-src \(SHA256.cspSource(HTMLPage.style))"
    csp += "; script-src " + (script.map(SHA256.cspSource) ?? "'none'") + "; base-uri 'none'; form-action 'none'"
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="\(csp)">
      \(HTMLPage.generatorMarker)
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="color-scheme" content="light dark">
      <title>\(Markdown.escape(title))</title>
      <style>\(HTMLPage.style)</style>
      </head>
      <body>
      <main>

      """
    if let notice { out += "<p class=\"notice\">" + Markdown.escape(notice) + "</p>\n" }
    out += parts.joined()
    if let script {
      out += "<div id=\"midigen-synth\" hidden data-table=\"\(MelodyPlayer.table(melodies))\"></div>\n"
      out += "<script>\(script)</script>\n"
    }
    out += "</main>\n</body>\n</html>\n"
    return out
  }

  /// Test mode: `html` (a page `render` made) with `script` run first in its head and allowed by its
  /// Content-Security-Policy. Only the browser test uses this; exported pages never carry it.
  public static func injectingTestProbe(_ script: String, into html: String) -> String {
    let hash = SHA256.cspSource(script)
    var page = html
    if page.contains("script-src 'none'") {
      page = page.replacingOccurrences(of: "script-src 'none'", with: "script-src \(hash)")
    } else {
      page = page.replacingOccurrences(of: "; script-src 'sha256-", with: "; script-src \(hash) 'sha256-")
    }
    return page.replacingOccurrences(of: generatorMarker, with: "<script>\(script)</script>\n" + generatorMarker)
  }

  /// Where the second heading of rendered markdown starts (the renderer escapes all other `<`).
  static func secondHeading(_ html: String) -> String.Index? {
    var seen = 0
    var idx = html.startIndex
    while let r = html.range(of: "<h", range: idx..<html.endIndex) {
      if let d = html[r.upperBound...].first, ("1"..."6").contains(d) {
        seen += 1
        if seen == 2 { return r.lowerBound }
      }
      idx = r.upperBound
    }
    return nil
  }

  /// A nested list of links to the headings (levels 1-3).
  static func tableOfContents(_ headings: [MarkdownRenderer.Heading]) -> String {
    let shown = headings.filter { $0.level <= 3 }
    guard let first = shown.first else { return "" }
    var out = "<nav class=\"toc\" id=\"contents\" aria-label=\"Contents\">\n<div class=\"toc-title\">Contents</div>\n<ul>"
    var stack = [first.level]
    var openItem = false
    for h in shown {
      if openItem {
        if h.level > stack[stack.count - 1] {
          out += "\n<ul>"
          stack.append(h.level)
        } else {
          out += "</li>"
          while stack.count > 1 && h.level < stack[stack.count - 1] {
            out += "\n</ul></li>"
            stack.removeLast()
          }
        }
      }
      out += "\n<li><a href=\"#\(h.id)\">\(h.text)</a>"
      openItem = true
    }
    out += "</li>"
    while stack.count > 1 {
      out += "\n</ul></li>"
      stack.removeLast()
    }
    return out + "\n</ul>\n</nav>\n"
  }

  /// Splits a code cell's output text at lines `saved: PATH` naming an `.svg` or `.wav` file (the
  /// notebook's convention), inserting `embed(PATH, ext)` (lowercased extension) right after each such line.
  /// Other text, including `saved:` lines of other files, stays text. An empty output gives no outputs.
  public static func outputs(fromText text: String, embed: (_ path: String, _ ext: String) -> [Output])
    -> [Output]
  {
    var result: [Output] = []
    var chunk: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      chunk.append(line)
      guard let (path, ext) = savedMedia(line) else { continue }
      result.append(.text(chunk.joined(separator: "\n")))
      chunk = []
      result += embed(path, ext)
    }
    if !chunk.isEmpty && !(chunk.count == 1 && chunk[0].isEmpty) {
      result.append(.text(chunk.joined(separator: "\n")))
    }
    return result
  }

  /// The path and lowercased extension of a `saved: PATH` line naming an `.svg` or `.wav` file.
  public static func savedMedia(_ line: Substring) -> (path: String, ext: String)? {
    guard line.hasPrefix("saved: ") else { return nil }
    let path = String(line.dropFirst("saved: ".count))
    let ext = (path as NSString).pathExtension.lowercased()
    guard ext == "svg" || ext == "wav" else { return nil }
    return (path, ext)
  }

  static func render(_ output: Output, melodyNumber: Int = 0) -> String {
    switch output {
    case .text(let text):
      if text.isEmpty { return "" }
      return "<pre class=\"output\">" + Markdown.escape(text) + "</pre>\n"
    case .chart(let svg):
      return "<figure class=\"chart\">\n" + svgHTML(svg, name: "chart") + "\n</figure>\n"
    case .svg(let name, let document):
      return "<figure class=\"chart\">\n" + svgHTML(document, name: name) + "\n<figcaption>"
        + Markdown.escape(name) + "</figcaption>\n</figure>\n"
    case .melody(let m):
      let caption = "\(m.name): \(m.notes.count) notes, " + String(format: "%.1f", m.seconds) + " s"
      return "<figure class=\"player\" data-tempo=\"\(MelodyPlayer.number(m.tempo))\" data-notes=\""
        + m.encodedNotes + "\">\n<audio controls preload=\"auto\"></audio>\n<figcaption>"
        + Markdown.escape(caption) + " <a class=\"download\" hidden download=\""
        + Markdown.escape(safeFileName(m.name, melodyNumber)) + "\">download .wav</a></figcaption>\n</figure>\n"
    case .audio(let name, let wav):
      let data = Data(wav).base64EncodedString()
      return "<figure class=\"audio\">\n<audio controls preload=\"auto\" src=\"data:audio/wav;base64,\(data)\"></audio>\n"
        + "<figcaption>" + Markdown.escape(name) + "</figcaption>\n</figure>\n"
    case .note(let text):
      return "<p class=\"note\">" + Markdown.escape(text) + "</p>\n"
    case .missing(let name, let reason):
      return "<p class=\"missing\">" + Markdown.escape("\(name): \(reason)") + "</p>\n"
    }
  }

  /// Inline SVG when it is midigen's own vocabulary, else an image (where scripts never run).
  static func svgHTML(_ document: String, name: String) -> String {
    if let inline = SVGSanitizer.inlinable(document) { return inline }
    let data = Data(document.utf8).base64EncodedString()
    return "<img alt=\"\(Markdown.escape(name))\" src=\"data:image/svg+xml;base64,\(data)\">"
  }

  /// `NAME.wav` from a melody name (letters, digits, `-`, `_` only).
  static func safeFileName(_ name: String, _ number: Int) -> String {
    let cleaned = String(name.unicodeScalars.filter {
      $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
    }.prefix(40).map(Character.init))
    return (cleaned.isEmpty ? "melody-\(number)" : cleaned) + ".wav"
  }
}
