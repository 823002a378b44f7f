import Foundation

/// Runs code cells against a `Session`. One interpreter per notebook run or REPL.
///
/// An error stops the cell (statements before it keep their effect), never the session.
public final class Interpreter {
  public let session: Session
  public var environment: ExecutionEnvironment {
    didSet { isCancelled = environment.isCancelled }
  }
  /// `environment.isCancelled`, kept apart so that polling it per loop iteration copies nothing.
  private var isCancelled: () -> Bool
  public let builtins: [String: Builtin]
  /// Built-in names in the order `help()` lists them.
  public let builtinOrder: [String]
  /// Lines written by the cell being run (values of expression statements, `print`, `saved: …`).
  private(set) var lines: [String] = []
  /// Values the cell being run displayed (expression statements, at top level or inside loops and
  /// functions), in output order: the HTML export draws their charts and players from these.
  private(set) var shown: [Value] = []
  /// `session.globals.id`, kept here for the check on each call.
  let globalsID: Int
  /// Mutable state of running code, behind a pointer (no exclusivity checks on each call).
  struct RunState {
    /// Nesting of user function calls now running.
    var callDepth = 0
    /// Below this stack address a call is refused (see `StackGuard`).
    var stackLimit: UInt = 0
    /// The first free slot of `frames`.
    var frameTop = 0
    /// Calls left before the next poll of `isCancelled` (calls poll every `callPollPeriod`-th time;
    /// loop iterations and statements poll every time).
    var callPoll = 0
  }
  /// A recursion of `maxCallDepth` calls polls several times; a long-running call tree polls every few
  /// microseconds.
  static let callPollPeriod = 64
  let state: UnsafeMutablePointer<RunState>
  /// Local slots of the running calls, allocated as a stack (a call beyond it allocates its own).
  let frames: UnsafeMutablePointer<Value?>
  static let frameCapacity = 1 << 15
  var callDepth: Int {
    get { state.pointee.callDepth }
    set { state.pointee.callDepth = newValue }
  }
  var stackLimit: UInt {
    get { state.pointee.stackLimit }
    set { state.pointee.stackLimit = newValue }
  }

  public init(session: Session = Session(), environment: ExecutionEnvironment, builtins: [Builtin]) {
    self.session = session
    self.environment = environment
    self.isCancelled = environment.isCancelled
    self.globalsID = session.globals.id
    self.state = .allocate(capacity: 1)
    self.state.initialize(to: RunState())
    self.frames = .allocate(capacity: Interpreter.frameCapacity)
    var table: [String: Builtin] = [:]
    for b in builtins { table[b.name] = b }
    self.builtins = table
    self.builtinOrder = builtins.map(\.name)
  }

  deinit {
    state.deallocate()
    frames.deallocate()
  }

  /// Runs `body` with `n` fresh (unbound) local slots.
  @inline(__always)
  func withFrame<R>(_ n: Int, _ body: (UnsafeMutablePointer<Value?>) throws -> R) rethrows -> R {
    let top = state.pointee.frameTop
    let onStack = top + n <= Interpreter.frameCapacity
    let locals: UnsafeMutablePointer<Value?> = onStack ? frames + top : .allocate(capacity: n)
    if onStack { state.pointee.frameTop = top + n }
    locals.initialize(repeating: nil, count: n)
    defer {
      // Slot by slot: `deinitialize(count:)` goes through the generic `swift_arrayDestroy` and the type's
      // value witnesses, which costs more than the specialized destroy of a few slots.
      var k = 0
      while k < n {
        releaseSlot(locals + k)
        k += 1
      }
      if onStack { state.pointee.frameTop = top } else { locals.deallocate() }
    }
    return try body(locals)
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

  /// Runs parsed statements, appending shown values to the output lines. The statements are resolved
  /// (names to slots) first, then run in order; an error stops them (earlier statements keep their effect).
  public func execute(_ statements: [Statement]) throws {
    var resolver = Resolver(self)
    let code = try resolver.block(statements)
    stackLimit = StackGuard.limit()
    callDepth = 0
    state.pointee.callPoll = 0
    let env = topLevel
    for s in code {
      do {
        try checkInterrupt()
        _ = try s.exec(env)
      } catch let i as Interrupted {
        throw Diagnostic(i.message, at: s.range)
      }
    }
  }

  /// The environment of top-level code (no function frame).
  var topLevel: Env { Env(interp: self, globals: session.globals.base, locals: session.globals.base) }

  /// Throws `Interrupted` when the user asked to stop (polled between statements, loop iterations, calls).
  public func checkInterrupt() throws {
    if isCancelled() { throw Interrupted() }
  }

  /// `checkInterrupt` on every `callPollPeriod`-th call.
  @inline(__always)
  func checkInterruptOnCall() throws {
    let st = state
    st.pointee.callPoll -= 1
    if st.pointee.callPoll <= 0 {
      st.pointee.callPoll = Interpreter.callPollPeriod
      try checkInterrupt()
    }
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
  public var knownNames: [String] { session.globals.dictionary.keys.sorted() + builtinOrder }

  /// Built-ins and the session's user functions (for "unknown function ... did you mean").
  public var functionNames: [String] {
    builtinOrder + session.globals.dictionary.compactMap { name, v in
      if case .object(let o) = v, o is UserFunction { return name }
      return nil
    }.sorted()
  }

  /// The user function bound to `name`, if any.
  public func userFunction(_ name: String) -> UserFunction? {
    if case .object(let o as UserFunction)? = session.globals[name] { return o }
    return nil
  }

  // MARK: - Expressions

  /// Evaluates an expression at top level (names are globals).
  public func evaluate(_ e: Expr) throws -> Value {
    let node = try Resolver(self).expr(e)
    if stackLimit == 0 { stackLimit = StackGuard.limit() }
    return try node.eval(topLevel)
  }

  /// The value of a global name that has no value: a built-in, or an error with "did you mean".
  func unbound(_ name: String, _ range: SourceRange, callee: Bool) throws -> Value {
    if builtins[name] != nil { return .function(name) }
    if callee {
      var message = "unknown function '\(name)'"
      if let near = DidYouMean.suggest(name, among: functionNames) { message += " (did you mean '\(near)'?)" }
      throw Diagnostic(message, at: range)
    }
    var message = "unknown name '\(name)'"
    if let near = DidYouMean.suggest(name, among: knownNames) { message += " (did you mean '\(near)'?)" }
    throw Diagnostic(message, at: range)
  }

  func callBuiltin(_ builtin: Builtin, _ site: CallNode, _ e: Env) throws -> Value {
    var positional: [(value: Value, range: SourceRange)] = []
    positional.reserveCapacity(site.positional.count)
    for a in site.positional { positional.append((try a.eval(e), a.range)) }
    var labelled: [String: (value: Value, range: SourceRange)] = [:]
    for a in site.labelled {
      guard builtin.labels.contains(a.label) else {
        throw Diagnostic(Interpreter.unknownLabel(builtin.name, a.label, labels: builtin.labels), at: a.labelRange)
      }
      labelled[a.label] = (try a.value.eval(e), a.value.range)
    }
    let c = Call(interpreter: self, name: builtin.name, range: site.range, positional: positional, labelled: labelled)
    return try located(builtin.name, site.range) { try builtin.body(c) }
  }

  /// Runs a built-in's body, turning errors other than diagnostics and interruptions into a diagnostic.
  func located(_ name: String, _ range: SourceRange, _ body: () throws -> Value) throws -> Value {
    do {
      return try body()
    } catch let d as Diagnostic {
      throw d
    } catch let i as Interrupted {
      throw i
    } catch {
      throw Diagnostic("\(name)(): \(error)", at: range)
    }
  }
}
