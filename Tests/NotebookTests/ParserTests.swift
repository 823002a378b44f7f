import Testing
@testable import Notebook

@Suite struct ParserTests {
  /// A compact rendering of an expression tree for comparisons.
  func show(_ e: Expr) -> String {
    switch e.kind {
    case .integer(let n): return "\(n)"
    case .float(let x): return "\(x)"
    case .string(let s): return "\"\(s)\""
    case .bool(let b): return "\(b)"
    case .name(let n): return n
    case .list(let items): return "[" + items.map(show).joined(separator: ",") + "]"
    case .call(let f, let args):
      return show(f) + "(" + args.map { ($0.label.map { $0 + ":" } ?? "") + show($0.value) }.joined(separator: ",") + ")"
    case .member(let b, let n, _): return show(b) + "." + n
    case .index(let b, let i): return show(b) + "[" + show(i) + "]"
    case .unary(let op, let x): return "(" + op + show(x) + ")"
    case .binary(let op, let a, let b, _): return "(" + show(a) + op + show(b) + ")"
    case .range(let a, let b, let closed): return "(" + show(a) + (closed ? "..." : "..<") + show(b) + ")"
    case .partialRange(let a, let b, let closed):
      return "(" + (a.map(show) ?? "") + (closed ? "..." : "..<") + (b.map(show) ?? "") + ")"
    case .interpolation(let parts):
      return "\"" + parts.map { p -> String in
        switch p {
        case .text(let t): return t
        case .expr(let e): return "\\(" + show(e) + ")"
        }
      }.joined() + "\""
    }
  }

  func show(_ b: Block) -> String { "{" + b.statements.map(show).joined(separator: ";") + "}" }

  func show(_ s: Statement) -> String {
    switch s {
    case .assign(let n, _, let v): return n + "=" + show(v)
    case .expression(let e): return show(e)
    case .setIndex(let n, _, let i, let u, let v): return n + i.map { "[" + show($0) + "]" }.joined() + (u?.op ?? "") + "=" + show(v)
    case .ifElse(let i):
      return i.branches.map { "if " + show($0.condition) + show($0.body) }.joined(separator: "else ")
        + (i.elseBody.map { "else" + show($0) } ?? "")
    case .forIn(let f): return "for " + f.name + " in " + show(f.sequence) + show(f.body)
    case .whileLoop(let w): return "while " + show(w.condition) + show(w.body)
    case .jump(let isBreak, _): return isBreak ? "break" : "continue"
    case .returnValue(let e, _): return "return" + (e.map { " " + show($0) } ?? "")
    case .function(let f): return f.signature + show(f.body)
    }
  }

  func statements(_ s: String) throws -> [String] {
    try Parser.parse(s).map(show)
  }

  @Test func precedenceAndPostfix() throws {
    #expect(try statements("1 + 2 * -3 - 4 / 2") == ["((1+(2*(-3)))-(4/2))"])
    #expect(try statements("x = model.history.train[0]") == ["x=model.history.train[0]"])
    #expect(try statements("m[a + 1..<b]") == ["m[((a+1)..<b)]"])
    #expect(try statements("f(x, top_p: 0.6, prime: take(s, 20))") == ["f(x,top_p:0.6,prime:take(s,20))"])
    #expect(try statements("[1, \"a\", true, [],]") == ["[1,\"a\",true,[]]"])
    #expect(try statements("(1 + 2) * 3") == ["((1+2)*3)"])
  }

  @Test func newlinesSeparateStatementsExceptInsideBrackets() throws {
    #expect(try statements("a = 1\n\n// c\nb = f(\n  a,\n  top_p: 1\n)\na +\n b") == [
      "a=1", "b=f(a,top_p:1)", "(a+b)",
    ])
  }

  @Test(arguments: [
    ("f(1, 2", "1:7", "expected ',' or ')'", true),
    ("x = ", "1:4", "expected an expression", true),
    ("f(a: 1, 2)", "1:9", "positional argument after labelled", false),
    ("f(a: 1, a: 2)", "1:9", "argument 'a' given twice", false),
    ("1 = 2", "1:3", "only a name or name[index] can be assigned", false),
    ("a b", "1:3", "expected end of line", false),
    ("x.(", "1:3", "expected a member name", false),
    ("[1 2]", "1:4", "expected ',' or ']'", false),
    ("\n\n  )", "3:3", "expected an expression, found ')'", false),
  ])
  func errorsAreLocated(source: String, at: String, message: String, incomplete: Bool) {
    do {
      _ = try Parser.parse(source)
      Issue.record("expected an error for \(source)")
    } catch let d as Diagnostic {
      #expect(d.range.start.description == at)
      #expect(d.message.contains(message))
      #expect(d.isIncomplete == incomplete)
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func namesAndCalls() throws {
    let s = try Parser.parse("m = sample(model, prime: take(x, n))")
    guard case .assign(_, _, let e) = s[0] else { Issue.record("not an assignment"); return }
    #expect(e.names == ["sample", "model", "take", "x", "n"])
    #expect(e.calledNames == ["sample", "take"])
  }
}

@Suite struct DiagnosticTests {
  @Test func renderShowsLineAndCaret() {
    let text = "%% code\nx = 1\n\ty = modle + 1\n"
    let d = Diagnostic("unknown name 'modle'", at: SourceRange(SourceLocation(line: 3, column: 6),
                                                                 SourceLocation(line: 3, column: 11)))
    #expect(d.render(file: "nb.mgnb", lines: diagnosticLines(text)) ==
      "nb.mgnb:3:6: error: unknown name 'modle'\n\ty = modle + 1\n\t    ^~~~~")
  }

  @Test func multiLineRangeShowsOnlyTheCaret() {
    let d = Diagnostic("x", at: SourceRange(SourceLocation(line: 1, column: 3), SourceLocation(line: 2, column: 2)))
    #expect(d.render(file: "f", lines: ["abcdef", "gh"]) == "f:1:3: error: x\nabcdef\n  ^")
  }

  @Test func didYouMean() {
    #expect(DidYouMean.suggest("modle", among: ["model", "melody", "m"]) == "model")
    #expect(DidYouMean.suggest("top_q", among: ["top_p", "temperature"]) == "top_p")
    #expect(DidYouMean.suggest("zzz", among: ["model", "songs"]) == nil)
    #expect(DidYouMean.suggest("Sample", among: ["sample"]) == "sample")
  }
}
