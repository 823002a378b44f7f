/// `+ - * / %` on numbers (integers stay integers except for `/`; every integer operation is checked for
/// overflow), `+` on strings and lists. `%` is floored, as in Python and Lua: the result has the sign of the
/// divisor (`-1 % 12` is 11).
enum Arithmetic {
  static func apply(_ op: String, _ a: Value, _ b: Value, _ range: SourceRange) throws -> Value {
    switch (a, b) {
    case (.int(let x), .int(let y)):
      let r: (Int, Bool)
      switch op {
      case "+": r = x.addingReportingOverflow(y)
      case "-": r = x.subtractingReportingOverflow(y)
      case "*": r = x.multipliedReportingOverflow(by: y)
      case "%":
        guard y != 0 else { throw Diagnostic("division by zero in '%'", at: range) }
        if y == -1 { return .int(0) }  // Int.min % -1 overflows in Swift; the remainder is 0
        let m = x % y
        return .int(m != 0 && (m < 0) != (y < 0) ? m + y : m)
      default:
        guard y != 0 else { throw Diagnostic("division by zero", at: range) }
        return .float(Double(x) / Double(y))
      }
      guard !r.1 else { throw Diagnostic("integer overflow in '\(op)'", at: range) }
      return .int(r.0)
    case (.int, .float), (.float, .int), (.float, .float):
      let x = number(a), y = number(b)
      switch op {
      case "+": return .float(x + y)
      case "-": return .float(x - y)
      case "*": return .float(x * y)
      case "%":
        guard y != 0 else { throw Diagnostic("division by zero in '%'", at: range) }
        let m = x.truncatingRemainder(dividingBy: y)
        return .float(m != 0 && (m < 0) != (y < 0) ? m + y : m)
      default:
        guard y != 0 else { throw Diagnostic("division by zero", at: range) }
        return .float(x / y)
      }
    case (.string(let x), .string(let y)) where op == "+":
      return .string(x + y)
    case (.list(let x), .list(let y)) where op == "+":
      return .list(x + y)
    case (.object(let x as MelodyObject), .object(let y as MelodyObject)) where op == "+":
      return MelodyBuiltins.join(x, y)
    default:
      var message = "cannot apply '\(op)' to \(a.aTypeName) and \(b.aTypeName)"
      if op == "+", case .string = a { message += " (write \"...\\(x)...\" to put a value in a string)" }
      throw Diagnostic(message, at: range)
    }
  }

  static func number(_ v: Value) -> Double {
    switch v {
    case .int(let n): return Double(n)
    case .float(let x): return x
    default: return .nan
    }
  }
}
