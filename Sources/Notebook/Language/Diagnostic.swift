/// An error in notebook text or its execution, located at a line and column.
///
/// Rendered (see `render(file:lines:)`) as
/// ```
/// nb.mgnb:3:5: error: unknown name 'modle' (did you mean 'model'?)
/// x = modle
///     ^~~~~
/// ```
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var range: SourceRange
  /// True when the error is "input ended too early" (unclosed bracket, trailing operator): the REPL reads
  /// another line instead of reporting it.
  public var isIncomplete: Bool
  /// Set when the error happened inside a user function's body: the function whose source `range` is in
  /// (which may be another input than the one that called it, in the REPL).
  public var function: FunctionSource? = nil

  public init(_ message: String, at range: SourceRange, incomplete: Bool = false) {
    self.message = message
    self.range = range
    self.isIncomplete = incomplete
  }

  public var description: String { "\(range.start): error: \(message)" }

  /// `file:line:col: error: message`, then the source line and a caret under the range when `lines`
  /// (the whole file's lines, 0-based array for 1-based line numbers) contains the line.
  public func render(file: String, lines: [Substring]) -> String {
    var s = "\(file):\(range.start.line):\(range.start.column): error: \(Diagnostic.clipped(message: message))"
    let i = range.start.line - 1
    guard i >= 0 && i < lines.count else { return s }
    var text = String(lines[i])
    if text.hasSuffix("\r") { text.removeLast() }
    let (shown, at) = Diagnostic.window(line: text, range: range)  // a long line: its part near the error
    s += "\n" + shown + "\n" + Diagnostic.caret(line: shown, range: at)
    return s
  }

  /// The caret line: spaces (tabs kept, for alignment) up to the column, `^`, then `~` to the range's end
  /// when it ends on the same line.
  static func caret(line: String, range: SourceRange) -> String {
    let scalars = Array(line.unicodeScalars)
    var s = ""
    let col = max(1, range.start.column)
    for k in 0..<(col - 1) { s += k < scalars.count && scalars[k] == "\t" ? "\t" : " " }
    s += "^"
    if range.end.line == range.start.line {
      let width = min(range.end.column, scalars.count + 1) - col
      if width > 1 { s += String(repeating: "~", count: width - 1) }
    }
    return s
  }
}

/// Splits text into lines for `Diagnostic.render` (on "\n" only, so line numbers match the file's).
public func diagnosticLines(_ text: String) -> [Substring] {
  text.split(separator: "\n", omittingEmptySubsequences: false)
}

/// Where a user function's code came from: its name, its source text (from `fn` to `}`) and the position of
/// `fn` in the text it was parsed from.
public struct FunctionSource: Sendable, Equatable {
  public var name: String
  public var source: String
  public var start: SourceLocation

  public init(_ decl: FunctionDecl) {
    name = decl.name
    source = decl.source
    start = decl.range.start
  }

  /// Lines for `Diagnostic.render` built from the function's source alone: its lines at their line numbers
  /// (the first indented to `fn`'s column), empty lines before.
  public var lines: [Substring] {
    var out = [Substring](repeating: "", count: max(0, start.line - 1))
    for (k, line) in diagnosticLines(source).enumerated() {
      out.append(k == 0 ? Substring(String(repeating: " ", count: max(0, start.column - 1)) + line) : line)
    }
    return out
  }
}
