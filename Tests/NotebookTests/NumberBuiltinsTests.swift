import Foundation
import Testing
@testable import Notebook

/// `round`, `abs`, `str`, `int`, `float`.
@Suite struct NumberBuiltinsTests {
  @Test(arguments: [
    ("round(2.5)", "3"),
    ("round(-2.5)", "-3"),
    ("round(2.4999)", "2"),
    ("round(7)", "7"),
    ("round(3.14159, 2)", "3.14"),
    ("round(2.675, 0)", "3.0"),
    ("round(-1.25, 1)", "-1.3"),
    ("round(1e300, 3)", "1e+300"),
    ("abs(-3)", "3"),
    ("abs(-0.5)", "0.5"),
    ("abs(4)", "4"),
    ("str(0.5)", "\"0.5\""),
    ("str(\"x\")", "\"x\""),
    ("str([1, \"a\"])", "\"[1, \\\"a\\\"]\""),
    ("str(true)", "\"true\""),
    ("int(2.9)", "2"),
    ("int(-2.9)", "-2"),
    ("int(\"42\")", "42"),
    ("int(\" -7 \")", "-7"),
    ("int(\"1e3\")", "1000"),
    ("int(true)", "1"),
    ("float(2)", "2.0"),
    ("float(\"1e-3\")", "0.001"),
    ("float(\"nan\")", "nan"),
    ("float(\"-inf\")", "-inf"),
    ("float(false)", "0.0"),
  ])
  func values(source: String, expected: String) {
    #expect(TestSupport.run(TestSupport.interpreter(), source) == expected)
  }

  @Test(arguments: [
    ("round(\"a\")", "1:7", "round()'s argument must be a number, got a string"),
    ("round(1.5, 16)", "1:12", "digits must be between 0 and 15, got 16"),
    ("round(1e19)", "1:7", "round(): 1e+19 is out of the integer range"),
    ("round(float(\"nan\"))", "1:7", "round(): nan is out of the integer range"),
    ("abs(-9223372036854775807 - 1)", "1:5", "integer overflow in abs(-9223372036854775808)"),
    ("abs(\"x\")", "1:5", "abs() needs a number, got a string"),
    ("int(9.3e18)", "1:5", "int(): 9.3e+18 is out of the integer range"),
    ("int(\"4x\")", "1:5", "int() cannot read \"4x\" as a number"),
    ("int(\"\")", "1:5", "int() cannot read \"\" as a number"),
    ("int([1])", "1:5", "int() needs a number, string or bool, got a list"),
    ("float(\"1,5\")", "1:7", "float() cannot read \"1,5\" as a number"),
    ("float(\"0x10\")", "1:7", "float() cannot read \"0x10\" as a number"),
    ("str()", "1:1", "str() needs a value as argument 1"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) {
    let r = TestSupport.interpreter().run(source)
    #expect(r.error?.range.start.description == at, "\(r.error?.message ?? "no error")")
    #expect(r.error?.message.contains(message) == true, "\(r.error?.message ?? "no error")")
  }

  /// Generated doubles across the whole range: `int` and `round` either give the truncated / rounded
  /// value or a located error, never a trap.
  @Test func conversionsNeverTrap() {
    var rng = NotebookRandom(seed: 99)
    let i = TestSupport.interpreter()
    for _ in 0..<300 {
      let x = Double(bitPattern: rng.next())
      let text = Value.format(x)
      i.session.variables["x"] = .float(x)
      for f in ["int", "round"] {
        let r = i.run("\(f)(x)")
        if x.isFinite && abs(x) < 9e18 {
          let expected = f == "int" ? x.rounded(.towardZero) : x.rounded(.toNearestOrAwayFromZero)
          #expect(r.error == nil && r.output == String(Int(expected)), "\(f)(\(text))")
        } else if !x.isFinite || abs(x) > 9.3e18 {
          #expect(r.error?.message.contains("out of the integer range") == true, "\(f)(\(text))")
        }
      }
    }
  }
}
