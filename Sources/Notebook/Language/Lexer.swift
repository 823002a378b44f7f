import Foundation

/// Turns the source of one code cell into tokens. Comments (`//` to end of line) are dropped (a comment alone
/// on its line is kept in `lineComments`, for the documentation of functions); newlines are tokens
/// (statement separators; the parser skips them inside brackets and after operators).
///
/// A string with `\(expr)` becomes an `.interpolation` token holding the tokens of each embedded expression
/// (lexed by a nested lexer, at most `maxInterpolationDepth` strings deep).
///
/// Every loop iteration consumes at least one scalar or throws, so the lexer always terminates.
public struct Lexer {
  let scalars: [Unicode.Scalar]
  var i = 0
  var line: Int
  var column = 1
  /// Comments alone on their line, by line: the text after `//`, trimmed.
  public private(set) var lineComments: [Int: String] = [:]
  /// True once the current line has a token (a comment after code is not a line comment).
  var lineHasToken = false
  /// How many strings deep this lexer is (0 for a cell; 1 inside `\( )` of a string, ...).
  var interpolationDepth = 0
  static let maxInterpolationDepth = 8

  /// `firstLine` is the file line of the source's first line, so locations are file-absolute.
  public init(_ source: String, firstLine: Int = 1) {
    scalars = Array(source.unicodeScalars)
    line = firstLine
  }

  var here: SourceLocation { SourceLocation(line: line, column: column) }

  mutating func advance() -> Unicode.Scalar {
    let c = scalars[i]
    i += 1
    if c == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    return c
  }

  func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < scalars.count ? scalars[i + k] : nil }

  public mutating func tokenize() throws -> [Token] {
    var tokens: [Token] = []
    while true {
      let t = try next()
      tokens.append(t)
      if t.kind == .end { return tokens }
    }
  }

  mutating func next() throws -> Token {
    // Skip blanks and comments.
    while let c = peek() {
      if c == " " || c == "\t" || c == "\r" {
        _ = advance()
      } else if c == "/" && peek(1) == "/" {
        let commentLine = line
        var text = ""
        _ = advance(); _ = advance()
        while let d = peek(), d != "\n" { text.unicodeScalars.append(advance()) }
        if !lineHasToken { lineComments[commentLine] = text.trimmingCharacters(in: .whitespaces) }
      } else {
        break
      }
    }
    let start = here
    guard let c = peek() else { return Token(kind: .end, range: SourceRange(start, start)) }
    func token(_ k: Token.Kind) -> Token { Token(kind: k, range: SourceRange(start, here)) }
    if c != "\n" { lineHasToken = true }
    if c == "\n" {
      _ = advance()
      lineHasToken = false
      return Token(kind: .newline, range: SourceRange(start, SourceLocation(line: start.line, column: start.column + 1)))
    }
    if c.properties.isAlphabetic || c == "_" {
      var name = ""
      while let d = peek(), d.properties.isAlphabetic || d == "_" || ("0"..."9").contains(d) {
        name.unicodeScalars.append(advance())
      }
      return token(.identifier(name))
    }
    if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
      return try number(start)
    }
    if c == "\"" { return try string(start) }
    if c == "." {
      if peek(1) == "." && peek(2) == "<" {
        _ = advance(); _ = advance(); _ = advance()
        return token(.punct("..<"))
      }
      if peek(1) == "." && peek(2) == "." {
        _ = advance(); _ = advance(); _ = advance()
        return token(.punct("..."))
      }
      _ = advance()
      return token(.punct("."))
    }
    // Two-character operators first: == != <= >= += -= *= /= %=
    if "=!<>+-*/%".unicodeScalars.contains(c) && peek(1) == "=" {
      _ = advance(); _ = advance()
      return token(.punct(String(c) + "="))
    }
    if "()[]{},:;=+-*/%<>".unicodeScalars.contains(c) {
      _ = advance()
      return token(.punct(String(c)))
    }
    _ = advance()
    if c == "!" { throw Diagnostic("unexpected character '!' (write `not x`, or `!=`)", at: SourceRange(start, here)) }
    if c == "&" || c == "|" {
      throw Diagnostic("unexpected character '\(c)' (write `and` / `or`)", at: SourceRange(start, here))
    }
    throw Diagnostic("unexpected character '\(c)'", at: SourceRange(start, here))
  }

  mutating func number(_ start: SourceLocation) throws -> Token {
    var text = ""
    var isFloat = false
    func digits() {
      while let d = peek(), ("0"..."9").contains(d) || d == "_" {
        let s = advance()
        if s != "_" { text.unicodeScalars.append(s) }
      }
    }
    digits()
    // A '.' followed by a digit is a fraction; '..<' and '...' are ranges.
    if peek() == ".", let d = peek(1), ("0"..."9").contains(d) {
      isFloat = true
      text.unicodeScalars.append(advance())
      digits()
    }
    if let e = peek(), e == "e" || e == "E" {
      let sign = peek(1)
      let hasSign = sign == "+" || sign == "-"
      if let d = peek(hasSign ? 2 : 1), ("0"..."9").contains(d) {
        isFloat = true
        text.unicodeScalars.append(advance())
        if hasSign { text.unicodeScalars.append(advance()) }
        digits()
      }
    }
    if let d = peek(), d.properties.isAlphabetic || d == "_" {
      while let d = peek(), d.properties.isAlphabetic || d == "_" || ("0"..."9").contains(d) { _ = advance() }
      throw Diagnostic("malformed number", at: SourceRange(start, here))
    }
    let range = SourceRange(start, here)
    if isFloat {
      guard let x = Double(text), x.isFinite else { throw Diagnostic("malformed number '\(text)'", at: range) }
      return Token(kind: .float(x), range: range)
    }
    guard let n = Int(text) else { throw Diagnostic("integer '\(text)' is too large", at: range) }
    return Token(kind: .integer(n), range: range)
  }

  mutating func string(_ start: SourceLocation) throws -> Token {
    _ = advance()  // opening quote
    var s = ""
    var parts: [Token.StringPart] = []
    while true {
      guard let c = peek(), c != "\n" else {
        throw Diagnostic("unterminated string (a string ends with '\"' on the same line)",
                         at: SourceRange(start, here))
      }
      _ = advance()
      if c == "\"" { break }
      if c != "\\" {
        s.unicodeScalars.append(c)
        continue
      }
      let escStart = SourceLocation(line: line, column: column - 1)
      guard let e = peek(), e != "\n" else {
        throw Diagnostic("unterminated string", at: SourceRange(start, here))
      }
      _ = advance()
      if e == "(" {
        if !s.isEmpty { parts.append(.text(s)) }
        s = ""
        parts.append(try interpolation(escStart))
        continue
      }
      switch e {
      case "n": s += "\n"
      case "t": s += "\t"
      case "r": s += "\r"
      case "0": s += "\0"
      case "\"": s += "\""
      case "\\": s += "\\"
      case "u":
        guard peek() == "{" else {
          throw Diagnostic("expected '{' after \\u (as in \\u{1F3B5})", at: SourceRange(escStart, here))
        }
        _ = advance()
        var hex = ""
        while let h = peek(), h != "}" && h != "\"" && h != "\n" && hex.count < 9 { hex.unicodeScalars.append(advance()) }
        guard peek() == "}" else { throw Diagnostic("unterminated \\u{...} escape", at: SourceRange(escStart, here)) }
        _ = advance()
        guard let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else {
          throw Diagnostic("invalid unicode scalar \\u{\(hex)}", at: SourceRange(escStart, here))
        }
        s.unicodeScalars.append(u)
      default:
        throw Diagnostic("unknown escape '\\\(e)' (use \\n, \\t, \\r, \\0, \\\", \\\\, \\u{...} or \\(expr))",
                         at: SourceRange(escStart, here))
      }
    }
    if parts.isEmpty { return Token(kind: .string(s), range: SourceRange(start, here)) }
    if !s.isEmpty { parts.append(.text(s)) }
    return Token(kind: .interpolation(parts), range: SourceRange(start, here))
  }

  /// The tokens of `\( ... )` after its `(`: lexed by a nested lexer up to the `)` that balances it.
  mutating func interpolation(_ escStart: SourceLocation) throws -> Token.StringPart {
    guard interpolationDepth < Lexer.maxInterpolationDepth else {
      throw Diagnostic("string interpolation nested too deeply (more than \(Lexer.maxInterpolationDepth) levels)",
                       at: SourceRange(escStart, here))
    }
    var inner = Lexer(scalars: scalars, i: i, line: line, column: column)
    inner.interpolationDepth = interpolationDepth + 1
    var tokens: [Token] = []
    var open = 0
    while true {
      let t = try inner.next()
      if t.kind == .newline || t.kind == .end {
        throw Diagnostic("unterminated interpolation: '\\(' has no matching ')' on its line",
                         at: SourceRange(escStart, SourceLocation(line: escStart.line, column: escStart.column + 2)))
      }
      if t.kind == .punct("(") { open += 1 }
      if t.kind == .punct(")") {
        if open == 0 {
          tokens.append(Token(kind: .end, range: SourceRange(t.range.start, t.range.start)))
          break
        }
        open -= 1
      }
      tokens.append(t)
    }
    i = inner.i
    line = inner.line
    column = inner.column
    guard tokens.count > 1 else {
      throw Diagnostic("empty interpolation '\\()'", at: SourceRange(escStart, here))
    }
    return .code(tokens, SourceRange(escStart, here))
  }

  init(scalars: [Unicode.Scalar], i: Int, line: Int, column: Int) {
    self.scalars = scalars
    self.i = i
    self.line = line
    self.column = column
  }
}
