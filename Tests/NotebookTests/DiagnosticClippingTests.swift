import Testing
@testable import Notebook

/// Rendered errors stay short on lines of any length: the caret still points at the error.
@Suite struct DiagnosticClippingTests {
  @Test(arguments: [1, 2, 50, 79, 80, 81, 5_000, 99_990, 100_000, 100_001])
  func longLinesAreCutAroundTheError(column: Int) {
    let line = String(repeating: "a", count: 100_000)
    let range = SourceRange(SourceLocation(line: 1, column: column), SourceLocation(line: 1, column: column + 5))
    let d = Diagnostic(String(repeating: "m", count: 1_000_000), at: range)
    let text = d.render(file: "f", lines: [Substring(line)])
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(text.count < 2600 && lines.count == 3, "\(text.count)")
    #expect(lines[0].hasPrefix("f:1:\(column): error: mmm") && lines[0].hasSuffix("(1000000 characters)"))
    // The caret sits under an 'a' of the original line (or just past its end).
    let caret = Array(lines[2].unicodeScalars), shown = Array(lines[1].unicodeScalars)
    let at = caret.firstIndex(of: "^") ?? -1
    #expect(at >= 0 && (at < shown.count ? shown[at] == "a" : column > line.count), "column \(column): \(at)")
    #expect(shown.count <= Diagnostic.width + 2)
  }

  @Test func shortLinesAreUnchanged() {
    let range = SourceRange(SourceLocation(line: 1, column: 5), SourceLocation(line: 1, column: 10))
    #expect(Diagnostic("unknown name 'modle'", at: range).render(file: "nb", lines: ["x = modle"])
      == "nb:1:5: error: unknown name 'modle'\nx = modle\n    ^~~~~")
  }
}
