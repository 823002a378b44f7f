/// Turns parsed statements into executable nodes (`Stmt`, `Node`), resolving every name to a slot once:
/// at top level a name is a global (a slot of the session's `Globals`); inside a function, its parameters
/// and every name it assigns (`x = ...`, `for x in ...`) are locals (slots of the call's frame), other
/// names are globals. Blocks do not make scopes (a name assigned in a loop is visible after it).
///
/// Recursion follows the tree, whose height the parser bounds (`Parser.maxDepth`).
struct Resolver {
  let interp: Interpreter
  /// The running function's locals (nil at top level).
  var locals: [String: Int]? = nil
  var returnSlot = 0

  init(_ interp: Interpreter) { self.interp = interp }

  func globalSlot(_ name: String, _ range: SourceRange) throws -> Int {
    guard let s = interp.session.globals.slot(name) else {
      throw Diagnostic("too many variable names (a session holds at most \(Globals.capacity))", at: range)
    }
    return s
  }

  func slot(_ name: String, _ range: SourceRange) throws -> Slot {
    if let k = locals?[name] { return Slot(index: k, isGlobal: false, name: name) }
    return Slot(index: try globalSlot(name, range), isGlobal: true, name: name)
  }

  mutating func block(_ statements: [Statement]) throws -> ContiguousArray<Stmt> {
    var out = ContiguousArray<Stmt>()
    out.reserveCapacity(statements.count)
    for s in statements { out.append(try statement(s)) }
    return out
  }

  mutating func statement(_ s: Statement) throws -> Stmt {
    switch s {
    case .assign(let name, let nameRange, let value):
      if locals == nil && interp.builtins[name] != nil {
        return FailStmt(Diagnostic("cannot assign to '\(name)': it is a built-in function", at: nameRange))
      }
      let target = try slot(name, nameRange)
      // `x = x + rhs` appends in place.
      if case .binary("+", let lhs, let rhs, let opRange) = value.kind, case .name(let n) = lhs.kind, n == name {
        return AppendStmt(target, read: try expr(lhs), rhs: try expr(rhs), opRange: opRange, s.range)
      }
      return AssignStmt(target, try expr(value), s.range)
    case .expression(let e):
      return ExpressionStmt(try expr(e))
    case .setIndex(let name, let nameRange, let indices, let update, let value):
      let read = try expr(Expr(.name(name), nameRange))
      return SetIndexStmt(try slot(name, nameRange), read: read, indices: try indices.map { try expr($0) },
                          update: update, value: try expr(value), s.range)
    case .ifElse(let i):
      var branches: [(condition: Node, body: Body)] = []
      for b in i.branches { branches.append((try expr(b.condition), Body(try self.block(b.body.statements)))) }
      return IfStmt(branches, else: try i.elseBody.map { Body(try self.block($0.statements)) }, i.range)
    case .forIn(let f):
      let target = try slot(f.name, f.nameRange)
      return ForStmt(target, try expr(f.sequence), Body(try self.block(f.body.statements)), f.range)
    case .whileLoop(let w):
      return WhileStmt(try expr(w.condition), Body(try self.block(w.body.statements)), w.range)
    case .jump(let isBreak, let range):
      return JumpStmt(isBreak ? .breakLoop : .continueLoop, range)
    case .returnValue(let e, let range):
      return ReturnStmt(try e.map { try expr($0) }, returnSlot: returnSlot, range)
    case .function(let decl):
      if interp.builtins[decl.name] != nil {
        return FailStmt(Diagnostic("cannot define '\(decl.name)': it is a built-in function", at: decl.nameRange))
      }
      let code = try function(decl)
      return FunctionStmt(try globalSlot(decl.name, decl.nameRange), decl, code)
    }
  }

  /// Compiles a function: parameters take local slots 0..<n in order, then the names its body assigns.
  func function(_ decl: FunctionDecl) throws -> CompiledFunction {
    var scope: [String: Int] = [:]
    for p in decl.parameters { scope[p.name] = scope.count }
    func collect(_ statements: [Statement]) {
      for s in statements {
        switch s {
        case .assign(let name, _, _): if scope[name] == nil { scope[name] = scope.count }
        case .forIn(let f): if scope[f.name] == nil { scope[f.name] = scope.count }
        default: break
        }
        for b in s.blocks { collect(b.statements) }
      }
    }
    collect(decl.body.statements)
    var inner = Resolver(interp)
    inner.locals = scope
    inner.returnSlot = scope.count
    let positional = decl.parameters.prefix { $0.defaultValue == nil }.count
    let defaults = try decl.parameters.compactMap(\.defaultValue).map { try inner.expr($0) }
    let body = Body(try inner.block(decl.body.statements))
    return CompiledFunction(decl: decl, positionalCount: positional, defaults: defaults, body: body,
                            frameSize: scope.count + 1, globalsID: interp.session.globals.id)
  }

  func expr(_ e: Expr, callee: Bool = false) throws -> Node {
    switch e.kind {
    case .integer(let n): return ConstantNode(.int(n), e.range)
    case .float(let x): return ConstantNode(.float(x), e.range)
    case .string(let s): return ConstantNode(.string(s), e.range)
    case .bool(let b): return ConstantNode(.bool(b), e.range)
    case .name(let n):
      if let k = locals?[n] { return LocalGet(k, n, e.range) }
      return GlobalGet(try globalSlot(n, e.range), n, callee: callee, e.range)
    case .list(let items): return ListNode(try items.map { try expr($0) }, e.range)
    case .interpolation(let parts):
      return InterpolationNode(try parts.map { part -> (text: String, node: Node?) in
        switch part {
        case .text(let s): return (s, nil)
        case .expr(let x): return ("", try expr(x))
        }
      }, e.range)
    case .call(let callee, let arguments):
      var positional: [Node] = []
      var labelled: [(label: String, labelRange: SourceRange, value: Node)] = []
      for a in arguments {
        if let label = a.label {
          labelled.append((label, a.labelRange ?? a.value.range, try expr(a.value)))
        } else {
          positional.append(try expr(a.value))
        }
      }
      return CallNode(try expr(callee, callee: true), positional: positional, labelled: labelled, e.range)
    case .member(let base, let name, let nameRange):
      return MemberNode(try expr(base), name, nameRange, e.range)
    case .index(let base, let index):
      if case .partialRange(let lo, let hi, let closed) = index.kind {
        return SliceNode(try expr(base), try lo.map { try expr($0) }, try hi.map { try expr($0) }, closed: closed,
                         indexRange: index.range, e.range)
      }
      return IndexNode(try expr(base), try expr(index), e.range)
    case .unary(let op, let operand):
      return op == "not" ? NotNode(try expr(operand), e.range) : NegateNode(try expr(operand), e.range)
    case .binary(let op, let lhs, let rhs, let opRange):
      let l = try expr(lhs), r = try expr(rhs)
      if case .integer(let c) = rhs.kind {
        switch op {
        case "+": return AddConstantNode(op, l, constant: c, r, opRange, e.range)
        case "-": return SubtractConstantNode(op, l, constant: c, r, opRange, e.range)
        case "==", "!=", "<", "<=", ">", ">=": return CompareConstantNode(op, l, constant: c, r, opRange, e.range)
        default: break
        }
      }
      switch op {
      case "+": return AddNode(op, l, r, opRange, e.range)
      case "-": return SubtractNode(op, l, r, opRange, e.range)
      case "*": return MultiplyNode(op, l, r, opRange, e.range)
      case "%": return ModuloNode(op, l, r, opRange, e.range)
      case "and", "or": return LogicalNode(op, l, r, opRange, e.range)
      case "in": return InNode(op, l, r, opRange, e.range)
      case "==", "!=", "<", "<=", ">", ">=": return CompareNode(op, l, r, opRange, e.range)
      default: return ArithmeticNode(op, l, r, opRange, e.range)
      }
    case .range(let lo, let hi, let closed):
      return RangeNode(try expr(lo), try expr(hi), closed: closed, e.range)
    case .partialRange:
      throw Diagnostic("a range without a bound is only allowed as an index (as in `xs[2...]`)", at: e.range)
    }
  }
}
