/// Comparisons (`== != < <= > >=`) and membership (`in`).
///
/// `==` and `!=` take any two values: numbers compare by value (`1 == 1.0`), strings, booleans, lists and
/// ranges by contents, objects by identity, values of different types are different. Ordering takes two
/// numbers or two strings.
enum Operators {
  static func equal(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.nothing, .nothing): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.int, .float), (.float, .int), (.float, .float): return Arithmetic.number(a) == Arithmetic.number(b)
    case (.string(let x), .string(let y)): return x == y
    case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
    case (.range(let a1, let b1), .range(let a2, let b2)): return a1 == a2 && b1 == b2
    case (.function(let x), .function(let y)): return x == y
    case (.object(let x), .object(let y)): return x === y
    default: return false
    }
  }

  static func compare(_ op: String, _ a: Value, _ b: Value, _ range: SourceRange) throws -> Bool {
    switch op {
    case "==": return equal(a, b)
    case "!=": return !equal(a, b)
    default: break
    }
    let order: Int
    switch (a, b) {
    case (.int(let x), .int(let y)): order = x < y ? -1 : (x == y ? 0 : 1)
    case (.int, .float), (.float, .int), (.float, .float):
      let x = Arithmetic.number(a), y = Arithmetic.number(b)
      if x.isNaN || y.isNaN { return false }
      order = x < y ? -1 : (x == y ? 0 : 1)
    case (.string(let x), .string(let y)): order = x < y ? -1 : (x == y ? 0 : 1)
    default:
      throw Diagnostic("cannot compare \(a.aTypeName) and \(b.aTypeName) with '\(op)' (ordering takes two numbers "
                       + "or two strings)", at: range)
    }
    switch op {
    case "<": return order < 0
    case "<=": return order <= 0
    case ">": return order > 0
    default: return order >= 0
    }
  }

  /// `item in container`: an element of a list, an integer in a range, a substring of a string.
  static func contains(_ container: Value, _ item: Value, _ range: SourceRange) throws -> Bool {
    switch container {
    case .list(let items): return items.contains { equal($0, item) }
    case .range(let lo, let hi):
      switch item {
      case .int(let n): return lo <= n && n < hi
      case .float(let x): return x.rounded() == x && Double(lo) <= x && x < Double(hi)
      default: return false
      }
    case .string(let s):
      guard case .string(let t) = item else {
        throw Diagnostic("'in' on a string looks for a string, got \(item.aTypeName)", at: range)
      }
      return t.isEmpty || s.contains(t)
    default:
      throw Diagnostic("'in' needs a list, a range or a string on its right, got \(container.aTypeName)", at: range)
    }
  }
}
