import Testing
@testable import Notebook

@Suite struct InterpreterTests {
  @Test func valuesAndArithmetic() {
    let i = TestSupport.interpreter()
    #expect(TestSupport.run(i, "1 + 2 * 3\n7 / 2\n2.5 * 2\n-3 + 1\n\"a\" + \"b\"\n[1] + [2, 3]\ntrue") ==
      "7\n3.5\n5.0\n-2\n\"ab\"\n[1, 2, 3]\ntrue")
    #expect(TestSupport.run(i, "x = [10, 20, 30, 40]\nx[1]\nx[1..<3]\nx[0...1]\nx.count\nx.last\n(0..<10).count") ==
      "20\n[20, 30]\n[10, 20]\n4\n40\n10")
    #expect(TestSupport.run(i, "print(\"a\", 1, 2.0, [\"s\"])\nprint(\"x\", \"y\", separator: \"-\")") ==
      "a 1 2.0 [\"s\"]\nx-y")
    #expect(TestSupport.run(i, "\"tab\\there\"") == "\"tab\\there\"")
  }

  @Test func assignmentsShowNothing() {
    let i = TestSupport.interpreter()
    #expect(TestSupport.run(i, "a = 1\nb = a + 1") == "")
    #expect(TestSupport.run(i, "b") == "2")
  }

  @Test(arguments: [
    ("modle", "1:1", "unknown name 'modle'"),
    ("x = 1\nxx + 1", "2:1", "unknown name 'xx' (did you mean 'x'?)"),
    ("1 + \"a\"", "1:3", "cannot apply '+' to an integer and a string"),
    ("1 / 0", "1:3", "division by zero"),
    ("[1, 2][5]", "1:8", "index 5 is out of bounds 0..<2"),
    ("[1, 2][0..<3]", "1:8", "range 0..<3 is out of bounds 0..<2"),
    ("3..<1", "1:1", "greater than its upper bound"),
    ("print = 3", "1:1", "cannot assign to 'print'"),
    ("x = 3\nx(1)", "2:1", "an integer cannot be called"),
    ("[1].cont", "1:5", "a list has no member 'cont' (did you mean 'count'?)"),
    ("print(1, sep: \" \")", "1:10", "print() has no argument 'sep'"),
    ("seed(-1)", "1:6", "the seed must be >= 0"),
    ("seed(1.5)", "1:6", "the seed must be an integer"),
    ("help(smaple)", "1:6", "unknown name 'smaple' (did you mean 'sample'?)"),
    ("help(\"smaple\")", "1:6", "no built-in named 'smaple' (did you mean 'sample'?)"),
    ("9223372036854775807 + 1", "1:21", "integer overflow"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) {
    let r = TestSupport.interpreter().run(source)
    #expect(r.error?.range.start.description == at)
    #expect(r.error?.message.contains(message) == true, "\(r.error?.message ?? "no error")")
  }

  @Test func anErrorStopsTheCellNotTheSession() {
    let i = TestSupport.interpreter()
    let r = i.run("a = 1\nprint(a)\nb = nope\nc = 3")
    #expect(r.output == "1")
    #expect(r.error != nil)
    #expect(i.session.variables["a"] != nil)
    #expect(i.session.variables["c"] == nil)
    #expect(TestSupport.run(i, "a + 1") == "2")
  }

  @Test func helpListsEveryBuiltinAndDocumentsOne() {
    let i = TestSupport.interpreter()
    let all = TestSupport.run(i, "help()")
    for name in StandardLibrary().names { #expect(all.contains("\n  \(name) ")) }
    let one = TestSupport.run(i, "help(train)")
    #expect(one.hasPrefix("train(dataset, hidden: 256"))
    #expect(one.contains("weight_decay"))
    #expect(TestSupport.run(i, "help(\"take\")").hasPrefix("take(melody, n)"))
  }

  @Test func seedStreamIsDeterministic() {
    var a = SeedStream(base: 1234)
    var b = SeedStream(base: 1234)
    let xs = (0..<5).map { _ in a.next() }
    #expect(xs == (0..<5).map { _ in b.next() })
    var c = SeedStream(base: 1235)
    #expect(c.next() != xs[0])
    #expect(Set(xs).count == 5)
  }
}
