import Testing
@testable import Notebook

/// Random and mutated input never hangs or crashes the format parser, the lexer, the parser or the
/// interpreter; documents that parse render back byte for byte.
@Suite struct FuzzTests {
  static let seedText = """
    intro
    %% code: a
    x = [1, 2.5, "s\\n"]   // c
    y = f(x, top_p: 0.6)[0..<2].count + -3 * (4 / 2)
    %% output 1234abcd error
    \\%% escaped
    %% md
    text
    """

  static let alphabet = Array("%%\n\r\t ()[]{},:.=+-*/\\\"'0123456789eE_abcxyz<>…é".unicodeScalars)

  @Test func mutationsNeverHangAndRoundTrip() {
    var rng = NotebookRandom(seed: 42)
    let base = Array(Self.seedText.unicodeScalars)
    for _ in 0..<3000 {
      var s = base
      for _ in 0..<(1 + rng.int(below: 6)) {
        let pos = rng.int(below: s.count + 1)
        switch rng.int(below: 3) {
        case 0: s.insert(Self.alphabet[rng.int(below: Self.alphabet.count)], at: pos)
        case 1: if pos < s.count { s.remove(at: pos) }
        default: if pos < s.count { s[pos] = Self.alphabet[rng.int(below: Self.alphabet.count)] }
        }
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: s)
      do {
        let doc = try NotebookDocument.parse(text, file: "f")
        #expect(doc.render() == text)
        let interp = TestSupport.interpreter()
        for cell in doc.cells where cell.kind == .code {
          let r = interp.run(cell.source, firstLine: cell.sourceLine)
          if let e = r.error { #expect(e.range.start.line >= cell.sourceLine) }
        }
      } catch let d as Diagnostic {
        #expect(d.range.start.line >= 1)
      } catch {
        Issue.record("unexpected error \(error)")
      }
    }
  }

  @Test func randomSourcesLexAndParseOrFailWithALocation() {
    var rng = NotebookRandom(seed: 7)
    for _ in 0..<3000 {
      var text = ""
      for _ in 0..<rng.int(below: 40) { text.unicodeScalars.append(Self.alphabet[rng.int(below: Self.alphabet.count)]) }
      do {
        _ = try Parser.parse(text)
      } catch let d as Diagnostic {
        #expect(d.range.start.line >= 1 && d.range.start.column >= 1)
      } catch {
        Issue.record("unexpected error \(error)")
      }
    }
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    for text in [String(repeating: "(", count: 100_000) + "1", String(repeating: "-", count: 100_000) + "1",
                 String(repeating: "[", count: 100_000)] {
      #expect(throws: Diagnostic.self) { try Parser.parse(text) }
    }
    #expect(throws: Never.self) { try Parser.parse(String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)) }
  }
}
