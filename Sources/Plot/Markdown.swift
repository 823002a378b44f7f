/// A small Markdown-to-HTML renderer for notebook text cells. Everything it outputs is HTML-escaped;
/// raw HTML in the input is shown as text, never passed through.
///
/// Blocks: ATX headings (`#` … `######`), paragraphs (consecutive lines), fenced code blocks (```` ``` ````
/// or `~~~`, optional language), bullet lists (`-`, `*`, `+`), ordered lists (`1.`), block quotes (`>`),
/// thematic breaks (`---`, `***`, `___`). List items may continue on following indented lines; lists do not nest.
/// Inline: code spans (`` `x` ``), links `[text](url)` (only http, https, mailto, `#…` and relative URLs;
/// others render as text), `**strong**`/`__strong__`, `*emphasis*`/`_emphasis_`.
public enum Markdown {
  /// The HTML for `text` (a sequence of block elements separated by newlines).
  public static func html(_ text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    var out: [String] = []
    var i = 0
    var paragraph: [String] = []
    func flushParagraph() {
      if !paragraph.isEmpty {
        out.append("<p>" + inline(paragraph.map { $0.trimmed }.joined(separator: "\n")) + "</p>")
        paragraph = []
      }
    }
    while i < lines.count {
      let line = lines[i]
      let t = line.trimmed
      if t.isEmpty {
        flushParagraph()
        i += 1
      } else if let fence = fenceMarker(t) {
        flushParagraph()
        let lang = String(t.dropFirst(fence.count)).trimmed
        var code: [String] = []
        i += 1
        while i < lines.count && !lines[i].trimmed.hasPrefix(fence) {
          code.append(lines[i])
          i += 1
        }
        i += 1  // closing fence (or end of text)
        let cls =
          lang.isEmpty ? "" : " class=\"language-\(escape(lang.split(separator: " ")[0].description))\""
        out.append("<pre><code\(cls)>" + escape(code.joined(separator: "\n")) + "</code></pre>")
      } else if let (level, content) = heading(t) {
        flushParagraph()
        out.append("<h\(level)>" + inline(content) + "</h\(level)>")
        i += 1
      } else if isThematicBreak(t) {
        flushParagraph()
        out.append("<hr>")
        i += 1
      } else if t.hasPrefix(">") {
        flushParagraph()
        var quote: [String] = []
        while i < lines.count && lines[i].trimmed.hasPrefix(">") {
          var q = Substring(lines[i].trimmed.dropFirst())
          if q.hasPrefix(" ") { q = q.dropFirst() }
          quote.append(String(q))
          i += 1
        }
        out.append("<blockquote>\n" + html(quote.joined(separator: "\n")) + "\n</blockquote>")
      } else if let first = listItem(t) {
        flushParagraph()
        let tag = first.ordered ? "ol" : "ul"
        var items: [String] = []
        while i < lines.count {
          let lt = lines[i].trimmed
          if let item = listItem(lt), item.ordered == first.ordered {
            items.append(item.text)
          } else if !lt.isEmpty && lines[i].hasPrefix(" ") && !items.isEmpty {
            items[items.count - 1] += "\n" + lt  // continuation line
          } else {
            break
          }
          i += 1
        }
        out.append(
          "<\(tag)>\n" + items.map { "<li>" + inline($0) + "</li>" }.joined(separator: "\n") + "\n</\(tag)>")
      } else {
        paragraph.append(line)
        i += 1
      }
    }
    flushParagraph()
    return out.joined(separator: "\n")
  }

  static func fenceMarker(_ t: String) -> String? {
    if t.hasPrefix("```") { return "```" }
    if t.hasPrefix("~~~") { return "~~~" }
    return nil
  }

  static func heading(_ t: String) -> (Int, String)? {
    let hashes = t.prefix { $0 == "#" }.count
    guard hashes >= 1 && hashes <= 6 else { return nil }
    let rest = t.dropFirst(hashes)
    guard rest.isEmpty || rest.hasPrefix(" ") else { return nil }
    var content = rest.trimmed
    // Optional closing hashes.
    while content.hasSuffix("#") { content.removeLast() }
    return (hashes, content.trimmed)
  }

  static func isThematicBreak(_ t: String) -> Bool {
    let compact = t.filter { $0 != " " }
    guard compact.count >= 3, let c = compact.first, "-*_".contains(c) else { return false }
    return compact.allSatisfy { $0 == c }
  }

  static func listItem(_ t: String) -> (ordered: Bool, text: String)? {
    if let c = t.first, "-*+".contains(c), t.dropFirst().hasPrefix(" ") {
      return (false, String(t.dropFirst(2)).trimmed)
    }
    let digits = t.prefix { $0.isASCII && $0.isNumber }
    if !digits.isEmpty && digits.count <= 9 {
      let rest = t.dropFirst(digits.count)
      if rest.hasPrefix(". ") || rest.hasPrefix(") ") { return (true, String(rest.dropFirst(2)).trimmed) }
    }
    return nil
  }

  /// Inline markup of one block's text. Each step consumes at least one character.
  static func inline(_ s: String) -> String {
    let chars = Array(s)
    var out = ""
    var i = 0
    /// Index of the next occurrence of `marker` at or after `from` (nil if none).
    func find(_ marker: [Character], from: Int) -> Int? {
      var j = from
      while j + marker.count <= chars.count {
        if Array(chars[j..<j + marker.count]) == marker { return j }
        j += 1
      }
      return nil
    }
    while i < chars.count {
      let c = chars[i]
      if c == "\\", i + 1 < chars.count, "\\`*_[]()#+-.!>".contains(chars[i + 1]) {
        out += escape(String(chars[i + 1]))
        i += 2
        continue
      }
      if c == "`" {
        let run = chars[i...].prefix { $0 == "`" }.count
        let marker = [Character](repeating: "`", count: run)
        if let end = find(marker, from: i + run) {
          var code = String(chars[(i + run)..<end])
          if code.hasPrefix(" ") && code.hasSuffix(" ") && code.count > 1 {
            code = String(code.dropFirst().dropLast())
          }
          out += "<code>" + escape(code) + "</code>"
          i = end + run
        } else {
          out += escape(String(marker))
          i += run
        }
        continue
      }
      if c == "[", let close = find(["]"], from: i + 1), close + 1 < chars.count, chars[close + 1] == "(",
        let paren = find([")"], from: close + 2)
      {
        let label = String(chars[(i + 1)..<close])
        let url = String(chars[(close + 2)..<paren]).trimmed
        if isSafeURL(url) {
          out += "<a href=\"" + escape(url) + "\">" + inline(label) + "</a>"
          i = paren + 1
          continue
        }
      }
      if c == "*" || c == "_" {
        let double = i + 1 < chars.count && chars[i + 1] == c
        let marker: [Character] = double ? [c, c] : [c]
        let leftOK = c == "*" || i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber)
        let opensWord = i + marker.count < chars.count && chars[i + marker.count] != " "
        if leftOK && opensWord, let end = find(marker, from: i + marker.count + 1),
          chars[end - 1] != " ",
          c == "*" || end + marker.count >= chars.count
            || !(chars[end + marker.count].isLetter || chars[end + marker.count].isNumber)
        {
          let tag = double ? "strong" : "em"
          out += "<\(tag)>" + inline(String(chars[(i + marker.count)..<end])) + "</\(tag)>"
          i = end + marker.count
          continue
        }
      }
      out += escape(String(c))
      i += 1
    }
    return out
  }

  /// Links allowed in exported pages: web and mail links, fragments and relative paths (no `javascript:`).
  static func isSafeURL(_ url: String) -> Bool {
    let lower = url.lowercased()
    if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:")
      || lower.hasPrefix("#")
    {
      return true
    }
    // Relative: no scheme before the first '/', '?' or '#'.
    let head = lower.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    return !head.contains(":") && !url.contains(" ")
  }

  /// HTML-escapes text (`&`, `<`, `>`, `"`, `'`).
  public static func escape(_ s: String) -> String { SVG.escape(s) }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  var trimmed: String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
    while let c = s.last, c == " " || c == "\t" { s.removeLast() }
    return String(s)
  }
}
