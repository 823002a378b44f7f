/// Inline Markdown of one block, in time linear in its length.
///
/// One left-to-right scan over the UTF-8 bytes (all markup is ASCII; other bytes are copied) turns the
/// text into tokens (text, escapes, code spans, brackets, `*`/`_` runs, autolinks). Brackets are matched
/// with a stack as the scan reaches `]`; a link's destination is found with "next `)` / next space /
/// next quote" tables built on first use, so no candidate rescans the text. Emphasis uses CommonMark's
/// delimiter algorithm on a doubly linked list (removing every delimiter between an opener and its
/// closer is O(1)) with a per-character search floor, so each delimiter is visited a bounded number of
/// times. Links do not nest (an inner link wins, as in CommonMark).
struct MarkdownInline {
  enum Kind {
    case text
    case escaped(UInt8)  // a backslash-escaped punctuation character
    case backticks(Int)  // a run of backticks that opens no code span
    case autolink(Int)  // index into `autolinks` (escaped HTML)
    case code(Int, Int)  // content byte range
    case open(image: Bool)
    case close
    case delim(UInt8)
    case hardBreak
  }

  struct Link {
    var url: String
    var image: Bool
    var closeToken: Int
    var alt: String
  }

  /// Kept small: a megabyte of brackets is a million tokens.
  struct Token {
    var kind: Kind
    var start: Int32
    var end: Int32
    /// For a delimiter run: its index in `runs`.
    var run: Int32 = -1
  }

  /// Emphasis bookkeeping of one `*`/`_` run (`prev`/`next` are token indices in the delimiter list).
  struct Run {
    var count: Int
    var canOpen: Bool
    var canClose: Bool
    var prev = -1
    var next = -1
    var openTags: [String] = []
    var closeTags: [String] = []
  }

  let s: [UInt8]
  let resolveImage: (String) -> MarkdownRenderer.Image
  var tokens: [Token] = []
  var runsInfo: [Run] = []
  var links: [Int: Link] = [:]
  var autolinks: [String] = []

  init(_ text: String, resolveImage: @escaping (String) -> MarkdownRenderer.Image) {
    s = Array(text.utf8)
    self.resolveImage = resolveImage
  }

  static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C || c == 0x0B }
  static func isPunct(_ c: UInt8) -> Bool {
    (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
  }

  /// Bytes that can start inline markup.
  static let markup: [Bool] = (0..<256).map { b in
    [UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "<"), UInt8(ascii: "["), UInt8(ascii: "!"),
     UInt8(ascii: "]"), UInt8(ascii: "*"), UInt8(ascii: "_")].contains(UInt8(b))
  }

  /// Lazily built "next index >= i whose byte satisfies p" tables.
  final class Tables {
    let s: [UInt8]
    init(_ s: [UInt8]) { self.s = s }
    func make(_ p: (UInt8) -> Bool) -> [Int32] {
      var t = [Int32](repeating: Int32(s.count), count: s.count + 1)
      var k = s.count - 1
      while k >= 0 {
        t[k] = p(s[k]) ? Int32(k) : t[k + 1]
        k -= 1
      }
      return t
    }
    lazy var close = make { $0 == UInt8(ascii: ")") }
    lazy var space = make { MarkdownInline.isSpace($0) }
    lazy var nonSpace = make { !MarkdownInline.isSpace($0) }
    lazy var gt = make { $0 == UInt8(ascii: ">") }
    lazy var dq = make { $0 == UInt8(ascii: "\"") }
    lazy var sq = make { $0 == UInt8(ascii: "'") }
  }

  func string(_ a: Int, _ b: Int) -> String { String(decoding: s[a..<b], as: UTF8.self) }

  mutating func render() -> String {
    guard !s.isEmpty else { return "" }
    // Plain text (the common case for headings and table cells) needs no parsing.
    if !s.contains(where: { MarkdownInline.markup[Int($0)] }) {
      var out: [UInt8] = []
      SVG.escape(s, into: &out)
      return String(decoding: out, as: UTF8.self)
    }
    let tables = Tables(s)
    // Backtick runs by length, for finding a code span's closer in amortized O(1).
    var runs: [Int: [Int]] = [:]
    do {
      var k = 0
      while k < s.count {
        if s[k] == UInt8(ascii: "`") {
          var e = k
          while e < s.count && s[e] == UInt8(ascii: "`") { e += 1 }
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
      if end > textStart { me.tokens.append(Token(kind: .text, start: Int32(textStart), end: Int32(end))) }
    }

    while i < s.count {
      let c = s[i]
      switch c {
      case UInt8(ascii: "\\"):
        guard i + 1 < s.count else { break }
        let n = s[i + 1]
        if n == 0x0A {
          flushText(&self, upTo: i)
          tokens.append(Token(kind: .hardBreak, start: Int32(i), end: Int32(i + 2)))
          i += 2
          textStart = i
          continue
        }
        if MarkdownInline.isPunct(n) {
          flushText(&self, upTo: i)
          tokens.append(Token(kind: .escaped(n), start: Int32(i), end: Int32(i + 2)))
          i += 2
          textStart = i
          continue
        }
      case UInt8(ascii: "`"):
        var e = i
        while e < s.count && s[e] == UInt8(ascii: "`") { e += 1 }
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
          tokens.append(Token(kind: .code(e, close), start: Int32(i), end: Int32(close + len)))
          i = close + len
        } else {
          tokens.append(Token(kind: .backticks(len), start: Int32(i), end: Int32(e)))
          i = e
        }
        textStart = i
        continue
      case UInt8(ascii: "<"):
        // Autolink <scheme:…> with no spaces, at most 2 KB.
        let gt = Int(tables.gt[i + 1])
        if gt < s.count, gt - i <= 2048, gt > i + 1, Int(tables.space[i + 1]) > gt {
          let url = string(i + 1, gt)
          if url.contains(":"), let safe = MarkdownURL.safe(url) {
            flushText(&self, upTo: i)
            let html = "<a href=\"\(Markdown.escape(safe))\">\(Markdown.escape(url))</a>"
            autolinks.append(html)
            tokens.append(Token(kind: .autolink(autolinks.count - 1), start: Int32(i), end: Int32(gt + 1)))
            i = gt + 1
            textStart = i
            continue
          }
        }
      case UInt8(ascii: "["), UInt8(ascii: "!"):
        let image = c == UInt8(ascii: "!")
        if image && !(i + 1 < s.count && s[i + 1] == UInt8(ascii: "[")) { break }
        flushText(&self, upTo: i)
        let len = image ? 2 : 1
        tokens.append(Token(kind: .open(image: image), start: Int32(i), end: Int32(i + len)))
        brackets.append((tokens.count - 1, linkEpoch))
        i += len
        textStart = i
        continue
      case UInt8(ascii: "]"):
        flushText(&self, upTo: i)
        tokens.append(Token(kind: .close, start: Int32(i), end: Int32(i + 1)))
        let closeIndex = tokens.count - 1
        i += 1
        textStart = i
        guard let opener = brackets.popLast() else { continue }
        let openToken = opener.token
        guard case .open(let image) = tokens[openToken].kind, image || opener.epoch == linkEpoch else { continue }
        // Destination: `(` spaces? url spaces? ("title" | 'title')? spaces? `)`.
        guard i < s.count, s[i] == UInt8(ascii: "(") else { continue }
        var p = Int(tables.nonSpace[i + 1])
        let urlStart = p
        let urlEnd = min(Int(tables.close[p]), Int(tables.space[p]))
        p = urlEnd
        if p < s.count && s[p] != UInt8(ascii: ")") {
          p = Int(tables.nonSpace[p])
          if p < s.count && (s[p] == UInt8(ascii: "\"") || s[p] == UInt8(ascii: "'")) {
            let q = Int((s[p] == UInt8(ascii: "\"") ? tables.dq : tables.sq)[p + 1])
            guard q < s.count else { continue }
            p = Int(tables.nonSpace[q + 1])
          }
        }
        guard p < s.count, s[p] == UInt8(ascii: ")") else { continue }
        var url = string(urlStart, urlEnd)
        if url.hasPrefix("<") && url.hasSuffix(">") && url.count >= 2 { url = String(url.dropFirst().dropLast()) }
        let altStart = Int(tokens[openToken].end)
        let altEnd = image ? min(Int(tokens[closeIndex].start), altStart + 200) : altStart
        links[openToken] = Link(
          url: MarkdownURL.unescapeEntities(url), image: image, closeToken: closeIndex,
          alt: String(decoding: s[altStart..<altEnd], as: UTF8.self))
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
      case UInt8(ascii: "*"), UInt8(ascii: "_"):
        var e = i
        while e < s.count && s[e] == c { e += 1 }
        flushText(&self, upTo: i)
        let before: UInt8 = i > 0 ? s[i - 1] : 0x20
        let after: UInt8 = e < s.count ? s[e] : 0x20
        let sb = MarkdownInline.isSpace(before), sa = MarkdownInline.isSpace(after)
        let pb = MarkdownInline.isPunct(before), pa = MarkdownInline.isPunct(after)
        let left = !sa && (!pa || sb || pb)
        let right = !sb && (!pb || sa || pa)
        let star = c == UInt8(ascii: "*")
        let r = Run(
          count: e - i, canOpen: star ? left : left && (!right || pb), canClose: star ? right : right && (!left || pa))
        runsInfo.append(r)
        tokens.append(Token(kind: .delim(c), start: Int32(i), end: Int32(e), run: Int32(runsInfo.count - 1)))
        if r.canOpen || r.canClose { delims.append(tokens.count - 1) }
        i = e
        textStart = i
        continue
      default:
        break
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
    func r(_ token: Int) -> Int { Int(tokens[token].run) }
    for (k, t) in list.enumerated() {
      runsInfo[r(t)].prev = k > 0 ? list[k - 1] : -1
      runsInfo[r(t)].next = k + 1 < list.count ? list[k + 1] : -1
    }
    var floor: [UInt8: Int] = [:]  // per character: do not search at or below this token
    var closer = list[0]
    while closer != -1 {
      let ct = runsInfo[r(closer)]
      guard ct.canClose, ct.count > 0, case .delim(let ch) = tokens[closer].kind else {
        closer = ct.next
        continue
      }
      var o = ct.prev
      let bottom = floor[ch] ?? -1
      var found = -1
      while o != -1 && o > bottom {
        let ot = runsInfo[r(o)]
        if case .delim(let oc) = tokens[o].kind, oc == ch, ot.canOpen, ot.count > 0 {
          found = o
          break
        }
        o = ot.prev
      }
      if found == -1 {
        floor[ch] = ct.prev
        if !ct.canOpen { unlink(closer) }
        closer = ct.next
        continue
      }
      let (fo, cl) = (r(found), r(closer))
      let use = runsInfo[fo].count >= 2 && runsInfo[cl].count >= 2 ? 2 : 1
      let tag = use == 2 ? "strong" : "em"
      runsInfo[fo].count -= use
      runsInfo[cl].count -= use
      runsInfo[fo].openTags.append("<\(tag)>")
      runsInfo[cl].closeTags.append("</\(tag)>")
      // Delimiters between them can no longer match anything.
      runsInfo[fo].next = closer
      runsInfo[cl].prev = found
      if runsInfo[fo].count == 0 { unlink(found) }
      if runsInfo[cl].count == 0 {
        let n = runsInfo[cl].next
        unlink(closer)
        closer = n
      }
    }
  }

  mutating func unlink(_ t: Int) {
    let info = runsInfo[Int(tokens[t].run)]
    if info.prev != -1 { runsInfo[Int(tokens[info.prev].run)].next = info.next }
    if info.next != -1 { runsInfo[Int(tokens[info.next].run)].prev = info.prev }
  }

  func emit() -> String {
    var out: [UInt8] = []
    out.reserveCapacity(s.count + s.count / 8)
    var k = 0
    var closeAt: [Int: String] = [:]  // token index of a link's `]` -> closing HTML
    while k < tokens.count {
      let t = tokens[k]
      if let html = closeAt[k] {
        out += Array(html.utf8)
        k += 1
        continue
      }
      switch t.kind {
      case .text:
        SVG.escape(s[Int(t.start)..<Int(t.end)], into: &out)
      case .escaped(let b):
        SVG.escape(CollectionOfOne(b), into: &out)
      case .backticks(let n):
        out += [UInt8](repeating: UInt8(ascii: "`"), count: n)
      case .autolink(let k):
        out += Array(autolinks[k].utf8)
      case .code(let a, let b):
        var code = s[a..<b].map { $0 == 0x0A ? UInt8(0x20) : $0 }
        if code.count > 1, code.first == 0x20, code.last == 0x20, code.contains(where: { $0 != 0x20 }) {
          code = Array(code.dropFirst().dropLast())
        }
        out += Array("<code>".utf8)
        SVG.escape(code, into: &out)
        out += Array("</code>".utf8)
      case .hardBreak:
        out += Array("<br>\n".utf8)
      case .close:
        out.append(UInt8(ascii: "]"))
      case .open(let image):
        guard let link = links[k] else {
          out += image ? [UInt8(ascii: "!"), UInt8(ascii: "[")] : [UInt8(ascii: "[")]
          break
        }
        if link.image {
          out += Array(imageHTML(url: link.url, alt: link.alt).utf8)
          k = link.closeToken + 1
          continue
        }
        if let url = MarkdownURL.safe(link.url) {
          out += Array(("<a href=\"" + Markdown.escape(url) + "\">").utf8)
          closeAt[link.closeToken] = "</a>"
        } else {
          out += Array(
            "<span class=\"unsafe-link\" title=\"link removed: not an http, https, mailto or relative URL\">".utf8)
          closeAt[link.closeToken] = "</span>"
        }
      case .delim(let ch):
        let info = runsInfo[Int(t.run)]
        for tag in info.closeTags { out += Array(tag.utf8) }
        out += [UInt8](repeating: ch, count: info.count)
        for tag in info.openTags.reversed() { out += Array(tag.utf8) }
      }
      k += 1
    }
    return String(decoding: out, as: UTF8.self)
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
