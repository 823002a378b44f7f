/// Decides whether an SVG document may be inlined in an exported page, and rebuilds it if so.
///
/// Only SVG in the vocabulary midigen's own charts use is inlined: the document is parsed (strictly:
/// elements, attributes with quoted values, text, the five predefined entities and numeric character
/// references; no comments, CDATA, doctypes or processing instructions after the XML declaration) and
/// every element and attribute is checked against an allowlist; attribute values are limited to a
/// small character set (no `url(…)`, no `:` outside `xmlns`, no `&`). The result is re-serialized from
/// the parse, so the browser never sees the original bytes. Anything else returns nil and the caller
/// shows the document through `<img src="data:image/svg+xml;base64,…">`, where scripts never run.
///
/// Linear in the input: one pass, no backtracking, nesting depth bounded by `maxDepth`.
public enum SVGSanitizer {
  public static let maxDepth = 64
  /// Documents larger than this are never inlined (8 MB).
  public static let maxBytes = 8 << 20

  static let elements: Set<String> = [
    "svg", "g", "rect", "line", "polyline", "polygon", "path", "circle", "ellipse", "text", "tspan", "title",
    "desc",
  ]
  static let attributes: Set<String> = [
    "xmlns", "width", "height", "viewBox", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
    "points", "d", "fill", "stroke", "stroke-width", "stroke-linejoin", "stroke-linecap", "stroke-dasharray",
    "opacity", "fill-opacity", "stroke-opacity", "font-family", "font-size", "font-weight", "font-style",
    "text-anchor", "dominant-baseline", "transform", "dx", "dy",
  ]

  /// The rebuilt `<svg>…</svg>` element when `document` is plain SVG in the allowed vocabulary, else nil.
  public static func inlinable(_ document: String) -> String? {
    guard document.utf8.count <= maxBytes else { return nil }
    var p = Parser(Array(document.utf8))
    return p.run()
  }

  /// True when `value` of attribute `name` is allowed.
  static func allowed(_ name: String, _ value: [UInt8]) -> Bool {
    if name == "xmlns" { return value == Array("http://www.w3.org/2000/svg".utf8) }
    for b in value {
      switch b {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: " "), UInt8(ascii: "#"), UInt8(ascii: "."),
        UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "%"):
        continue
      case UInt8(ascii: "("), UInt8(ascii: ")"):
        if name != "transform" { return false }
      default:
        return false
      }
    }
    if name == "transform" {
      // Only translate/rotate/scale/matrix functions.
      let text = String(decoding: value, as: UTF8.self)
      var rest = Substring(text)
      while let open = rest.firstIndex(of: "(") {
        let fn = rest[..<open].split(separator: " ").last.map(String.init) ?? ""
        guard ["translate", "rotate", "scale", "matrix"].contains(fn) else { return false }
        guard let close = rest[open...].firstIndex(of: ")") else { return false }
        rest = rest[rest.index(after: close)...]
      }
    }
    return true
  }

  struct Parser {
    let b: [UInt8]
    var i = 0
    var out: [UInt8] = []
    var stack: [String] = []

    init(_ bytes: [UInt8]) { b = bytes }

    func at(_ s: String) -> Bool {
      let u = Array(s.utf8)
      return i + u.count <= b.count && Array(b[i..<i + u.count]) == u
    }
    mutating func skipSpace() {
      while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }
    static func isName(_ c: UInt8) -> Bool {
      (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
    }
    mutating func name() -> String? {
      let start = i
      while i < b.count, Parser.isName(b[i]) { i += 1 }
      return i > start ? String(decoding: b[start..<i], as: UTF8.self) : nil
    }

    mutating func run() -> String? {
      // Optional XML declaration and whitespace before the root.
      skipSpace()
      if at("<?xml") {
        guard let end = find("?>") else { return nil }
        i = end + 2
        skipSpace()
      }
      guard at("<svg"), element() else { return nil }
      skipSpace()
      guard i == b.count else { return nil }
      return String(decoding: out, as: UTF8.self)
    }

    func find(_ s: String) -> Int? {
      let u = Array(s.utf8)
      var j = i
      while j + u.count <= b.count {
        if b[j] == u[0] && Array(b[j..<j + u.count]) == u { return j }
        j += 1
      }
      return nil
    }

    /// Parses one element starting at `<` and everything inside it; false when anything is not allowed.
    mutating func element() -> Bool {
      // Iterative over nesting (explicit stack), so depth costs no recursion.
      while true {
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "<") {
          i += 1
          if i < b.count && b[i] == UInt8(ascii: "/") {
            i += 1
            guard let n = name(), n == stack.last else { return false }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ">") else { return false }
            i += 1
            stack.removeLast()
            out += Array("</\(n)>".utf8)
            if stack.isEmpty { return true }
            continue
          }
          guard let n = name(), SVGSanitizer.elements.contains(n), stack.count < SVGSanitizer.maxDepth else {
            return false
          }
          if stack.isEmpty != (n == "svg") { return false }
          out += Array("<\(n)".utf8)
          var seen: Set<String> = []
          while true {
            let before = i
            skipSpace()
            guard i < b.count else { return false }
            if b[i] == UInt8(ascii: "/") {
              guard i + 1 < b.count, b[i + 1] == UInt8(ascii: ">") else { return false }
              i += 2
              out += Array("/>".utf8)
              if stack.isEmpty { return true }
              break
            }
            if b[i] == UInt8(ascii: ">") {
              i += 1
              out.append(UInt8(ascii: ">"))
              stack.append(n)
              break
            }
            guard i > before, let a = name(), SVGSanitizer.attributes.contains(a), seen.insert(a).inserted else {
              return false
            }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "=") else { return false }
            i += 1
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else { return false }
            let q = b[i]
            i += 1
            let start = i
            while i < b.count, b[i] != q { i += 1 }
            guard i < b.count else { return false }
            let value = Array(b[start..<i])
            i += 1
            guard SVGSanitizer.allowed(a, value) else { return false }
            out += Array(" \(a)=\"".utf8) + value + [UInt8(ascii: "\"")]
          }
        } else {
          // Text content up to the next tag: only inside text-like elements or whitespace.
          let start = i
          while i < b.count, b[i] != UInt8(ascii: "<") { i += 1 }
          guard let text = decodeText(b[start..<i]) else { return false }
          let inText = ["text", "tspan", "title", "desc"].contains(stack.last ?? "")
          if !inText && text.contains(where: { $0 != " " && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
            return false
          }
          out += Array(SVG.escape(text).utf8)
        }
      }
    }

    /// Character data with entities decoded; nil for an unknown or malformed entity.
    func decodeText(_ s: ArraySlice<UInt8>) -> String? {
      var result = ""
      var k = s.startIndex
      var plainStart = k
      while k < s.endIndex {
        if s[k] == UInt8(ascii: "&") {
          result += String(decoding: s[plainStart..<k], as: UTF8.self)
          guard let semi = s[k..<min(s.endIndex, k + 12)].firstIndex(of: UInt8(ascii: ";")) else { return nil }
          let ent = String(decoding: s[(k + 1)..<semi], as: UTF8.self)
          switch ent {
          case "amp": result += "&"
          case "lt": result += "<"
          case "gt": result += ">"
          case "quot": result += "\""
          case "apos": result += "'"
          default:
            var digits = Substring(ent)
            guard digits.hasPrefix("#") else { return nil }
            digits = digits.dropFirst()
            let hex = digits.hasPrefix("x") || digits.hasPrefix("X")
            if hex { digits = digits.dropFirst() }
            guard let v = UInt32(digits, radix: hex ? 16 : 10), let u = Unicode.Scalar(v) else { return nil }
            result.unicodeScalars.append(u)
          }
          k = semi + 1
          plainStart = k
        } else {
          k += 1
        }
      }
      result += String(decoding: s[plainStart..<s.endIndex], as: UTF8.self)
      return result
    }
  }
}
