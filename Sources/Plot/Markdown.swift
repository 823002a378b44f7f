/// Markdown for notebook text cells, as people write it (CommonMark blocks and GitHub tables).
///
/// Blocks: ATX and setext headings (with `id` anchors), paragraphs with hard breaks, fenced (```` ``` ````,
/// `~~~`) and indented code, block quotes, bullet and ordered lists (nested by indentation, tight or loose),
/// thematic breaks and pipe tables with column alignment. Inline (see `MarkdownInline`): code spans,
/// emphasis, links, images and `<https://…>` autolinks.
///
/// Safety: everything is HTML-escaped (raw HTML in the input is shown as text), link targets pass
/// `MarkdownURL.safe`, and images come only from `resolveImage` (the page embeds local files as data URLs).
/// Cost: linear in the input. Containers (quotes, list items) nest at most `maxDepth` deep, deeper
/// markers are text; inline parsing is one pass plus a delimiter stack with O(1) removals.
public struct MarkdownRenderer {
  /// How an image source was resolved by the page.
  public enum Image: Sendable, Equatable {
    /// Embedded: the `data:` URL to use as the image's `src`.
    case embedded(dataURL: String)
    /// Not embedded, with the reason shown in its place.
    case refused(reason: String)
  }

  public struct Heading: Sendable, Equatable {
    public var level: Int
    /// Plain text (HTML-escaped) for a table of contents.
    public var text: String
    public var id: String
  }

  public static let maxDepth = 16
  public var resolveImage: (String) -> Image
  /// Every heading rendered so far (across calls), in order.
  public private(set) var headings: [Heading] = []
  var usedIDs: Set<String>
  var nextSuffix: [String: Int] = [:]

  /// `reservedIDs` are element ids the page uses itself (heading anchors avoid them).
  public init(
    reservedIDs: Set<String> = [],
    resolveImage: @escaping (String) -> Image = { _ in .refused(reason: "images are not embedded here") }
  ) {
    self.usedIDs = reservedIDs
    self.resolveImage = resolveImage
  }

  /// The HTML for `text` (block elements separated by newlines).
  public mutating func html(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var lines: [Line] = []
    var start = 0
    for k in 0...bytes.count where k == bytes.count || bytes[k] == 0x0A {
      var end = k
      if end > start && bytes[end - 1] == 0x0D { end -= 1 }
      lines.append(bytes[start..<end])
      start = k + 1
    }
    var out: [String] = []
    blocks(lines[...], depth: 0, tight: false, into: &out)
    return out.joined(separator: "\n")
  }

  typealias Line = ArraySlice<UInt8>
  static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

  // MARK: Blocks

  mutating func blocks(_ lines: ArraySlice<Line>, depth: Int, tight: Bool, into out: inout [String]) {
    var i = lines.startIndex
    var paragraph: [Line] = []
    func flush(_ out: inout [String], _ me: inout MarkdownRenderer) {
      guard !paragraph.isEmpty else { return }
      let body = me.inline(MarkdownRenderer.paragraphText(paragraph))
      out.append(tight ? body : "<p>" + body + "</p>")
      paragraph = []
    }
    while i < lines.endIndex {
      let line = lines[i]
      let indent = MarkdownRenderer.indentation(line)
      let t = MarkdownRenderer.dropSpaces(line)
      if t.isEmpty {
        flush(&out, &self)
        i += 1
        continue
      }
      // Indented code (not inside a paragraph).
      if indent >= 4 && paragraph.isEmpty {
        var code: [Line] = []
        while i < lines.endIndex {
          let l = lines[i]
          if MarkdownRenderer.isBlank(l) {
            code.append([])
          } else if MarkdownRenderer.indentation(l) >= 4 {
            code.append(MarkdownRenderer.dropColumns(l, 4))
          } else {
            break
          }
          i += 1
        }
        while code.last?.isEmpty == true { code.removeLast() }
        out.append("<pre><code>" + MarkdownRenderer.escapedLines(code) + "</code></pre>")
        continue
      }
      guard indent < 4 else {
        paragraph.append(line)
        i += 1
        continue
      }
      let first = t[t.startIndex]
      if let fence = MarkdownRenderer.fence(t) {
        flush(&out, &self)
        let info = MarkdownRenderer.trimSpaces(t.dropFirst(fence.count))
        var code: [Line] = []
        i += 1
        while i < lines.endIndex {
          let l = lines[i]
          if MarkdownRenderer.indentation(l) < 4, MarkdownRenderer.isClosingFence(MarkdownRenderer.dropSpaces(l), fence) {
            break
          }
          code.append(MarkdownRenderer.dropColumns(l, indent))
          i += 1
        }
        i += 1  // closing fence (or end of text)
        let lang = info.prefix { $0 != MarkdownRenderer.space && $0 != MarkdownRenderer.tab }
        let cls = lang.isEmpty ? "" : " class=\"language-\(MarkdownRenderer.escaped(lang))\""
        out.append("<pre><code\(cls)>" + MarkdownRenderer.escapedLines(code) + "</code></pre>")
        continue
      }
      if first == UInt8(ascii: "#"), let (level, content) = MarkdownRenderer.atxHeading(t) {
        flush(&out, &self)
        out.append(heading(level, String(decoding: content, as: UTF8.self)))
        i += 1
        continue
      }
      if !paragraph.isEmpty, first == UInt8(ascii: "=") || first == UInt8(ascii: "-"),
        let level = MarkdownRenderer.setextLevel(t)
      {
        let content = MarkdownRenderer.paragraphText(paragraph)
        paragraph = []
        out.append(heading(level, content))
        i += 1
        continue
      }
      if MarkdownRenderer.isThematicBreak(t) {
        flush(&out, &self)
        out.append("<hr>")
        i += 1
        continue
      }
      if first == UInt8(ascii: ">") {
        flush(&out, &self)
        var quoted: [Line] = []
        while i < lines.endIndex {
          let l = lines[i]
          let lt = MarkdownRenderer.dropSpaces(l)
          guard MarkdownRenderer.indentation(l) < 4, lt.first == UInt8(ascii: ">") else { break }
          var q = lt.dropFirst()
          if q.first == MarkdownRenderer.space { q = q.dropFirst() }
          quoted.append(q)
          i += 1
        }
        if depth + 1 >= MarkdownRenderer.maxDepth {
          out.append("<blockquote>\n<p>" + MarkdownRenderer.escapedLines(quoted) + "</p>\n</blockquote>")
        } else {
          var inner: [String] = []
          blocks(quoted[...], depth: depth + 1, tight: false, into: &inner)
          out.append("<blockquote>\n" + inner.joined(separator: "\n") + "\n</blockquote>")
        }
        continue
      }
      if let marker = MarkdownRenderer.listMarker(line),
        paragraph.isEmpty || (!marker.content.isEmpty && (!marker.ordered || marker.start == 1))
      {
        flush(&out, &self)
        i = list(lines, from: i, first: marker, depth: depth, into: &out)
        continue
      }
      if paragraph.isEmpty, i + 1 < lines.endIndex, t.contains(UInt8(ascii: "|")),
        let aligns = MarkdownRenderer.delimiterRow(lines[i + 1]),
        MarkdownRenderer.cells(t).count == aligns.count
      {
        i = table(lines, from: i, aligns: aligns, into: &out)
        continue
      }
      paragraph.append(line)
      i += 1
    }
    flush(&out, &self)
  }

  /// Renders the list starting at `from`; returns the index of the first line after it.
  mutating func list(
    _ lines: ArraySlice<Line>, from start: Int, first: ListMarker, depth: Int, into out: inout [String]
  ) -> Int {
    var items: [[Line]] = []
    var i = start
    var loose = false
    var marker = first
    while i < lines.endIndex {
      // One item: its first line's content, then lines indented to its content column, blank lines,
      // and lazy paragraph continuations.
      var item: [Line] = [marker.content]
      i += 1
      var lastBlank = false
      while i < lines.endIndex {
        let l = lines[i]
        if MarkdownRenderer.isBlank(l) {
          item.append([])
          lastBlank = true
          i += 1
          continue
        }
        let ind = MarkdownRenderer.indentation(l)
        if ind >= marker.contentColumn {
          item.append(MarkdownRenderer.dropColumns(l, marker.contentColumn))
        } else if !lastBlank, MarkdownRenderer.listMarker(l) == nil, !MarkdownRenderer.startsBlock(l),
          !(item.last?.isEmpty ?? true)
        {
          item.append(MarkdownRenderer.dropSpaces(l))  // lazy continuation
        } else {
          break
        }
        lastBlank = false
        i += 1
      }
      // Trailing blank lines belong between items (they make the list loose if another item follows).
      var trailingBlanks = 0
      while item.count > 1, item.last?.isEmpty == true {
        item.removeLast()
        trailingBlanks += 1
      }
      if item.dropFirst().contains(where: { $0.isEmpty }) { loose = true }
      items.append(item)
      guard i < lines.endIndex, let next = MarkdownRenderer.listMarker(lines[i]),
        next.ordered == first.ordered, next.bullet == first.bullet
      else {
        i -= trailingBlanks
        break
      }
      if trailingBlanks > 0 { loose = true }
      marker = next
    }
    let tag = first.ordered ? "ol" : "ul"
    var html = "<\(tag)" + (first.ordered && first.start != 1 ? " start=\"\(first.start)\"" : "") + ">"
    for item in items {
      if depth + 1 >= MarkdownRenderer.maxDepth {
        html += "\n<li>" + MarkdownRenderer.escapedLines(item) + "</li>"
        continue
      }
      var inner: [String] = []
      blocks(item[...], depth: depth + 1, tight: !loose, into: &inner)
      html += "\n<li>" + inner.joined(separator: "\n") + "</li>"
    }
    out.append(html + "\n</\(tag)>")
    return i
  }

  /// Renders a pipe table whose header is line `from`; returns the index after its last row.
  mutating func table(
    _ lines: ArraySlice<Line>, from start: Int, aligns: [String?], into out: inout [String]
  ) -> Int {
    func row(_ cells: [Line], _ tag: String) -> String {
      var s = "<tr>"
      for (k, c) in cells.prefix(aligns.count).enumerated() {
        let cls = aligns[k].map { " class=\"align-\($0)\"" } ?? ""
        s += "<\(tag)\(cls)>" + inline(String(decoding: MarkdownRenderer.trimSpaces(c), as: UTF8.self)) + "</\(tag)>"
      }
      return s + "</tr>"
    }
    var html = "<div class=\"table\"><table>\n<thead>\n"
      + row(MarkdownRenderer.cells(lines[start]), "th") + "\n</thead>\n<tbody>"
    var i = start + 2
    while i < lines.endIndex, !MarkdownRenderer.isBlank(lines[i]), lines[i].contains(UInt8(ascii: "|")) {
      html += "\n" + row(MarkdownRenderer.cells(lines[i]), "td")
      i += 1
    }
    out.append(html + "\n</tbody>\n</table></div>")
    return i
  }

  mutating func heading(_ level: Int, _ content: String) -> String {
    let body = inline(content)
    let plain = MarkdownRenderer.stripTags(body)
    let id = uniqueID(MarkdownRenderer.slug(content))
    headings.append(Heading(level: level, text: plain, id: id))
    return "<h\(level) id=\"\(id)\">" + body + " <a class=\"anchor\" href=\"#\(id)\" aria-label=\"link to this section\">#</a></h\(level)>"
  }

  mutating func uniqueID(_ base: String) -> String {
    if usedIDs.insert(base).inserted { return base }
    var n = nextSuffix[base, default: 2]
    while !usedIDs.insert("\(base)-\(n)").inserted { n += 1 }
    nextSuffix[base] = n + 1
    return "\(base)-\(n)"
  }

  mutating func inline(_ text: String) -> String {
    var parser = MarkdownInline(text, resolveImage: resolveImage)
    return parser.render()
  }
}

/// Stateless entry points.
public enum Markdown {
  /// The HTML for `text`, with images refused (see `MarkdownRenderer` for the page's renderer).
  public static func html(_ text: String) -> String {
    var r = MarkdownRenderer()
    return r.html(text)
  }

  /// HTML-escapes text (`&`, `<`, `>`, `"`, `'`).
  public static func escape(_ s: String) -> String { SVG.escape(s) }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  var trimmed: String { String(trimmedSpaces) }

  var trimmedSpaces: SubSequence {
    var s = self[...]
    while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
    return s
  }
}
