/// `x + 1`, `n - 2`, `n < 2`: binary operators whose right side is an integer literal (made by `Resolver`
/// instead of `AddNode`, `SubtractNode`, `CompareNode`). The constant is kept unboxed and, when the left side
/// is a local variable, its slot is read in place: one node evaluation instead of three on the paths that
/// recursive functions and counting loops take. Anything but an integer left side (or an overflow) goes to
/// the same general code as the plain nodes, so results and messages are identical.

/// The integer right side and, when the left side is a local variable, its slot (-1 otherwise).
class ConstantOperandNode: BinaryNode {
  let constant: Int
  let localSlot: Int
  init(_ op: String, _ lhs: Node, constant: Int, _ rhs: Node, _ opRange: SourceRange, _ range: SourceRange) {
    self.constant = constant
    self.localSlot = (lhs as? LocalGet)?.slot ?? -1
    super.init(op, lhs, rhs, opRange, range)
  }

  /// The left side when it is an integer local variable, read without copying the value.
  @inline(__always) func localInt(_ e: Env) -> Int? {
    guard localSlot >= 0, case .some(.int(let x)) = (e.locals + localSlot).pointee else { return nil }
    return x
  }
}

final class AddConstantNode: ConstantOperandNode {
  override func eval(_ e: Env) throws -> Value {
    if let x = localInt(e) {
      let (r, o) = x.addingReportingOverflow(constant)
      if !o { return .int(r) }
    }
    let a = try lhs.eval(e)
    if case .int(let x) = a {
      let (r, o) = x.addingReportingOverflow(constant)
      if !o { return .int(r) }
    }
    return try Arithmetic.apply("+", a, .int(constant), opRange)
  }
}

final class SubtractConstantNode: ConstantOperandNode {
  override func eval(_ e: Env) throws -> Value {
    if let x = localInt(e) {
      let (r, o) = x.subtractingReportingOverflow(constant)
      if !o { return .int(r) }
    }
    let a = try lhs.eval(e)
    if case .int(let x) = a {
      let (r, o) = x.subtractingReportingOverflow(constant)
      if !o { return .int(r) }
    }
    return try Arithmetic.apply("-", a, .int(constant), opRange)
  }
}

final class CompareConstantNode: ConstantOperandNode {
  let kind: CompareNode.Kind
  override init(_ op: String, _ lhs: Node, constant: Int, _ rhs: Node, _ opRange: SourceRange,
                _ range: SourceRange) {
    kind = CompareNode.kind(op)
    super.init(op, lhs, constant: constant, rhs, opRange, range)
  }

  @inline(__always) func holds(_ x: Int) -> Bool {
    switch kind {
    case .less: return x < constant
    case .lessEqual: return x <= constant
    case .greater: return x > constant
    case .greaterEqual: return x >= constant
    case .equal: return x == constant
    case .notEqual: return x != constant
    }
  }
  @inline(__always) func compare(_ x: Int) -> Value { .bool(holds(x)) }

  override func test(_ e: Env, _ what: StaticString) throws -> Bool {
    if let x = localInt(e) { return holds(x) }
    let a = try lhs.eval(e)
    if case .int(let x) = a { return holds(x) }
    return try Operators.compare(op, a, .int(constant), opRange)
  }

  override func eval(_ e: Env) throws -> Value {
    if let x = localInt(e) { return compare(x) }
    let a = try lhs.eval(e)
    if case .int(let x) = a { return compare(x) }
    return .bool(try Operators.compare(op, a, .int(constant), opRange))
  }
}
