/// The executable form of statements (made by `Resolver`). `exec` returns how control leaves the
/// statement: normally, or by `break`, `continue` or `return` (whose value is in the frame's return slot).
enum Flow {
  case normal, breakLoop, continueLoop, returned
}

class Stmt {
  let range: SourceRange
  init(_ range: SourceRange) { self.range = range }
  func exec(_ e: Env) throws -> Flow { fatalError("abstract statement") }
}

/// A reference that costs no reference counting to use (the owner keeps the object alive).
struct Unowned<T: AnyObject> {
  let ref: Unmanaged<T>
  init(object: T) { ref = .passUnretained(object) }
  init(ref: Unmanaged<T>) { self.ref = ref }
  var object: T { ref.takeUnretainedValue() }
  /// Runs `body` with the object, without retaining it.
  @inline(__always) func with<R>(_ body: (T) throws -> R) rethrows -> R { try ref._withUnsafeGuaranteedRef(body) }
}

/// A fixed list of objects, kept alive by `owned`, read through a plain buffer of unowned references (so
/// running code does no reference counting to reach them).
final class RefList<T: AnyObject> {
  let owned: ContiguousArray<T>
  let refs: UnsafeMutablePointer<Unowned<T>>
  let count: Int
  init(_ items: ContiguousArray<T>) {
    owned = items
    count = items.count
    refs = .allocate(capacity: max(1, items.count))
    for (k, x) in items.enumerated() { (refs + k).initialize(to: Unowned(object: x)) }
  }
  deinit { refs.deallocate() }
  @inline(__always) subscript(k: Int) -> T { refs[k].object }
}

/// A block's statements.
typealias Body = RefList<Stmt>

/// Runs statements in order until one leaves by `break`, `continue` or `return`.
@inline(__always)
func runBody(_ body: Body, _ e: Env) throws -> Flow {
  let refs = body.refs
  let n = body.count
  var k = 0
  while k < n {
    let f = try refs[k].with { try $0.exec(e) }
    if f != .normal { return f }
    k += 1
  }
  return .normal
}

/// A variable: a global slot or a local slot of the running function.
struct Slot {
  let index: Int
  let isGlobal: Bool
  let name: String
  @inline(__always) func pointer(_ e: Env) -> UnsafeMutablePointer<Value?> {
    (isGlobal ? e.globals : e.locals) + index
  }
}

final class ExpressionStmt: Stmt {
  let expr: Node
  init(_ expr: Node) {
    self.expr = expr
    super.init(expr.range)
  }
  override func exec(_ e: Env) throws -> Flow {
    e.interp.show(try expr.eval(e))
    return .normal
  }
}

final class AssignStmt: Stmt {
  let slot: Slot
  let value: Node
  init(_ slot: Slot, _ value: Node, _ range: SourceRange) {
    self.slot = slot
    self.value = value
    super.init(range)
  }
  override func exec(_ e: Env) throws -> Flow {
    do {
      let v = try value.eval(e)
      slot.pointer(e).pointee = v
    } catch let i as Interrupted {
      if let v = i.partial { slot.pointer(e).pointee = v }
      throw i
    }
    return .normal
  }
}

/// `x = x + rhs` on a list or string: appends in place (the variable's value is not copied).
final class AppendStmt: Stmt {
  let slot: Slot
  let rhs: Node
  let read: Node
  let opRange: SourceRange
  /// The item of a one-item list literal on the right (`xs = xs + [v]`): appended without making the list.
  let single: Node?
  init(_ slot: Slot, read: Node, rhs: Node, opRange: SourceRange, _ range: SourceRange) {
    self.slot = slot
    self.read = read
    self.rhs = rhs
    self.opRange = opRange
    self.single = (rhs as? ListNode).flatMap { $0.items.count == 1 ? $0.items[0] : nil }
    super.init(range)
  }
  override func exec(_ e: Env) throws -> Flow {
    let p = slot.pointer(e)
    if let single, case .some(.list) = p.pointee {
      let v = try single.eval(e)
      if case .list = v { try Value.list([v]).checkNesting(rhs.range) }
      if AppendStmt.appendItem(&p.pointee, v) { return .normal }
      p.pointee = try Arithmetic.apply("+", try read.eval(e), .list([v]), opRange)
      return .normal
    }
    // The kind first, without keeping a copy of the value (a copy would make the append copy the list).
    let kind: Int
    switch p.pointee {
    case .some(.int): kind = 0
    case .some(.list), .some(.string): kind = 1
    default: kind = 2
    }
    if kind == 0, case .int(let x)? = p.pointee {
      let b = try rhs.eval(e)
      if case .int(let y) = b {
        let (r, o) = x.addingReportingOverflow(y)
        if !o {
          p.pointee = .int(r)
          return .normal
        }
      }
      p.pointee = try Arithmetic.apply("+", .int(x), b, opRange)
      return .normal
    }
    if kind == 1 {
      let b = try rhs.eval(e)
      if AppendStmt.append(&p.pointee, b) { return .normal }
      let a = try read.eval(e)
      p.pointee = try Arithmetic.apply("+", a, b, opRange)
      return .normal
    }
    let a = try read.eval(e)  // an unbound name is an error here
    p.pointee = try Arithmetic.apply("+", a, try rhs.eval(e), opRange)
    return .normal
  }

  /// Appends the element `x` to the list in `v` in place; false when `v` holds no list.
  static func appendItem(_ v: inout Value?, _ x: Value) -> Bool {
    guard case .list(var a)? = v else { return false }
    v = nil  // `a` now holds the only reference: no copy
    a.append(x)
    v = .list(a)
    return true
  }

  /// Appends `b` to the list or string in `v` in place; false when the types do not allow it.
  static func append(_ v: inout Value?, _ b: Value) -> Bool {
    switch b {
    case .list(let tail):
      guard case .list(var a)? = v else { return false }
      v = nil  // `a` now holds the only reference: no copy
      a.append(contentsOf: tail)
      v = .list(a)
      return true
    case .string(let tail):
      guard case .string(var a)? = v else { return false }
      v = nil
      a += tail
      v = .string(a)
      return true
    default:
      return false
    }
  }
}

/// `name[i] = value`, `name[i][j] = value`, ... on lists, in place: the variable's list (and each list on the
/// way down) is not copied when nothing else holds it. Indices are evaluated outermost first, then the value;
/// an error leaves the variable unchanged.
final class SetIndexStmt: Stmt {
  let slot: Slot
  let read: Node
  let indices: [Node]
  let update: IndexUpdate?
  let value: Node
  init(_ slot: Slot, read: Node, indices: [Node], update: IndexUpdate?, value: Node, _ range: SourceRange) {
    self.slot = slot
    self.read = read
    self.indices = indices
    self.update = update
    self.value = value
    super.init(range)
  }

  override func exec(_ e: Env) throws -> Flow {
    let p = slot.pointer(e)
    if p.pointee == nil { _ = try read.eval(e) }  // an unbound name is an error here (a built-in is a value)
    var path: [Int] = []
    path.reserveCapacity(indices.count)
    for index in indices { path.append(try Call.integer(try index.eval(e), "an index", index.range)) }
    let v = try value.eval(e)
    if case .list = v, v.listNesting + indices.count > Value.maxNesting {
      throw Diagnostic("lists nested too deeply (more than \(Value.maxNesting) levels)", at: value.range)
    }
    guard case .list(var items)? = p.pointee else {
      let current = try p.pointee ?? read.eval(e)
      throw Diagnostic("cannot assign to an element of \(current.aTypeName) (only list elements can be "
                       + "assigned)", at: read.range)
    }
    p.pointee = nil  // `items` now holds the only reference: no copy
    defer { p.pointee = .list(items) }
    try set(&items, path, 0, v)
    return .normal
  }

  /// Sets `list[path[level]][path[level + 1]]... = v`; throws (leaving `list` as it was) on a bad index or a
  /// non-list on the way.
  func set(_ list: inout [Value], _ path: [Int], _ level: Int, _ v: Value) throws {
    let i = path[level]
    let k = i < 0 ? list.count + i : i
    guard k >= 0 && k < list.count else {
      throw Diagnostic("index \(i) is out of bounds for \(Format.plural(list.count, "element"))",
                       at: indices[level].range)
    }
    if level == path.count - 1 {
      if let update {
        if case .int(let x) = list[k], case .int(let y) = v, update.op == "+" {
          let (r, o) = x.addingReportingOverflow(y)
          if !o {
            list[k] = .int(r)
            return
          }
        }
        let r = try Arithmetic.apply(update.op, list[k], v, update.range)
        if case .list = r, r.listNesting + indices.count > Value.maxNesting {
          throw Diagnostic("lists nested too deeply (more than \(Value.maxNesting) levels)", at: value.range)
        }
        list[k] = r
      } else {
        list[k] = v
      }
      return
    }
    guard case .list(var inner) = list[k] else {
      throw Diagnostic("cannot assign to an element of \(list[k].aTypeName) (only list elements can be "
                       + "assigned)", at: SourceRange.covering(read.range, indices[level].range))
    }
    list[k] = .nothing
    defer { list[k] = .list(inner) }
    try set(&inner, path, level + 1, v)
  }
}

/// A statement that fails when run (e.g. assigning to a built-in): errors stay in statement order.
final class FailStmt: Stmt {
  let diagnostic: Diagnostic
  init(_ d: Diagnostic) {
    diagnostic = d
    super.init(d.range)
  }
  override func exec(_ e: Env) throws -> Flow { throw diagnostic }
}

func condition(_ v: Value, _ what: StaticString, _ node: Node) throws -> Bool {
  guard case .bool(let b) = v else {
    throw Diagnostic("the condition of '\(what)' must be true or false, got \(v.aTypeName)", at: node.range)
  }
  return b
}

final class IfStmt: Stmt {
  let conditions: RefList<Node>
  let bodies: RefList<Body>
  let elseBody: Body?
  /// The first branch (every `if` has one), read without going through the lists.
  let firstCondition: Unowned<Node>
  let firstBody: Unowned<Body>
  init(_ branches: [(condition: Node, body: Body)], else elseBody: Body?, _ range: SourceRange) {
    conditions = RefList(ContiguousArray(branches.map(\.condition)))
    bodies = RefList(ContiguousArray(branches.map(\.body)))
    firstCondition = Unowned(object: conditions[0])
    firstBody = Unowned(object: bodies[0])
    self.elseBody = elseBody
    super.init(range)
  }
  override func exec(_ e: Env) throws -> Flow {
    if try firstCondition.with({ try $0.test(e, "if") }) { return try firstBody.with { try runBody($0, e) } }
    let refs = conditions.refs
    let n = conditions.count
    var k = 1
    while k < n {
      let met = try refs[k].with { try $0.test(e, "if") }
      if met { return try bodies.refs[k].with { try runBody($0, e) } }
      k += 1
    }
    if let elseBody { return try runBody(elseBody, e) }
    return .normal
  }
}

final class WhileStmt: Stmt {
  let cond: Node
  let body: Body
  init(_ cond: Node, _ body: Body, _ range: SourceRange) {
    self.cond = cond
    self.body = body
    super.init(range)
  }
  override func exec(_ e: Env) throws -> Flow {
    while try cond.test(e, "while") {
      try e.run { try $0.checkInterrupt() }
      switch try runBody(body, e) {
      case .breakLoop: return .normal
      case .returned: return .returned
      case .normal, .continueLoop: break
      }
    }
    return .normal
  }
}

final class ForStmt: Stmt {
  let slot: Slot
  let sequence: Node
  let body: Body
  init(_ slot: Slot, _ sequence: Node, _ body: Body, _ range: SourceRange) {
    self.slot = slot
    self.sequence = sequence
    self.body = body
    super.init(range)
  }

  /// Binds `v` and runs the body once: nil to go on, or how the loop ends.
  @inline(__always) func step(_ v: Value, _ e: Env) throws -> Flow? {
    try e.run { try $0.checkInterrupt() }
    slot.pointer(e).pointee = v
    switch try runBody(body, e) {
    case .breakLoop: return .normal
    case .returned: return .returned
    case .normal, .continueLoop: return nil
    }
  }

  override func exec(_ e: Env) throws -> Flow {
    let s = try sequence.eval(e)
    switch s {
    case .range(let lo, let hi):
      var i = lo
      while i < hi {
        if let f = try step(.int(i), e) { return f }
        i += 1
      }
    case .list(let items):
      for v in items { if let f = try step(v, e) { return f } }
    case .string(let text):
      for c in text { if let f = try step(.string(String(c)), e) { return f } }
    case .object(let o as any IndexableObject):
      var k = 0
      while k < o.count {
        let v = try Members.located(sequence.range) { try o.element(at: k) }
        if let f = try step(v, e) { return f }
        k += 1
      }
    default:
      throw Diagnostic("cannot loop over \(s.aTypeName) (a for loop takes a list, a range, a string, "
                       + "a melody or a dataset)", at: sequence.range)
    }
    return .normal
  }
}

final class JumpStmt: Stmt {
  let flow: Flow
  init(_ flow: Flow, _ range: SourceRange) {
    self.flow = flow
    super.init(range)
  }
  override func exec(_ e: Env) throws -> Flow { flow }
}

final class ReturnStmt: Stmt {
  let value: Node?
  let returnSlot: Int
  init(_ value: Node?, returnSlot: Int, _ range: SourceRange) {
    self.value = value
    self.returnSlot = returnSlot
    super.init(range)
  }
  override func exec(_ e: Env) throws -> Flow {
    let v = try value?.eval(e) ?? .nothing
    releaseSlot(e.locals + returnSlot)  // nil: a frame returns once
    (e.locals + returnSlot).initialize(to: v)
    return .returned
  }
}

/// `fn name(...) { }`: binds the global `name` to a new function value.
final class FunctionStmt: Stmt {
  let slot: Int
  let decl: FunctionDecl
  let code: CompiledFunction
  init(_ slot: Int, _ decl: FunctionDecl, _ code: CompiledFunction) {
    self.slot = slot
    self.decl = decl
    self.code = code
    super.init(decl.range)
  }
  override func exec(_ e: Env) throws -> Flow {
    e.globals[slot] = .object(UserFunction(decl, code: code))
    return .normal
  }
}
