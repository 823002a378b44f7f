import Foundation
import Testing
@testable import Notebook

@Suite struct ReplEngineTests {
  func engine(notebook: String? = nil, base: String = "") -> ReplEngine {
    ReplEngine(interpreter: TestSupport.interpreter(base: base), notebookPath: notebook)
  }

  /// Drives the loop with `lines` as input and returns everything written.
  func script(_ e: ReplEngine, _ lines: [String]) -> String {
    var input = lines[...]
    var out = ""
    e.loop(readLine: { input.popFirst() }, write: { out += $0 })
    return out
  }

  @Test func anErrorInAFunctionOfAnEarlierInputShowsThatInput() {
    let e = engine()
    #expect(e.feed("fn f(x) {") == .more)
    #expect(e.feed("  return x + \"a\"") == .more)
    #expect(e.feed("}") == .output(""))
    #expect(e.feed("fn g(x) { return f(x) }") == .output(""))
    #expect(e.feed("g(1)") == .output("""
      <repl 1>:2:12: error: cannot apply '+' to an integer and a string
        return x + "a"
                 ^
        (in f(), defined in <repl 1>, called from <repl 3>)
      """))
    // The caller's own errors, and errors in a function defined by the same input, stay in that input.
    #expect(e.feed("g(1, 2)") == .output("""
      <repl 4>:1:6: error: g() takes 1 positional argument, got 2
      g(1, 2)
           ^
      """))
    #expect(e.feed("fn h() { return 1 < \"b\" }; h()") == .output("""
      <repl 5>:1:19: error: cannot compare an integer and a string with '<' (ordering takes two numbers or two strings)
      fn h() { return 1 < "b" }; h()
                        ^
      """))
    // Redefined: the new definition's input.
    #expect(e.feed("fn f(x) { return [x][3] }") == .output(""))
    guard case .output(let text) = e.feed("g(1)") else { Issue.record("no output"); return }
    #expect(text.hasPrefix("<repl 6>:1:22: error: index 3 is out of bounds"))
    #expect(text.hasSuffix("(in f(), defined in <repl 6>, called from <repl 7>)"))
  }

  @Test func valuesErrorsAndContinuationLines() {
    let e = engine()
    #expect(e.feed("x = [1,") == .more)
    #expect(e.prompt == "     ...> ")
    #expect(e.feed("  2]") == .output(""))
    #expect(e.prompt == "midigen> ")
    #expect(e.feed("x.count +") == .more)
    #expect(e.feed("1") == .output("3"))
    #expect(e.feed("") == .output(""))
    #expect(e.feed("sample(modle)") == .output(
      "<repl 3>:1:8: error: unknown name 'modle'\nsample(modle)\n       ^~~~~"))
    // An empty line gives up on an unfinished input and reports it.
    #expect(e.feed("f(") == .more)
    if case .output(let text) = e.feed("") {
      #expect(text.contains("error: expected an expression, found end of input"))
    } else {
      Issue.record("expected output")
    }
    #expect(e.feed(":quit") == .quit)
  }

  @Test func commands() {
    let e = engine()
    #expect(e.feed(":help") == .output(ReplEngine.commandHelp))
    #expect(e.feed(":vars") == .output("no variables yet"))
    _ = e.feed("a = 1")
    _ = e.feed("name = \"x\"")
    #expect(e.feed(":vars") == .output("a (integer): 1\nname (string): \"x\""))
    #expect(e.feed(":kep") == .output("unknown command ':kep' (did you mean ':keep'?); :help lists the commands"))
    #expect(e.feed(":cells") == .output("error: no notebook is open (start with `midigen repl NB.mgnb`)"))
  }

  @Test func completion() {
    let e = engine()
    _ = e.feed("model_name = \"m\"")
    _ = e.feed("xs = [1]")
    #expect(e.completions(for: "sa") == ["sample", "save"])
    #expect(e.completions(for: "mod") == ["model:", "model_name"])  // model: is stats()'s label
    #expect(e.completions(for: "top") == ["top_p:"])
    #expect(e.completions(for: "xs.c") == ["xs.count"])
    #expect(e.completions(for: ":r") == [":run"])
  }

  @Test func notebookCommandsRunAndKeep() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/nb.mgnb"
    try "# notes\n%% code: one\nx = 20\nx + 1\n\n%% code: two\nx * 2\n".write(toFile: path, atomically: true, encoding: .utf8)
    let e = engine(notebook: path, base: dir)
    let out = script(e, [":cells", ":run two", ":run one", ":run all", "x + 22", ":keep as answer", ":cells", ":quit", "never"])
    #expect(out == """
      1 (one) [never run]: x = 20
      2 (two) [never run]: x * 2
      ── cell 2 (two)
      nb.mgnb:7:1: error: unknown name 'x'
      x * 2
      ^
      ── cell 1 (one)
      21
      ── cell 1 (one)
      21
      ── cell 2 (two)
      40
      42
      kept 1 input as cell 3 of \(path)
      1 (one) [ok]: x = 20
      2 (two) [ok]: x * 2
      3 (answer) [ok]: x + 22

      """)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    // :run wrote the outputs back; :keep appended the cell (it reads `x` from cell 1: recorded in `in=`).
    let doc = try NotebookDocument.parse(text, file: "nb.mgnb")
    #expect(doc.cells.map(\.output) == [nil, "21", "40", "42"])
    #expect(text.hasPrefix("# notes\n%% code: one\nx = 20\nx + 1\n\n%% output \(SourceHash.short("x = 20\nx + 1"))\n21\n\n"))
    #expect(text.hasSuffix("\n40\n\n%% code: answer\nx + 22\n%% output \(SourceHash.short("x + 22")) in="
      + "\(Staleness.state(of: doc.cells[1]) ?? "")\n42\n"))
  }

  @Test func keepCreatesANewNotebook() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let path = dir + "/new.mgnb"
    let e = engine(notebook: path, base: dir)
    #expect(script(e, [":keep", "print(\"hi\")", ":keep"]) ==
      "error: nothing to keep yet (:keep keeps inputs that ran without error)\nhi\nkept 1 input as cell 1 of \(path)\n")
    let doc = try NotebookDocument.parse(try String(contentsOfFile: path, encoding: .utf8), file: "new")
    #expect(doc.cells.count == 1 && doc.cells[0].output == "hi")
  }

  @Test func inputEndingInsideAStatementIsReported() {
    let out = script(engine(), ["print(1,"])
    #expect(out.contains("error: expected an expression, found end of input"))
  }
}

@Suite struct SessionStoreTests {
  @Test func everyKindOfValueSurvivesARoundTrip() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let path = dir + "/nb.mgnb"
    let i = TestSupport.interpreter(base: dir)
    let r = i.run("""
      seed(5)
      n = 3
      x = 2.5
      s = "a\\nb"
      l = [1, "two", [3.0]]
      rg = 2..<7
      f = take
      songs = load("songs")
      v = vocab(songs)
      m = take(song(songs, 1), 7)
      model = train(songs, hidden: 8, layers: 1, steps: 2, batch: 2, seq: 8)
      h = model.history
      c = plot(m)
      t = help(take)
      e = evaluate(model, songs)
      """)
    #expect(r.error == nil, "\(r.error?.description ?? "")")
    _ = i.session.seeds.next()
    let store = SessionStore(restorers: StandardLibrary().restorers)
    try store.save(i.session, notebook: path)
    let loaded = try #require(try store.load(notebook: path))
    #expect(loaded.seeds == i.session.seeds)
    #expect(Set(loaded.variables.keys) == Set(i.session.variables.keys))
    for (name, value) in i.session.variables {
      #expect(loaded.variables[name]?.display == value.display, "\(name)")
    }
    // The restored model samples exactly as the original.
    let j = Interpreter(session: loaded, environment: ExecutionEnvironment(baseDirectory: dir),
                        builtins: StandardLibrary().builtins)
    #expect(j.run("sample(model, length: 8, seed: 1).tokens").output ==
            i.run("sample(model, length: 8, seed: 1).tokens").output)
    #expect(j.run("m.pitches").output == i.run("m.pitches").output)
    // A session of another version is refused with a clear message.
    let manifest = SessionStore.folder(forNotebook: path) + "/session.json"
    let text = try String(contentsOfFile: manifest, encoding: .utf8)
      .replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 99")
    try text.write(toFile: manifest, atomically: true, encoding: .utf8)
    #expect(throws: NotebookError.self) { try store.load(notebook: path) }
    #expect(try store.load(notebook: dir + "/other.mgnb") == nil)
  }
}
