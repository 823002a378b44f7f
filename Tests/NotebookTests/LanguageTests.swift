import Testing
@testable import Notebook

/// The language's constructs end to end (parse, resolve, run): blocks, functions, operators, strings,
/// lists and slices, overflow, and their located errors.
@Suite struct LanguageTests {
  func run(_ source: String) -> String { TestSupport.run(TestSupport.interpreter(), source) }

  @Test func loopsAndConditionals() {
    #expect(run("s = 0; for i in 0..<10 { s = s + i % 7 }; s") == "24")
    #expect(run("for i in 0..<10 {\n  if i % 2 == 0 { continue }\n  if i > 5 { break }\n  i\n}") == "1\n3\n5")
    #expect(run("n = 0\nwhile n < 3 { n += 1 }\nn") == "3")
    #expect(run("x = 5\nif x < 0 { \"neg\" } else if x == 0 { \"zero\" } else { \"pos\" }") == "\"pos\"")
    #expect(run("if false { 1 }\nelse { 2 }") == "2")
    #expect(run("for c in \"ab\" { print(c) }") == "a\nb")
    #expect(run("for x in [[1, 2], [3]] { x.count }") == "2\n1")
    #expect(run("for i in 1...3 { }; i") == "3")
  }

  @Test func functions() {
    #expect(run("fn add(a, b) { return a + b }\nadd(2, 3)") == "5")
    #expect(run("fn f(x, by: 2, plus: 0) { return x * by + plus }\nf(3); f(3, plus: 1); f(3, by: 10, plus: 1)")
      == "6\n7\n31")
    #expect(run("fn fib(n) { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }\nfib(20)") == "6765")
    #expect(run("fn f(a, top_p: 0.6) { }\nf") == "fn f(a, top_p: 0.6)")
    #expect(run("fn show3() { for i in 0..<3 { i } }\nshow3()") == "0\n1\n2")
    #expect(run("fn none() { return }\nnone()") == "")
    // Locals do not leak; globals are read.
    #expect(run("g = 10\nfn f(x) { y = x + g; return y }\nf(1)\ny").hasPrefix("11\nerror 4:1: unknown name 'y'"))
    #expect(run("// Doubles x.\n// Twice.\nfn dbl(x) { return 2 * x }\nhelp(dbl)") == "fn dbl(x)\n  Doubles x.\n  Twice.")
    #expect(run("help(\"for\")").hasPrefix("for x in LIST_OR_RANGE"))
  }

  /// `x + 1`, `n - 2`, `n < 2` (an integer literal on the right, one node at run time): the same results and
  /// errors as with any other operands.
  @Test func integerLiteralOnTheRight() {
    #expect(run("fn f(x) { return [x + 1, x - 2, x < 2, x >= 2, x == 2, x != 2] }\nf(2); f(0.5); f(-9)")
      == "[3, 0, false, true, true, false]\n[1.5, -1.5, true, false, false, true]\n[-8, -11, true, false, false, true]")
    #expect(run("g = 2.5; g + 1; g - 1; g < 3") == "3.5\n1.5\ntrue")
    #expect(run("fn f(s) { return s + 1 }\nf(\"a\")").contains("cannot apply '+' to a string and an integer"))
    #expect(run("fn f(n) { return n - 1 }\nf(-9223372036854775807 - 1)").contains("integer overflow in '-'"))
    #expect(run("fn f(n) { return n + 1 }\nf(9223372036854775807)").contains("integer overflow in '+'"))
    #expect(run("fn f() { y = y - 1 }\nf()").contains("'y' is read before it is assigned"))
    #expect(run("fn f(x) { return x < 1 }\nf(\"a\")").contains("cannot compare a string and an integer with '<'"))
  }

  @Test func operatorsAndPrecedence() {
    #expect(run("1 + 2 * 3 % 4; -7 % 3; 7 % -3; 7.5 % 2; -(2 + 3)") == "3\n2\n-2\n1.5\n-5")
    #expect(run("1 < 2 and 2 < 3; 1 > 2 or 3 > 2; not true; not (1 == 2)") == "true\ntrue\nfalse\ntrue")
    // Short-circuit: the right side is not run.
    #expect(run("false and nope; true or nope") == "false\ntrue")
    #expect(run("1 == 1.0; \"a\" == \"a\"; [1, [2]] == [1, [2]]; 1 == \"1\"; \"a\" < \"b\"; 2.5 >= 2") ==
      "true\ntrue\ntrue\nfalse\ntrue\ntrue")
    #expect(run("2 in [1, 2]; 5 in 0..<5; \"el\" in \"hello\"; 1 + 1 in [2]") == "true\nfalse\ntrue\ntrue")
    #expect(run("x = 3; x += 2; x -= 1; x *= 3; x %= 5; x") == "2")
  }

  @Test func stringsAndCollections() {
    #expect(run("t = 0.5; n = \"x\"\n\"t = \\(t), \\(n), \\(t * 2) \\([1, \"s\"])\"") == "\"t = 0.5, x, 1.0 [1, \\\"s\\\"]\"")
    #expect(run("\"a\\(\"b\\(1 + 1)\")c\"") == "\"ab2c\"")
    #expect(run("xs = [1, 2, 3, 4, 5]\nxs[-1]; xs[1..<3]; xs[3...]; xs[..<2]; xs[...1]; xs[-2...]; xs[..<-1]")
      == "5\n[2, 3]\n[4, 5]\n[1, 2]\n[1, 2]\n[4, 5]\n[1, 2, 3, 4]")
    #expect(run("s = \"hello\"; s[0]; s[-1]; s[1..<3]; s.count") == "\"h\"\n\"o\"\n\"el\"\n5")
    #expect(run("xs = [1, 2]; xs[-1] = 9; xs; xs + [3]; (0..<5)[-1]; (0..<5)[1...]") == "[1, 9]\n[1, 9, 3]\n4\n1..<5")
    #expect(run("xs = []; for i in 0..<1000 { xs = xs + [i] }; xs.count; ys = xs; xs = xs + [0]; ys.count")
      == "1000\n1000")
    #expect(run("s = \"\"; for i in 0..<3 { s = s + \"\\(i)\" }; s") == "\"012\"")
  }

  @Test(arguments: [
    ("for i in 0..<3 {\n  print(i)", "1:16", "unterminated block: this '{' has no matching '}'"),
    ("for i 0..<3 { }", "1:7", "expected 'in' after `for i`"),
    ("fibb(1)", "1:1", "unknown function 'fibb'"),
    ("fn fib(n) { return n }\nfob(1)", "2:1", "unknown function 'fob' (did you mean 'fib'?)"),
    ("prnt(1)", "1:1", "unknown function 'prnt' (did you mean 'print'?)"),
    ("fn f(a, by: 1) { }\nf(1, byy: 2)", "2:6", "f() has no argument 'byy' (did you mean 'by'?)"),
    ("fn f(a, by: 1) { }\nf()", "2:1", "f() needs 'a' as argument 1"),
    ("fn f(a) { }\nf(1, 2)", "2:6", "f() takes 1 positional argument, got 2"),
    ("fn f(n) { return f(n + 1) }\nf(0)", "1:18", "recursion too deep"),
    ("x = -9223372036854775807 - 1\n-x", "2:1", "integer overflow in '-'"),
    ("0...9223372036854775807", "1:5", "range upper bound 9223372036854775807 is too large"),
    ("(-9223372036854775807 - 1..<9223372036854775807).count", "1:50", "has more than"),
    ("9223372036854775807 * 2", "1:21", "integer overflow in '*'"),
    ("5 % 0", "1:3", "division by zero"),
    ("if 1 { }", "1:4", "the condition of 'if' must be true or false, got an integer"),
    ("while \"a\" { }", "1:7", "the condition of 'while' must be true or false"),
    ("true and 1", "1:10", "'and' expects true or false, got an integer"),
    ("not 1", "1:1", "'not' expects true or false"),
    ("1 < \"a\"", "1:3", "cannot compare an integer and a string with '<'"),
    ("1 < 2 < 3", "1:7", "comparisons do not chain"),
    ("break", "1:1", "'break' outside a loop"),
    ("fn f() { break }", "1:10", "'break' outside a loop"),
    ("return 1", "1:1", "'return' outside a function"),
    ("[1, 2][-3]", "1:8", "index -3 is out of bounds 0..<2"),
    ("[1, 2][1...5]", "1:8", "range 1..<6 is out of bounds 0..<2"),
    ("if true { fn f() { } }", "1:11", "functions are defined at the top level"),
    ("fn g() { y = y + 1 }\ng()", "1:14", "'y' is read before it is assigned in this function"),
    ("for k in 5 { }", "1:10", "cannot loop over an integer"),
    ("fn print(x) { }", "1:4", "cannot define 'print'"),
    ("\"a\" + 1", "1:5", "cannot apply '+' to a string and an integer"),
    ("\"a \\(1 + ) b\"", "1:9", "expected an expression"),
    ("\"a \\(1\"", "1:7", "unterminated string"),
    ("x = 1 }", "1:7", "expected end of line or ';'"),
    ("else { }", "1:1", "'else' without 'if'"),
    ("fn f(a: 1, b) { }", "1:12", "parameter 'b' needs a default"),
    ("fn f(a, a) { }", "1:9", "parameter 'a' given twice"),
    ("xs = [1]; xs[0..<1] += 1", "1:14", "an index must be an integer, got a range"),
    ("xs = [1]; xs[0...] += 1", "1:20", "only a name or name[index] can be updated with '+='"),
    ("xs = [1]; len(xs) -= 1", "1:19", "only a name or name[index] can be updated with '-='"),
    ("xs = [[1]]; xs[0][1] += 1", "1:19", "index 1 is out of bounds for 1 element"),
    ("xs = [1]; xs[0][0] = 1", "1:11", "cannot assign to an element of an integer"),
    ("s = \"ab\"; s[0] = \"c\"", "1:11", "cannot assign to an element of a string"),
    ("x = 5; x[..<2]", "1:10", "an integer cannot be indexed"),
    ("1...", "1:5", "expected an expression"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) {
    let r = TestSupport.interpreter().run(source)
    #expect(r.error?.range.start.description == at, "\(source): \(r.error?.message ?? "no error")")
    #expect(r.error?.message.contains(message) == true, "\(source): \(r.error?.message ?? "no error")")
  }

  @Test func unterminatedBlocksAreIncomplete() {
    for source in ["for i in 0..<3 {", "if true {\n  1", "fn f(x) {\n  return x", "while true { if false {"] {
      do {
        _ = try Parser.parse(source)
        Issue.record("\(source) parsed")
      } catch let d as Diagnostic {
        #expect(d.isIncomplete, "\(source): \(d.message)")
      } catch {
        Issue.record("\(error)")
      }
    }
  }

  @Test func integerEdgesNeverTrap() {
    let edges = ["9223372036854775807", "(-9223372036854775807 - 1)", "0", "1", "(-1)", "2", "(-2)"]
    for a in edges {
      for b in edges {
        for op in ["+", "-", "*", "/", "%", "<", "==", "..<", "..."] {
          let r = TestSupport.interpreter().run("x = \(a) \(op) \(b)\nx.count\n-x")
          if let e = r.error { #expect(e.range.start.line >= 1) }
        }
      }
      for form in ["-\(a)", "[1, 2, 3][\(a)]", "[1, 2, 3][\(a)...]", "[1, 2, 3][..<\(a)]", "(0..<5)[\(a)]",
                   "\"abc\"[\(a)]", "(\(a)..<9223372036854775807).count", "for i in \(a)..<\(a) { }"] {
        let r = TestSupport.interpreter().run(form)
        if let e = r.error { #expect(e.range.start.line >= 1) }
      }
    }
  }

  @Test func interruptionStopsALoopAndAFunction() {
    var polls = 0
    let interp = Interpreter(
      environment: ExecutionEnvironment(baseDirectory: "", isCancelled: { polls += 1; return polls > 5 }),
      builtins: StandardLibrary().builtins)
    let r = interp.run("n = 0\nfor i in 0..<1000000 { n = n + 1 }")
    #expect(r.error?.message == "interrupted")
    #expect(r.error?.range.start.line == 2)
    polls = -1_000_000
    #expect(TestSupport.run(interp, "n") == "3")
    polls = 0
    let f = interp.run("fn f(k) { return f(k + 1) }\nf(0)")
    #expect(f.error?.message == "interrupted")
  }

  @Test func shownValuesInsideLoopsAreRecorded() {
    let r = TestSupport.interpreter().run("for i in 0..<3 { i }\nfn f() { \"s\" }\nf()")
    #expect(r.output == "0\n1\n2\n\"s\"")
    #expect(r.shown.count == 4)
  }

  @Test func functionsSurviveASessionRoundTrip() throws {
    let interp = TestSupport.interpreter()
    _ = interp.run("// Adds.\nfn add(a, b: 1) {\n  return a + b\n}")
    guard case .object(let o as UserFunction)? = interp.session.variables["add"] else {
      Issue.record("no function")
      return
    }
    let fields = try o.persist(into: "", stem: "add")
    let restored = try UserFunction.restore(fields, "")
    let other = TestSupport.interpreter()
    other.session.variables["add"] = .object(restored)
    #expect(TestSupport.run(other, "add(1); add(1, b: 5); add") == "2\n6\nfn add(a, b: 1)")
  }

  @Test func dependenciesUnderstandBlocksAndFunctions() throws {
    func parse(_ s: String) throws -> [Statement] { try Parser.parse(s) }
    let builtins = Set(StandardLibrary().names)
    let cells: [Int: [Statement]] = [
      0: try parse("fn scaled(x) { return x * factor }"),
      1: try parse("factor = 3"),
      2: try parse("for i in 0..<3 { last = i }"),
      3: try parse("scaled(2)"),
      4: try parse("print(last)"),
      5: try parse("fn uses() { return scaled(1) }"),
      6: try parse("uses()"),
      7: try parse("seed(1)"),
      8: try parse("fn gen(m) { return sample(m) }"),
      9: try parse("gen(1)"),
      10: try parse("for k in 0..<2 { if k > 0 { z = k } }\nprint(z)"),
    ]
    #expect(Dependencies.of(3, parsed: cells, builtins: builtins) == [0, 1])
    #expect(Dependencies.of(4, parsed: cells, builtins: builtins) == [2])
    #expect(Dependencies.of(6, parsed: cells, builtins: builtins) == [0, 1, 5])
    #expect(Dependencies.of(9, parsed: cells, builtins: builtins) == [7, 8])
    #expect(Dependencies.assigned(cells[2] ?? []) == ["i", "last"])
    #expect(Dependencies.used(cells[10] ?? [], builtins: builtins) == ["z"])
  }
}

/// The REPL with blocks and functions: continuation lines through a pipe, completion of user functions.
@Suite struct ReplLanguageTests {
  @Test func blocksContinueThroughAPipe() {
    let e = ReplEngine(interpreter: TestSupport.interpreter(), notebookPath: nil)
    var input = ["fn twice(x, by: 2) {", "", "  return x * by", "}", "for i in 0..<2 {", "  twice(i)", "}",
                 "if false {", "  1", "} else {", "  \"no\"", "}", "while true {"][...]
    var out = ""
    e.loop(readLine: { input.popFirst() }, write: { out += $0 })
    #expect(out.hasPrefix("0\n2\n\"no\"\n"))
    #expect(out.contains("unterminated block"))
  }

  @Test func completionOfUserFunctionsAndTheirLabels() {
    let e = ReplEngine(interpreter: TestSupport.interpreter(), notebookPath: nil)
    _ = e.feed("fn generate(model, count: 3, temperature_scale: 1) { }")
    #expect(e.completions(for: "gene") == ["generate"])
    #expect(e.completions(for: "temperature_s") == ["temperature_scale:"])
    #expect(e.completions(for: "c", before: "generate(m, ") == ["count:"])
    #expect(e.completions(for: "t", before: "sample(m, ").contains("top_p:"))
    #expect(!e.completions(for: "t", before: "sample(m, ").contains("temperature_scale:"))
    #expect(e.completions(for: "t", before: "generate(x, f(1), ") == ["take", "temperature_scale:", "train", "transpose"])
    #expect(ReplEngine.openCallee("print(\"(\", take(") == "take")
  }
}
