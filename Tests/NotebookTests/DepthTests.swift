import Testing
@testable import Notebook

/// Flat chains of 10^5 terms of every kind, deep brackets and nested blocks: a located error (or a
/// result), never a stack overflow in the lexer, parser, resolver, evaluator or when the tree is freed.
@Suite struct DepthTests {
  static let n = 100_000

  static var chains: [String] {
    [
      "1" + String(repeating: "+1", count: n),
      "x" + String(repeating: "[0]", count: n),
      "f" + String(repeating: "()", count: n),
      "x" + String(repeating: ".a", count: n),
      "1" + String(repeating: " < 1 and 1", count: n / 4),
      "true" + String(repeating: " or true", count: n),
      String(repeating: "-", count: n) + "1",
      String(repeating: "not ", count: n) + "true",
      String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n),
      String(repeating: "[", count: n) + String(repeating: "]", count: n),
      String(repeating: "for i in 0..<1 { ", count: n) + String(repeating: "}", count: n),
      String(repeating: "if true { ", count: n) + String(repeating: "}", count: n),
      "x = " + String(repeating: "\"\\(", count: 50) + "1" + String(repeating: ")\"", count: 50),
      "f(" + String(repeating: "a: 1, ", count: 1) + String(repeating: "1, ", count: n) + ")",
      "if true { 1 }" + String(repeating: " else if true { 1 }", count: n),
    ]
  }

  @Test(arguments: Array(0..<15))
  func chainIsAnErrorNotACrash(k: Int) {
    let source = DepthTests.chains[k]
    let r = TestSupport.interpreter().run(source)
    if let e = r.error {
      #expect(e.range.start.line >= 1)
    }
  }

  @Test func flatChainsGiveTheDepthError() {
    for source in DepthTests.chains.prefix(4) {
      do {
        _ = try Parser.parse(source)
        Issue.record("parsed a chain of \(DepthTests.n) terms")
      } catch let d as Diagnostic {
        #expect(d.message.contains("nested too deeply"))
      } catch {
        Issue.record("\(error)")
      }
    }
  }

  @Test func wideButShallowProgramsRun() {
    let items = (0..<50_000).map(String.init).joined(separator: ", ")
    #expect(TestSupport.run(TestSupport.interpreter(), "[\(items)].count") == "50000")
    let statements = String(repeating: "x = 1; ", count: 20_000) + "x"
    #expect(TestSupport.run(TestSupport.interpreter(), statements) == "1")
    // Just under the limit works.
    let chain = "1" + String(repeating: "+1", count: Parser.maxDepth - 2)
    #expect(TestSupport.run(TestSupport.interpreter(), chain) == String(Parser.maxDepth - 1))
  }
}

/// Values nested by a loop stop at `Value.maxNesting` with an error, so printing and freeing them stay safe.
@Suite struct ValueNestingTests {
  @Test func loopsCannotNestListsWithoutBound() {
    let interp = TestSupport.interpreter()
    let r = interp.run("x = []\nfor i in 0..<100000 { x = [x] }")
    #expect(r.error?.message.contains("lists nested too deeply") == true)
    #expect(r.error?.range.start.line == 2)
    #expect(TestSupport.run(interp, "x").count > Value.maxNesting)
    #expect(TestSupport.run(interp, "x = 0\nx") == "0")
    let s = TestSupport.interpreter().run("y = [0]\nfor i in 0..<100000 { y[0] = y }")
    #expect(s.error?.message.contains("lists nested too deeply") == true)
  }
}
