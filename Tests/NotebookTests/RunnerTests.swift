import Foundation
import Testing
@testable import Notebook

/// `midigen run` semantics through `NotebookRunner`: golden notebooks, re-runs, `--cell`, `-p`, `--check`,
/// `--keep-going`, sessions.
@Suite struct RunnerTests {
  /// Copies golden notebook `name` into a fresh folder with the tiny dataset; returns (folder, path).
  func prepare(_ name: String, _ test: String = #function) throws -> (String, String) {
    let dir = try TestSupport.tempFolder(test)
    try TestSupport.writeSongs(into: dir)
    let path = dir + "/" + name + ".mgnb"
    try FileManager.default.copyItem(atPath: TestSupport.goldenFolder + "/" + name + ".mgnb", toPath: path)
    return (dir, path)
  }

  func runner(_ path: String) -> NotebookRunner {
    NotebookRunner(path: path, environment: ExecutionEnvironment(baseDirectory: (path as NSString).deletingLastPathComponent))
  }

  func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  /// Compares with `Golden/NAME.expected.mgnb` (MIDIGEN_UPDATE_GOLDEN=1 rewrites it in the source tree).
  func expectGolden(_ name: String, _ text: String) throws {
    if ProcessInfo.processInfo.environment["MIDIGEN_UPDATE_GOLDEN"] == "1" {
      try text.write(toFile: TestSupport.goldenSourceFolder() + "/\(name).expected.mgnb", atomically: true, encoding: .utf8)
    }
    let expected = try read(TestSupport.goldenFolder + "/\(name).expected.mgnb")
    #expect(text == expected, "\(LineDiff.unified(old: expected, new: text, oldName: "expected", newName: "actual"))")
  }

  @Test(arguments: [("basics", false), ("workflow", false), ("errors", true), ("language", true)])
  func goldenNotebooks(name: String, keepGoing: Bool) throws {
    let (dir, path) = try prepare(name, "golden-\(name)")
    defer { TestSupport.cleanup(dir) }
    let input = try read(path)
    var options = RunOptions()
    options.keepGoing = keepGoing
    let result = try runner(path).run(options)
    let output = try read(path)
    #expect(output == result.rendered)
    try expectGolden(name, output)
    // Only output blocks changed: removing them gives the input back.
    let stripped = try NotebookDocument.parse(output, file: name)
    var plain = stripped
    for i in plain.cells.indices { plain.cells[i].outputBlock = nil }
    let inputDoc = try NotebookDocument.parse(input, file: name)
    #expect(plain.cells.map(\.source) == inputDoc.cells.map(\.source))
    // A re-run gives the same bytes, and --check agrees.
    _ = try runner(path).run(options)
    #expect(try read(path) == output)
    options.write = false
    let check = try runner(path).run(options)
    #expect(check.rendered == check.original)
    #expect(result.failed == keepGoing)
  }

  @Test func stopsAtTheFirstFailingCellUnlessKeepGoing() throws {
    let (dir, path) = try prepare("errors")
    defer { TestSupport.cleanup(dir) }
    let result = try runner(path).run(RunOptions())
    #expect(result.reports.count == 1)
    #expect(result.reports[0].error?.hasPrefix("errors.mgnb:4:11: error: expected ')' to close '('") == true)
    let doc = try NotebookDocument.parse(try read(path), file: "errors")
    #expect(doc.cells[1].outputBlock?.failed == true)
    #expect(doc.cells[2].outputBlock == nil)
    #expect(NotebookStatus.entries(doc).map(\.state) == [.failed] + Array(repeating: .neverRun, count: 7))
  }

  @Test func checkReportsADifferenceWithoutWriting() throws {
    let (dir, path) = try prepare("basics")
    defer { TestSupport.cleanup(dir) }
    _ = try runner(path).run(RunOptions())
    let ran = try read(path)
    let edited = ran.replacingOccurrences(of: "x = 1 + 2 * 3", with: "x = 2 + 2 * 3")
    try edited.write(toFile: path, atomically: true, encoding: .utf8)
    var options = RunOptions()
    options.write = false
    let check = try runner(path).run(options)
    #expect(try read(path) == edited)
    let diff = LineDiff.unified(old: check.original, new: check.rendered, oldName: "a", newName: "b")
    #expect(diff.contains("\n-7\n") && diff.contains("\n+8\n"), "\(diff)")
    #expect(diff.contains("@@ "))
  }

  @Test func parametersOverrideTheParametersCell() throws {
    let (dir, path) = try prepare("workflow")
    defer { TestSupport.cleanup(dir) }
    var options = RunOptions()
    options.parameters = try ParameterOverrides.parse(["hidden=4", "steps=2", "data=songs"])
    options.cell = "train"
    _ = try runner(path).run(options)
    let doc = try NotebookDocument.parse(try read(path), file: "w")
    let out = try #require(doc.cells[try doc.cellIndex(for: "train")].output)
    #expect(out.hasPrefix("model: GRU 1 layer × 4 hidden"), "\(out)")
    #expect(out.contains("trained 2 steps"))
    // A full run records the overrides in the parameters cell's output.
    options.cell = nil
    options.parameters = try ParameterOverrides.parse(["steps=1"])
    _ = try runner(path).run(options)
    let all = try NotebookDocument.parse(try read(path), file: "w")
    #expect(all.cells[try all.cellIndex(for: "parameters")].output == "-p steps=1")
    #expect(all.cells[try all.cellIndex(for: "train")].output?.contains("trained 1 steps") == true)
    // Unknown parameters are an error before anything runs, with a suggestion.
    options.parameters = try ParameterOverrides.parse(["hiden=4"])
    #expect(throws: NotebookError.badParameter(
      "unknown parameter 'hiden' (did you mean 'hidden'?); the parameters cell assigns: hidden, steps, data")) {
      try runner(path).run(options)
    }
    #expect(throws: NotebookError.self) { try ParameterOverrides.parse(["novalue"]) }
  }

  @Test func parameterValuesParseAsLiteralsOrStrings() throws {
    let here = SourceRange(SourceLocation(line: 1, column: 1), SourceLocation(line: 1, column: 1))
    #expect(ParameterOverrides.expression("12", at: here).kind == .integer(12))
    #expect(ParameterOverrides.expression("0.05", at: here).kind == .float(0.05))
    #expect(ParameterOverrides.expression("\"x y\"", at: here).kind == .string("x y"))
    #expect(ParameterOverrides.expression("data/bach", at: here).kind == .string("data/bach"))
    if case .unary = ParameterOverrides.expression("-1", at: here).kind {} else { Issue.record("-1 is a literal") }
  }

  @Test func oneCellRunsAgainstTheSavedSessionAndChangesOnlyItsOutput() throws {
    let (dir, path) = try prepare("workflow")
    defer { TestSupport.cleanup(dir) }
    _ = try runner(path).run(RunOptions())
    let full = try read(path)
    #expect(FileManager.default.fileExists(atPath: SessionStore.folder(forNotebook: path) + "/session.json"))
    // Edit one cell; re-run it alone (a new process would do the same: the runner reloads the session).
    let edited = full.replacingOccurrences(of: "notes = random_notes(model, 4)", with: "notes = random_notes(model, 3)")
    try edited.write(toFile: path, atomically: true, encoding: .utf8)
    var options = RunOptions()
    options.cell = "sample"
    let r = try runner(path).run(options)
    #expect(r.reports.map(\.number) == [4])
    let after = try read(path)
    let a = try NotebookDocument.parse(edited, file: "w"), b = try NotebookDocument.parse(after, file: "w")
    #expect(a.cells.count == b.cells.count)
    let target = try a.cellIndex(for: "sample")
    for k in a.cells.indices { #expect(a.cells[k].source == b.cells[k].source) }
    for k in a.cells.indices where k != target {
      #expect(a.cells[k].outputBlock == b.cells[k].outputBlock)
    }
    #expect(b.cells[try b.cellIndex(for: "sample")].isStale == false)
    #expect(b.cells[try b.cellIndex(for: "sample")].output?.hasSuffix("\n3") == false)
  }

  @Test func withoutASessionTheCellsItDependsOnRunFirst() throws {
    let (dir, path) = try prepare("workflow")
    defer { TestSupport.cleanup(dir) }
    _ = try runner(path).run(RunOptions())
    let full = try NotebookDocument.parse(try read(path), file: "w")
    try FileManager.default.removeItem(atPath: SessionStore.folder(forNotebook: path))
    // A fresh notebook file without outputs, and no session: --cell sample runs parameters, data, train first.
    var fresh = full
    for i in fresh.cells.indices { fresh.cells[i].outputBlock = nil }
    try fresh.render().write(toFile: path, atomically: true, encoding: .utf8)
    var options = RunOptions()
    options.cell = "4"
    _ = try runner(path).run(options)
    let after = try NotebookDocument.parse(try read(path), file: "w")
    let sample = try after.cellIndex(for: "sample")
    // Same output as in the full run (same seeds), and no other cell got an output.
    #expect(after.cells[sample].output == full.cells[sample].output)
    #expect(after.cells.indices.filter { after.cells[$0].outputBlock != nil } == [sample])
  }

  @Test func dependencies() throws {
    func parse(_ s: String) throws -> [Statement] { try Parser.parse(s) }
    let cells: [Int: [Statement]] = [
      0: try parse("seed(1)"), 1: try parse("a = 1\nb = 2"), 2: try parse("c = a + 1"), 3: try parse("d = 5"),
      4: try parse("a = a + c"), 5: try parse("print(a)"),
    ]
    let builtins = Set(StandardLibrary().names)
    #expect(Dependencies.of(5, parsed: cells, builtins: builtins) == [1, 2, 4])
    #expect(Dependencies.of(3, parsed: cells, builtins: builtins) == [])
    #expect(Dependencies.of(2, parsed: cells, builtins: builtins) == [1])
  }

  @Test func seedStreamDependencies() throws {
    func parse(_ s: String) throws -> [Statement] { try Parser.parse(s) }
    let cells: [Int: [Statement]] = [
      0: try parse("seed(1)\nsongs = load(\"x\")"), 1: try parse("m = train(songs)"),
      2: try parse("a = sample(m, seed: 3)"), 3: try parse("b = random_notes(songs, 4)"),
      4: try parse("seed(2)"), 5: try parse("c = sample(m)"), 6: try parse("d = take(c, 2)"),
      7: try parse("e = sample(m, prime: b)"),
    ]
    let builtins = Set(StandardLibrary().names)
    // Drawing cells depend on the last seed(n) and every drawing cell since.
    #expect(Dependencies.of(3, parsed: cells, builtins: builtins) == [0, 1])
    #expect(Dependencies.of(5, parsed: cells, builtins: builtins) == [0, 1, 4])
    // Explicit seeds and non-drawing cells need no seed history.
    #expect(Dependencies.of(2, parsed: cells, builtins: builtins) == [0, 1])
    #expect(Dependencies.of(6, parsed: cells, builtins: builtins) == [0, 1, 4, 5])
    #expect(Dependencies.of(7, parsed: cells, builtins: builtins) == [0, 1, 3, 4, 5])
  }

  @Test func unknownCellAndFormatErrors() throws {
    let (dir, path) = try prepare("basics")
    defer { TestSupport.cleanup(dir) }
    var options = RunOptions()
    options.cell = "strngs"
    #expect(throws: NotebookError.noSuchCell("no code cell titled 'strngs'")) { try runner(path).run(options) }
    options.cell = "strings and list"
    do {
      _ = try runner(path).run(options)
    } catch let e as NotebookError {
      #expect(e.description.contains("did you mean 'strings and lists'"))
    }
    try "%% code\nx = 1\n%% nonsense\n".write(toFile: path, atomically: true, encoding: .utf8)
    do {
      _ = try runner(path).run(RunOptions())
      Issue.record("expected a format error")
    } catch NotebookError.format(let text) {
      #expect(text.hasSuffix("basics.mgnb:3:1: error: unknown cell header '%% nonsense' (expected '%% md', '%% code', "
        + "'%% code: TITLE' or '%% output')\n%% nonsense\n^~~~~~~~~~~"))
    }
  }

  @Test func timingAddsDurationsOnlyWhenAsked() throws {
    let (dir, path) = try prepare("basics")
    defer { TestSupport.cleanup(dir) }
    var options = RunOptions()
    options.timing = true
    _ = try runner(path).run(options)
    let text = try read(path)
    #expect(text.contains(" time="))
    let doc = try NotebookDocument.parse(text, file: "b")
    #expect(NotebookStatus.entries(doc).allSatisfy { $0.state == .upToDate })
    _ = try runner(path).run(RunOptions())
    #expect(!(try read(path)).contains(" time="))
  }

  @Test func statusReport() throws {
    let doc = try NotebookDocument.parse("""
      %% code: a
      x = 1
      %% output \(SourceHash.short("x = 1"))

      %% code: b
      y = 2
      %% output 00000000

      %% code
      z = 3
      """, file: "nb.mgnb")
    #expect(NotebookStatus.report(doc) == """
      nb.mgnb:5: stale: cell 2 (b)
      nb.mgnb:9: never run: cell 3
      nb.mgnb: 2 of 3 code cells need running
      """)
  }
}
