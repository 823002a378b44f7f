import Foundation

/// `round`, `abs`, `str`, `int`, `float`: numbers and conversions. Integer results are overflow-checked.
enum NumberBuiltins {
  static var round: Builtin {
    Builtin(
      "round", usage: "round(x) or round(x, digits)",
      summary: "x rounded to an integer, or to a number with digits decimals",
      details: ["halves round away from zero (round(2.5) is 3, round(-2.5) is -3);",
                "digits: 0...15, the result is a number (round(3.14159, 2) is 3.14)"]
    ) { call in
      try call.allowPositional(2)
      let a = try call.argument(0, "a number")
      let x = try Call.number(a.value, "round()'s argument", a.range)
      if case .int(let n) = a.value, call.positional.count == 1 { return .int(n) }
      if let d = call.positional.dropFirst().first {
        let digits = try Call.integer(d.value, "digits", d.range)
        guard (0...15).contains(digits) else { throw Diagnostic("digits must be between 0 and 15, got \(digits)", at: d.range) }
        guard x.isFinite else { return .float(x) }
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let scaled = x * p
        // Beyond 2^52 a double has no fraction left to round.
        guard Swift.abs(scaled) < 4.5e15 else { return .float(x) }
        return .float(scaled.rounded(.toNearestOrAwayFromZero) / p)
      }
      return .int(try integer(x.rounded(.toNearestOrAwayFromZero), "round()", a.range))
    }
  }

  static var abs: Builtin {
    Builtin("abs", usage: "abs(x)", summary: "the absolute value of a number") { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a number")
      switch a.value {
      case .int(let n):
        guard n != Int.min else { throw Diagnostic("integer overflow in abs(\(n))", at: a.range) }
        return .int(Swift.abs(n))
      case .float(let x): return .float(Swift.abs(x))
      default: throw Diagnostic("abs() needs a number, got \(a.value.aTypeName)", at: a.range)
      }
    }
  }

  static var str: Builtin {
    Builtin(
      "str", usage: "str(x)", summary: "a value as text, as print shows it (str(0.5) is \"0.5\")"
    ) { call in
      try call.allowPositional(1)
      return .string(try call.argument(0, "a value").value.printed)
    }
  }

  static var int: Builtin {
    Builtin(
      "int", usage: "int(x)",
      summary: "an integer from a number (toward zero), a string (\"42\") or bool",
      details: ["int(2.9) is 2, int(-2.9) is -2; out-of-range numbers and nan are errors"]
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a number or string")
      switch a.value {
      case .int: return a.value
      case .bool(let b): return .int(b ? 1 : 0)
      case .float(let x): return .int(try integer(x.rounded(.towardZero), "int()", a.range))
      case .string(let s):
        let t = s.trimmingCharacters(in: .whitespaces)
        if let n = Int(t) { return .int(n) }
        if let x = Double(t), x.isFinite, t.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) {
          return .int(try integer(x.rounded(.towardZero), "int()", a.range))
        }
        throw Diagnostic("int() cannot read \(Value.quote(s)) as a number", at: a.range)
      default: throw Diagnostic("int() needs a number, string or bool, got \(a.value.aTypeName)", at: a.range)
      }
    }
  }

  static var float: Builtin {
    Builtin(
      "float", usage: "float(x)", summary: "a number from an integer, a string (\"1e-3\") or a bool"
    ) { call in
      try call.allowPositional(1)
      let a = try call.argument(0, "a number or string")
      switch a.value {
      case .float: return a.value
      case .int(let n): return .float(Double(n))
      case .bool(let b): return .float(b ? 1 : 0)
      case .string(let s):
        let t = s.trimmingCharacters(in: .whitespaces)
        let lower = t.lowercased()
        if ["nan", "inf", "+inf", "-inf", "infinity", "-infinity"].contains(lower), let x = Double(lower) {
          return .float(x)
        }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let x = Double(t) else {
          throw Diagnostic("float() cannot read \(Value.quote(s)) as a number", at: a.range)
        }
        return .float(x)
      default: throw Diagnostic("float() needs a number, string or bool, got \(a.value.aTypeName)", at: a.range)
      }
    }
  }

  /// A whole double as an Int, or a located error when it is nan or out of range.
  static func integer(_ x: Double, _ what: String, _ range: SourceRange) throws -> Int {
    // Int(x) traps outside [-2^63, 2^63); 2^63 itself is not representable.
    guard x.isFinite, x >= -9.223372036854775808e18, x < 9.223372036854775808e18 else {
      throw Diagnostic("\(what): \(Value.format(x)) is out of the integer range", at: range)
    }
    return Int(x)
  }
}
