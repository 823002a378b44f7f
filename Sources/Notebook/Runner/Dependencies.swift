/// Which earlier cells a cell depends on: the cells that last assigned the names it reads, transitively
/// (as straight-line code: a cell that reads and reassigns `x` depends on the earlier assignment too).
///
/// The global seed stream is treated as a variable `#seed`: `seed(n)` assigns it; a built-in that draws a
/// default seed (`train`, `sample`, `random_notes` without `seed:`) reads and assigns it. So a cell that
/// draws seeds depends on the last `seed(n)` before it and on every drawing cell in between, and runs
/// with the same seeds as in a full run.
public enum Dependencies {
  static let seedName = "#seed"
  static let seedDrawers: Set<String> = ["train", "sample", "random_notes"]

  /// Names a cell assigns (and `#seed` if it calls `seed` or draws default seeds).
  public static func assigned(_ statements: [Statement]) -> Set<String> {
    var r: Set<String> = []
    for s in statements {
      if case .assign(let name, _, _) = s { r.insert(name) }
    }
    if resetsSeed(statements) || drawsSeed(statements) { r.insert(seedName) }
    return r
  }

  /// Names a cell reads before assigning them itself (built-ins excluded), and `#seed` when it draws
  /// default seeds without calling `seed(n)` itself.
  public static func used(_ statements: [Statement], builtins: Set<String>) -> Set<String> {
    var assignedSoFar: Set<String> = []
    var r: Set<String> = []
    for s in statements {
      let (name, value): (String?, Expr) = {
        switch s {
        case .assign(let n, _, let v): return (n, v)
        case .expression(let v): return (nil, v)
        }
      }()
      for n in value.names where !assignedSoFar.contains(n) && !builtins.contains(n) { r.insert(n) }
      if let name { assignedSoFar.insert(name) }
    }
    if drawsSeed(statements) && !resetsSeed(statements) { r.insert(seedName) }
    return r
  }

  static func expressions(_ statements: [Statement]) -> [Expr] {
    statements.map {
      switch $0 {
      case .assign(_, _, let v): return v
      case .expression(let v): return v
      }
    }
  }

  static func resetsSeed(_ statements: [Statement]) -> Bool {
    expressions(statements).contains { $0.calledNames.contains("seed") }
  }

  static func drawsSeed(_ statements: [Statement]) -> Bool {
    expressions(statements).contains(where: drawsSeed)
  }

  /// True when `e` calls a seed-drawing built-in without a `seed:` argument.
  static func drawsSeed(_ e: Expr) -> Bool {
    switch e.kind {
    case .integer, .float, .string, .bool, .name: return false
    case .list(let items): return items.contains(where: drawsSeed)
    case .call(let callee, let args):
      if case .name(let n) = callee.kind, seedDrawers.contains(n), !args.contains(where: { $0.label == "seed" }) {
        return true
      }
      return drawsSeed(callee) || args.contains { drawsSeed($0.value) }
    case .member(let base, _, _): return drawsSeed(base)
    case .index(let base, let index): return drawsSeed(base) || drawsSeed(index)
    case .unary(_, let operand): return drawsSeed(operand)
    case .binary(_, let lhs, let rhs, _): return drawsSeed(lhs) || drawsSeed(rhs)
    case .range(let lo, let hi, _): return drawsSeed(lo) || drawsSeed(hi)
    }
  }

  /// Indices (into `cells`, in document order) of the cells `target` depends on. `parsed[i]` is the
  /// parsed source of code cell `i` (cells that do not parse are absent and assign nothing).
  public static func of(_ target: Int, parsed: [Int: [Statement]], builtins: Set<String>) -> [Int] {
    guard let statements = parsed[target] else { return [] }
    var needed = used(statements, builtins: builtins)
    var result: [Int] = []
    for i in parsed.keys.filter({ $0 < target }).sorted(by: >) {
      guard let s = parsed[i] else { continue }
      let a = assigned(s)
      if a.isDisjoint(with: needed) { continue }
      result.append(i)
      needed.subtract(a)
      needed.formUnion(used(s, builtins: builtins))
    }
    return result.reversed()
  }
}
