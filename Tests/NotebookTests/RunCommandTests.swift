#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Notebook

/// `midigen run` and `midigen repl` as child processes: interrupts, the lock, what is printed, the REPL
/// writing back.
@Suite struct RunCommandTests {
  let cli = CommandLineTests()

  static let training = """
    %% code: first
    songs = load("songs")
    songs.count

    %% code: long
    model = train(songs, hidden: 8, layers: 1, steps: 1000000, batch: 2, seq: 8)
    save(model, "m.safetensors")

    %% code: after
    model.steps

    """

  /// Starts `midigen run nb.mgnb` on the training notebook and waits until the first cell's output is in
  /// the file (training has started).
  func startTraining(in dir: String) throws -> Process {
    let nb = dir + "/nb.mgnb"
    try Self.training.write(toFile: nb, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
    p.arguments = ["run", "nb.mgnb"]
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    var text = Self.training
    for _ in 0..<3000 where text == Self.training {  // up to 30 s on a loaded machine
      usleep(10_000)
      text = try String(contentsOfFile: nb, encoding: .utf8)
    }
    usleep(300_000)
    return p
  }

  /// SIGINT, SIGTERM or SIGHUP (the terminal closed) during training: the cell ends with a located `interrupted` error, the `save` after
  /// `train` does not run, the next cell does not run, the session holds the model reached, and the exit
  /// status is 128 + the signal.
  @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
  func aSignalStopsTrainingCleanly(signal: Int32, status: Int32) throws {
    let dir = try TestSupport.tempFolder("signal\(signal)")
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    let p = try startTraining(in: dir)
    if signal == SIGINT {
      // Meanwhile a second run fails at once with --no-wait.
      let second = try cli.midigen(["run", "nb.mgnb", "--no-wait"], in: dir)
      #expect(second.status == 2)
      #expect(second.stderr.contains("in use by another midigen (process \(p.processIdentifier))"), "\(second.stderr)")
    }
    kill(p.processIdentifier, signal)
    p.waitUntilExit()
    #expect(p.terminationReason == .exit)
    #expect(p.terminationStatus == status)
    let doc = try NotebookDocument.parse(try String(contentsOfFile: dir + "/nb.mgnb", encoding: .utf8), file: "nb")
    let long = try #require(doc.cells[1].outputBlock)
    #expect(long.failed)
    #expect(long.text.hasPrefix("nb.mgnb:9:1: error: interrupted: training stopped after "), "\(long.text)")
    #expect(doc.cells[2].outputBlock == nil)
    #expect(!FileManager.default.fileExists(atPath: dir + "/m.safetensors"))
    // The session holds the model reached: the next cell runs against it.
    let after = try cli.midigen(["run", "nb.mgnb", "--cell", "after"], in: dir)
    #expect(after.status == 0, "\(after.stderr)")
    #expect((Int(after.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(after.stdout)")
  }

  @Test func runPrintsALinePerCellAndCellPrintsItsOutput() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try "%% code: one\nx = 6\nx * 7\n\n%% code: two\nprint(\"hi\")\nnope\n\n%% code\n1\n"
      .write(toFile: dir + "/nb.mgnb", atomically: true, encoding: .utf8)
    var r = try cli.midigen(["run", "nb.mgnb"], in: dir)
    #expect(r.status == 1)
    #expect(r.stdout == "cell 1 (one): ok\ncell 2 (two): error\ncell 3: not run\n")
    #expect(r.stderr.hasSuffix("nb.mgnb: 2 code cells ran, 1 failed (cell 2 (two))\n"), "\(r.stderr)")
    r = try cli.midigen(["run", "nb.mgnb", "--cell", "one"], in: dir)
    #expect(r.status == 0)
    #expect(r.stdout == "42\n")
    #expect(r.stderr == "nb.mgnb: 1 code cell ran\n")
    try "%% code\n1\n".write(toFile: dir + "/one.mgnb", atomically: true, encoding: .utf8)
    r = try cli.midigen(["run", "one.mgnb"], in: dir)
    #expect(r.stderr == "one.mgnb: the code cell ran\n")
    r = try cli.midigen(["status", "one.mgnb"], in: dir)
    #expect(r.stdout == "one.mgnb: the code cell is up to date\n")
  }

  /// The REPL through a pipe: `:run` writes the cell's output into the file, `:keep` appends the inputs
  /// that rebuild the last value (not just the last line), and the notebook then runs.
  @Test func replRunAndKeepWriteBack() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    let nb = dir + "/nb.mgnb"
    try "%% code: base\nk = 3\nk + 1\n".write(toFile: nb, atomically: true, encoding: .utf8)
    let r = try cli.midigen(["repl", "nb.mgnb"], input: """
      :run base
      w = [1, 2]
      unrelated = 5
      n = w.count
      v = n * k
      v
      :keep as slice
      :quit
      """, in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("kept 4 inputs as cell 2"), "\(r.stdout)")
    let doc = try NotebookDocument.parse(try String(contentsOfFile: nb, encoding: .utf8), file: "nb")
    #expect(doc.cells[0].output == "4")
    #expect(doc.cells[1].title == "slice")
    #expect(doc.cells[1].trimmedSource == "w = [1, 2]\nn = w.count\nv = n * k\nv")
    #expect(doc.cells[1].output == "6")
    #expect(NotebookStatus.entries(doc).allSatisfy { $0.state == .upToDate })
    let run = try cli.midigen(["run", "nb.mgnb", "--check"], in: dir)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
  }

  /// `run --check` over a notebook with saves: a changed saved file is reported (and kept in the scratch
  /// folder), every real file keeps its bytes, and no session is written.
  @Test func checkReportsChangedSavedFiles() throws {
    let dir = try TestSupport.tempFolder()
    defer { TestSupport.cleanup(dir) }
    try TestSupport.writeSongs(into: dir)
    try "%% code\nm = song(load(\"songs\"), 1)\nsave(m, \"out/a.mid\")\n"
      .write(toFile: dir + "/nb.mgnb", atomically: true, encoding: .utf8)
    var r = try cli.midigen(["run", "nb.mgnb"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    r = try cli.midigen(["run", "nb.mgnb", "--check"], in: dir)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stderr.contains("nb.mgnb and 1 saved file reproduced byte for byte"), "\(r.stderr)")
    try FileManager.default.removeItem(atPath: SessionStore.folder(forNotebook: dir + "/nb.mgnb"))
    let tampered = Data("not the same".utf8)
    try tampered.write(to: URL(fileURLWithPath: dir + "/out/a.mid"))
    let notebook = try Data(contentsOf: URL(fileURLWithPath: dir + "/nb.mgnb"))
    r = try cli.midigen(["run", "nb.mgnb", "--check"], in: dir)
    #expect(r.status == 1)
    #expect(r.stdout.contains("changed file: out/a.mid (12 bytes, now "), "\(r.stdout)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/out/a.mid")) == tampered)
    #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/nb.mgnb")) == notebook)
    #expect(!FileManager.default.fileExists(atPath: SessionStore.folder(forNotebook: dir + "/nb.mgnb")))
    if let copy = r.stdout.components(separatedBy: "new copy: ").last?.components(separatedBy: ")").first {
      #expect(FileManager.default.fileExists(atPath: copy))
      TestSupport.cleanup((copy as NSString).deletingLastPathComponent)
    }
  }
}
