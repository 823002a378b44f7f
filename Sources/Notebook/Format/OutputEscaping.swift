/// Escaping of output text so that no output line can be mistaken for a cell header.
///
/// A line that starts with zero or more backslashes followed by `%%` gets one more leading backslash when
/// written, and loses one when read. Every other line is written as is. The mapping is a bijection, so
/// `unescape(escape(t)) == t` for every text `t`.
public enum OutputEscaping {
  public static func escape(_ text: String) -> String {
    mapLines(text) { needsEscape($0) ? "\\" + $0 : $0 }
  }

  public static func unescape(_ text: String) -> String {
    mapLines(text) { line in
      if line.hasPrefix("\\") && needsEscape(line.dropFirst()) { return String(line.dropFirst()) }
      return line
    }
  }

  /// True for lines of the form `\…\%%…` (any number of backslashes, then `%%`).
  static func needsEscape<S: StringProtocol>(_ line: S) -> Bool {
    line.drop(while: { $0 == "\\" }).hasPrefix("%%")
  }

  private static func mapLines(_ text: String, _ f: (String) -> String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { f(String($0)) }
      .joined(separator: "\n")
  }
}
