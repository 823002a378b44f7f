/// The executable form of expressions: a tree of nodes made by `Resolver`, with names already turned into
/// slots (`base[slot]`, no hashing of names while running). Each node evaluates itself; the tree's height
/// is bounded by `Parser.maxDepth`, so evaluation recursion is too.

/// Where a running piece of code finds its variables: the session's global slots and, inside a function,
/// the call's local slots (at top level `locals` is unused).
struct Env {
  /// The interpreter, kept alive by its caller: reached through `run` on hot paths, which does no
  /// reference counting (a strong copy from `interp` retains and releases it).
  let interpRef: Unmanaged<Interpreter>
  let globals: UnsafeMutablePointer<Value?>
  let locals: UnsafeMutablePointer<Value?>
  init(interp: Interpreter, globals: UnsafeMutablePointer<Value?>, locals: UnsafeMutablePointer<Value?>) {
    self.interpRef = .passUnretained(interp)
    self.globals = globals
    self.locals = locals
  }
  var interp: Interpreter { interpRef.takeUnretainedValue() }
  /// Runs `body` with the interpreter, without retaining it.
  @inline(__always) func run<R>(_ body: (Interpreter) throws -> R) rethrows -> R {
    try interpRef._withUnsafeGuaranteedRef(body)
  }
}

class Node {
  let range: SourceRange
  init(_ range: SourceRange) { self.range = range }
  func eval(_ e: Env) throws -> Value { fatalError("abstract node") }
  /// The value as the condition of `what` (`if`, `while`): true or false, else an error. Comparisons
  /// answer without making a `Value`.
  func test(_ e: Env, _ what: StaticString) throws -> Bool { try condition(try eval(e), what, self) }
}

final class ConstantNode: Node {
  let value: Value
  init(_ value: Value, _ range: SourceRange) {
    self.value = value
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value { value }
}

final class GlobalGet: Node {
  let slot: Int
  let name: String
  /// True when the name is called (`name(...)`): an unknown name is then an "unknown function".
  let isCallee: Bool
  init(_ slot: Int, _ name: String, callee: Bool, _ range: SourceRange) {
    self.slot = slot
    self.name = name
    self.isCallee = callee
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    if let v = e.globals[slot] { return v }
    return try e.interp.unbound(name, range, callee: isCallee)
  }
}

final class LocalGet: Node {
  let slot: Int
  let name: String
  init(_ slot: Int, _ name: String, _ range: SourceRange) {
    self.slot = slot
    self.name = name
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    if let v = e.locals[slot] { return v }
    throw Diagnostic("'\(name)' is read before it is assigned in this function (a name assigned in a function "
                     + "is local to it)", at: range)
  }
}

final class ListNode: Node {
  let items: [Node]
  init(_ items: [Node], _ range: SourceRange) {
    self.items = items
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    var out: [Value] = []
    out.reserveCapacity(items.count)
    var nested = false
    for item in items {
      let v = try item.eval(e)
      if case .list = v { nested = true }
      out.append(v)
    }
    let list = Value.list(out)
    if nested { try list.checkNesting(range) }
    return list
  }
}

final class InterpolationNode: Node {
  /// Literal text (node nil) or an expression (text empty).
  let parts: [(text: String, node: Node?)]
  init(_ parts: [(text: String, node: Node?)], _ range: SourceRange) {
    self.parts = parts
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    var s = ""
    for part in parts {
      if let node = part.node { s += try node.eval(e).printed } else { s += part.text }
    }
    return .string(s)
  }
}

final class MemberNode: Node {
  let base: Node
  let name: String
  let nameRange: SourceRange
  init(_ base: Node, _ name: String, _ nameRange: SourceRange, _ range: SourceRange) {
    self.base = base
    self.name = name
    self.nameRange = nameRange
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    try Members.member(of: try base.eval(e), name, nameRange)
  }
}

final class IndexNode: Node {
  let base: Node
  let index: Node
  init(_ base: Node, _ index: Node, _ range: SourceRange) {
    self.base = base
    self.index = index
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    let b = try base.eval(e)
    return try Members.index(b, try index.eval(e), index.range)
  }
}

/// `base[lower...]`, `base[..<upper]`, `base[...upper]`.
final class SliceNode: Node {
  let base: Node
  let lower: Node?
  let upper: Node?
  let closed: Bool
  let indexRange: SourceRange
  init(_ base: Node, _ lower: Node?, _ upper: Node?, closed: Bool, indexRange: SourceRange, _ range: SourceRange) {
    self.base = base
    self.lower = lower
    self.upper = upper
    self.closed = closed
    self.indexRange = indexRange
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    let b = try base.eval(e)
    let lo = try lower.map { try Call.integer(try $0.eval(e), "a slice bound", $0.range) }
    let hi = try upper.map { try Call.integer(try $0.eval(e), "a slice bound", $0.range) }
    return try Members.slice(b, lower: lo, upper: hi, closed: closed, indexRange)
  }
}

final class RangeNode: Node {
  let lower: Node
  let upper: Node
  let closed: Bool
  init(_ lower: Node, _ upper: Node, closed: Bool, _ range: SourceRange) {
    self.lower = lower
    self.upper = upper
    self.closed = closed
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    let lo = try Call.integer(try lower.eval(e), "a range bound", lower.range)
    var hi = try Call.integer(try upper.eval(e), "a range bound", upper.range)
    if closed {
      guard hi < Int.max else {
        throw Diagnostic("range upper bound \(hi) is too large (at most \(Int.max - 1) in a closed range)",
                         at: upper.range)
      }
      hi += 1
    }
    guard lo <= hi else {
      throw Diagnostic("range lower bound \(lo) is greater than its upper bound", at: range)
    }
    return .range(lo, hi)
  }
}

final class NegateNode: Node {
  let operand: Node
  init(_ operand: Node, _ range: SourceRange) {
    self.operand = operand
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    switch try operand.eval(e) {
    case .int(let n):
      guard n != Int.min else { throw Diagnostic("integer overflow in '-': -(\(n)) is not an integer", at: range) }
      return .int(-n)
    case .float(let x): return .float(-x)
    case let v: throw Diagnostic("cannot negate \(v.aTypeName)", at: range)
    }
  }
}

final class NotNode: Node {
  let operand: Node
  init(_ operand: Node, _ range: SourceRange) {
    self.operand = operand
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    let v = try operand.eval(e)
    guard case .bool(let b) = v else {
      throw Diagnostic("'not' expects true or false, got \(v.aTypeName)", at: range)
    }
    return .bool(!b)
  }
}

class BinaryNode: Node {
  let lhs: Node
  let rhs: Node
  let op: String
  let opRange: SourceRange
  init(_ op: String, _ lhs: Node, _ rhs: Node, _ opRange: SourceRange, _ range: SourceRange) {
    self.op = op
    self.lhs = lhs
    self.rhs = rhs
    self.opRange = opRange
    super.init(range)
  }
}

/// `+ - * /` with integer fast paths; everything else (floats, strings, lists, errors) in `Arithmetic`.
final class AddNode: BinaryNode {
  override func eval(_ e: Env) throws -> Value {
    let a = try lhs.eval(e)
    let b = try rhs.eval(e)
    if case .int(let x) = a, case .int(let y) = b {
      let (r, o) = x.addingReportingOverflow(y)
      if !o { return .int(r) }
    }
    return try Arithmetic.apply("+", a, b, opRange)
  }
}

final class SubtractNode: BinaryNode {
  override func eval(_ e: Env) throws -> Value {
    let a = try lhs.eval(e)
    let b = try rhs.eval(e)
    if case .int(let x) = a, case .int(let y) = b {
      let (r, o) = x.subtractingReportingOverflow(y)
      if !o { return .int(r) }
    }
    return try Arithmetic.apply("-", a, b, opRange)
  }
}

final class MultiplyNode: BinaryNode {
  override func eval(_ e: Env) throws -> Value {
    let a = try lhs.eval(e)
    let b = try rhs.eval(e)
    if case .int(let x) = a, case .int(let y) = b {
      let (r, o) = x.multipliedReportingOverflow(by: y)
      if !o { return .int(r) }
    }
    return try Arithmetic.apply("*", a, b, opRange)
  }
}

final class ArithmeticNode: BinaryNode {
  override func eval(_ e: Env) throws -> Value {
    let a = try lhs.eval(e)
    return try Arithmetic.apply(op, a, try rhs.eval(e), opRange)
  }
}

final class ModuloNode: BinaryNode {
  override func eval(_ e: Env) throws -> Value {
    let a = try lhs.eval(e)
    let b = try rhs.eval(e)
    if case .int(let x) = a, case .int(let y) = b, y > 0, x >= 0 { return .int(x % y) }
    return try Arithmetic.apply("%", a, b, opRange)
  }
}

final class CompareNode: BinaryNode {
  enum Kind { case less, lessEqual, greater, greaterEqual, equal, notEqual }
  let kind: Kind
  override init(_ op: String, _ lhs: Node, _ rhs: Node, _ opRange: SourceRange, _ range: SourceRange) {
    kind = CompareNode.kind(op)
    super.init(op, lhs, rhs, opRange, range)
  }
  static func kind(_ op: String) -> Kind {
    switch op {
    case "<": return .less
    case "<=": return .lessEqual
    case ">": return .greater
    case ">=": return .greaterEqual
    case "==": return .equal
    default: return .notEqual
    }
  }
  /// The comparison's result (integers compared directly; everything else by `Operators.compare`).
  @inline(__always) func holds(_ e: Env) throws -> Bool {
    let a = try lhs.eval(e)
    let b = try rhs.eval(e)
    if case .int(let x) = a, case .int(let y) = b {
      switch kind {
      case .less: return x < y
      case .lessEqual: return x <= y
      case .greater: return x > y
      case .greaterEqual: return x >= y
      case .equal: return x == y
      case .notEqual: return x != y
      }
    }
    return try Operators.compare(op, a, b, opRange)
  }
  override func test(_ e: Env, _ what: StaticString) throws -> Bool { try holds(e) }
  override func eval(_ e: Env) throws -> Value { .bool(try holds(e)) }
}

final class InNode: BinaryNode {
  override func eval(_ e: Env) throws -> Value {
    let a = try lhs.eval(e)
    return .bool(try Operators.contains(try rhs.eval(e), a, rhs.range))
  }
}

/// `and` / `or`: the right side runs only when needed; both sides must be true or false.
final class LogicalNode: BinaryNode {
  let isAnd: Bool
  override init(_ op: String, _ lhs: Node, _ rhs: Node, _ opRange: SourceRange, _ range: SourceRange) {
    isAnd = op == "and"
    super.init(op, lhs, rhs, opRange, range)
  }
  func truth(_ v: Value, _ side: Node) throws -> Bool {
    guard case .bool(let b) = v else {
      throw Diagnostic("'\(op)' expects true or false, got \(v.aTypeName)", at: side.range)
    }
    return b
  }
  override func eval(_ e: Env) throws -> Value {
    let a = try truth(try lhs.eval(e), lhs)
    if isAnd ? !a : a { return .bool(a) }
    return .bool(try truth(try rhs.eval(e), rhs))
  }
}

/// A call `callee(args)`: of a built-in (`.function(name)`) or a user function (`UserFunction`).
final class CallNode: Node {
  let callee: Node
  /// Positional arguments first, then labelled ones (the parser refuses positional after labelled).
  let positional: [Node]
  let positionalRefs: RefList<Node>
  /// The callee when it is a global name (its slot is read in place, without copying the value).
  let calleeSlot: Int?
  let labelled: [(label: String, labelRange: SourceRange, value: Node)]
  init(_ callee: Node, positional: [Node], labelled: [(label: String, labelRange: SourceRange, value: Node)],
       _ range: SourceRange) {
    self.callee = callee
    self.positional = positional
    self.positionalRefs = RefList(ContiguousArray(positional))
    self.calleeSlot = (callee as? GlobalGet)?.slot
    self.labelled = labelled
    super.init(range)
  }
  override func eval(_ e: Env) throws -> Value {
    if let slot = calleeSlot, let f = UserFunction.peek(e.globals + slot) {
      if labelled.isEmpty, let code = f.with({ $0.fastCode.pointee }),
         code._withUnsafeGuaranteedRef({ $0.takesExactly(positionalRefs.count) }) {
        if let v = try callDirect(code, e) { return v }
      }
      return try f.with { f in try e.run { try $0.callUser(f, self, e) } }
    }
    let f = try callee.eval(e)
    if case .object(let o) = f, ObjectIdentifier(type(of: o)) == ObjectIdentifier(UserFunction.self) {
      return try e.run { try $0.callUser(unsafeDowncast(o, to: UserFunction.self), self, e) }
    }
    guard case .function(let name) = f, let builtin = e.interp.builtins[name] else {
      throw Diagnostic("\(f.aTypeName) cannot be called; only functions can", at: callee.range)
    }
    return try e.interp.callBuiltin(builtin, self, e)
  }
}
