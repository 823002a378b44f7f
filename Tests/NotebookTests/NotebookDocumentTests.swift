import Testing
@testable import Notebook

@Suite struct NotebookDocumentTests {
  static let sample = """
    Intro text before any header.

    %% md
    # Title
    %% code: load
    songs = load("data/bach")   // a comment
    songs

    %% output 0badf00d
    dataset "data/bach": 3 songs
    \\%% looks like a header
    \\\\%% two backslashes

    %% code
    x = 1
    %% output 12345678 error time=0.125s

    %% md
    tail without newline
    """

  @Test func roundTripIsByteIdentical() throws {
    let doc = try NotebookDocument.parse(Self.sample, file: "t.mgnb")
    #expect(doc.render() == Self.sample)
    #expect(doc.cells.map(\.kind) == [.markdown, .markdown, .code, .code, .markdown])
    #expect(doc.cells[2].title == "load")
    #expect(doc.cells[2].sourceLine == 6)
    #expect(doc.cells[2].output == "dataset \"data/bach\": 3 songs\n%% looks like a header\n\\%% two backslashes")
    #expect(doc.cells[3].outputBlock?.failed == true)
    #expect(doc.cells[3].output == "")
    #expect(doc.cells[0].header == nil)
  }

  @Test(arguments: ["", "\n", "%% code\n", "%% code", "a\r\n%% code: x\r\nx = 1\r\n%% output 1 \r\n1\r\n",
                    "%% md\n%%\\\n", "just text"])
  func roundTripEdgeCases(text: String) throws {
    if text.contains("%%\\") {
      #expect(throws: Diagnostic.self) { try NotebookDocument.parse(text, file: "t") }
      return
    }
    let doc = try NotebookDocument.parse(text, file: "t")
    #expect(doc.render() == text)
  }

  @Test func crlfTitles() throws {
    let doc = try NotebookDocument.parse("%% code: a b \r\nx\r\n", file: "t")
    #expect(doc.cells[0].title == "a b")
  }

  @Test func unknownHeaderIsLocated() {
    do {
      _ = try NotebookDocument.parse("%% md\nok\n%% cod\n", file: "t")
      Issue.record("expected an error")
    } catch let d as Diagnostic {
      #expect(d.range.start == SourceLocation(line: 3, column: 1))
      #expect(d.message.contains("unknown cell header '%% cod'"))
    } catch { Issue.record("wrong error \(error)") }
  }

  @Test func outputMustFollowCode() {
    #expect(throws: Diagnostic.self) { try NotebookDocument.parse("%% md\n%% output 1\n", file: "t") }
    #expect(throws: Diagnostic.self) {
      try NotebookDocument.parse("%% code\nx\n%% output 1\n%% output 2\n", file: "t")
    }
  }

  @Test func setOutputChangesOnlyTheBlock() throws {
    let text = "# hi\n%% code: a\nx = 1\n\n%% code\ny = 2\n%% md\nend\n"
    var doc = try NotebookDocument.parse(text, file: "t")
    doc.setOutput("1\n%% tricky\n\n", ofCell: 1, failed: false)
    doc.setOutput("", ofCell: 2, failed: true)
    let hashA = SourceHash.short("x = 1")
    let hashB = SourceHash.short("y = 2")
    let expected = "# hi\n%% code: a\nx = 1\n\n%% output \(hashA)\n1\n\\%% tricky\n\n%% code\ny = 2\n"
      + "%% output \(hashB) error\n\n%% md\nend\n"
    #expect(doc.render() == expected)
    let again = try NotebookDocument.parse(doc.render(), file: "t")
    #expect(again.cells[1].output == "1\n%% tricky")
    #expect(again.cells[1].isStale == false)
    #expect(again == doc)
  }

  @Test func setOutputOnLastCellWithoutNewline() throws {
    var doc = try NotebookDocument.parse("%% code\nx = 1", file: "t")
    doc.setOutput("1", ofCell: 0, failed: false)
    #expect(doc.render() == "%% code\nx = 1\n%% output \(SourceHash.short("x = 1"))\n1\n")
  }

  @Test func staleWhenSourceEdited() throws {
    var doc = try NotebookDocument.parse("%% code\nx = 1\n", file: "t")
    doc.setOutput("", ofCell: 0, failed: false)
    var edited = try NotebookDocument.parse(doc.render().replacingOccurrences(of: "x = 1", with: "x = 2"),
                                            file: "t")
    #expect(edited.cells[0].isStale)
    edited.setOutput("", ofCell: 0, failed: false)
    #expect(!edited.cells[0].isStale)
  }

  @Test func cellSelectors() throws {
    let doc = try NotebookDocument.parse("%% md\n%% code: load\n%% code: train\n%% code\n", file: "t")
    #expect(try doc.cellIndex(for: "1") == 1)
    #expect(try doc.cellIndex(for: "train") == 2)
    #expect(try doc.cellIndex(for: "3") == 3)
    #expect(throws: NotebookError.self) { try doc.cellIndex(for: "4") }
    do {
      _ = try doc.cellIndex(for: "trian")
    } catch let e as NotebookError {
      #expect(e.description.contains("did you mean 'train'"))
    }
  }

  @Test func appendCodeKeepsBlankLineSeparation() throws {
    var doc = try NotebookDocument.parse("%% code\nx = 1\n%% output \(SourceHash.short("x = 1"))\n1\n", file: "t")
    doc.appendCode("x + 1", output: "2")
    let text = doc.render()
    #expect(text.hasSuffix("1\n\n%% code\nx + 1\n%% output \(SourceHash.short("x + 1"))\n2\n"))
    let back = try NotebookDocument.parse(text, file: "t")
    #expect(back.cells.count == 2)
    #expect(back.cells[1].sourceLine == 7)
    #expect(doc.cells[1].sourceLine == 7)
  }
}

@Suite struct OutputEscapingTests {
  @Test(arguments: ["", "%%", "\\%%", "\\\\%% x", "a\n%% md\nb", "\\", "\\x", " %%", "%"])
  func escapeIsInvertible(text: String) {
    let e = OutputEscaping.escape(text)
    #expect(OutputEscaping.unescape(e) == text)
    for line in e.split(separator: "\n") { #expect(!line.hasPrefix("%%")) }
  }

  @Test func escapedOutputParsesBack() throws {
    let nasty = "%% code\n%% output x\n\\%% md\nplain"
    var doc = try NotebookDocument.parse("%% code\nprint(1)\n", file: "t")
    doc.setOutput(nasty, ofCell: 0, failed: false)
    let back = try NotebookDocument.parse(doc.render(), file: "t")
    #expect(back.cells.count == 1)
    #expect(back.cells[0].output == nasty)
  }
}

@Suite struct SourceHashTests {
  @Test func knownValues() {
    // FNV-1a 64 of "" is cbf29ce484222325; folded: cbf29ce4 ^ 84222325 = 4fd0bfc1.
    #expect(SourceHash.short("") == "4fd0bfc1")
    #expect(SourceHash.short("a") != SourceHash.short("b"))
    #expect(SourceHash.short("x = 1").count == 8)
  }
}
