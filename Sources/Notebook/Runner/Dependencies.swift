/// Which earlier cells a cell depends on: the cells that last assigned the names it reads, transitively
/// (as straight-line code: a cell that reads and reassigns `x` depends on the earlier assignment too).
/// A `seed(n)` call counts as assigning the global seed, which every cell reads.
public enum Dependencies {
  static let seedName = "#seed"

  /// Names a cell assigns (and `#seed` if it calls `seed`).
  public static func assigned(_ statements: [Statement]) -> Set<String> {
    var r: Set<String> = []
    for s in statements {
      if case .assign(let name, _, _) = s { r.insert(name) }
      let e: Expr
      switch s {
      case .assign(_, _, let v): e = v
      case .expression(let v): e = v
      }
      if e.calledNames.contains("seed") { r.insert(seedName) }
    }
    return r
  }

  /// Names a cell reads before assigning them itself (built-ins excluded), plus `#seed`.
  public static func used(_ statements: [Statement], builtins: Set<String>) -> Set<String> {
    var assignedSoFar: Set<String> = []
    var r: Set<String> = [seedName]
    for s in statements {
      switch s {
      case .assign(let name, _, let v):
        for n in v.names where !assignedSoFar.contains(n) && !builtins.contains(n) { r.insert(n) }
        assignedSoFar.insert(name)
      case .expression(let v):
        for n in v.names where !assignedSoFar.contains(n) && !builtins.contains(n) { r.insert(n) }
      }
    }
    return r
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
      needed.formUnion(used(s, builtins: builtins).subtracting([seedName]))
    }
    return result.reversed()
  }
}
