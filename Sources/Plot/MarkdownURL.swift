/// Link targets allowed in exported pages.
///
/// A link keeps its target only when, after decoding character references (`&#58;`, `&#x3A;`, `&colon;`)
/// and removing the characters browsers ignore in URLs (ASCII controls, tabs, newlines, and leading or
/// trailing spaces), it is a web or mail link (`http:`, `https:`, `mailto:`), a fragment (`#…`) or a relative
/// path (no scheme). The decoded, cleaned text is what the page writes (escaped), so the browser sees
/// exactly what was checked: `javascript:`, `data:`, `vbscript:`, `file:` and every other scheme are refused.
enum MarkdownURL {
  static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

  /// The URL to write in `href`, or nil when the link must not be followed.
  static func safe(_ raw: String) -> String? {
    let decoded = unescapeEntities(raw)
    var cleaned = String.UnicodeScalarView()
    for u in decoded.unicodeScalars where u.value > 0x20 && u.value != 0x7F {
      cleaned.append(u)
    }
    // Spaces inside are kept out of the check above; a URL with inner spaces is not a URL.
    let url = String(cleaned)
    guard !url.isEmpty, url.count == decoded.trimmingBrowserSpaces().count else { return nil }
    guard let colon = url.firstIndex(of: ":") else { return url }
    let head = url[..<colon]
    if head.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return url }  // relative with a colon
    // Percent-encoded letters in a scheme are not a scheme to a browser, but refuse them anyway.
    guard head.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else {
      return nil
    }
    return allowedSchemes.contains(head.lowercased()) ? url : nil
  }

  /// Decodes HTML character references: numeric (`&#58;`, `&#x3a;`, optional `;` ignored only when
  /// present) and the few named ones that spell URL punctuation. Unknown references stay as text.
  static func unescapeEntities(_ s: String) -> String {
    guard s.contains("&") else { return s }
    let named: [String: String] = [
      "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "sol": "/", "tab": "\t",
      "newline": "\n", "nbsp": "\u{A0}", "num": "#", "quest": "?", "period": ".", "lpar": "(", "rpar": ")",
    ]
    var out = String.UnicodeScalarView()
    let u = Array(s.unicodeScalars)
    var i = 0
    while i < u.count {
      if u[i] == "&" {
        var j = i + 1
        while j < u.count, j - i <= 32, u[j] != ";", u[j] != "&" { j += 1 }
        let hasSemi = j < u.count && u[j] == ";"
        let body = String(String.UnicodeScalarView(u[(i + 1)..<min(j, u.count)]))
        var value: Unicode.Scalar? = nil
        if body.hasPrefix("#") {
          var digits = Substring(body.dropFirst())
          let hex = digits.hasPrefix("x") || digits.hasPrefix("X")
          if hex { digits = digits.dropFirst() }
          let number = digits.prefix { hex ? $0.isHexDigit : ($0.isASCII && $0.isNumber) }
          if !number.isEmpty, number.count <= 8, let v = UInt32(number, radix: hex ? 16 : 10) {
            value = Unicode.Scalar(v) ?? "\u{FFFD}"
            // Browsers accept a reference without `;` (or with junk after the digits): take the digits.
            if !(hasSemi && number.count == digits.count) {
              if let v = value { out.append(v) }
              i += 2 + (hex ? 1 : 0) + number.count
              continue
            }
          }
        } else if hasSemi, let n = named[body.lowercased()] {
          value = n.unicodeScalars.first
        }
        if let v = value, hasSemi {
          out.append(v)
          i = j + 1
          continue
        }
      }
      out.append(u[i])
      i += 1
    }
    return String(out)
  }
}

extension String {
  /// The text without the spaces browsers strip around a URL.
  func trimmingBrowserSpaces() -> Substring {
    var s = self[...]
    while let c = s.first, c.isWhitespace { s = s.dropFirst() }
    while let c = s.last, c.isWhitespace { s = s.dropLast() }
    return s
  }
}
