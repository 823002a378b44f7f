import Testing
@testable import Notebook

/// Programs generated from the grammar (blocks, functions, operators, interpolation, slices), run as is and
/// with random token-level mutations: each parses and runs or fails with a located diagnostic; nothing
/// crashes or hangs (every loop and call polls an interruption that fires after a budget of polls).
@Suite struct GrammarFuzzTests {
  struct Generator {
    var rng: NotebookRandom
    var names = ["a", "b", "xs", "s", "f", "g"]

    mutating func pick<T>(_ xs: [T]) -> T { xs[rng.int(below: xs.count)] }
    mutating func chance(_ n: Int) -> Bool { rng.int(below: n) == 0 }

    mutating func expr(_ depth: Int) -> String {
      if depth <= 0 || chance(3) {
        return pick(["0", "1", "-1", "2.5", "9223372036854775807", "\"s\"", "true", "false", "[]", "[1, 2, 3]",
                     "0..<3", "1...2"] + names)
      }
      let d = depth - 1
      switch rng.int(below: 12) {
      case 0: return "(\(expr(d)) \(pick(["+", "-", "*", "/", "%"])) \(expr(d)))"
      case 1: return "(\(expr(d)) \(pick(["==", "!=", "<", "<=", ">", ">=", "in"])) \(expr(d)))"
      case 2: return "(\(expr(d)) \(pick(["and", "or"])) \(expr(d)))"
      case 3: return "\(pick(["-", "not "]))\(expr(d))"
      case 4: return "[\(expr(d)), \(expr(d))]"
      case 5: return "\(expr(d))[\(pick(["0", "-1", "1..<2", "1...", "..<1", "...0", expr(d)]))]"
      case 6: return "\"x \\(\(expr(d))) y\""
      case 7: return "\(pick(["f", "g", "print", "len", "help"]))(\(expr(d)))"
      case 8: return "f(\(expr(d)), k: \(expr(d)))"
      case 9: return "\(expr(d)).\(pick(["count", "first", "last", "lower"]))"
      case 10: return "(\(expr(d))...\(expr(d)))"
      default: return "\(expr(d)) + \(expr(d))"
      }
    }

    mutating func statement(_ depth: Int, inLoop: Bool, inFunction: Bool) -> String {
      let d = depth - 1
      switch rng.int(below: depth <= 0 ? 4 : 12) {
      case 0: return "\(pick(names)) = \(expr(2))"
      case 1: return expr(3)
      case 2: return "\(pick(names)) \(pick(["+=", "-=", "*="])) \(expr(1))"
      case 3:
        let target = pick(["xs", "xs[0]", "gs[-1]", "gs[1]", "gs"]) + "[\(pick(["0", "-1", "5"]))]"
        return "\(target) \(pick(["=", "=", "+=", "-=", "*="])) \(expr(1))"
      case 4: return "for \(pick(names)) in \(pick(["0..<3", "xs", "\"ab\"", expr(1)])) { \(block(d, inLoop: true, inFunction: inFunction)) }"
      case 5: return "if \(expr(2)) { \(block(d, inLoop: inLoop, inFunction: inFunction)) } else { \(block(d, inLoop: inLoop, inFunction: inFunction)) }"
      case 6: return "while \(expr(1)) { \(block(d, inLoop: true, inFunction: inFunction)) }"
      case 7 where inLoop: return pick(["break", "continue"])
      case 8 where inFunction: return "return \(expr(2))"
      default: return expr(2)
      }
    }

    mutating func block(_ depth: Int, inLoop: Bool, inFunction: Bool) -> String {
      (0..<(1 + rng.int(below: 3))).map { _ in statement(depth, inLoop: inLoop, inFunction: inFunction) }
        .joined(separator: pick(["; ", "\n"]))
    }

    mutating func program() -> String {
      var lines = ["a = 1", "b = 2", "xs = [1, 2, 3]", "gs = [[1, 2], [3, [4]]]", "s = \"str\""]
      if chance(2) { lines.append("fn f(x, k: 1) { \(block(2, inLoop: false, inFunction: true)) }") }
      if chance(2) { lines.append("fn g(n) { if n < 1 { return 0 }; return g(n - 1) + 1 }") }
      for _ in 0..<(1 + rng.int(below: 5)) { lines.append(statement(3, inLoop: false, inFunction: false)) }
      return lines.joined(separator: "\n")
    }
  }

  func interpreter() -> Interpreter {
    var polls = 0
    return Interpreter(
      environment: ExecutionEnvironment(baseDirectory: "", isCancelled: { polls += 1; return polls > 2000 }),
      builtins: StandardLibrary().builtins)
  }

  func check(_ source: String) {
    let r = interpreter().run(source)
    if let e = r.error {
      #expect(e.range.start.line >= 1 && e.range.start.column >= 1, "\(source)\n\(e)")
      #expect(!e.message.isEmpty)
    }
  }

  @Test func generatedProgramsRunOrFailWithALocation() {
    var g = Generator(rng: NotebookRandom(seed: 12))
    for _ in 0..<1500 { check(g.program()) }
  }

  @Test func mutatedProgramsNeverCrash() throws {
    var g = Generator(rng: NotebookRandom(seed: 99))
    var rng = NotebookRandom(seed: 5)
    let pieces = ["{", "}", "(", ")", "[", "]", ";", "\n", "for", "in", "if", "else", "fn", "return", "break",
                  "while", "and", "not", "\"\\(", "..<", "...", "=", "+=", ",", ":", "-", "%", "x", "1"]
    for _ in 0..<1500 {
      var tokens = g.program().split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      for _ in 0..<(1 + rng.int(below: 3)) {
        let k = rng.int(below: tokens.count + 1)
        switch rng.int(below: 3) {
        case 0: tokens.insert(pieces[rng.int(below: pieces.count)], at: k)
        case 1: if k < tokens.count { tokens.remove(at: k) }
        default: if k < tokens.count { tokens[k] = pieces[rng.int(below: pieces.count)] }
        }
      }
      check(tokens.joined(separator: " "))
    }
  }
}
