/// Line-level helpers of the markdown block parser: lines are byte slices of the cell's UTF-8 text (all
/// markup is ASCII, so slicing at markup never splits a character).
extension MarkdownRenderer {
  static func escaped(_ l: Line) -> String {
    var out: [UInt8] = []
    SVG.escape(l, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Lines joined with newlines, HTML-escaped.
  static func escapedLines(_ lines: [Line]) -> String {
    var out: [UInt8] = []
    for (k, l) in lines.enumerated() {
      if k > 0 { out.append(0x0A) }
      SVG.escape(l, into: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Paragraph lines joined: leading spaces removed, a line ending in two spaces (or `\`) breaks.
  static func paragraphText(_ lines: [Line]) -> String {
    var out: [UInt8] = []
    for (k, line) in lines.enumerated() {
      var l = dropSpaces(line)
      let hard = l.count >= 2 && l[l.endIndex - 1] == space && l[l.endIndex - 2] == space
      while let c = l.last, c == space || c == tab { l = l.dropLast() }
      if k > 0 { out.append(0x0A) }
      out += l
      if hard && k < lines.count - 1 { out.append(UInt8(ascii: "\\")) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func dropSpaces(_ l: Line) -> Line { l.drop { $0 == space || $0 == tab } }

  static func trimSpaces(_ l: Line) -> Line {
    var s = dropSpaces(l)
    while let c = s.last, c == space || c == tab { s = s.dropLast() }
    return s
  }

  static func isBlank(_ l: Line) -> Bool { l.allSatisfy { $0 == space || $0 == tab } }

  /// Columns of leading whitespace (a tab advances to the next multiple of 4).
  static func indentation(_ l: Line) -> Int {
    var col = 0
    for c in l {
      if c == space { col += 1 } else if c == tab { col += 4 - col % 4 } else { break }
    }
    return col
  }

  /// The line without its first `n` columns of leading whitespace (fewer if it has fewer).
  static func dropColumns(_ l: Line, _ n: Int) -> Line {
    var col = 0
    var idx = l.startIndex
    while idx < l.endIndex, col < n {
      let c = l[idx]
      if c == space { col += 1 } else if c == tab { col += 4 - col % 4 } else { break }
      idx += 1
    }
    return l[idx...]
  }

  /// The opening fence (its run of backticks or tildes), or nil.
  static func fence(_ t: Line) -> Line? {
    guard let c = t.first, c == UInt8(ascii: "`") || c == UInt8(ascii: "~") else { return nil }
    let run = t.prefix { $0 == c }
    guard run.count >= 3 else { return nil }
    if c == UInt8(ascii: "`") && t.dropFirst(run.count).contains(c) { return nil }
    return run
  }

  static func isClosingFence(_ t: Line, _ fence: Line) -> Bool {
    guard let c = fence.first, t.count >= fence.count else { return false }
    let run = t.prefix { $0 == c }.count
    return run >= fence.count && t.dropFirst(run).allSatisfy { $0 == space || $0 == tab }
  }

  static func atxHeading(_ t: Line) -> (Int, Line)? {
    let hashes = t.prefix { $0 == UInt8(ascii: "#") }.count
    guard hashes >= 1 && hashes <= 6 else { return nil }
    let rest = t.dropFirst(hashes)
    guard rest.isEmpty || rest.first == space || rest.first == tab else { return nil }
    var content = trimSpaces(rest)
    // Optional closing hashes (preceded by a space).
    var closing = 0
    while closing < content.count, content[content.endIndex - 1 - closing] == UInt8(ascii: "#") { closing += 1 }
    if closing > 0 {
      let before = content.dropLast(closing)
      if before.isEmpty || before.last == space { content = trimSpaces(before) }
    }
    return (hashes, content)
  }

  static func setextLevel(_ t: Line) -> Int? {
    let body = trimSpaces(t)
    guard let c = body.first, c == UInt8(ascii: "=") || c == UInt8(ascii: "-"), body.allSatisfy({ $0 == c }) else {
      return nil
    }
    return c == UInt8(ascii: "=") ? 1 : 2
  }

  static func isThematicBreak(_ t: Line) -> Bool {
    guard let c = t.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: "_") else {
      return false
    }
    var n = 0
    for x in t {
      if x == c { n += 1 } else if x != space && x != tab { return false }
    }
    return n >= 3
  }

  /// Lines that end a lazy list continuation or start a new block.
  static func startsBlock(_ l: Line) -> Bool {
    let t = l.drop { $0 == space }
    return t.first == UInt8(ascii: ">") || fence(t) != nil || atxHeading(t) != nil || isThematicBreak(t)
  }

  struct ListMarker: Equatable {
    var ordered: Bool
    /// The bullet character, or `.`/`)` for ordered lists.
    var bullet: UInt8
    var start: Int
    /// Column where the item's content starts.
    var contentColumn: Int
    /// The first line's content after the marker.
    var content: Line
  }

  static func listMarker(_ line: Line) -> ListMarker? {
    let indent = indentation(line)
    guard indent < 4 else { return nil }
    let t = dropSpaces(line)
    guard let c = t.first else { return nil }
    var width: Int
    var ordered = false
    var bullet = c
    var start = 1
    if c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: "+") {
      width = 1
    } else {
      let digits = t.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
      guard !digits.isEmpty, digits.count <= 9 else { return nil }
      let after = t.dropFirst(digits.count)
      guard let d = after.first, d == UInt8(ascii: ".") || d == UInt8(ascii: ")") else { return nil }
      ordered = true
      bullet = d
      start = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
      width = digits.count + 1
    }
    let rest = t.dropFirst(width)
    if rest.isEmpty {
      return ListMarker(ordered: ordered, bullet: bullet, start: start, contentColumn: indent + width + 1, content: rest)
    }
    guard rest.first == space || rest.first == tab else { return nil }
    let spaces = rest.prefix { $0 == space }.count
    let pad = spaces >= 1 && spaces <= 4 && spaces < rest.count ? spaces : 1
    return ListMarker(
      ordered: ordered, bullet: bullet, start: start, contentColumn: indent + width + pad,
      content: rest.dropFirst(pad))
  }

  /// Column alignments of a table delimiter row (`| :--- | :---: | ---: |`), or nil if it is not one.
  static func delimiterRow(_ line: Line) -> [String?]? {
    let t = trimSpaces(line)
    guard t.contains(UInt8(ascii: "-")),
      t.allSatisfy({ $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ":") || $0 == space || $0 == tab })
    else { return nil }
    let parts = cells(t)
    guard !parts.isEmpty, parts.count <= 64 else { return nil }
    var aligns: [String?] = []
    for p in parts {
      let c = trimSpaces(p)
      guard c.contains(UInt8(ascii: "-")), c.dropFirst().dropLast().allSatisfy({ $0 == UInt8(ascii: "-") }) else {
        return nil
      }
      switch (c.first == UInt8(ascii: ":"), c.last == UInt8(ascii: ":")) {
      case (true, true): aligns.append("center")
      case (true, false): aligns.append("left")
      case (false, true): aligns.append("right")
      default: aligns.append(nil)
      }
    }
    return aligns
  }

  /// The cells of a table row: split at `|` (not `\|`, not inside a code span), outer pipes dropped.
  static func cells(_ row: Line) -> [Line] {
    var t = trimSpaces(row)
    if t.first == UInt8(ascii: "|") { t = t.dropFirst() }
    if t.last == UInt8(ascii: "|") && !(t.count >= 2 && t[t.endIndex - 2] == UInt8(ascii: "\\")) { t = t.dropLast() }
    var result: [Line] = []
    var start = t.startIndex
    var idx = t.startIndex
    var inCode = false
    var escaped = false
    while idx < t.endIndex {
      let c = t[idx]
      if escaped {
        escaped = false
      } else if c == UInt8(ascii: "\\") {
        escaped = true
      } else if c == UInt8(ascii: "`") {
        inCode.toggle()
      } else if c == UInt8(ascii: "|") && !inCode {
        result.append(t[start..<idx])
        start = idx + 1
      }
      idx += 1
    }
    result.append(t[start...])
    return result
  }

  /// An anchor id from heading text: lowercase letters, digits and `-` (at most 64 letters).
  static func slug(_ text: String) -> String {
    var s = String.UnicodeScalarView()
    var dash = false
    var n = 0
    for u in text.unicodeScalars {
      if u.isASCII {
        let b = UInt8(u.value)
        if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) {
          if dash && !s.isEmpty { s.append("-") }
          s.append(Unicode.Scalar(b >= 0x41 && b <= 0x5A ? b + 32 : b))
          dash = false
          n += 1
        } else if b == 0x20 || b == 0x2D || b == 0x5F {
          dash = true
        }
      } else if u.properties.isAlphabetic || u.properties.numericType != nil {
        if dash && !s.isEmpty { s.append("-") }
        for l in u.properties.lowercaseMapping.unicodeScalars { s.append(l) }
        dash = false
        n += 1
      }
      if n >= 64 { break }
    }
    return s.isEmpty ? "section" : String(s)
  }

  /// Text of our own rendered HTML without tags (entities kept).
  static func stripTags(_ html: String) -> String {
    var out: [UInt8] = []
    var inTag = false
    for c in html.utf8 {
      if c == UInt8(ascii: "<") { inTag = true } else if c == UInt8(ascii: ">") { inTag = false } else if !inTag { out.append(c) }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
