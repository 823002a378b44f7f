import Foundation
import Testing
@testable import Notebook

/// `help()` lists every built-in with every label it takes.
@Suite struct HelpListingTests {
  @Test func everyLabelIsListedUnderItsBuiltin() {
    let text = TestSupport.run(TestSupport.interpreter(), "help()")
    let lines = text.split(separator: "\n").map(String.init)
    for b in StandardLibrary().builtins {
      guard let start = lines.firstIndex(where: { $0.hasPrefix("  \(b.name) ") }) else {
        Issue.record("\(b.name) is not listed")
        continue
      }
      // The summary line, then label lines (indented past the name column) until the next built-in.
      var listed = Set<String>()
      var k = start + 1
      while k < lines.count && lines[k].hasPrefix("      ") {
        for word in lines[k].split(separator: " ") where word.hasSuffix(":") { listed.insert(String(word.dropLast())) }
        k += 1
      }
      #expect(listed == Set(b.labels), "\(b.name): listed \(listed.sorted()), takes \(b.labels)")
    }
    // The built-ins' part fits 81 columns (evaluate's summary line is 81; the language summary after
    // the built-ins is not this test's).
    let end = lines.firstIndex { !$0.hasPrefix(" ") && $0 != lines[0] } ?? lines.count
    #expect(lines[..<end].allSatisfy { $0.count <= 81 }, "\(lines[..<end].filter { $0.count > 81 })")
  }

  @Test func printDocumentsItsSeparator() {
    let i = TestSupport.interpreter()
    #expect(TestSupport.run(i, "help(print)").hasPrefix("print(value, ..., separator: \" \")"))
    #expect(TestSupport.run(i, "help(plot)").contains("title: the chart's title"))
  }
}
