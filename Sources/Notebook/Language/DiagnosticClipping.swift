/// Keeps rendered errors short whatever the input: an error on a line of a megabyte echoes about
/// `width` characters around the error (with `…` where the line was cut), and a message quoting a huge
/// value is cut to `maxMessage` characters.
extension Diagnostic {
  static let width = 160
  static let maxMessage = 2000

  /// `message` cut to `maxMessage` characters.
  static func clipped(message: String) -> String {
    message.count <= maxMessage ? message : String(message.prefix(maxMessage)) + "… (\(message.count) characters)"
  }

  /// The part of `line` shown for `range`, and the range moved to match (columns are 1-based scalars).
  static func window(line: String, range: SourceRange) -> (String, SourceRange) {
    let scalars = Array(line.unicodeScalars)
    guard scalars.count > width else { return (line, range) }
    let col = min(max(1, range.start.column), scalars.count + 1)
    let first = max(0, min(col - 1 - width / 4, scalars.count - width))
    let last = min(scalars.count, first + width)
    var text = String(String.UnicodeScalarView(scalars[first..<last]))
    var shift = first
    if first > 0 { text = "…" + text; shift -= 1 }
    if last < scalars.count { text += "…" }
    var r = range
    r.start.column = col - shift
    if r.end.line == r.start.line { r.end.column = min(max(r.end.column - shift, r.start.column), last - shift + 1) }
    return (text, r)
  }
}
