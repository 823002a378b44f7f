import Foundation

/// A self-contained HTML page for a notebook: rendered markdown, code, text outputs, inline SVG charts
/// and embedded WAV players. No scripts, no external resources (styles are inline, audio is a data URL),
/// so the page works offline and can be mailed as one file.
///
/// This type knows nothing about the notebook format: the caller (the `export` command) turns notebook
/// cells into `Cell`s and reads the files the cells saved.
public struct HTMLPage: Sendable {
  /// What a code cell printed, in order: text, and the files it saved.
  public enum Output: Sendable, Equatable {
    case text(String)
    /// An SVG document (inlined when it is a plain `<svg>`, else shown through an `<img>` data URL).
    case svg(name: String, document: String)
    /// WAV file bytes, shown as an audio player.
    case audio(name: String, wav: [UInt8])
    /// A saved file that could not be embedded (missing, unreadable); shown as a note.
    case missing(name: String, reason: String)
  }

  public enum Cell: Sendable, Equatable {
    case markdown(String)
    /// A code cell; `failed` marks an output that ended in an error, `stale` an output recorded for an
    /// earlier version of the source (both are shown).
    case code(title: String?, source: String, outputs: [Output], failed: Bool, stale: Bool = false)
  }

  public var title: String
  public var cells: [Cell]

  public init(title: String, cells: [Cell]) {
    self.title = title
    self.cells = cells
  }

  /// The whole page as HTML5 text.
  public func render() -> String {
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(Markdown.escape(title))</title>
      <style>
      \(HTMLPage.style)
      </style>
      </head>
      <body>
      <main>

      """
    var codeNumber = 0
    for (i, cell) in cells.enumerated() {
      switch cell {
      case .markdown(let text):
        out +=
          "<section class=\"cell markdown\" id=\"cell-\(i + 1)\">\n" + Markdown.html(text) + "\n</section>\n"
      case .code(let title, let source, let outputs, let failed, let stale):
        codeNumber += 1
        out += "<section class=\"cell code\(failed ? " failed" : "")\" id=\"cell-\(i + 1)\">\n"
        var label = "[\(codeNumber)]" + (title.map { " " + $0 } ?? "")
        if stale { label += " (output from an earlier version of this code)" }
        out += "<div class=\"label\">" + Markdown.escape(label) + "</div>\n"
        out += "<pre class=\"source\"><code>" + Markdown.escape(source) + "</code></pre>\n"
        for o in outputs { out += HTMLPage.render(o) }
        out += "</section>\n"
      }
    }
    out += "</main>\n</body>\n</html>\n"
    return out
  }

  /// Splits a code cell's output text at lines `saved: PATH` naming an `.svg` or `.wav` file (the
  /// notebook's convention), inserting `embed(PATH, ext)` (lowercased extension) right after each such line.
  /// Other text, including `saved:` lines of other files, stays text. An empty output gives no outputs.
  public static func outputs(fromText text: String, embed: (_ path: String, _ ext: String) -> Output)
    -> [Output]
  {
    var result: [Output] = []
    var chunk: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      chunk.append(line)
      guard line.hasPrefix("saved: ") else { continue }
      let path = String(line.dropFirst("saved: ".count))
      let ext = (path as NSString).pathExtension.lowercased()
      guard ext == "svg" || ext == "wav" else { continue }
      result.append(.text(chunk.joined(separator: "\n")))
      chunk = []
      result.append(embed(path, ext))
    }
    if !chunk.isEmpty && !(chunk.count == 1 && chunk[0].isEmpty) {
      result.append(.text(chunk.joined(separator: "\n")))
    }
    return result
  }

  static func render(_ output: Output) -> String {
    switch output {
    case .text(let text):
      if text.isEmpty { return "" }
      return "<pre class=\"output\">" + Markdown.escape(text) + "</pre>\n"
    case .svg(let name, let document):
      let body: String
      if let inline = inlineSVG(document) {
        body = inline
      } else {
        let data = Data(document.utf8).base64EncodedString()
        body = "<img alt=\"\(Markdown.escape(name))\" src=\"data:image/svg+xml;base64,\(data)\">"
      }
      return "<figure class=\"chart\">\n" + body + "\n<figcaption>" + Markdown.escape(name)
        + "</figcaption>\n</figure>\n"
    case .audio(let name, let wav):
      let data = Data(wav).base64EncodedString()
      return
        "<figure class=\"audio\">\n<audio controls preload=\"auto\" src=\"data:audio/wav;base64,\(data)\"></audio>\n"
        + "<figcaption>" + Markdown.escape(name) + "</figcaption>\n</figure>\n"
    case .missing(let name, let reason):
      return "<p class=\"missing\">" + Markdown.escape("\(name): \(reason)") + "</p>\n"
    }
  }

  /// The `<svg …>…</svg>` element of a document, without any XML declaration, comments or doctype before
  /// it; nil when the document is not a plain SVG (no `<svg` root, or it carries scripts, event handlers or
  /// foreign objects), which is then shown through an `<img>` instead.
  static func inlineSVG(_ document: String) -> String? {
    guard let start = document.range(of: "<svg"), let end = document.range(of: "</svg>", options: .backwards),
      start.lowerBound < end.lowerBound
    else { return nil }
    let svg = String(document[start.lowerBound..<end.upperBound])
    let lower = svg.lowercased()
    if ["<script", "<foreignobject", "javascript:", "<!entity"].contains(where: { lower.contains($0) }) {
      return nil
    }
    // Event-handler attributes (onload=, onclick=, ...).
    if lower.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) != nil { return nil }
    return svg
  }

  /// Page style: readable column, code in monospace, outputs set apart.
  static let style = """
    body { margin: 0; background: #fafafa; color: #1d1d1f;
      font: 16px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 820px; margin: 0 auto; padding: 24px 16px 64px; }
    .cell { margin: 18px 0; }
    .markdown h1, .markdown h2, .markdown h3 { line-height: 1.25; }
    .markdown code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
    .markdown code { background: #eeeeee; padding: 1px 4px; border-radius: 3px; }
    .markdown pre code { background: none; padding: 0; }
    pre { margin: 0; padding: 10px 12px; overflow-x: auto; line-height: 1.35; border-radius: 4px; }
    .markdown pre { background: #f0f0f0; }
    .code .label { color: #888888; font-size: 12px; margin-bottom: 2px; }
    pre.source { background: #f3f6fa; border: 1px solid #dde3ea; }
    pre.output { background: #ffffff; border: 1px solid #e5e5e5; border-top: none; line-height: 1.15; }
    .failed pre.output { background: #fff3f3; border-color: #f0c0c0; color: #a00000; }
    figure { margin: 8px 0; background: #ffffff; border: 1px solid #e5e5e5; padding: 8px; }
    figure svg, figure img { max-width: 100%; height: auto; display: block; }
    figure audio { width: 100%; }
    figcaption { color: #666666; font-size: 12px; margin-top: 4px; }
    .missing { color: #a00000; font-size: 14px; }
    blockquote { margin: 0; padding-left: 12px; border-left: 3px solid #cccccc; color: #555555; }
    """
}
