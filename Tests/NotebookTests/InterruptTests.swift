import Foundation
import Testing
@testable import Notebook

/// Long built-ins stop at their next safe point when interrupted, and the cell ends with a located
/// `interrupted` error: `load` before a file, `sample` before a segment of steps, `evaluate` before a batch,
/// `save(.wav)` before a note (nothing written).
@Suite struct InterruptTests {
  @Test func builtinsStopAtSafePoints() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let flag = Flag()
    var reports: [ProgressReport] = []
    // The interrupt arrives while the built-in named here reports progress (before that, the interpreter
    // would stop at the statement).
    var trigger = ""
    var env = ExecutionEnvironment(baseDirectory: dir)
    env.isCancelled = { flag.value }
    env.progress = { r in
      reports.append(r)
      if r.task == trigger { flag.set() }
    }
    let i = Interpreter(environment: env, builtins: StandardLibrary().builtins)
    #expect(TestSupport.run(i, "songs = load(\"songs\")\nm = train(songs, hidden: 8, layers: 1, steps: 2, batch: 2, seq: 8)\nsongs.count") == "4")
    #expect(reports.contains { $0.task == "load" && $0.total == 4 })
    func interrupted(_ task: String, _ source: String) -> String {
      flag.value = false
      trigger = task
      defer { trigger = "" }
      return TestSupport.run(i, source)
    }
    #expect(interrupted("load", "again = load(\"songs\")") == "error 1:1: interrupted: loading stopped after 0 of 4 files")
    #expect(interrupted("sample", "s = sample(m, length: 40)")
      == "error 1:1: interrupted: sampling stopped after 0 of 39 steps")
    #expect(interrupted("evaluate", "evaluate(m, songs)") == "error 1:1: interrupted: evaluation stopped")
    flag.value = false
    #expect(TestSupport.run(i, "x = song(songs, 0)") == "")
    trigger = "render"
    #expect(TestSupport.run(i, "save(x, \"x.wav\")")
      == "error 1:1: interrupted: rendering stopped; 'x.wav' was not written")
    #expect(!FileManager.default.fileExists(atPath: dir + "/x.wav"))
    #expect(i.session.variables["again"] == nil && i.session.variables["s"] == nil)
  }
}
