import Foundation

/// Runs code cells against a `Session`. One interpreter per notebook run or REPL.
///
/// An error stops the cell (statements before it keep their effect), never the session.
public final class Interpreter {
  public let session: Session
  public var environment: ExecutionEnvironment
  public let builtins: [String: Builtin]
  /// Built-in names in the order `help()` lists them.
  public let builtinOrder: [String]
  /// Lines written by the cell being run (values of expression statements, `print`, `saved: …`).
  private(set) var lines: [String] = []
  /// Values the cell being run displayed (expression statements, at top level or inside loops and
  /// functions), in output order: the HTML export draws their charts and players from these.
  private(set) var shown: [Value] = []

  public init(session: Session = Session(), environment: ExecutionEnvironment, builtins: [Builtin]) {
    self.session = session
    self.environment = environment
    var table: [String: Builtin] = [:]
    for b in builtins { table[b.name] = b }
    self.builtins = table
    self.builtinOrder = builtins.map(\.name)
  }

  /// The result of running one cell: its output text (no trailing newline) and the error that stopped it.
  public struct CellResult {
    public var output: String
    public var error: Diagnostic?
    /// The values the cell displayed, in output order (see `show`).
    public var shown: [Value] = []
  }

  /// Parses and runs `source` (whose first line is file line `firstLine`).
  public func run(_ source: String, firstLine: Int = 1) -> CellResult {
    lines = []
    shown = []
    do {
      let statements = try Parser.parse(source, firstLine: firstLine)
      try execute(statements)
      return CellResult(output: lines.joined(separator: "\n"), error: nil, shown: shown)
    } catch let d as Diagnostic {
      return CellResult(output: lines.joined(separator: "\n"), error: d, shown: shown)
    } catch {
      let d = Diagnostic("\(error)", at: SourceRange(SourceLocation(line: firstLine, column: 1),
                                                     SourceLocation(line: firstLine, column: 1)))
      return CellResult(output: lines.joined(separator: "\n"), error: d, shown: shown)
    }
  }

  /// Runs already parsed statements (e.g. with parameter overrides applied) as one cell.
  public func run(statements: [Statement]) -> CellResult {
    lines = []
    shown = []
    do {
      try execute(statements)
      return CellResult(output: lines.joined(separator: "\n"), error: nil, shown: shown)
    } catch let d as Diagnostic {
      return CellResult(output: lines.joined(separator: "\n"), error: d, shown: shown)
    } catch {
      let start = statements.first?.range.start ?? SourceLocation(line: 1, column: 1)
      return CellResult(output: lines.joined(separator: "\n"), error: Diagnostic("\(error)", at: SourceRange(start, start)), shown: shown)
    }
  }

  /// Runs parsed statements, appending shown values to the output lines.
  public func execute(_ statements: [Statement]) throws {
    for s in statements {
      do {
        try checkInterrupt()
        switch s {
        case .assign(let name, let range, let expr):
          if builtins[name] != nil {
            throw Diagnostic("cannot assign to '\(name)': it is a built-in function", at: range)
          }
          do {
            session.variables[name] = try evaluate(expr)
          } catch let i as Interrupted {
            if let v = i.partial { session.variables[name] = v }
            throw i
          }
        case .expression(let expr):
          show(try evaluate(expr))
        }
      } catch let i as Interrupted {
        throw Diagnostic(i.message, at: s.range)
      }
    }
  }

  /// Throws `Interrupted` when the user asked to stop (polled between statements, loop iterations, calls).
  public func checkInterrupt() throws {
    if environment.isCancelled() { throw Interrupted() }
  }

  /// Displays a value as an expression statement does: its text in the output (nothing for `.nothing`),
  /// and the value itself in `CellResult.shown`.
  public func show(_ v: Value) {
    if case .nothing = v { return }
    emit(v.display)
    shown.append(v)
  }

  /// Appends text (possibly several lines) to the cell's output.
  public func emit(_ text: String) {
    lines.append(text)
  }

  /// A path as written in the notebook, resolved against the notebook's folder.
  public func resolve(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    if path.hasPrefix("~/") { return NSHomeDirectory() + String(path.dropFirst(1)) }
    let base = environment.baseDirectory
    return base.isEmpty || base == "." ? path : (base.hasSuffix("/") ? base + path : base + "/" + path)
  }

  /// Names a cell could refer to: variables and built-ins (for "did you mean" and completion).
  public var knownNames: [String] { Array(session.variables.keys) + builtinOrder }

  // MARK: - Expressions

  public func evaluate(_ e: Expr) throws -> Value {
    switch e.kind {
    case .integer(let n): return .int(n)
    case .float(let x): return .float(x)
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    case .name(let n): return try lookup(n, e.range)
    case .list(let items): return .list(try items.map(evaluate))
    case .call(let callee, let arguments): return try call(callee, arguments, e.range)
    case .member(let base, let name, let nameRange):
      return try Members.member(of: try evaluate(base), name, nameRange)
    case .index(let base, let index):
      return try Members.index(try evaluate(base), try evaluate(index), index.range)
    case .unary(_, let operand):
      switch try evaluate(operand) {
      case .int(let n): return .int(-n)
      case .float(let x): return .float(-x)
      case let v: throw Diagnostic("cannot negate \(v.aTypeName)", at: e.range)
      }
    case .binary(let op, let lhs, let rhs, let opRange):
      return try Arithmetic.apply(op, try evaluate(lhs), try evaluate(rhs), opRange)
    case .range(let lower, let upper, let closed):
      let lo = try Call.integer(try evaluate(lower), "a range bound", lower.range)
      var hi = try Call.integer(try evaluate(upper), "a range bound", upper.range)
      if closed { hi += 1 }
      guard lo <= hi else {
        throw Diagnostic("range lower bound \(lo) is greater than its upper bound", at: e.range)
      }
      return .range(lo, hi)
    }
  }

  func lookup(_ name: String, _ range: SourceRange) throws -> Value {
    if let v = session.variables[name] { return v }
    if builtins[name] != nil { return .function(name) }
    var message = "unknown name '\(name)'"
    if let near = DidYouMean.suggest(name, among: knownNames) { message += " (did you mean '\(near)'?)" }
    throw Diagnostic(message, at: range)
  }

  func call(_ callee: Expr, _ arguments: [Argument], _ range: SourceRange) throws -> Value {
    let f = try evaluate(callee)
    guard case .function(let name) = f, let builtin = builtins[name] else {
      throw Diagnostic("\(f.aTypeName) cannot be called; only built-in functions can", at: callee.range)
    }
    var positional: [(value: Value, range: SourceRange)] = []
    var labelled: [String: (value: Value, range: SourceRange)] = [:]
    for a in arguments {
      if let label = a.label {
        guard builtin.labels.contains(label) else {
          var message = "\(name)() has no argument '\(label)'"
          if let near = DidYouMean.suggest(label, among: builtin.labels) {
            message += " (did you mean '\(near)'?)"
          } else if !builtin.labels.isEmpty {
            message += "; it takes " + builtin.labels.map { $0 + ":" }.joined(separator: ", ")
          }
          throw Diagnostic(message, at: a.labelRange ?? a.value.range)
        }
        labelled[label] = (try evaluate(a.value), a.value.range)
      } else {
        positional.append((try evaluate(a.value), a.value.range))
      }
    }
    let c = Call(interpreter: self, name: name, range: range, positional: positional, labelled: labelled)
    do {
      return try builtin.body(c)
    } catch let d as Diagnostic {
      throw d
    } catch let i as Interrupted {
      throw i
    } catch {
      throw Diagnostic("\(name)(): \(error)", at: range)
    }
  }
}
