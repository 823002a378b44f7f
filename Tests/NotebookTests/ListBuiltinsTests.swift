import Foundation
import Testing
@testable import Notebook

/// `len`, `range`, `sum`, `min`, `max`, `sorted`, `zip`, `enumerate`.
@Suite struct ListBuiltinsTests {
  @Test(arguments: [
    ("len([1, 2, 3])", "3"),
    ("len(\"héllo\")", "5"),
    ("len(2..<7)", "5"),
    ("len([])", "0"),
    ("range(4)", "0..<4"),
    ("range(-2, 3)", "-2..<3"),
    ("range(0)", "0..<0"),
    ("sum([1, 2, 3])", "6"),
    ("sum([1, 2.5])", "3.5"),
    ("sum([])", "0"),
    ("sum(range(101))", "5050"),
    ("sum(-3..<3)", "-3"),
    ("sum(range(5, 5))", "0"),
    ("min([3, 1, 2])", "1"),
    ("max([3, 1, 2])", "3"),
    ("min(2, 1.5)", "1.5"),
    ("max(\"pear\", \"apple\")", "\"pear\""),
    ("min(range(3, 9))", "3"),
    ("max(range(3, 9))", "8"),
    ("max([1, 1.0])", "1"),
    ("sorted([3, 1, 2])", "[1, 2, 3]"),
    ("sorted([3, 1.5, 2], reverse: true)", "[3, 2, 1.5]"),
    ("sorted([\"b\", \"c\", \"a\"])", "[\"a\", \"b\", \"c\"]"),
    ("sorted([])", "[]"),
    ("sorted(\"cab\")", "[\"a\", \"b\", \"c\"]"),
    ("zip([1, 2, 3], [\"a\", \"b\"])", "[[1, \"a\"], [2, \"b\"]]"),
    ("zip(range(2), [true, false], \"xy\")", "[[0, true, \"x\"], [1, false, \"y\"]]"),
    ("enumerate([\"x\", \"y\"])", "[[0, \"x\"], [1, \"y\"]]"),
    ("enumerate([\"x\"], start: 1)", "[[1, \"x\"]]"),
  ])
  func values(source: String, expected: String) {
    #expect(TestSupport.run(TestSupport.interpreter(), source) == expected)
  }

  @Test(arguments: [
    ("len(3)", "1:5", "len() needs a list, string, range, melody or dataset, got an integer"),
    ("len()", "1:1", "len() needs a list, string, range, melody or dataset as argument 1"),
    ("len([1], [2])", "1:10", "len() takes 1 positional argument, got 2"),
    ("range(-1)", "1:7", "range(n) needs n >= 0, got -1"),
    ("range(3, 1)", "1:10", "range(a, b) needs a <= b, got 3 > 1"),
    ("range(1.5)", "1:7", "the bound must be an integer, got 1.5"),
    ("sum([1, \"a\"])", "1:5", "sum() needs numbers; element 1 is a string"),
    ("sum([9223372036854775807, 1])", "1:5", "integer overflow in sum() at element 1"),
    ("sum(range(0, 9223372036854775807))", "1:5", "integer overflow in sum() of 0..<9223372036854775807"),
    ("min([])", "1:5", "min() of an empty list"),
    ("max(range(0))", "1:5", "max() of an empty range"),
    ("min()", "1:1", "min() needs a list or at least two values"),
    ("min(1, \"a\")", "1:8", "min() cannot compare a string with an integer"),
    ("max([1, float(\"nan\")])", "1:5", "max() cannot compare nan (not a number)"),
    ("sorted([1, \"a\"])", "1:8", "sorted() cannot compare element 1 with element 0: a string with an integer"),
    ("sorted(3)", "1:8", "sorted() needs a list, string, range, melody or dataset, got an integer"),
    ("sorted([1], reverse: 1)", "1:22", "reverse must be true or false"),
    ("sorted(range(0, 100000000))", "1:8", "would make a list of 100,000,000 elements (at most 1,000,000)"),
    ("zip([1])", "1:1", "zip() needs at least two lists"),
    ("zip([1], 2)", "1:10", "zip() needs a list, string, range, melody or dataset, got an integer"),
    ("enumerate([1], start: 9223372036854775807)", "1:23", "integer overflow in enumerate() indices"),
    ("enumerate([1], strt: 1)", "1:16", "enumerate() has no argument 'strt' (did you mean 'start'?)"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) {
    let r = TestSupport.interpreter().run(source)
    #expect(r.error?.range.start.description == at, "\(r.error?.message ?? "no error")")
    #expect(r.error?.message.contains(message) == true, "\(r.error?.message ?? "no error")")
  }

  /// `sum` of a range by formula against a plain loop (small ranges), and the overflow check against
  /// wide arithmetic (ranges near Int.max): generated, not hand-picked.
  @Test func rangeSumMatchesALoopAndDetectsOverflow() throws {
    var rng = NotebookRandom(seed: 12)
    let range = SourceRange(SourceLocation(line: 1, column: 1), SourceLocation(line: 1, column: 1))
    for _ in 0..<500 {
      let lo = rng.int(below: 2001) - 1000
      let hi = lo + rng.int(below: 300)
      var s = 0
      for x in lo..<hi { s += x }
      #expect(try ListBuiltins.rangeSum(lo, hi, range) == s)
    }
    for _ in 0..<500 {
      // Bounds anywhere in Int: the exact sum in 128-bit-ish Double arithmetic decides overflow.
      let lo = Int(truncatingIfNeeded: rng.next()) >> rng.int(below: 62)
      let width = Int(truncatingIfNeeded: rng.next() >> UInt64(1 + rng.int(below: 62)))
      let (hi, o) = lo.addingReportingOverflow(width)
      guard !o else { continue }
      let exact = (Double(lo) + Double(hi) - 1) * Double(width) / 2
      let result = try? ListBuiltins.rangeSum(lo, hi, range)
      if abs(exact) < 9.2e18 {
        #expect(result != nil, "\(lo)..<\(hi)")
      } else if abs(exact) > 9.3e18 {
        #expect(result == nil, "\(lo)..<\(hi)")
      }
    }
  }

  @Test func sequencesOfObjects() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let i = TestSupport.interpreter(base: dir)
    let out = TestSupport.run(i, """
      songs = load("songs")
      len(songs)
      m = song(songs, 0)
      len(m)
      m.count
      len(enumerate(m))
      zip(m, range(2))[1][0].token
      """)
    #expect(out == "4\n24\n24\n24\n\"D4\"")
  }
}
