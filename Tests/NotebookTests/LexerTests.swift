import Testing
@testable import Notebook

@Suite struct LexerTests {
  func kinds(_ s: String) throws -> [Token.Kind] {
    var l = Lexer(s)
    return try l.tokenize().map(\.kind)
  }

  @Test func numbersStringsAndPunctuation() throws {
    #expect(try kinds("x = 1e-3 + .5 * 1_000 // comment") == [
      .identifier("x"), .punct("="), .float(0.001), .punct("+"), .float(0.5), .punct("*"), .integer(1000), .end,
    ])
    #expect(try kinds("m[0..<20] 1...3") == [
      .identifier("m"), .punct("["), .integer(0), .punct("..<"), .integer(20), .punct("]"), .integer(1),
      .punct("..."), .integer(3), .end,
    ])
    #expect(try kinds("\"a\\n\\t\\\"\\\\\\u{41}\"") == [.string("a\n\t\"\\A"), .end])
    #expect(try kinds("a\nb") == [.identifier("a"), .newline, .identifier("b"), .end])
  }

  @Test func locationsAreFileAbsolute() throws {
    var l = Lexer("x =\n  foo(1)", firstLine: 10)
    let t = try l.tokenize()
    #expect(t[0].range.start == SourceLocation(line: 10, column: 1))
    #expect(t[3].range == SourceRange(SourceLocation(line: 11, column: 3), SourceLocation(line: 11, column: 6)))
  }

  @Test(arguments: [
    ("\"abc", "1:1", "unterminated string"),
    ("x = \"a\\q\"", "1:7", "unknown escape '\\q'"),
    ("x = 3 $ 4", "1:7", "unexpected character '$'"),
    ("12abc", "1:1", "malformed number"),
    ("\"\\u{110000}\"", "1:2", "invalid unicode scalar"),
    ("99999999999999999999", "1:1", "too large"),
  ])
  func errorsAreLocated(source: String, at: String, message: String) {
    do {
      var l = Lexer(source)
      _ = try l.tokenize()
      Issue.record("expected an error for \(source)")
    } catch let d as Diagnostic {
      #expect(d.range.start.description == at)
      #expect(d.message.contains(message))
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }
}
