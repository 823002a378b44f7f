/// Escaping of output text so that no output line can be mistaken for a cell header.
///
/// The text is cut at every line break any reader or editor might honour: `\n`, `\r\n`, a lone `\r`,
/// and the other Unicode line terminators (U+000B, U+000C, U+0085, U+2028, U+2029). A segment that
/// starts with zero or more backslashes followed by `%%` gets one more leading backslash when written,
/// and loses one when read. The breaks themselves are kept, so the mapping is a bijection:
/// `unescape(escape(t)) == t` for every text `t`. Work is on Unicode scalars: Swift's `Character` would
/// treat `\r\n` as one character and never split it (the bug that let `\r\n%% code` through).
public enum OutputEscaping {
  public static func escape(_ text: String) -> String {
    mapSegments(text) { needsEscape($0) ? "\\" + $0 : $0 }
  }

  public static func unescape(_ text: String) -> String {
    mapSegments(text) { segment in
      if segment.hasPrefix("\\") && needsEscape(segment.dropFirst()) { return String(segment.dropFirst()) }
      return segment
    }
  }

  /// True for segments of the form `\…\%%…` (any number of backslashes, then `%%`).
  static func needsEscape<S: StringProtocol>(_ line: S) -> Bool {
    line.unicodeScalars.drop(while: { $0 == "\\" }).starts(with: "%%".unicodeScalars)
  }

  /// True for the scalars that end a line somewhere (`\r\n` is a `\r` then a `\n`: an empty segment
  /// between them is harmless).
  static func isBreak(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: return true
    default: return false
    }
  }

  private static func mapSegments(_ text: String, _ f: (String) -> String) -> String {
    var out = String.UnicodeScalarView()
    var segment = String.UnicodeScalarView()
    for s in text.unicodeScalars {
      if isBreak(s) {
        out.append(contentsOf: f(String(segment)).unicodeScalars)
        out.append(s)
        segment = String.UnicodeScalarView()
      } else {
        segment.append(s)
      }
    }
    out.append(contentsOf: f(String(segment)).unicodeScalars)
    return String(out)
  }
}
