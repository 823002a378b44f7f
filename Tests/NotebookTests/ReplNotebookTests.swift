import Foundation
import Testing
@testable import Notebook

/// The REPL's notebook commands: `:edit`, `:open`, `:keep NAME`, and the dependency slice.
@Suite struct ReplNotebookTests {
  func engine(_ path: String?, base: String) -> ReplEngine {
    ReplEngine(interpreter: TestSupport.interpreter(base: base), notebookPath: path)
  }

  @Test func editWritesTheNewSourceBackAndRunsIt() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/nb.mgnb"
    try "# t\r\n%% code: a\r\nx = 2\r\nx * 10\r\n".write(toFile: path, atomically: true, encoding: .utf8)
    let e = engine(path, base: dir)
    var seen = ""
    e.editor = { text in
      seen = text
      return text.replacingOccurrences(of: "x * 10", with: "x * 100")
    }
    #expect(e.feed(":edit a") == .output("── cell 1 (a)\n200"))
    #expect(seen == "x = 2\nx * 10\n")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    // The file keeps its CRLF endings; the cell has its new source and its output.
    #expect(text == "# t\r\n%% code: a\r\nx = 2\r\nx * 100\r\n%% output \(SourceHash.short("x = 2\nx * 100"))\r\n200\r\n")
    e.editor = { _ in nil }
    #expect(e.feed(":edit a") == .output("edit abandoned; the cell is unchanged"))
  }

  @Test func openSwitchesNotebooks() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try "%% code\ny = 7\n".write(toFile: dir + "/two.mgnb", atomically: true, encoding: .utf8)
    _ = try NotebookRunner(path: dir + "/two.mgnb", environment: ExecutionEnvironment(baseDirectory: dir))
      .run(RunOptions())
    let e = engine(nil, base: "")
    #expect(e.feed(":open \(dir)/two.mgnb") == .output("opened \(dir)/two.mgnb: 1 code cell; restored 1 variable"))
    #expect(e.feed("y + 1") == .output("8"))
    #expect(e.notebookPath == dir + "/two.mgnb")
    #expect(e.feed(":open \(dir)/new.mgnb") == .output("opened \(dir)/new.mgnb (a new file: :keep creates it)"))
  }

  @Test func keepNamedVariablesSlicesTheInputs() throws {
    let builtins = Set(StandardLibrary().names)
    func parse(_ s: String) throws -> [Statement] { try Parser.parse(s) }
    let inputs = [try parse("a = 1"), try parse("b = 2"), try parse("c = a + 1"), try parse("c"),
                  try parse("d = b"), try parse("a = 5"), try parse("seed(3)"), try parse("m = sample(c)")]
    #expect(ReplEngine.slice(inputs, names: ["c"], builtins: builtins) == [0, 2])
    #expect(ReplEngine.slice(inputs, names: ["d", "a"], builtins: builtins) == [1, 4, 5])
    #expect(ReplEngine.slice(inputs, names: [], builtins: builtins) == [0, 2, 6, 7])
    #expect(ReplEngine.slice(Array(inputs.prefix(4)), names: [], builtins: builtins) == [0, 2, 3])
  }
}
