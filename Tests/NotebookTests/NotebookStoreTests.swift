import Foundation
import Testing
@testable import Notebook

/// The one owner of the notebook on disk: edits made during a run survive, runs are serialized by the
/// lock, and `-p` and dependencies show in `status`.
@Suite struct NotebookStoreTests {
  func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  func runner(_ path: String) -> NotebookRunner {
    NotebookRunner(path: path, environment: ExecutionEnvironment(baseDirectory: (path as NSString).deletingLastPathComponent))
  }

  /// The user edits the file while the run is between cells: a markdown cell appended, a line of a later
  /// code cell changed, an earlier cell's source changed. All edits survive; the edited later cell keeps
  /// its old (absent) output, every untouched cell gets its output.
  @Test func editsMadeDuringARunSurvive() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/nb.mgnb"
    try "%% code: a\nx = 1\nx\n\n%% code: b\ny = x + 1\ny\n\n%% code: c\nz = y * 10\nz\n"
      .write(toFile: path, atomically: true, encoding: .utf8)
    let r = runner(path)
    r.onCell = { report in
      guard report.number == 1 else { return }
      do {
        let now = try String(contentsOfFile: path, encoding: .utf8)
        let edited = now.replacingOccurrences(of: "z = y * 10", with: "z = y * 100") + "\n%% md\nA note.\n"
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
      } catch { Issue.record("\(error)") }
    }
    let result = try r.run(RunOptions())
    #expect(result.reports.count == 3)
    let doc = try NotebookDocument.parse(try read(path), file: "nb")
    #expect(doc.cells.count == 4)
    #expect(doc.cells[3].kind == .markdown && doc.cells[3].source == "A note.\n")
    #expect(doc.cells[2].trimmedSource == "z = y * 100\nz")
    #expect(doc.cells[0].output == "1")
    #expect(doc.cells[1].output == "2")
    #expect(doc.cells[2].outputBlock == nil)
    #expect(NotebookStatus.entries(doc).map(\.state) == [.upToDate, .upToDate, .neverRun])
  }

  /// A file that does not parse when a cell finishes (the user is mid-edit) is not written; the next
  /// cell's write merges everything into the repaired file.
  @Test func aFileMidEditIsNotOverwritten() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/nb.mgnb"
    try "%% code\n1\n\n%% code\n2\n\n%% code\n3\n".write(toFile: path, atomically: true, encoding: .utf8)
    let r = runner(path)
    var broken = ""
    r.onCell = { report in
      do {
        if report.number == 1 {
          broken = try String(contentsOfFile: path, encoding: .utf8) + "%% cod\n"
          try broken.write(toFile: path, atomically: true, encoding: .utf8)
        } else if report.number == 2 {
          #expect(try String(contentsOfFile: path, encoding: .utf8) == broken)
          try broken.replacingOccurrences(of: "%% cod\n", with: "%% code\n4\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        }
      } catch { Issue.record("\(error)") }
    }
    let result = try r.run(RunOptions())
    #expect(result.writeError == nil)
    let doc = try NotebookDocument.parse(try read(path), file: "nb")
    #expect(doc.codeCellIndices.map { doc.cells[$0].output } == ["1", "2", "3", nil])
  }

  @Test func mergeSendsOutputsToCellsWhoseSourceIsUnchanged() throws {
    let base = try NotebookDocument.parse("%% code\na\n%% code\nb\n%% code\na\n", file: "t")
    let now = try NotebookDocument.parse("%% code\nnew\n%% code\na\n%% code\nb edited\n%% code\na\n", file: "t")
    #expect(NotebookStore.align(base, now) == [0: 1, 2: 3])
  }

  /// Two runs of one notebook: the second waits (or fails at once with --no-wait) while the first holds
  /// the lock, so their outputs never interleave.
  @Test func theLockSerializesRuns() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/nb.mgnb"
    try "%% code\n1 + 1\n".write(toFile: path, atomically: true, encoding: .utf8)
    let first = try NotebookStore(path: path)
    try first.lock(wait: false)
    var options = RunOptions()
    options.noWait = true
    do {
      _ = try runner(path).run(options)
      Issue.record("a second run got the lock")
    } catch NotebookError.busy(let message) {
      #expect(message.contains("in use by another midigen (process \(getpid()))"), "\(message)")
    }
    #expect(try read(path) == "%% code\n1 + 1\n")
    // A waiting run says so and gives up when interrupted.
    var waited: [String] = []
    let env = ExecutionEnvironment(baseDirectory: dir, isCancelled: { !waited.isEmpty })
    let waiting = NotebookRunner(path: path, environment: env)
    waiting.onWait = { waited.append($0) }
    #expect(throws: NotebookError.self) { try waiting.run(RunOptions()) }
    #expect(waited.count == 1 && waited[0].hasPrefix("waiting for another midigen"))
    first.unlock()
    _ = try runner(path).run(RunOptions())
    #expect(try read(path).contains("\n2\n"))
    #expect(FileManager.default.fileExists(atPath: dir + "/.nb.mgnb.lock"))
  }

  /// `-p` is recorded in each cell it ran; `status` says "overridden" until a run without it.
  @Test func overridesAreRecorded() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/nb.mgnb"
    try "%% code: parameters\nrate = 0.9\n\n%% code: use\nrate * 2\n".write(toFile: path, atomically: true, encoding: .utf8)
    _ = try runner(path).run(RunOptions())
    var options = RunOptions()
    options.cell = "use"
    options.parameters = try ParameterOverrides.parse(["rate=1.2"])
    _ = try runner(path).run(options)
    var doc = try NotebookDocument.parse(try read(path), file: "nb.mgnb")
    #expect(doc.cells[1].output == "-p rate=1.2\n2.4")
    #expect(NotebookStatus.report(doc) == """
      nb.mgnb:6: overridden: cell 2 (use): ran with -p rate=1.2
      nb.mgnb: 1 of 2 code cells needs running
      """)
    options.parameters = ParameterOverrides()
    _ = try runner(path).run(options)
    doc = try NotebookDocument.parse(try read(path), file: "nb.mgnb")
    #expect(doc.cells[1].output == "1.8")
    #expect(NotebookStatus.entries(doc).allSatisfy { $0.state == .upToDate })
  }

  /// Staleness follows dependencies: editing and re-running only the parameters cell makes the cells that
  /// read its names stale, with the reason; `run --stale` re-runs exactly those.
  @Test func stalenessFollowsDependencies() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/nb.mgnb"
    try """
      %% code: parameters
      steps = 2
      other = 1

      %% code: train
      model = steps * 100

      %% code: free
      other + 1

      %% code: sample
      model + 1

      """.write(toFile: path, atomically: true, encoding: .utf8)
    _ = try runner(path).run(RunOptions())
    try (try read(path)).replacingOccurrences(of: "steps = 2", with: "steps = 3")
      .write(toFile: path, atomically: true, encoding: .utf8)
    var doc = try NotebookDocument.parse(try read(path), file: "nb.mgnb")
    #expect(NotebookStatus.report(doc) == """
      nb.mgnb:1: stale: cell 1 (parameters): source edited since it ran
      nb.mgnb:7: stale: cell 2 (train): reads `steps` from cell 1 (parameters), which is stale
      nb.mgnb:12: stale: cell 3 (free): reads `other` from cell 1 (parameters), which is stale
      nb.mgnb:18: stale: cell 4 (sample): reads `model` from cell 2 (train), which is stale
      nb.mgnb: 4 of 4 code cells need running
      """)
    var options = RunOptions()
    options.cell = "parameters"
    _ = try runner(path).run(options)
    doc = try NotebookDocument.parse(try read(path), file: "nb.mgnb")
    #expect(NotebookStatus.report(doc) == """
      nb.mgnb:7: stale: cell 2 (train): reads `steps`, redefined by cell 1 (parameters) after this ran
      nb.mgnb:12: stale: cell 3 (free): reads `other`, redefined by cell 1 (parameters) after this ran
      nb.mgnb:18: stale: cell 4 (sample): reads `model` from cell 2 (train), which is stale
      nb.mgnb: 3 of 4 code cells need running
      """)
    options = RunOptions()
    options.stale = true
    let stale = try runner(path).run(options)
    // Staleness is per cell (as make's is per file): `free` reads another name of the re-run cell.
    #expect(stale.reports.map(\.number) == [2, 3, 4])
    doc = try NotebookDocument.parse(try read(path), file: "nb.mgnb")
    #expect(doc.cells[3].output == "301")
    #expect(NotebookStatus.entries(doc).allSatisfy { $0.state == .upToDate })
    // Without a session, what the stale cells need runs first (silently).
    try FileManager.default.removeItem(atPath: SessionStore.folder(forNotebook: path))
    try (try read(path)).replacingOccurrences(of: "model + 1", with: "model + 2")
      .write(toFile: path, atomically: true, encoding: .utf8)
    let again = try runner(path).run(options)
    #expect(again.reports.map(\.number) == [4])
    #expect(try NotebookDocument.parse(try read(path), file: "nb").cells[3].output == "302")
  }

  /// `--check` sends `save()` to a scratch folder: every real file keeps its bytes, the session is not
  /// written, and the saved copies are listed for comparison.
  @Test func checkWritesOnlyToTheScratchFolder() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let path = dir + "/nb.mgnb"
    try """
      %% code
      songs = load("songs")
      m = song(songs, 0)
      save(m, "out/first.mid")
      save(take(m, 4), "out/first.json")

      """.write(toFile: path, atomically: true, encoding: .utf8)
    _ = try runner(path).run(RunOptions())
    try FileManager.default.removeItem(atPath: SessionStore.folder(forNotebook: path))
    try Data("changed".utf8).write(to: URL(fileURLWithPath: dir + "/out/first.json"))
    func snapshot() throws -> [String: Data] {
      var r: [String: Data] = [:]
      for f in try FileManager.default.subpathsOfDirectory(atPath: dir) {
        r[f] = FileManager.default.contents(atPath: dir + "/" + f) ?? Data()
      }
      return r
    }
    let before = try snapshot()
    let scratch = try TestSupport.tempFolder("scratch")
    defer { TestSupport.cleanup(scratch) }
    var options = RunOptions()
    options.write = false
    options.scratchFolder = scratch
    let result = try runner(path).run(options)
    #expect(try snapshot() == before)
    #expect(result.rendered == result.original)
    let saved = Dictionary(result.artifacts.map { (($0.path as NSString).lastPathComponent, $0.scratch) },
                           uniquingKeysWith: { a, _ in a })
    #expect(Set(saved.keys) == ["first.mid", "first.json"])
    let mid = try #require(saved["first.mid"]), json = try #require(saved["first.json"])
    #expect(FileManager.default.contents(atPath: mid) == before["out/first.mid"])
    #expect(FileManager.default.contents(atPath: json) != before["out/first.json"])
    #expect(mid.hasPrefix(scratch))
  }

  /// MIDIGEN_RESTAMP=a.mgnb:b.mgnb rewrites the output headers of those notebooks (paths from the package
  /// root) with the `in=` states a re-run would record, without running them (for notebooks too slow to
  /// re-run, such as notebooks/train.mgnb). Outputs whose source changed are left alone.
  @Test func restamp() throws {
    guard let list = ProcessInfo.processInfo.environment["MIDIGEN_RESTAMP"] else { return }
    let root = ((#filePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("../..")
    for p in list.split(separator: ":") {
      let path = root + "/" + p
      var doc = try NotebookDocument.parse(try read(path), file: String(p))
      let parsed = Staleness.parse(doc)
      let names = Set(StandardLibrary().names)
      for i in doc.codeCellIndices {
        guard let b = doc.cells[i].outputBlock, b.hash == doc.cells[i].sourceHash else { continue }
        doc.setOutput(b.text, ofCell: i, failed: b.failed, overridden: b.overridden,
                      inputs: Staleness.inputs(i, in: doc, parsed: parsed, builtins: names))
      }
      try NotebookFile.write(doc.render(), to: path)
    }
  }
}
