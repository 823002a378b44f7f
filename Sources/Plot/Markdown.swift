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
    var lines: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lines.append(line.hasSuffix("\r") ? line.dropLast() : line)
    }
    var out: [String] = []
    blocks(lines[...], depth: 0, tight: false, into: &out)
    return out.joined(separator: "\n")
  }

  // MARK: Blocks

  mutating func blocks(_ lines: ArraySlice<Substring>, depth: Int, tight: Bool, into out: inout [String]) {
    var i = lines.startIndex
    var paragraph: [Substring] = []
    func flush(_ out: inout [String], _ me: inout MarkdownRenderer) {
      guard !paragraph.isEmpty else { return }
      let body = me.inline(MarkdownRenderer.paragraphText(paragraph))
      out.append(tight ? body : "<p>" + body + "</p>")
      paragraph = []
    }
    while i < lines.endIndex {
      let line = lines[i]
      let indent = MarkdownRenderer.indentation(line)
      let t = line.drop { $0 == " " || $0 == "\t" }
      if t.isEmpty {
        flush(&out, &self)
        i += 1
        continue
      }
      // Indented code (not inside a paragraph).
      if indent >= 4 && paragraph.isEmpty {
        var code: [Substring] = []
        while i < lines.endIndex {
          let l = lines[i]
          if MarkdownRenderer.isBlank(l) {
            code.append("")
          } else if MarkdownRenderer.indentation(l) >= 4 {
            code.append(MarkdownRenderer.dropColumns(l, 4))
          } else {
            break
          }
          i += 1
        }
        while code.last?.isEmpty == true { code.removeLast() }
        out.append("<pre><code>" + Markdown.escape(code.joined(separator: "\n")) + "</code></pre>")
        continue
      }
      guard indent < 4 else {
        paragraph.append(line)
        i += 1
        continue
      }
      if let fence = MarkdownRenderer.fence(t) {
        flush(&out, &self)
        let info = t.dropFirst(fence.count).trimmedSpaces
        var code: [Substring] = []
        i += 1
        while i < lines.endIndex {
          let l = lines[i]
          let lt = l.drop { $0 == " " }
          if MarkdownRenderer.indentation(l) < 4, lt.hasPrefix(fence),
            lt.allSatisfy({ $0 == fence.first! || $0 == " " || $0 == "\t" })
          {
            break
          }
          code.append(MarkdownRenderer.dropColumns(l, indent))
          i += 1
        }
        i += 1  // closing fence (or end of text)
        let lang = info.split(separator: " ").first.map(String.init) ?? ""
        let cls = lang.isEmpty ? "" : " class=\"language-\(Markdown.escape(lang))\""
        out.append("<pre><code\(cls)>" + Markdown.escape(code.joined(separator: "\n")) + "</code></pre>")
        continue
      }
      if let (level, content) = MarkdownRenderer.atxHeading(t) {
        flush(&out, &self)
        out.append(heading(level, content))
        i += 1
        continue
      }
      if !paragraph.isEmpty, let level = MarkdownRenderer.setextLevel(t) {
        let content = MarkdownRenderer.paragraphText(paragraph)
        paragraph = []
        out.append(heading(level, Substring(content)))
        i += 1
        continue
      }
      if MarkdownRenderer.isThematicBreak(t) {
        flush(&out, &self)
        out.append("<hr>")
        i += 1
        continue
      }
      if t.hasPrefix(">") {
        flush(&out, &self)
        var quoted: [Substring] = []
        while i < lines.endIndex {
          let l = lines[i]
          let lt = l.drop { $0 == " " }
          guard MarkdownRenderer.indentation(l) < 4, lt.hasPrefix(">") else { break }
          var q = lt.dropFirst()
          if q.hasPrefix(" ") { q = q.dropFirst() }
          quoted.append(q)
          i += 1
        }
        if depth + 1 >= MarkdownRenderer.maxDepth {
          out.append("<blockquote>\n<p>" + Markdown.escape(quoted.joined(separator: "\n")) + "</p>\n</blockquote>")
        } else {
          var inner: [String] = []
          blocks(quoted[...], depth: depth + 1, tight: false, into: &inner)
          out.append("<blockquote>\n" + inner.joined(separator: "\n") + "\n</blockquote>")
        }
        continue
      }
      if let marker = MarkdownRenderer.listMarker(line),
        paragraph.isEmpty || !marker.ordered || marker.start == 1
      {
        flush(&out, &self)
        i = list(lines, from: i, first: marker, depth: depth, into: &out)
        continue
      }
      if paragraph.isEmpty, i + 1 < lines.endIndex, t.contains("|"),
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
    _ lines: ArraySlice<Substring>, from start: Int, first: ListMarker, depth: Int, into out: inout [String]
  ) -> Int {
    var items: [[Substring]] = []
    var i = start
    var loose = false
    var marker = first
    while i < lines.endIndex {
      // One item: its first line's content, then lines indented to its content column, blank lines,
      // and lazy paragraph continuations.
      var item: [Substring] = [marker.content]
      i += 1
      var lastBlank = false
      while i < lines.endIndex {
        let l = lines[i]
        if MarkdownRenderer.isBlank(l) {
          item.append("")
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
          item.append(l.drop { $0 == " " || $0 == "\t" })  // lazy continuation
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
        html += "\n<li>" + Markdown.escape(item.joined(separator: "\n")) + "</li>"
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
    _ lines: ArraySlice<Substring>, from start: Int, aligns: [String?], into out: inout [String]
  ) -> Int {
    func row(_ cells: [Substring], _ tag: String) -> String {
      var s = "<tr>"
      for (k, c) in cells.prefix(aligns.count).enumerated() {
        let cls = aligns[k].map { " class=\"align-\($0)\"" } ?? ""
        s += "<\(tag)\(cls)>" + inline(String(c.trimmedSpaces)) + "</\(tag)>"
      }
      return s + "</tr>"
    }
    var html = "<div class=\"table\"><table>\n<thead>\n"
      + row(MarkdownRenderer.cells(lines[start].drop { $0 == " " }), "th") + "\n</thead>\n<tbody>"
    var i = start + 2
    while i < lines.endIndex, !MarkdownRenderer.isBlank(lines[i]), lines[i].contains("|") {
      html += "\n" + row(MarkdownRenderer.cells(lines[i].drop { $0 == " " }), "td")
      i += 1
    }
    out.append(html + "\n</tbody>\n</table></div>")
    return i
  }

  mutating func heading(_ level: Int, _ content: Substring) -> String {
    let body = inline(String(content))
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

  // MARK: Line helpers

  /// Paragraph lines joined: leading spaces removed, a line ending in two spaces (or `\`) breaks.
  static func paragraphText(_ lines: [Substring]) -> String {
    var parts: [String] = []
    for (k, line) in lines.enumerated() {
      var l = line.drop { $0 == " " || $0 == "\t" }
      let last = k == lines.count - 1
      var hard = false
      if l.hasSuffix("  ") {
        hard = true
      }
      while let c = l.last, c == " " || c == "\t" { l.removeLast() }
      if hard && !last { l += "\\" }
      parts.append(String(l))
    }
    return parts.joined(separator: "\n")
  }

  static func isBlank(_ l: Substring) -> Bool { l.allSatisfy { $0 == " " || $0 == "\t" } }

  /// Columns of leading whitespace (a tab advances to the next multiple of 4).
  static func indentation(_ l: Substring) -> Int {
    var col = 0
    for c in l {
      if c == " " { col += 1 } else if c == "\t" { col += 4 - col % 4 } else { break }
    }
    return col
  }

  /// The line without its first `n` columns of leading whitespace (fewer if it has fewer).
  static func dropColumns(_ l: Substring, _ n: Int) -> Substring {
    var col = 0
    var idx = l.startIndex
    while idx < l.endIndex, col < n {
      let c = l[idx]
      if c == " " { col += 1 } else if c == "\t" { col += 4 - col % 4 } else { break }
      idx = l.index(after: idx)
    }
    return l[idx...]
  }

  static func fence(_ t: Substring) -> String? {
    for c in ["`", "~"] {
      let run = t.prefix { String($0) == c }.count
      if run >= 3 {
        if c == "`" && t.dropFirst(run).contains("`") { return nil }
        return String(repeating: c, count: run)
      }
    }
    return nil
  }

  static func atxHeading(_ t: Substring) -> (Int, Substring)? {
    let hashes = t.prefix { $0 == "#" }.count
    guard hashes >= 1 && hashes <= 6 else { return nil }
    let rest = t.dropFirst(hashes)
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    var content = rest.trimmedSpaces
    // Optional closing hashes (preceded by a space).
    let closing = content.reversed().prefix { $0 == "#" }.count
    if closing > 0 {
      let before = content.dropLast(closing)
      if before.isEmpty || before.last == " " { content = before.trimmedSpaces }
    }
    return (hashes, content)
  }

  static func setextLevel(_ t: Substring) -> Int? {
    let body = t.trimmedSpaces
    guard let c = body.first, c == "=" || c == "-", body.allSatisfy({ $0 == c }) else { return nil }
    return c == "=" ? 1 : 2
  }

  static func isThematicBreak(_ t: Substring) -> Bool {
    guard let c = t.first, c == "-" || c == "*" || c == "_" else { return false }
    var n = 0
    for x in t {
      if x == c { n += 1 } else if x != " " && x != "\t" { return false }
    }
    return n >= 3
  }

  /// Lines that end a lazy list continuation or start a new block.
  static func startsBlock(_ l: Substring) -> Bool {
    let t = l.drop { $0 == " " }
    return t.hasPrefix(">") || fence(t) != nil || atxHeading(t) != nil || isThematicBreak(t)
  }

  struct ListMarker: Equatable {
    var ordered: Bool
    /// The bullet character, or `.`/`)` for ordered lists.
    var bullet: Character
    var start: Int
    /// Column where the item's content starts.
    var contentColumn: Int
    /// The first line's content after the marker.
    var content: Substring
  }

  static func listMarker(_ line: Substring) -> ListMarker? {
    let indent = indentation(line)
    guard indent < 4 else { return nil }
    let t = line.drop { $0 == " " || $0 == "\t" }
    guard let c = t.first else { return nil }
    var width: Int
    var ordered = false
    var bullet = c
    var start = 1
    if c == "-" || c == "*" || c == "+" {
      width = 1
    } else {
      let digits = t.prefix { $0.isASCII && $0.isNumber }
      guard !digits.isEmpty, digits.count <= 9, let n = Int(digits) else { return nil }
      let after = t.dropFirst(digits.count)
      guard let d = after.first, d == "." || d == ")" else { return nil }
      ordered = true
      bullet = d
      start = n
      width = digits.count + 1
    }
    let rest = t.dropFirst(width)
    if rest.isEmpty {
      return ListMarker(ordered: ordered, bullet: bullet, start: start, contentColumn: indent + width + 1, content: rest)
    }
    guard rest.first == " " || rest.first == "\t" else { return nil }
    let spaces = rest.prefix { $0 == " " }.count
    let pad = spaces >= 1 && spaces <= 4 && spaces < rest.count ? spaces : 1
    return ListMarker(
      ordered: ordered, bullet: bullet, start: start, contentColumn: indent + width + pad,
      content: rest.dropFirst(pad))
  }

  /// Column alignments of a table delimiter row (`| :--- | :---: | ---: |`), or nil if it is not one.
  static func delimiterRow(_ line: Substring) -> [String?]? {
    let t = line.trimmedSpaces
    guard t.contains("-"), t.allSatisfy({ "|-: \t".contains($0) }) else { return nil }
    let parts = cells(t)
    guard !parts.isEmpty, parts.count <= 64 else { return nil }
    var aligns: [String?] = []
    for p in parts {
      let c = p.trimmedSpaces
      guard c.contains("-"), c.dropFirst().dropLast().allSatisfy({ $0 == "-" }) else { return nil }
      switch (c.hasPrefix(":"), c.hasSuffix(":")) {
      case (true, true): aligns.append("center")
      case (true, false): aligns.append("left")
      case (false, true): aligns.append("right")
      default: aligns.append(nil)
      }
    }
    return aligns
  }

  /// The cells of a table row: split at `|` (not `\|`, not inside a code span), outer pipes dropped.
  static func cells(_ row: Substring) -> [Substring] {
    var t = row.trimmedSpaces
    if t.hasPrefix("|") { t = t.dropFirst() }
    if t.hasSuffix("|") && !t.hasSuffix("\\|") { t = t.dropLast() }
    var result: [Substring] = []
    var start = t.startIndex
    var idx = t.startIndex
    var inCode = false
    var escaped = false
    while idx < t.endIndex {
      let c = t[idx]
      if escaped {
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else if c == "`" {
        inCode.toggle()
      } else if c == "|" && !inCode {
        result.append(t[start..<idx])
        start = t.index(after: idx)
      }
      idx = t.index(after: idx)
    }
    result.append(t[start...])
    return result
  }

  /// An anchor id from heading text: lowercase letters, digits and `-`.
  static func slug(_ text: Substring) -> String {
    var s = ""
    var dash = false
    for ch in text.lowercased() {
      if ch.isLetter || ch.isNumber {
        if dash && !s.isEmpty { s += "-" }
        s.append(ch)
        dash = false
      } else if ch == " " || ch == "-" || ch == "_" {
        dash = true
      }
      if s.count >= 64 { break }
    }
    let escaped = Markdown.escape(s)
    return escaped.isEmpty ? "section" : escaped
  }

  /// Text of our own rendered HTML without tags (entities kept).
  static func stripTags(_ html: String) -> String {
    var out = ""
    var inTag = false
    for c in html {
      if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
    }
    return out
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
