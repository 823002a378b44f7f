import Foundation

/// A function defined with `fn`, compiled for one session's global slots.
final class CompiledFunction {
  let decl: FunctionDecl
  let name: String
  let parameterNames: [String]
  /// Parameters take local slots 0..<parameters.count, in order; positional ones come first.
  let positionalCount: Int
  /// Defaults of the labelled parameters (index k - positionalCount).
  let defaults: [Node]
  let body: Body
  /// Local slots plus one for the return value (the last).
  let frameSize: Int
  /// The `Globals.id` the body's global slots belong to.
  let globalsID: Int
  /// Where the code came from, for errors raised in its body.
  let origin: FunctionSource

  init(decl: FunctionDecl, positionalCount: Int, defaults: [Node], body: Body, frameSize: Int,
       globalsID: Int) {
    self.decl = decl
    self.name = decl.name
    self.parameterNames = decl.parameters.map(\.name)
    self.positionalCount = positionalCount
    self.defaults = defaults
    self.body = body
    self.frameSize = frameSize
    self.globalsID = globalsID
    self.origin = FunctionSource(decl)
  }

  var returnSlot: Int { frameSize - 1 }
  var labels: [String] { Array(parameterNames[positionalCount...]) }
}

/// A function value: prints as its signature (`fn f(a, top_p: 0.6)`); `help(f)` shows the signature and the
/// `//` comment lines above its definition. Saved in a session as its source, compiled again on restore.
public final class UserFunction: NotebookObject, PersistableObject {
  public let decl: FunctionDecl
  var code: CompiledFunction? {
    didSet { fastCode.pointee = code.map { .passUnretained($0) } }
  }
  /// `code`, read on each call without reference counting or exclusivity checks.
  let fastCode: UnsafeMutablePointer<Unmanaged<CompiledFunction>?>

  init(_ decl: FunctionDecl, code: CompiledFunction?) {
    self.decl = decl
    self.code = code
    fastCode = .allocate(capacity: 1)
    fastCode.initialize(to: code.map { .passUnretained($0) })
  }

  deinit { fastCode.deallocate() }

  public var name: String { decl.name }
  public var typeName: String { "function" }
  public var display: String { decl.signature }
  public var memberNames: [String] { ["name", "signature"] }
  public func member(_ name: String) -> Value? {
    switch name {
    case "name": return .string(decl.name)
    case "signature": return .string(decl.signature)
    default: return nil
    }
  }

  /// Labels the function takes (its parameters with defaults).
  public var labels: [String] { decl.parameters.filter { $0.defaultValue != nil }.map(\.name) }

  /// The text of `help(name)`.
  public var help: String {
    ([decl.signature] + (decl.doc.isEmpty ? ["  (defined at line \(decl.range.start.line))"] : decl.doc.map { "  " + $0 }))
      .joined(separator: "\n")
  }

  /// The compiled body for `interp`'s session (compiled again when called from another session).
  @inline(__always)
  func compiled(for interp: Interpreter) throws -> Unowned<CompiledFunction> {
    if let c = fastCode.pointee, c._withUnsafeGuaranteedRef({ $0.globalsID }) == interp.globalsID {
      return Unowned(ref: c)
    }
    return Unowned(object: try compile(for: interp))
  }

  /// The user function in a variable's slot, without copying the value.
  @inline(__always)
  static func peek(_ p: UnsafeMutablePointer<Value?>) -> Unowned<UserFunction>? {
    guard case .object(let o)? = p.pointee, ObjectIdentifier(type(of: o)) == ObjectIdentifier(UserFunction.self) else {
      return nil
    }
    return Unowned(object: unsafeDowncast(o, to: UserFunction.self))
  }

  func compile(for interp: Interpreter) throws -> CompiledFunction {
    if let code, code.globalsID == interp.session.globals.id { return code }
    var resolver = Resolver(interp)
    let c = try resolver.function(decl)
    code = c
    return c
  }

  public func persist(into dir: String, stem: String) throws -> [String: String] {
    ["source": decl.source, "line": String(decl.range.start.line)]
  }

  /// Rebuilds a function saved by `persist`: its source must parse as exactly one `fn` statement.
  public static func restore(_ fields: [String: String], _ dir: String) throws -> any NotebookObject {
    guard let source = fields["source"], let line = fields["line"].flatMap({ Int($0) }), line >= 1 else {
      throw NotebookError.session("a saved function lacks its source")
    }
    let statements = try Parser.parse(source, firstLine: line)
    guard statements.count == 1, case .function(let decl) = statements[0] else {
      throw NotebookError.session("a saved function's source is not one `fn` definition")
    }
    return UserFunction(decl, code: nil)
  }
}

extension Interpreter {
  /// The deepest nesting of function calls (a recursion deeper than this is an error, located at the call).
  public static let maxCallDepth = 1000

  /// Calls a user function from a call node: binds the arguments (evaluated in the caller's frame) to
  /// the parameters, then runs the body in a new frame.
  func callUser(_ f: UserFunction, _ site: CallNode, _ e: Env) throws -> Value {
    try f.compiled(for: self).with { try callUser(f, $0, site, e) }
  }

  func callUser(_ f: UserFunction, _ code: CompiledFunction, _ site: CallNode, _ e: Env) throws -> Value {
    try withFrame(code.frameSize) { locals in try callUser(f, code, site, e, locals) }
  }

  func callUser(_ f: UserFunction, _ code: CompiledFunction, _ site: CallNode, _ e: Env,
                _ locals: UnsafeMutablePointer<Value?>) throws -> Value {
    if site.positional.count > code.positionalCount {
      let k = code.positionalCount
      throw Diagnostic("\(code.name)() takes \(k) positional argument\(k == 1 ? "" : "s"), got \(site.positional.count)",
                       at: site.positional[k].range)
    }
    let args = site.positionalRefs.refs
    let count = site.positionalRefs.count
    var k = 0
    while k < count {
      locals[k] = try args[k].with { try $0.eval(e) }
      k += 1
    }
    if site.positional.count < code.positionalCount {
      let k = site.positional.count
      throw Diagnostic("\(code.name)() needs '\(code.parameterNames[k])' as argument \(k + 1) (\(f.decl.signature))",
                       at: site.range)
    }
    for a in site.labelled {
      guard let k = code.parameterNames.firstIndex(of: a.label), k >= code.positionalCount else {
        throw Diagnostic(Interpreter.unknownLabel(code.name, a.label, labels: code.labels), at: a.labelRange)
      }
      locals[k] = try a.value.eval(e)
    }
    return try invoke(code, locals, globals: e.globals, at: site.range)
  }

  /// Calls a function value (built-in or user function) with positional arguments: for built-ins that
  /// take functions (`sorted(xs, key: f)`).
  public func callFunction(_ f: Value, _ arguments: [Value], at range: SourceRange) throws -> Value {
    switch f {
    case .object(let o as UserFunction):
      let code = try o.compiled(for: self).object
      guard arguments.count == code.positionalCount else {
        throw Diagnostic("\(o.name)() takes \(code.positionalCount) positional argument"
                         + "\(code.positionalCount == 1 ? "" : "s"), got \(arguments.count)", at: range)
      }
      return try withFrame(code.frameSize) { locals in
        for (k, v) in arguments.enumerated() { locals[k] = v }
        return try invoke(code, locals, globals: session.globals.base, at: range)
      }
    case .function(let name):
      guard let b = builtins[name] else { break }
      let c = Call(interpreter: self, name: name, range: range, positional: arguments.map { ($0, range) }, labelled: [:])
      return try located(name, range) { try b.body(c) }
    default:
      break
    }
    throw Diagnostic("\(f.aTypeName) cannot be called; only functions can", at: range)
  }

  /// Fills in defaults and runs a function's body in the frame `locals`.
  func invoke(_ code: CompiledFunction, _ locals: UnsafeMutablePointer<Value?>, globals: UnsafeMutablePointer<Value?>,
              at range: SourceRange) throws -> Value {
    try checkInterruptOnCall()
    let st = state
    st.pointee.callDepth += 1
    defer { st.pointee.callDepth -= 1 }
    if st.pointee.callDepth > Interpreter.maxCallDepth || StackGuard.isLow(st.pointee.stackLimit) {
      throw tooDeep(code, at: range)
    }
    let frame = Env(interp: self, globals: globals, locals: locals)
    do {
      if !code.defaults.isEmpty {
        for (j, d) in code.defaults.enumerated() where locals[code.positionalCount + j] == nil {
          locals[code.positionalCount + j] = try d.eval(frame)
        }
      }
      if try runBody(code.body, frame) == .returned { return locals[code.returnSlot] ?? .nothing }
      return .nothing
    } catch let d as Diagnostic {
      throw d.inside(code)
    }
  }

  @inline(never)
  func tooDeep(_ code: CompiledFunction, at range: SourceRange) -> Diagnostic {
    Diagnostic("recursion too deep: more than \(state.pointee.callDepth - 1) nested function calls "
               + "(in \(code.name)())", at: range)
  }

  static func unknownLabel(_ name: String, _ label: String, labels: [String]) -> String {
    var message = "\(name)() has no argument '\(label)'"
    if let near = DidYouMean.suggest(label, among: labels) {
      message += " (did you mean '\(near)'?)"
    } else if !labels.isEmpty {
      message += "; it takes " + labels.map { $0 + ":" }.joined(separator: ", ")
    }
    return message
  }
}

extension Diagnostic {
  /// The error tagged with the function whose body raised it (the innermost function keeps its tag).
  @inline(never)
  func inside(_ code: CompiledFunction) -> Diagnostic {
    guard function == nil else { return self }
    var d = self
    d.function = code.origin
    return d
  }
}
