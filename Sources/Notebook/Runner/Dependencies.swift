/// Which earlier cells a cell depends on: the cells that last assigned the names it reads, transitively
/// (as straight-line code: a cell that reads and reassigns `x` depends on the earlier assignment too).
///
/// Blocks and functions: a name assigned anywhere in a cell's top-level code (in a loop or an `if` too, a
/// loop variable, a `fn` name) counts as assigned by the cell; a read counts as a use unless the name was
/// assigned before it in straight-line order (an assignment inside a block counts only inside that block).
/// A function's body is not run where it is defined: the globals it reads (names that are not its
/// parameters or locals) count as read by every cell that calls it (directly or through other functions).
///
/// The global seed stream is treated as a variable `#seed`: `seed(n)` assigns it; a built-in that draws a
/// default seed (`train`, `sample`, `random_notes` without `seed:`) reads and assigns it, and so does a call
/// of a function that does. So a cell that draws seeds depends on the last `seed(n)` before it and on every
/// drawing cell in between, and runs with the same seeds as in a full run.
public enum Dependencies {
  static let seedName = "#seed"
  static let seedDrawers: Set<String> = ["train", "sample", "random_notes"]

  /// What a function's body does to globals when called.
  struct FunctionFacts {
    var reads: Set<String> = []
    var calls: Set<String> = []
    var drawsSeed = false
    var resetsSeed = false
  }

  /// Names a cell assigns (and `#seed` if it calls `seed` or draws default seeds).
  public static func assigned(_ statements: [Statement]) -> Set<String> {
    assigned(statements, functions: [:])
  }

  /// Names a cell reads before assigning them itself (built-ins excluded), and `#seed` when it draws
  /// default seeds without calling `seed(n)` itself.
  public static func used(_ statements: [Statement], builtins: Set<String>) -> Set<String> {
    used(statements, builtins: builtins, functions: [:])
  }

  static func assigned(_ statements: [Statement], functions: [String: FunctionFacts]) -> Set<String> {
    var r: Set<String> = []
    func collect(_ ss: [Statement]) {
      for s in ss {
        switch s {
        case .assign(let name, _, _), .setIndex(let name, _, _, _, _): r.insert(name)
        case .forIn(let f): r.insert(f.name)
        case .function(let f): r.insert(f.name)
        default: break
        }
        if case .function = s { continue }
        for b in s.blocks { collect(b.statements) }
      }
    }
    collect(statements)
    let (draws, resets) = seedUse(statements, functions: functions)
    if draws || resets { r.insert(seedName) }
    return r
  }

  static func used(_ statements: [Statement], builtins: Set<String>, functions: [String: FunctionFacts]) -> Set<String> {
    var r: Set<String> = []
    func reads(_ e: Expr, _ assigned: Set<String>) {
      for n in e.names where !assigned.contains(n) && !builtins.contains(n) { r.insert(n) }
    }
    func walk(_ ss: [Statement], _ assigned: inout Set<String>) {
      for s in ss {
        switch s {
        case .assign(let name, _, let value):
          reads(value, assigned)
          assigned.insert(name)
        case .setIndex(let name, _, let indices, _, let value):
          if !assigned.contains(name) && !builtins.contains(name) { r.insert(name) }
          for index in indices { reads(index, assigned) }
          reads(value, assigned)
        case .forIn(let f):
          reads(f.sequence, assigned)
          var inner = assigned
          inner.insert(f.name)
          walk(f.body.statements, &inner)
        case .function(let f):
          for d in f.parameters.compactMap(\.defaultValue) { reads(d, assigned) }
          assigned.insert(f.name)
        default:
          for e in s.expressions { reads(e, assigned) }
          for b in s.blocks {
            var inner = assigned
            walk(b.statements, &inner)
          }
        }
      }
    }
    var assigned: Set<String> = []
    walk(statements, &assigned)
    // Calls of user functions read what their bodies read (transitively).
    var pending = Array(r)
    var seen: Set<String> = []
    while let n = pending.popLast() {
      guard seen.insert(n).inserted, let facts = functions[n] else { continue }
      for g in facts.reads.union(facts.calls) where !builtins.contains(g) {
        r.insert(g)
        pending.append(g)
      }
    }
    let (draws, resets) = seedUse(statements, functions: functions)
    if draws && !resets { r.insert(seedName) }
    return r
  }

  /// Every expression of the cell's top-level code (blocks included, function bodies excluded).
  static func topLevelExpressions(_ statements: [Statement]) -> [Expr] {
    var out: [Expr] = []
    func collect(_ ss: [Statement]) {
      for s in ss {
        out += s.expressions
        if case .function = s { continue }
        for b in s.blocks { collect(b.statements) }
      }
    }
    collect(statements)
    return out
  }

  /// Whether the cell draws default seeds and whether it calls `seed(n)` (itself or in functions it calls).
  static func seedUse(_ statements: [Statement], functions: [String: FunctionFacts]) -> (draws: Bool, resets: Bool) {
    let exprs = topLevelExpressions(statements)
    var draws = exprs.contains(where: drawsSeed)
    var resets = exprs.contains { $0.calledNames.contains("seed") }
    var pending = exprs.flatMap(\.calledNames)
    var seen: Set<String> = []
    while let n = pending.popLast() {
      guard seen.insert(n).inserted, let facts = functions[n] else { continue }
      draws = draws || facts.drawsSeed
      resets = resets || facts.resetsSeed
      pending += facts.calls
    }
    return (draws, resets)
  }

  /// True when `e` calls a seed-drawing built-in without a `seed:` argument.
  static func drawsSeed(_ e: Expr) -> Bool {
    if case .call(let callee, let args) = e.kind, case .name(let n) = callee.kind, seedDrawers.contains(n),
       !args.contains(where: { $0.label == "seed" }) {
      return true
    }
    return e.children.contains(where: drawsSeed)
  }

  /// The globals a function reads, the functions it calls, and its use of the seed stream.
  static func facts(of f: FunctionDecl, builtins: Set<String>) -> FunctionFacts {
    var locals = Set(f.parameters.map(\.name))
    func collectLocals(_ ss: [Statement]) {
      for s in ss {
        if case .assign(let name, _, _) = s { locals.insert(name) }
        if case .forIn(let l) = s { locals.insert(l.name) }
        for b in s.blocks { collectLocals(b.statements) }
      }
    }
    collectLocals(f.body.statements)
    var facts = FunctionFacts()
    var exprs = f.parameters.compactMap(\.defaultValue)
    func collect(_ ss: [Statement]) {
      for s in ss {
        exprs += s.expressions
        if case .setIndex(let name, _, _, _, _) = s, !locals.contains(name) { facts.reads.insert(name) }
        for b in s.blocks { collect(b.statements) }
      }
    }
    collect(f.body.statements)
    for e in exprs {
      for n in e.names where !locals.contains(n) && !builtins.contains(n) { facts.reads.insert(n) }
      for n in e.calledNames where !locals.contains(n) && !builtins.contains(n) { facts.calls.insert(n) }
      if drawsSeed(e) { facts.drawsSeed = true }
      if e.calledNames.contains("seed") { facts.resetsSeed = true }
    }
    return facts
  }

  /// Indices (into `cells`, in document order) of the cells `target` depends on. `parsed[i]` is the
  /// parsed source of code cell `i` (cells that do not parse are absent and assign nothing).
  public static func of(_ target: Int, parsed: [Int: [Statement]], builtins: Set<String>) -> [Int] {
    guard let statements = parsed[target] else { return [] }
    // The functions defined before the target (the last definition of a name wins).
    var functions: [String: FunctionFacts] = [:]
    for i in parsed.keys.filter({ $0 < target }).sorted() {
      for s in parsed[i] ?? [] {
        if case .function(let f) = s { functions[f.name] = facts(of: f, builtins: builtins) }
      }
    }
    var needed = used(statements, builtins: builtins, functions: functions)
    var result: [Int] = []
    for i in parsed.keys.filter({ $0 < target }).sorted(by: >) {
      guard let s = parsed[i] else { continue }
      let a = assigned(s, functions: functions)
      if a.isDisjoint(with: needed) { continue }
      result.append(i)
      needed.subtract(a)
      needed.formUnion(used(s, builtins: builtins, functions: functions))
    }
    return result.reversed()
  }
}
