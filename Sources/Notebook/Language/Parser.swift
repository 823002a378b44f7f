/// Recursive-descent parser for the midigen language.
///
/// ```
/// program    := (statement? NEWLINE)* statement? END
/// statement  := NAME '=' expr | expr
/// expr       := additive (('..<' | '...') additive)?
/// additive   := multiplicative (('+' | '-') multiplicative)*
/// multiplicative := unary (('*' | '/') unary)*
/// unary      := '-' unary | postfix
/// postfix    := primary ('(' args ')' | '.' NAME | '[' expr ']')*
/// primary    := INT | FLOAT | STRING | 'true' | 'false' | NAME | '[' (expr (',' expr)* ','?)? ']' | '(' expr ')'
/// args       := (arg (',' arg)* ','?)?      arg := (NAME ':')? expr
/// ```
/// Newlines are skipped inside brackets and after a binary operator, '=', ',' or '('. A parse error at the
/// end of input is marked `isIncomplete` (the REPL then reads another line).
public struct Parser {
  var tokens: [Token]
  var p = 0
  /// Current nesting of expressions; deeper than `maxDepth` is an error (no stack overflow on
  /// pathological input such as thousands of '(').
  var depth = 0
  static let maxDepth = 200

  /// The end token is placed right after the last real token, so "found end of input" points at the end
  /// of the cell's last line rather than past its trailing blank lines.
  public init(tokens: [Token]) {
    var t = tokens
    if let endIndex = t.indices.last, t[endIndex].kind == .end,
       let lastReal = t.lastIndex(where: { $0.kind != .end && $0.kind != .newline }) {
      let at = t[lastReal].range.end
      t[endIndex].range = SourceRange(at, at)
    }
    self.tokens = t
  }

  /// Lexes and parses a cell's source; `firstLine` is the file line of its first line.
  public static func parse(_ source: String, firstLine: Int = 1) throws -> [Statement] {
    var lexer = Lexer(source, firstLine: firstLine)
    var parser = Parser(tokens: try lexer.tokenize())
    return try parser.program()
  }

  var current: Token { tokens[min(p, tokens.count - 1)] }

  mutating func advance() -> Token {
    let t = current
    if p < tokens.count - 1 { p += 1 }
    return t
  }

  func isPunct(_ s: String) -> Bool { current.kind == .punct(s) }

  mutating func skipNewlines() { while current.kind == .newline { _ = advance() } }

  func error(_ message: String, at t: Token? = nil) -> Diagnostic {
    let tok = t ?? current
    return Diagnostic(message, at: tok.range, incomplete: tok.kind == .end)
  }

  mutating func expect(_ s: String, _ what: String) throws -> Token {
    guard isPunct(s) else { throw error("expected '\(s)' \(what), found \(current.display)") }
    return advance()
  }

  public mutating func program() throws -> [Statement] {
    var statements: [Statement] = []
    while true {
      skipNewlines()
      if current.kind == .end { return statements }
      statements.append(try statement())
      guard current.kind == .newline || current.kind == .end else {
        throw error("expected end of line after the statement, found \(current.display)")
      }
    }
  }

  mutating func statement() throws -> Statement {
    if case .identifier(let name) = current.kind, tokens[min(p + 1, tokens.count - 1)].kind == .punct("="),
       name != "true" && name != "false" {
      let nameToken = advance()
      _ = advance()  // '='
      skipNewlines()
      return .assign(name: name, nameRange: nameToken.range, value: try expression())
    }
    let e = try expression()
    if isPunct("=") { throw error("only a name can be assigned to (as in `x = 1`)", at: current) }
    return .expression(e)
  }

  mutating func expression() throws -> Expr {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Parser.maxDepth else { throw error("expression nested too deeply") }
    let lower = try additive()
    if isPunct("..<") || isPunct("...") {
      let closed = advance().kind == .punct("...")
      skipNewlines()
      let upper = try additive()
      return Expr(.range(lower: lower, upper: upper, closed: closed), .covering(lower.range, upper.range))
    }
    return lower
  }

  mutating func additive() throws -> Expr {
    var lhs = try multiplicative()
    while isPunct("+") || isPunct("-") {
      let op = advance()
      skipNewlines()
      let rhs = try multiplicative()
      guard case .punct(let o) = op.kind else { break }
      lhs = Expr(.binary(op: o, lhs: lhs, rhs: rhs, opRange: op.range), .covering(lhs.range, rhs.range))
    }
    return lhs
  }

  mutating func multiplicative() throws -> Expr {
    var lhs = try unary()
    while isPunct("*") || isPunct("/") {
      let op = advance()
      skipNewlines()
      let rhs = try unary()
      guard case .punct(let o) = op.kind else { break }
      lhs = Expr(.binary(op: o, lhs: lhs, rhs: rhs, opRange: op.range), .covering(lhs.range, rhs.range))
    }
    return lhs
  }

  mutating func unary() throws -> Expr {
    if isPunct("-") {
      depth += 1
      defer { depth -= 1 }
      guard depth <= Parser.maxDepth else { throw error("expression nested too deeply") }
      let op = advance()
      let operand = try unary()
      return Expr(.unary(op: "-", operand: operand), .covering(op.range, operand.range))
    }
    return try postfix()
  }

  mutating func postfix() throws -> Expr {
    var e = try primary()
    while true {
      if isPunct("(") {
        _ = advance()
        let args = try arguments()
        let close = try expect(")", "after the arguments")
        e = Expr(.call(callee: e, arguments: args), .covering(e.range, close.range))
      } else if isPunct(".") {
        _ = advance()
        guard case .identifier(let name) = current.kind else {
          throw error("expected a member name after '.', found \(current.display)")
        }
        let nameToken = advance()
        e = Expr(.member(base: e, name: name, nameRange: nameToken.range), .covering(e.range, nameToken.range))
      } else if isPunct("[") {
        _ = advance()
        skipNewlines()
        let index = try expression()
        skipNewlines()
        let close = try expect("]", "after the index")
        e = Expr(.index(base: e, index: index), .covering(e.range, close.range))
      } else {
        return e
      }
    }
  }

  mutating func arguments() throws -> [Argument] {
    var args: [Argument] = []
    var seenLabels: Set<String> = []
    skipNewlines()
    while !isPunct(")") {
      var label: String? = nil
      var labelRange: SourceRange? = nil
      if case .identifier(let name) = current.kind, tokens[min(p + 1, tokens.count - 1)].kind == .punct(":") {
        let t = advance()
        _ = advance()
        skipNewlines()
        guard !seenLabels.contains(name) else { throw error("argument '\(name)' given twice", at: t) }
        seenLabels.insert(name)
        label = name
        labelRange = t.range
      } else if !seenLabels.isEmpty {
        throw error("positional argument after labelled arguments")
      }
      let value = try expression()
      args.append(Argument(label: label, labelRange: labelRange, value: value))
      skipNewlines()
      if isPunct(",") {
        _ = advance()
        skipNewlines()
      } else if !isPunct(")") {
        throw error("expected ',' or ')' after an argument, found \(current.display)")
      }
    }
    return args
  }

  mutating func primary() throws -> Expr {
    let t = current
    switch t.kind {
    case .integer(let n):
      _ = advance()
      return Expr(.integer(n), t.range)
    case .float(let x):
      _ = advance()
      return Expr(.float(x), t.range)
    case .string(let s):
      _ = advance()
      return Expr(.string(s), t.range)
    case .identifier(let name):
      _ = advance()
      if name == "true" { return Expr(.bool(true), t.range) }
      if name == "false" { return Expr(.bool(false), t.range) }
      return Expr(.name(name), t.range)
    case .punct("["):
      _ = advance()
      var items: [Expr] = []
      skipNewlines()
      while !isPunct("]") {
        items.append(try expression())
        skipNewlines()
        if isPunct(",") {
          _ = advance()
          skipNewlines()
        } else if !isPunct("]") {
          throw error("expected ',' or ']' in the list, found \(current.display)")
        }
      }
      let close = advance()
      return Expr(.list(items), .covering(t.range, close.range))
    case .punct("("):
      _ = advance()
      skipNewlines()
      var e = try expression()
      skipNewlines()
      let close = try expect(")", "to close '('")
      e.range = .covering(t.range, close.range)
      return e
    default:
      throw error("expected an expression, found \(t.display)")
    }
  }
}
