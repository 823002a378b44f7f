/// Inline Markdown of one block, in time linear in its length.
///
/// One left-to-right scan turns the text into tokens (text, escapes, code spans, brackets, `*`/`_` runs,
/// autolinks). Brackets are matched with a stack as the scan reaches `]`; a link's destination is found
/// with precomputed "next `)` / next space / next quote" tables, so no candidate rescans the text.
/// Emphasis uses CommonMark's delimiter algorithm on a doubly linked list (removing every delimiter
/// between an opener and its closer is O(1)) with a per-character search floor, so each delimiter is
/// visited a bounded number of times. Links do not nest (an inner link wins, as in CommonMark).
struct MarkdownInline {
  enum Kind {
    case text
    case literal(String)  // already escaped HTML
    case code(String)
    case open(image: Bool)
    case close
    case delim(Unicode.Scalar)
    case hardBreak
  }

  struct Token {
    var kind: Kind
    var start: Int
    var end: Int
    /// For a matched `[`: the destination and the index of its `]` token.
    var link: (url: String?, image: Bool, closeToken: Int, alt: String)? = nil
    // Emphasis bookkeeping (delimiter runs).
    var count = 0
    var canOpen = false
    var canClose = false
    var openTags: [String] = []
    var closeTags: [String] = []
    var prev = -1
    var next = -1
  }

  let s: [Unicode.Scalar]
  let resolveImage: (String) -> MarkdownRenderer.Image
  var tokens: [Token] = []

  init(_ text: String, resolveImage: @escaping (String) -> MarkdownRenderer.Image) {
    s = Array(text.unicodeScalars)
    self.resolveImage = resolveImage
  }

  static func isSpace(_ c: Unicode.Scalar) -> Bool {
    c == " " || c == "\t" || c == "\n" || c == "\r" || c.properties.isWhitespace
  }
  static func isPunct(_ c: Unicode.Scalar) -> Bool {
    (c.isASCII && !c.properties.isAlphabetic && !("0"..."9").contains(c) && !isSpace(c))
      || c.properties.generalCategory == .otherPunctuation
  }

  /// `next[i]`: the first index `>= i` whose scalar satisfies `p` (or `s.count`).
  func nextTable(_ p: (Unicode.Scalar) -> Bool) -> [Int32] {
    var t = [Int32](repeating: Int32(s.count), count: s.count + 1)
    var k = s.count - 1
    while k >= 0 {
      t[k] = p(s[k]) ? Int32(k) : t[k + 1]
      k -= 1
    }
    return t
  }

  mutating func render() -> String {
    guard !s.isEmpty else { return "" }
    let nextClose = nextTable { $0 == ")" }
    let nextSpace = nextTable { MarkdownInline.isSpace($0) }
    let nextNonSpace = nextTable { !MarkdownInline.isSpace($0) }
    let nextGT = nextTable { $0 == ">" }
    let nextDQ = nextTable { $0 == "\"" }
    let nextSQ = nextTable { $0 == "'" }
    // Backtick runs by length, for finding a code span's closer in amortized O(1).
    var runs: [Int: [Int]] = [:]
    do {
      var k = 0
      while k < s.count {
        if s[k] == "`" {
          var e = k
          while e < s.count && s[e] == "`" { e += 1 }
          runs[e - k, default: []].append(k)
          k = e
        } else {
          k += 1
        }
      }
    }
    var runCursor: [Int: Int] = [:]

    var brackets: [(token: Int, epoch: Int)] = []
    var linkEpoch = 0
    var delims: [Int] = []  // token indices of delimiter runs not yet processed, in order
    var textStart = 0
    var i = 0
    func flushText(_ me: inout MarkdownInline, upTo end: Int) {
      if end > textStart { me.tokens.append(Token(kind: .text, start: textStart, end: end)) }
    }

    while i < s.count {
      let c = s[i]
      if c == "\\" && i + 1 < s.count {
        let n = s[i + 1]
        if n == "\n" {
          flushText(&self, upTo: i)
          tokens.append(Token(kind: .hardBreak, start: i, end: i + 2))
          i += 2
          textStart = i
          continue
        }
        if n.isASCII && MarkdownInline.isPunct(n) {
          flushText(&self, upTo: i)
          tokens.append(Token(kind: .literal(Markdown.escape(String(n))), start: i, end: i + 2))
          i += 2
          textStart = i
          continue
        }
      }
      if c == "`" {
        var e = i
        while e < s.count && s[e] == "`" { e += 1 }
        let len = e - i
        var found: Int? = nil
        if let list = runs[len] {
          var p = runCursor[len, default: 0]
          while p < list.count && list[p] <= i { p += 1 }
          runCursor[len] = p
          if p < list.count { found = list[p] }
        }
        flushText(&self, upTo: i)
        if let close = found {
          var code = String(String.UnicodeScalarView(s[e..<close])).replacingNewlines()
          if code.count > 1, code.hasPrefix(" "), code.hasSuffix(" "), code.contains(where: { $0 != " " }) {
            code = String(code.dropFirst().dropLast())
          }
          tokens.append(Token(kind: .code(code), start: i, end: close + len))
          i = close + len
        } else {
          tokens.append(Token(kind: .literal(String(repeating: "`", count: len)), start: i, end: e))
          i = e
        }
        textStart = i
        continue
      }
      if c == "<" {
        // Autolink <scheme:…> with no spaces.
        let gt = Int(nextGT[i + 1])
        if gt < s.count, gt - i <= 2048, Int(nextSpace[i + 1]) > gt, gt > i + 1 {
          let url = String(String.UnicodeScalarView(s[(i + 1)..<gt]))
          if url.contains(":"), let safe = MarkdownURL.safe(url) {
            flushText(&self, upTo: i)
            let e = Markdown.escape(safe)
            tokens.append(
              Token(kind: .literal("<a href=\"\(e)\">\(Markdown.escape(url))</a>"), start: i, end: gt + 1))
            i = gt + 1
            textStart = i
            continue
          }
        }
      }
      if c == "[" || (c == "!" && i + 1 < s.count && s[i + 1] == "[") {
        flushText(&self, upTo: i)
        let image = c == "!"
        let len = image ? 2 : 1
        tokens.append(Token(kind: .open(image: image), start: i, end: i + len))
        brackets.append((tokens.count - 1, linkEpoch))
        i += len
        textStart = i
        continue
      }
      if c == "]" {
        flushText(&self, upTo: i)
        tokens.append(Token(kind: .close, start: i, end: i + 1))
        let closeIndex = tokens.count - 1
        i += 1
        textStart = i
        guard let opener = brackets.popLast() else { continue }
        let openToken = opener.token
        guard case .open(let image) = tokens[openToken].kind, image || opener.epoch == linkEpoch else { continue }
        // Destination: `(` spaces? url spaces? ("title")? spaces? `)`.
        guard i < s.count, s[i] == "(" else { continue }
        var p = Int(nextNonSpace[i + 1])
        let urlStart = p
        let urlEnd = min(Int(nextClose[p]), Int(nextSpace[p]))
        p = urlEnd
        if p < s.count && s[p] != ")" {
          p = Int(nextNonSpace[p])
          if p < s.count && (s[p] == "\"" || s[p] == "'") {
            let q = Int((s[p] == "\"" ? nextDQ : nextSQ)[p + 1])
            guard q < s.count else { continue }
            p = Int(nextNonSpace[q + 1])
          }
        }
        guard p < s.count, s[p] == ")" else { continue }
        let url = String(String.UnicodeScalarView(s[urlStart..<urlEnd]))
        let altStart = tokens[openToken].end
        let altEnd = image ? min(tokens[closeIndex].start, altStart + 200) : altStart
        let alt = String(String.UnicodeScalarView(s[altStart..<altEnd]))
        let dest = url.hasPrefix("<") && url.hasSuffix(">") ? String(url.dropFirst().dropLast()) : url
        tokens[openToken].link = (MarkdownURL.unescapeEntities(dest), image, closeIndex, alt)
        // Emphasis inside the label is settled now; an image's label is plain alt text.
        var firstInside = delims.count
        while firstInside > 0 && delims[firstInside - 1] > openToken { firstInside -= 1 }
        if !image { processEmphasis(Array(delims[firstInside...])) }
        delims.removeSubrange(firstInside...)
        // Unmatched openers inside the label can match nothing after it.
        while let last = brackets.last, last.token > openToken { brackets.removeLast() }
        if !image { linkEpoch += 1 }
        i = p + 1
        textStart = i
        continue
      }
      if c == "*" || c == "_" {
        var e = i
        while e < s.count && s[e] == c { e += 1 }
        flushText(&self, upTo: i)
        let before: Unicode.Scalar = i > 0 ? s[i - 1] : " "
        let after: Unicode.Scalar = e < s.count ? s[e] : " "
        let left =
          !MarkdownInline.isSpace(after)
          && (!MarkdownInline.isPunct(after) || MarkdownInline.isSpace(before) || MarkdownInline.isPunct(before))
        let right =
          !MarkdownInline.isSpace(before)
          && (!MarkdownInline.isPunct(before) || MarkdownInline.isSpace(after) || MarkdownInline.isPunct(after))
        var t = Token(kind: .delim(c), start: i, end: e)
        t.count = e - i
        if c == "*" {
          t.canOpen = left
          t.canClose = right
        } else {
          t.canOpen = left && (!right || MarkdownInline.isPunct(before))
          t.canClose = right && (!left || MarkdownInline.isPunct(after))
        }
        tokens.append(t)
        if t.canOpen || t.canClose { delims.append(tokens.count - 1) }
        i = e
        textStart = i
        continue
      }
      i += 1
    }
    flushText(&self, upTo: s.count)
    processEmphasis(delims)
    return emit()
  }

  /// Matches `*`/`_` openers and closers among `list` (token indices in order), recording tags.
  mutating func processEmphasis(_ list: [Int]) {
    guard list.count > 1 else { return }
    for (k, t) in list.enumerated() {
      tokens[t].prev = k > 0 ? list[k - 1] : -1
      tokens[t].next = k + 1 < list.count ? list[k + 1] : -1
    }
    var floor: [Unicode.Scalar: Int] = [:]  // token index: do not search at or below it
    var closer = list[0]
    while closer != -1 {
      let ct = tokens[closer]
      guard ct.canClose, ct.count > 0, case .delim(let ch) = ct.kind else {
        closer = ct.next
        continue
      }
      var o = ct.prev
      let bottom = floor[ch] ?? -1
      var found = -1
      while o != -1 && o > bottom {
        if case .delim(let oc) = tokens[o].kind, oc == ch, tokens[o].canOpen, tokens[o].count > 0 {
          found = o
          break
        }
        o = tokens[o].prev
      }
      if found == -1 {
        floor[ch] = ct.prev
        if !ct.canOpen { unlink(closer) }
        closer = ct.next
        continue
      }
      let use = tokens[found].count >= 2 && tokens[closer].count >= 2 ? 2 : 1
      let tag = use == 2 ? "strong" : "em"
      tokens[found].count -= use
      tokens[closer].count -= use
      tokens[found].openTags.append("<\(tag)>")
      tokens[closer].closeTags.append("</\(tag)>")
      // Delimiters between them can no longer match anything.
      tokens[found].next = closer
      tokens[closer].prev = found
      if tokens[found].count == 0 { unlink(found) }
      if tokens[closer].count == 0 {
        let n = tokens[closer].next
        unlink(closer)
        closer = n
      }
    }
  }

  mutating func unlink(_ t: Int) {
    let p = tokens[t].prev
    let n = tokens[t].next
    if p != -1 { tokens[p].next = n }
    if n != -1 { tokens[n].prev = p }
  }

  func escapedText(_ a: Int, _ b: Int) -> String {
    Markdown.escape(String(String.UnicodeScalarView(s[a..<b])))
  }

  mutating func emit() -> String {
    var out = ""
    var k = 0
    var closeAt: [Int: String] = [:]  // token index of a link's `]` -> closing HTML
    while k < tokens.count {
      let t = tokens[k]
      if let html = closeAt[k] {
        out += html
        k += 1
        continue
      }
      switch t.kind {
      case .text:
        out += escapedText(t.start, t.end)
      case .literal(let html):
        out += html
      case .code(let code):
        out += "<code>" + Markdown.escape(code) + "</code>"
      case .hardBreak:
        out += "<br>\n"
      case .close:
        out += "]"
      case .open(let image):
        guard let link = t.link else {
          out += image ? "![" : "["
          break
        }
        if link.image {
          out += imageHTML(url: link.url ?? "", alt: link.alt)
          k = link.closeToken + 1
          continue
        }
        if let url = link.url.flatMap(MarkdownURL.safe) {
          out += "<a href=\"" + Markdown.escape(url) + "\">"
          closeAt[link.closeToken] = "</a>"
        } else {
          out += "<span class=\"unsafe-link\" title=\"link removed: not an http, https, mailto or relative URL\">"
          closeAt[link.closeToken] = "</span>"
        }
      case .delim(let ch):
        let leftover = String(repeating: String(ch), count: t.count)
        out += t.closeTags.joined() + leftover + t.openTags.reversed().joined()
      }
      k += 1
    }
    return out
  }

  func imageHTML(url: String, alt: String) -> String {
    let altText = Markdown.escape(alt)
    switch resolveImage(url) {
    case .embedded(let dataURL):
      return "<img src=\"" + Markdown.escape(dataURL) + "\" alt=\"" + altText + "\">"
    case .refused(let reason):
      return "<span class=\"missing\">[image " + altText + ": " + Markdown.escape(reason) + "]</span>"
    }
  }
}

extension String {
  /// Code span content: line endings become spaces.
  func replacingNewlines() -> String {
    String(map { $0 == "\n" ? " " : $0 })
  }
}
