#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Notebook

/// The bytes of a notebook on disk: output escaping against every line break, byte order marks, CRLF
/// files, symbolic links, mode and owner.
@Suite struct NotebookBytesTests {
  /// Pieces that hostile output text is made of: every line break, header starts, backslashes.
  static let pieces = ["%%", "\\", "\r", "\n", "\r\n", " ", "a", " code", "%% code\n", "%% output 1\r\n", "\u{2028}",
                       "\u{85}", "\u{0B}", "\u{0C}", "\t", "md"]

  /// Generated hostile outputs (a fixed-seed generator): none may create a header, in LF or CRLF files,
  /// and each reads back as the text with trailing blanks trimmed.
  @Test(arguments: ["\n", "\r\n"]) func noOutputCreatesAHeader(newline: String) throws {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    let source = "%% code: a\(newline)print(1)\(newline)\(newline)%% code: b\(newline)x = 2\(newline)"
    for _ in 0..<2000 {
      let text = (0..<next(14)).map { _ in Self.pieces[next(Self.pieces.count)] }.joined()
      var doc = try NotebookDocument.parse(source, file: "t")
      doc.setOutput(text, ofCell: 0, failed: false)
      let back = try NotebookDocument.parse(doc.render(), file: "t")
      #expect(back.cells.map(\.title) == ["a", "b"], "\(text.debugDescription)")
      #expect(back.cells[0].output == OutputBlock.trimTrailing(text), "\(text.debugDescription)")
      #expect(back.render() == doc.render())
    }
  }

  @Test(arguments: ["x\r\n%% code\r\nprint(2)", "x\r%% code", "\r\n%% md", "a\u{2028}%% code", "\\\r\n%%"])
  func escapeIsInvertibleAcrossBreaks(text: String) {
    let e = OutputEscaping.escape(text)
    #expect(OutputEscaping.unescape(e) == text)
    #expect(e != text)
    for line in e.unicodeScalars.split(whereSeparator: OutputEscaping.isBreak) {
      #expect(!String(String.UnicodeScalarView(line)).hasPrefix("%%"))
    }
  }

  @Test func crlfAndByteOrderMarkArePreserved() throws {
    let text = "\u{FEFF}# Title\r\n\r\n%% code: a\r\nx = 1\r\nx\r\n\r\n%% code\r\nx + 1\r\n"
    var doc = try NotebookDocument.parse(text, file: "t")
    #expect(doc.byteOrderMark && doc.newline == "\r\n")
    #expect(doc.render() == text)
    #expect(doc.cells[1].title == "a")
    doc.setOutput("1\nline two", ofCell: 1, failed: false)
    doc.setOutput("2", ofCell: 2, failed: false)
    let out = doc.render()
    #expect(out.hasPrefix("\u{FEFF}# Title\r\n"))
    #expect(bareLineFeeds(out) == 0)
    let back = try NotebookDocument.parse(out, file: "t")
    #expect(back.cells[1].output == "1\nline two")
    #expect(!back.cells[1].isStale && !back.cells[2].isStale)
    // The hash of a CRLF cell is the hash of its LF twin.
    #expect(back.cells[1].sourceHash == SourceHash.short("x = 1\nx"))
    var appended = back
    appended.appendCode("y = 3\ny", output: "3")
    #expect(bareLineFeeds(appended.render()) == 0)
  }

  func bareLineFeeds(_ s: String) -> Int {
    let bytes = Array(s.utf8)
    return bytes.indices.filter { bytes[$0] == 10 && ($0 == 0 || bytes[$0 - 1] != 13) }.count
  }

  @Test func writesFollowSymlinksAndKeepTheMode() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
    let target = dir + "/real/nb.mgnb"
    try "%% code\n1 + 1\n".write(toFile: target, atomically: true, encoding: .utf8)
    chmod(target, 0o640)
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.mgnb", withDestinationPath: "real/nb.mgnb")
    try FileManager.default.createSymbolicLink(atPath: dir + "/link2.mgnb", withDestinationPath: dir + "/link.mgnb")
    let result = try NotebookRunner(path: dir + "/link2.mgnb",
                                    environment: ExecutionEnvironment(baseDirectory: dir)).run(RunOptions())
    #expect(!result.failed)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.mgnb") == "real/nb.mgnb")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link2.mgnb") == dir + "/link.mgnb")
    #expect(try String(contentsOfFile: target, encoding: .utf8).contains("\n2\n"))
    var st = stat()
    #expect(stat(target, &st) == 0)
    #expect(st.st_mode & 0o777 == 0o640)
    #expect(st.st_uid == geteuid())
  }

  /// A file name in a data folder that holds `\r\n%% code`: listed among the skipped files, it must stay
  /// output and never become a cell that runs on the next run.
  @Test func aFileNameCannotInjectACell() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let evil = dir + "/songs/x\r\n%% code\r\nprint(\"injected\")\r\n.mid"
    try Data("not midi".utf8).write(to: URL(fileURLWithPath: evil))
    let path = dir + "/nb.mgnb"
    try "%% code\nsongs = load(\"songs\")\nsongs.skipped\n".write(toFile: path, atomically: true, encoding: .utf8)
    for _ in 0..<2 {
      _ = try NotebookRunner(path: path, environment: ExecutionEnvironment(baseDirectory: dir)).run(RunOptions())
      let doc = try NotebookDocument.parse(try String(contentsOfFile: path, encoding: .utf8), file: "nb")
      #expect(doc.codeCellIndices.count == 1)
      #expect(doc.cells[0].output?.contains("%% code") == true)
      #expect(doc.cells[0].output?.contains("injected\n") == false)
    }
  }
}

extension NotebookBytesTests {
  /// A whole run of a CRLF notebook with a byte order mark: both survive, and a re-run is byte-identical.
  @Test func aRunKeepsCRLFAndTheByteOrderMark() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/nb.mgnb"
    try Data("\u{FEFF}Intro\r\n%% code: a\r\nx = 1\r\nprint(\"p\\r\\n%% code\")\r\n\r\n%% code\r\nx + 1\r\n".utf8)
      .write(to: URL(fileURLWithPath: path))
    let runner = NotebookRunner(path: path, environment: ExecutionEnvironment(baseDirectory: dir))
    _ = try runner.run(RunOptions())
    // Read the bytes: Foundation's String(contentsOfFile:) drops a byte order mark.
    func bytes() throws -> String { String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) }
    let once = try bytes()
    #expect(once.unicodeScalars.first == "\u{FEFF}")
    #expect(once.hasPrefix("\u{FEFF}Intro\r\n%% code: a\r\nx = 1\r\nprint(\"p\\r\\n%% code\")\r\n\r\n%% output "))
    #expect(bareLineFeeds(once) == 0)
    let doc = try NotebookDocument.parse(once, file: "nb")
    #expect(doc.codeCellIndices.count == 2)
    #expect(doc.cells[2].output == "2")
    _ = try runner.run(RunOptions())
    #expect(try bytes() == once)
  }
}
