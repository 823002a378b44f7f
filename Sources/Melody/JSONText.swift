/// Minimal JSON text building (deterministic key order, no Foundation round trip).
public enum JSONText {
  /// `s` as a JSON string literal, quotes included.
  public static func quote(_ s: String) -> String {
    var out = "\""
    out.reserveCapacity(s.utf8.count + 2)
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where u.value < 0x20:
        let h = String(u.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  /// A finite number in JSON form (`0`, `0.5`, `0.08333333333333333`); non-finite values are `null`.
  public static func number(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
  }
}
