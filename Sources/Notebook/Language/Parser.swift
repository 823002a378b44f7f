/// Recursive-descent parser for the midigen language.
///
/// ```
/// program    := (statement? SEP)* statement? END              SEP := NEWLINE | ';'
/// statement  := 'for' NAME 'in' expr block | 'while' expr block
///             | 'if' expr block ('else' ('if' ... | block))?
///             | 'fn' NAME '(' (param (',' param)* ','?)? ')' block      param := NAME (':' expr)?
///             | 'return' expr? | 'break' | 'continue'
///             | NAME ('=' | '+=' | '-=' | '*=' | '/=' | '%=') expr | NAME '[' expr ']' '=' expr | expr
/// block      := '{' (statement? SEP)* statement? '}'
/// expr       := and ('or' and)*
/// and        := comparison ('and' comparison)*
/// comparison := range (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in') range)?
/// range      := additive (('..<' | '...') additive)?
/// additive   := multiplicative (('+' | '-') multiplicative)*
/// multiplicative := unary (('*' | '/' | '%') unary)*
/// unary      := ('-' | 'not') unary | postfix
/// postfix    := primary ('(' args ')' | '.' NAME | '[' index ']')*
/// index      := expr | expr ('..<' | '...') | ('..<' | '...') additive
/// primary    := INT | FLOAT | STRING | 'true' | 'false' | NAME | '[' (expr (',' expr)* ','?)? ']' | '(' expr ')'
/// args       := (arg (',' arg)* ','?)?      arg := (NAME ':')? expr
/// ```
/// Precedence is Swift's (`not` binds like `!`: `not a == b` is `(not a) == b`); comparisons do not chain.
/// Newlines are skipped inside brackets and after a binary operator, '=', ',' or '('. A parse error at the
/// end of input is marked `isIncomplete` (the REPL then reads another line); an unterminated block is
/// reported at its `{`.
///
/// Depth: `checkDepth` is the one place that bounds nesting. It refuses an expression tree higher than
/// `maxDepth` (a flat chain `1+1+...`, `x[0][0]...`, `f()()...` builds a tall tree without recursing)
/// and parser recursion deeper than `maxDepth` (`((((...`), counting enclosing blocks too, so every
/// later recursive walk of the tree is bounded.
public struct Parser {
  var tokens: [Token]
  var p = 0
  /// Current nesting of parser recursion and blocks.
  var depth = 0
  /// Enclosing blocks of the statement being parsed.
  var blockDepth = 0
  var loopDepth = 0
  var inFunction = false
  /// Set just before an index expression: its top-level range may lack an upper bound (`xs[2...]`).
  var openUpperAllowed = false
  /// `//` comments alone on their line (documentation of `fn`), and the source's lines (for `fn` source).
  var lineComments: [Int: String] = [:]
  var sourceLines: [Substring] = []
  var firstLine = 1

  /// The deepest nesting accepted (expression height plus enclosing blocks).
  public static let maxDepth = 256

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
    parser.lineComments = lexer.lineComments
    parser.sourceLines = diagnosticLines(source)
    parser.firstLine = firstLine
    return try parser.program()
  }

  var current: Token { tokens[min(p, tokens.count - 1)] }
  var next: Token { tokens[min(p + 1, tokens.count - 1)] }

  mutating func advance() -> Token {
    let t = current
    if p < tokens.count - 1 { p += 1 }
    return t
  }

  func isPunct(_ s: String) -> Bool { current.kind == .punct(s) }
  func isKeyword(_ s: String) -> Bool { current.kind == .identifier(s) }

  mutating func skipNewlines() { while current.kind == .newline { _ = advance() } }

  mutating func skipSeparators() { while current.kind == .newline || isPunct(";") { _ = advance() } }

  func error(_ message: String, at t: Token? = nil) -> Diagnostic {
    let tok = t ?? current
    return Diagnostic(message, at: tok.range, incomplete: tok.kind == .end)
  }

  mutating func expect(_ s: String, _ what: String) throws -> Token {
    guard isPunct(s) else { throw error("expected '\(s)' \(what), found \(current.display)") }
    return advance()
  }

  /// The one depth limit: `height` levels of nesting (an expression's height, or parser recursion) inside
  /// the enclosing blocks.
  func checkDepth(_ height: Int, at range: SourceRange) throws {
    if height + blockDepth > Parser.maxDepth {
      throw Diagnostic("expression nested too deeply (more than \(Parser.maxDepth) levels)", at: range)
    }
  }

  /// Makes an expression node, refusing one whose tree is too high.
  func node(_ kind: Expr.Kind, _ range: SourceRange) throws -> Expr {
    let e = Expr(kind, range)
    try checkDepth(e.height, at: range)
    return e
  }

  /// Enters one level of parser recursion (undone by `leave`).
  mutating func enter() throws {
    depth += 1
    try checkDepth(depth, at: current.range)
  }

  mutating func leave() { depth -= 1 }

  // MARK: - Statements

  public mutating func program() throws -> [Statement] {
    var statements: [Statement] = []
    while true {
      skipSeparators()
      if current.kind == .end { return statements }
      statements.append(try statement())
      guard current.kind == .newline || current.kind == .end || isPunct(";") else {
        throw error("expected end of line or ';' after the statement, found \(current.display)")
      }
    }
  }

  mutating func block(_ what: String) throws -> Block {
    guard isPunct("{") else { throw error("expected '{' \(what), found \(current.display)") }
    let open = advance()
    blockDepth += 1
    defer { blockDepth -= 1 }
    try checkDepth(1, at: open.range)
    var statements: [Statement] = []
    while true {
      skipSeparators()
      if isPunct("}") { break }
      if current.kind == .end {
        throw Diagnostic("unterminated block: this '{' has no matching '}'", at: open.range, incomplete: true)
      }
      statements.append(try statement())
      guard current.kind == .newline || isPunct(";") || isPunct("}") || current.kind == .end else {
        throw error("expected end of line, ';' or '}' after the statement, found \(current.display)")
      }
    }
    let close = advance()
    return Block(statements: statements, open: open.range, close: close.range)
  }

  static let compoundAssignments = ["+=", "-=", "*=", "/=", "%="]

  mutating func statement() throws -> Statement {
    if case .identifier(let word) = current.kind {
      switch word {
      case "for": return try forStatement()
      case "while": return try whileStatement()
      case "if": return .ifElse(try ifStatement())
      case "fn": return .function(try function())
      case "return":
        let t = advance()
        guard inFunction else { throw error("'return' outside a function", at: t) }
        if current.kind == .newline || current.kind == .end || isPunct(";") || isPunct("}") {
          return .returnValue(nil, range: t.range)
        }
        let e = try expression()
        return .returnValue(e, range: .covering(t.range, e.range))
      case "break", "continue":
        let t = advance()
        guard loopDepth > 0 else { throw error("'\(word)' outside a loop", at: t) }
        return .jump(isBreak: word == "break", range: t.range)
      case "else":
        throw error("'else' without 'if' (write `} else {` on the line of the if's closing brace)")
      case "in":
        throw error("'in' outside a `for` (as in `for x in xs { }`) or a test (`x in xs`)")
      default:
        break
      }
      if !Token.keywords.contains(word) {
        if next.kind == .punct("=") {
          let nameToken = advance()
          _ = advance()  // '='
          skipNewlines()
          return .assign(name: word, nameRange: nameToken.range, value: try expression())
        }
        if case .punct(let op) = next.kind, Parser.compoundAssignments.contains(op) {
          let nameToken = advance()
          let opToken = advance()
          skipNewlines()
          let rhs = try expression()
          let lhs = Expr(.name(word), nameToken.range)
          let value = try node(.binary(op: String(op.dropLast()), lhs: lhs, rhs: rhs, opRange: opToken.range),
                               .covering(nameToken.range, rhs.range))
          return .assign(name: word, nameRange: nameToken.range, value: value)
        }
      }
    }
    let e = try expression()
    var update: IndexUpdate? = nil
    if case .punct(let op) = current.kind, Parser.compoundAssignments.contains(op), case .index = e.kind {
      update = IndexUpdate(op: String(op.dropLast()), range: current.range)
    }
    if isPunct("=") || update != nil {
      var indices: [Expr] = []
      var target = e
      while case .index(let base, let index) = target.kind {
        if case .partialRange = index.kind { break }
        indices.insert(index, at: 0)
        target = base
      }
      if !indices.isEmpty, case .name(let name) = target.kind {
        _ = advance()
        skipNewlines()
        return .setIndex(name: name, nameRange: target.range, indices: indices, update: update, value: try expression())
      }
      if update != nil { throw error("only a name or name[index] can be updated with '\(update!.op)='", at: current) }
      throw error("only a name or name[index] can be assigned to (as in `x = 1`, `xs[0] = 1`, "
                  + "`grid[i][j] = 1`)", at: current)
    }
    if case .punct(let op) = current.kind, Parser.compoundAssignments.contains(op) {
      throw error("only a name or name[index] can be updated with '\(op)'", at: current)
    }
    return .expression(e)
  }

  mutating func loopName(_ keyword: String) throws -> (String, SourceRange) {
    guard case .identifier(let name) = current.kind, !Token.keywords.contains(name) else {
      throw error("expected a variable name after '\(keyword)', found \(current.display)")
    }
    return (name, advance().range)
  }

  mutating func forStatement() throws -> Statement {
    let keyword = advance()
    let (name, nameRange) = try loopName("for")
    guard isKeyword("in") else {
      throw error("expected 'in' after `for \(name)` (as in `for \(name) in 0..<10 { }`), found \(current.display)")
    }
    _ = advance()
    let sequence = try expression()
    loopDepth += 1
    defer { loopDepth -= 1 }
    let body = try block("to open the body of the for loop")
    return .forIn(ForStatement(name: name, nameRange: nameRange, sequence: sequence, body: body,
                               range: .covering(keyword.range, sequence.range)))
  }

  mutating func whileStatement() throws -> Statement {
    let keyword = advance()
    let condition = try expression()
    loopDepth += 1
    defer { loopDepth -= 1 }
    let body = try block("to open the body of the while loop")
    return .whileLoop(WhileStatement(condition: condition, body: body, range: .covering(keyword.range, condition.range)))
  }

  mutating func ifStatement() throws -> IfStatement {
    let keyword = advance()
    var branches: [IfStatement.Branch] = []
    var elseBody: Block? = nil
    var condition = try expression()
    let range = SourceRange.covering(keyword.range, condition.range)
    // `else if` chains are a loop, not recursion.
    while true {
      let body = try block("after the condition of 'if'")
      branches.append(IfStatement.Branch(condition: condition, body: body))
      // `else` may follow on the next line.
      var q = p
      while tokens[min(q, tokens.count - 1)].kind == .newline && q < tokens.count - 1 { q += 1 }
      guard tokens[q].kind == .identifier("else") else { break }
      p = q
      _ = advance()
      if isKeyword("if") {
        _ = advance()
        condition = try expression()
        continue
      }
      elseBody = try block("after 'else'")
      break
    }
    return IfStatement(branches: branches, elseBody: elseBody, range: range)
  }

  mutating func function() throws -> FunctionDecl {
    let keyword = advance()
    guard !inFunction && blockDepth == 0 else {
      throw error("functions are defined at the top level of a cell, not inside a block or another function",
                  at: keyword)
    }
    guard case .identifier(let name) = current.kind, !Token.keywords.contains(name) else {
      throw error("expected the function's name after 'fn', found \(current.display)")
    }
    let nameToken = advance()
    _ = try expect("(", "after the function's name (as in `fn \(name)(x) { }`)")
    var parameters: [Parameter] = []
    skipNewlines()
    while !isPunct(")") {
      guard case .identifier(let pname) = current.kind, !Token.keywords.contains(pname) else {
        throw error("expected a parameter name, found \(current.display)")
      }
      let t = advance()
      guard !parameters.contains(where: { $0.name == pname }) else { throw error("parameter '\(pname)' given twice", at: t) }
      var param = Parameter(name: pname, range: t.range, defaultValue: nil, defaultText: nil)
      if isPunct(":") {
        _ = advance()
        skipNewlines()
        let d = try expression()
        param.defaultValue = d
        param.defaultText = text(of: d.range)
      } else if parameters.contains(where: { $0.defaultValue != nil }) {
        throw error("parameter '\(pname)' needs a default: labelled parameters (with defaults) come last", at: t)
      }
      parameters.append(param)
      skipNewlines()
      if isPunct(",") {
        _ = advance()
        skipNewlines()
      } else if !isPunct(")") {
        throw error("expected ',' or ')' after a parameter, found \(current.display)")
      }
    }
    _ = advance()  // ')'
    inFunction = true
    let savedLoops = loopDepth
    loopDepth = 0
    defer {
      inFunction = false
      loopDepth = savedLoops
    }
    let body = try block("to open the body of the function")
    var doc: [String] = []
    var line = keyword.range.start.line - 1
    while let c = lineComments[line] {
      doc.insert(c, at: 0)
      line -= 1
    }
    let range = SourceRange.covering(keyword.range, body.close)
    return FunctionDecl(name: name, nameRange: nameToken.range, parameters: parameters, body: body, doc: doc,
                        source: text(of: range), range: range)
  }

  /// The source text of `range` (empty when the source is unknown).
  func text(of range: SourceRange) -> String {
    let a = range.start.line - firstLine, b = range.end.line - firstLine
    guard a >= 0, b < sourceLines.count, a <= b else { return "" }
    var out: [String] = []
    for k in a...b {
      let scalars = Array(sourceLines[k].unicodeScalars)
      let from = k == a ? max(0, range.start.column - 1) : 0
      let to = k == b ? min(scalars.count, max(from, range.end.column - 1)) : scalars.count
      var s = ""
      if from < to { s.unicodeScalars.append(contentsOf: scalars[from..<to]) }
      out.append(s)
    }
    return out.joined(separator: "\n")
  }

  // MARK: - Expressions

  public mutating func expression() throws -> Expr {
    try enter()
    defer { leave() }
    var lhs = try conjunction()
    while isKeyword("or") {
      let op = advance()
      skipNewlines()
      let rhs = try conjunction()
      lhs = try node(.binary(op: "or", lhs: lhs, rhs: rhs, opRange: op.range), .covering(lhs.range, rhs.range))
    }
    return lhs
  }

  mutating func conjunction() throws -> Expr {
    var lhs = try comparison()
    while isKeyword("and") {
      let op = advance()
      skipNewlines()
      let rhs = try comparison()
      lhs = try node(.binary(op: "and", lhs: lhs, rhs: rhs, opRange: op.range), .covering(lhs.range, rhs.range))
    }
    return lhs
  }

  static let comparisons: Set<String> = ["==", "!=", "<", "<=", ">", ">="]

  func comparisonOperator() -> String? {
    if case .punct(let o) = current.kind, Parser.comparisons.contains(o) { return o }
    if isKeyword("in") { return "in" }
    return nil
  }

  mutating func comparison() throws -> Expr {
    let lhs = try rangeExpression()
    guard let o = comparisonOperator() else { return lhs }
    let op = advance()
    skipNewlines()
    let rhs = try rangeExpression()
    if comparisonOperator() != nil {
      throw error("comparisons do not chain: write `a < b and b < c`")
    }
    return try node(.binary(op: o, lhs: lhs, rhs: rhs, opRange: op.range), .covering(lhs.range, rhs.range))
  }

  mutating func rangeExpression() throws -> Expr {
    let openAllowed = openUpperAllowed
    openUpperAllowed = false
    let lower = try additive()
    guard isPunct("..<") || isPunct("...") else { return lower }
    let op = advance()
    let closed = op.kind == .punct("...")
    if openAllowed && isPunct("]") {
      return try node(.partialRange(lower: lower, upper: nil, closed: closed), .covering(lower.range, op.range))
    }
    skipNewlines()
    let upper = try additive()
    return try node(.range(lower: lower, upper: upper, closed: closed), .covering(lower.range, upper.range))
  }

  mutating func additive() throws -> Expr {
    var lhs = try multiplicative()
    while isPunct("+") || isPunct("-") {
      let op = advance()
      skipNewlines()
      let rhs = try multiplicative()
      guard case .punct(let o) = op.kind else { break }
      lhs = try node(.binary(op: o, lhs: lhs, rhs: rhs, opRange: op.range), .covering(lhs.range, rhs.range))
    }
    return lhs
  }

  mutating func multiplicative() throws -> Expr {
    var lhs = try unary()
    while isPunct("*") || isPunct("/") || isPunct("%") {
      let op = advance()
      skipNewlines()
      let rhs = try unary()
      guard case .punct(let o) = op.kind else { break }
      lhs = try node(.binary(op: o, lhs: lhs, rhs: rhs, opRange: op.range), .covering(lhs.range, rhs.range))
    }
    return lhs
  }

  mutating func unary() throws -> Expr {
    if isPunct("-") || isKeyword("not") {
      try enter()
      defer { leave() }
      let op = advance()
      let operand = try unary()
      return try node(.unary(op: op.kind == .punct("-") ? "-" : "not", operand: operand), .covering(op.range, operand.range))
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
        e = try node(.call(callee: e, arguments: args), .covering(e.range, close.range))
      } else if isPunct(".") {
        _ = advance()
        guard case .identifier(let name) = current.kind else {
          throw error("expected a member name after '.', found \(current.display)")
        }
        let nameToken = advance()
        e = try node(.member(base: e, name: name, nameRange: nameToken.range), .covering(e.range, nameToken.range))
      } else if isPunct("[") {
        let open = advance()
        skipNewlines()
        let index: Expr
        if isPunct("..<") || isPunct("...") {
          let op = advance()
          skipNewlines()
          let upper = try additive()
          index = try node(.partialRange(lower: nil, upper: upper, closed: op.kind == .punct("...")),
                           .covering(op.range, upper.range))
        } else {
          openUpperAllowed = true
          index = try expression()
          openUpperAllowed = false
        }
        skipNewlines()
        let close = try expect("]", "after the index")
        _ = open
        e = try node(.index(base: e, index: index), .covering(e.range, close.range))
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
      if case .identifier(let name) = current.kind, next.kind == .punct(":") {
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
    case .interpolation(let parts):
      _ = advance()
      var out: [InterpolationPart] = []
      for part in parts {
        switch part {
        case .text(let s): out.append(.text(s))
        case .code(let tokens, let range):
          var sub = Parser(tokens: tokens)
          sub.depth = depth
          sub.blockDepth = blockDepth
          sub.lineComments = lineComments
          let e = try sub.expression()
          guard sub.current.kind == .end else {
            throw sub.error("expected ')' to end the interpolation, found \(sub.current.display)")
          }
          _ = range
          out.append(.expr(e))
        }
      }
      return try node(.interpolation(out), t.range)
    case .identifier(let name):
      if name == "true" || name == "false" {
        _ = advance()
        return Expr(.bool(name == "true"), t.range)
      }
      guard !Token.keywords.contains(name) else { throw error("expected an expression, found \(t.display)") }
      _ = advance()
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
      return try node(.list(items), .covering(t.range, close.range))
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
